package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/pdf"
)

// The documents issued, for staff: a closed jury's batch (started here,
// run as a durable job, its progress a <progress> bar that the page
// refreshes by itself while it runs), its documents listed and
// downloadable as one zip; a person's documents; the revocation of one,
// after a confirmation page with the reason; and the jobs.
func init() {
	registerPage("issued", "templates/issued.html")
	registerPage("issued_revoke", "templates/issued_revoke.html", "templates/adm_fields.html")
	registerPage("jobs", "templates/jobs.html")
	menu = append(menu, menuEntry{"/app/jobs", "menu_jobs", certibloc.ReadOutbox})
}

func (s *Site) issuedRoutes() []Route {
	return []Route{
		{"GET /app/juries/{id}/documents", certibloc.ManageJuries, s.juryDocumentsPage},
		{"POST /app/juries/{id}/documents", certibloc.ManageJuries, s.generateDocuments},
		{"GET /app/juries/{id}/documents.zip", certibloc.ManageJuries, s.juryDocumentsZip},
		{"GET /app/people/{id}/documents", certibloc.SignedIn, s.personDocumentsPage},
		{"GET /app/documents/{number}/revoke", certibloc.ManageJuries, s.revokeForm},
		{"POST /app/documents/{number}/revoke", certibloc.ManageJuries, s.revokeIssued},
		{"GET /app/jobs", certibloc.ReadOutbox, s.jobsPage},
		{"GET /app/jobs/{id}", certibloc.ReadOutbox, s.jobPage},
	}
}

// jobView is a job as a page shows it. While it runs, the page's
// <progress> bar follows it by itself (static/progress.js reads API).
type jobView struct {
	Href, API, Title, State, Error, Worker, Created string
	Percent, Done, Total, Attempts, Max             int
	Active                                          bool
	Words, WordsJS                                  string // the progress in words, "" for a job without one (an e-mail)
	FileHref, FileName                              string // what the job made, to download (jobs_files.go)
	FileErased                                      bool   // what the job made was deleted by an erasure (export_jobs.go)
}

func (s *Site) jobView(ctx context.Context, pg *page, j *certibloc.Job) (jobView, error) {
	v := jobView{Href: "/app/jobs/" + strconv.FormatInt(j.ID, 10), API: "/api/v1/jobs/" + strconv.FormatInt(j.ID, 10), State: certibloc.JobStateIn(j.State, pageLang(pg)),
		Error: j.Error, Worker: j.Worker, Created: pg.dateTime(j.CreatedAt), Percent: j.Percent(), Done: j.Done,
		Total: j.Total, Attempts: j.Attempts, Max: j.MaxAttempts, Active: j.Active()}
	v.Title = pg.Tf("job_title_f", j.ID, j.Kind)
	v.Words, v.WordsJS = pg.Tf("job_progress_f", v.Percent, v.Done, v.Total), pg.T("job_progress_js")
	if j.Kind == certibloc.GenerateDocumentsJob {
		if id, ok := strings.CutPrefix(j.Key, "jury:"); ok {
			v.Title = pg.Tf("job_documents_f", j.ID, id)
		}
	}
	err := s.moreJobView(ctx, pg, j, &v)
	return v, err
}

// issuedRow is a line of a list of documents.
type issuedRow struct {
	Number, Kind, Holder, HolderHref, Blocks, Issued, State string
	VerifyHref, PDFHref, RevokeHref                         string
	Revoked                                                 bool
}

// issuedView is the page of a jury's or a person's documents.
type issuedView struct {
	Notice      string
	Back        string
	Job         *jobView
	NotClosed   string // why no batch may start
	CanGenerate bool
	Action      string
	ZipHref     string
	Docs        []issuedRow
}

func (s *Site) issuedRows(pg *page, docs []certibloc.IssuedDocument, canRevoke bool) []issuedRow {
	rows := make([]issuedRow, 0, len(docs))
	for _, d := range docs {
		codes := make([]string, len(d.Blocks))
		for i, b := range d.Blocks {
			codes[i] = b.Code
		}
		row := issuedRow{Number: d.Number, Kind: d.Kind.In(pageLang(pg)), Holder: d.Holder.Name(),
			HolderHref: "/app/people/" + strconv.FormatInt(d.PersonID, 10) + "/documents",
			Blocks:     strings.Join(codes, ", "), Issued: pg.dateTime(d.IssuedAt), State: pg.T("issued_valid"),
			VerifyHref: "/verify/" + d.Number, PDFHref: "/api/v1/documents/" + d.Number + "/pdf", Revoked: d.Revoked()}
		if d.Revoked() {
			row.State = pg.Tf("issued_revoked_f", pg.dateTime(*d.RevokedAt), d.RevokeReason)
		} else if canRevoke {
			row.RevokeHref = "/app/documents/" + d.Number + "/revoke"
		}
		rows = append(rows, row)
	}
	return rows
}

