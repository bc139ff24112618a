package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
)

// A large grade sheet imported as a durable job: the upload is kept with
// the job, which any instance runs (jobs.Results): read whole, recorded
// all or nothing with its report, in one transaction. The client follows
// the job at the address it is given, and reads the report there: what
// was recorded, or every problem for which nothing was.

// importJobRoutes are the endpoints of grade sheets imported as jobs.
func (a *API) importJobRoutes() []Route {
	return []Route{
		{"POST /api/v1/evaluations/{id}/results/imports", certibloc.GradeEvaluations, a.queueResultsImport},
		{"GET /api/v1/evaluations/{id}/results/imports/{job}", certibloc.GradeEvaluations, a.resultsImportJob},
	}
}

// queueResultsImport keeps the uploaded sheet with a new import job of
// the session and answers 202 with the job; while another import of the
// session is under way, it is refused (409) with that job's address.
func (a *API) queueResultsImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(r.Context())
	if _, err := a.db.EvalSession(r.Context(), p, id); err != nil {
		return err
	}
	data, err := httpx.SheetUpload(w, r, "file")
	if err != nil {
		return err
	}
	l := answerLang(w, r)
	job, created, err := a.db.EnqueueJobFile(r.Context(), certibloc.ImportResultsJob, certibloc.SessionJobKey(id),
		certibloc.ImportResults{Session: id, Lang: l.String(), By: *p}, 3,
		&certibloc.JobFile{Name: "sheet", ContentType: "application/octet-stream", Content: data})
	if err != nil {
		return err
	}
	where := "/api/v1/evaluations/" + strconv.FormatInt(id, 10) + "/results/imports/" + strconv.FormatInt(job.ID, 10)
	if !created {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pick(l,
			"Un import de cette évaluation est déjà en cours : suivez-le à "+where+", puis envoyez la feuille de nouveau.",
			"An import of this evaluation is under way already: follow it at "+where+", then send the sheet again."))
	}
	w.Header().Set("Location", where)
	return writeJSON(w, http.StatusAccepted, job)
}

// resultsImportJob answers an import job of the session, with its report
// once it has one.
func (a *API) resultsImportJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	jobID, err := pathID(r, "job", "job")
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(r.Context())
	if _, err := a.db.EvalSession(r.Context(), p, id); err != nil {
		return err
	}
	job, err := a.db.Job(r.Context(), jobID)
	if err != nil {
		return err
	}
	if job.Kind != certibloc.ImportResultsJob || job.Key != certibloc.SessionJobKey(id) {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no import %d of evaluation session %d", jobID, id)
	}
	out := map[string]any{"job": job}
	if f, err := a.db.JobFile(r.Context(), job.ID, certibloc.JobOutput); err == nil {
		out["report"] = json.RawMessage(f.Content)
	} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
