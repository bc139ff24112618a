package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/pdf"
)

// A closed jury's documents: the certifier starts their batch (a durable
// job, run by any instance), follows it, lists and downloads them as one
// zip, and revokes one with a reason. Staff follow the jobs.

// generateJuryDocuments queues the batch of a closed jury's documents and
// answers 202 with the job; a batch already active is answered as it is.
// A jury whose minutes are not closed is refused, in the request's
// language.
func (a *API) generateJuryDocuments(w http.ResponseWriter, r *http.Request) error {
	l := answerLang(w, r)
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	if err := j.CheckDocuments(l); err != nil {
		return err
	}
	job, _, err := a.db.EnqueueJob(r.Context(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(j.ID),
		certibloc.GenerateDocuments{Jury: j.ID}, 5)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/jobs/"+strconv.FormatInt(job.ID, 10))
	return writeJSON(w, http.StatusAccepted, job)
}

// juryDocuments lists the documents a jury issued, with its last batch.
func (a *API) juryDocuments(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	docs, err := a.db.JuryDocuments(r.Context(), j.ID)
	if err != nil {
		return err
	}
	jobs, err := a.db.Jobs(r.Context(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(j.ID), 1)
	if err != nil {
		return err
	}
	out := map[string]any{"jury_id": j.ID, "documents": docs}
	if len(jobs) > 0 {
		out["job"] = jobs[0]
	}
	return writeJSON(w, http.StatusOK, out)
}

// juryDocumentsZip sends every document a jury issued as one zip.
func (a *API) juryDocumentsZip(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	docs, err := a.db.JuryDocuments(r.Context(), j.ID)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "jury %d has issued no document yet", j.ID)
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="documents-jury-%d.zip"`, j.ID))
	h.Set("Cache-Control", "private, no-store")
	z := pdf.NewZip(w)
	if err := a.db.EachJuryPDF(r.Context(), j.ID, z.Add); err != nil {
		return err
	}
	return z.Close()
}

// revokeInput is the body of POST /api/v1/documents/{number}/revoke.
type revokeInput struct {
	Reason string `json:"reason"`
}

// revokeDocument revokes a document with a reason; the public
// verification then shows it revoked.
func (a *API) revokeDocument(w http.ResponseWriter, r *http.Request) error {
	number, err := certibloc.ParseDocumentNumber(r.PathValue("number"))
	if err != nil {
		return err
	}
	var in revokeInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	d, err := a.db.RevokeDocument(r.Context(), number, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// personDocuments lists the documents issued to a person: to the person,
// and to staff of their school.
func (a *API) personDocuments(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	docs, err := a.db.PersonDocuments(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": p.ID, "documents": docs})
}

// listJobs lists the last 100 jobs, newest first (?kind= to keep one kind).
func (a *API) listJobs(w http.ResponseWriter, r *http.Request) error {
	jobs, err := a.db.Jobs(r.Context(), r.URL.Query().Get("kind"), "", 100)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"jobs": jobs})
}

// getJob answers a job with its progress.
func (a *API) getJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "job")
	if err != nil {
		return err
	}
	job, err := a.db.Job(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, job)
}