// juryDocumentsPage shows a jury's documents and its batch: the button
// that starts it once the minutes are closed, its progress while it runs.
func (s *Site) juryDocumentsPage(w http.ResponseWriter, r *http.Request) error {
	j, _, err := s.loadJury(r)
	if err != nil {
		return err
	}
	return s.renderJuryDocuments(w, r, http.StatusOK, j)
}

func (s *Site) renderJuryDocuments(w http.ResponseWriter, r *http.Request, status int, j *certibloc.JurySession) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("issued_jury_title_f", juryTitle(pg, j)), pg.T("issued_description")
	v := &issuedView{Back: juryPath(j.ID), Action: juryPath(j.ID) + "/documents"}
	if err := j.CheckDocuments(pageLang(pg)); err != nil {
		v.NotClosed = certibloc.ErrorMessage(err)
	}
	switch r.URL.Query().Get("done") {
	case "revoked":
		v.Notice = pg.T("issued_done_revoked")
	case "started":
		v.Notice = pg.T("issued_done_started")
	}
	jobs, err := s.db.Jobs(ctx, certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(j.ID), 1)
	if err != nil {
		return err
	}
	if len(jobs) > 0 {
		jv, err := s.jobView(ctx, pg, &jobs[0])
		if err != nil {
			return err
		}
		v.Job = &jv
	}
	v.CanGenerate = v.NotClosed == "" && (v.Job == nil || !v.Job.Active)
	docs, err := s.db.JuryDocuments(ctx, j.ID)
	if err != nil {
		return err
	}
	v.Docs = s.issuedRows(pg, docs, true)
	if len(docs) > 0 {
		v.ZipHref = juryPath(j.ID) + "/documents.zip"
	}
	return s.renderApp(w, status, "issued", pg, v)
}

// generateDocuments starts the batch of a closed jury's documents (or
// finds the one under way) and comes back to the page that follows it.
func (s *Site) generateDocuments(w http.ResponseWriter, r *http.Request) error {
	j, _, err := s.loadJury(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if err := j.CheckDocuments(pageLang(pg)); err != nil {
		return s.renderJuryDocuments(w, r, http.StatusConflict, j)
	}
	if _, _, err := s.db.EnqueueJob(r.Context(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(j.ID),
		certibloc.GenerateDocuments{Jury: j.ID}, 5); err != nil {
		return err
	}
	http.Redirect(w, r, juryPath(j.ID)+"/documents?done=started", http.StatusSeeOther)
	return nil
}

// juryDocumentsZip sends every document of a jury as one zip.
func (s *Site) juryDocumentsZip(w http.ResponseWriter, r *http.Request) error {
	j, _, err := s.loadJury(r)
	if err != nil {
		return err
	}
	docs, err := s.db.JuryDocuments(r.Context(), j.ID)
	if err != nil {
		return err
	}
	if len(docs) == 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "%s", s.page(r, "").T("issued_e_none"))
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", attachment(fmt.Sprintf("documents-jury-%d.zip", j.ID)))
	h.Set("Cache-Control", "no-store")
	z := pdf.NewZip(w)
	if err := s.db.EachJuryPDF(r.Context(), j.ID, z.Add); err != nil {
		return err
	}
	return z.Close()
}

// personDocumentsPage lists the documents issued to a person: to them,
// and to staff of their school.
func (s *Site) personDocumentsPage(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPerson(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	docs, err := s.db.PersonDocuments(r.Context(), p.ID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("issued_person_title_f", p.DisplayName()), pg.T("issued_description")
	v := &issuedView{Back: "/app/people/" + strconv.FormatInt(p.ID, 10)}
	if r.URL.Query().Get("done") == "revoked" {
		v.Notice = pg.T("issued_done_revoked")
	}
	v.Docs = s.issuedRows(pg, docs, pg.User.Can(certibloc.ManageJuries))
	return s.renderApp(w, http.StatusOK, "issued", pg, v)
}
