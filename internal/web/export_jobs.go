package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Large exports as durable jobs. A campaign's export (CSV or XLSX) of at
// most certibloc.ExportSyncLimit applications is answered within its
// request, as before; a larger one is made by a job (ExportApplications),
// run by any instance: the export's address then answers a page that
// offers to start it, the job's page follows its progress (progress.js)
// and, once it is done, offers the file, kept with the job
// (/app/jobs/{id}/file).
func init() {
	registerPage("export_job", "templates/export_job.html")
}

// exportSyncLimit is certibloc.ExportSyncLimit, lowered by tests.
var exportSyncLimit = certibloc.ExportSyncLimit

// exportPage is how many applications an export job reads at a time, and
// records its progress after: the store's largest page.
const exportPage = sqldb.MaxPageSize

func (s *Site) exportJobRoutes() []Route {
	return []Route{
		{"POST /app/campaigns/{id}/export", certibloc.ManageAdmission, s.startExport},
		{"GET /app/jobs/{id}/file", certibloc.ReadOutbox, s.jobFile},
	}
}

// exportFilters are the pipeline's filters an export keeps.
var exportFilters = []string{"state", "track", "mode", "review", "q", "sort"}

// exportJobView is the page that offers to export a large campaign as a
// job.
type exportJobView struct {
	Back, Action, Format string
	Count                int
	Filters              []hidden
}

type hidden struct{ Name, Value string }

// offerExportJob answers the export of a campaign too large for one
// request: a page with the button that starts its job.
func (s *Site) offerExportJob(w http.ResponseWriter, r *http.Request, c *certibloc.Campaign, format string, count int) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("expjob_title_f", c.Title), pg.T("expjob_description")
	v := &exportJobView{Back: campaignPath(c.ID), Action: campaignPath(c.ID) + "/export", Format: format, Count: count}
	q := r.URL.Query()
	for _, k := range exportFilters {
		if q.Get(k) != "" {
			v.Filters = append(v.Filters, hidden{k, q.Get(k)})
		}
	}
	return s.renderApp(w, http.StatusOK, "export_job", pg, v)
}

// startExport queues the export of a campaign (or finds the same one
// under way) and goes to its job's page.
func (s *Site) startExport(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "the form cannot be read: %v", err)
	}
	pg := s.page(r, "")
	format := r.PostForm.Get("format")
	if format != "csv" && format != "xlsx" {
		return certibloc.Errorf(certibloc.EINVALID, "%s", pg.T("expjob_e_format"))
	}
	q := url.Values{}
	for _, k := range exportFilters {
		if v := r.PostForm.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	p := certibloc.PrincipalFrom(r.Context())
	job, _, err := s.db.EnqueueJob(r.Context(), certibloc.ExportApplicationsJob, certibloc.ExportJobKey(c.ID, format, q.Encode(), pg.Lang),
		certibloc.ExportApplications{Campaign: c.ID, School: c.School, Format: format, Query: q.Encode(), Lang: pg.Lang, By: *p}, 3)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/app/jobs/"+strconv.FormatInt(job.ID, 10), http.StatusSeeOther)
	return nil
}

// ExportApplications is the handler of certibloc.ExportApplicationsJob:
// it reads the campaign's applications exportPage at a time, recording
// its progress after each, and keeps the file with the job, in the
// transaction that checks its attempt still holds it. An attempt that
// finds the file has nothing left to do.
func ExportApplications(db *sqldb.DB) jobs.Handler {
	return func(ctx context.Context, a *jobs.Attempt) error {
		var p certibloc.ExportApplications
		if err := json.Unmarshal(a.Job.Payload, &p); err != nil || p.Campaign <= 0 || (p.Format != "csv" && p.Format != "xlsx") {
			return jobs.Final(certibloc.Errorf(certibloc.EINVALID, "payload %s names no campaign export", a.Job.Payload))
		}
		if _, err := db.JobFile(ctx, a.Job.ID, certibloc.JobOutput); err == nil {
			return nil
		} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			return err
		}
		ctx = certibloc.WithPrincipal(ctx, &p.By)
		c, err := db.Campaign(ctx, p.Campaign)
		if err != nil {
			return err
		}
		if err := p.By.Authorize(certibloc.ManageAdmission, c.School); err != nil {
			return err
		}
		cert, err := db.Certification(ctx, c.CertificationCode, c.Version)
		if err != nil {
			return err
		}
		q, _ := url.ParseQuery(p.Query)
		f := pipelineFilter(c, q)
		var list []certibloc.Application
		for f.Offset = 0; ; f.Offset += exportPage {
			f.Limit = exportPage
			part, total, err := db.Applications(ctx, f)
			if err != nil {
				return err
			}
			list = append(list, part...)
			// Writing the file is the last tenth of the work.
			if err := a.Progress(ctx, len(list)*9/10, total); err != nil {
				return err
			}
			if len(part) < exportPage || len(list) >= total {
				break
			}
		}
		ids := make([]int64, len(list))
		for i, a := range list {
			ids[i] = a.ID
		}
		extras, err := db.ApplicationExtras(ctx, ids)
		if err != nil {
			return err
		}
		pg := newPage(p.Lang)
		t := applicationsTable(pg, c, list, ruleTexts(cert), extras)
		var buf bytes.Buffer
		out := certibloc.JobFile{Name: fmt.Sprintf("candidatures-%d-%d.%s", c.ID, c.Year, p.Format), ContentType: "text/csv; charset=utf-8"}
		if p.Format == "xlsx" {
			out.ContentType = sheet.ContentTypeXLSX
			err = sheet.WriteXLSX(&buf, t)
		} else {
			err = sheet.WriteCSV(&buf, t)
		}
		if err != nil {
			return err
		}
		out.Content = buf.Bytes()
		return db.SaveJobOutput(ctx, a.Job.ID, a.Number(), a.Lease(), out, len(list), len(list))
	}
}

// jobFile sends what a job made to whoever may see what it holds: a
// campaign's export to those who manage its school's admissions, an RNCP
// import's report to those who may import the referential.
func (s *Site) jobFile(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	notFound := certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jobs_e_nofile"))
	id, err := pathID(r, "id")
	if err != nil {
		return notFound
	}
	j, err := s.db.Job(r.Context(), id)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	if !mayReadJobFile(pg.User, j) {
		if j.Kind == certibloc.ImportRNCPJob {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("jobs_e_forbidden_rncp"))
		}
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("jobs_e_forbidden"))
	}
	f, err := s.db.JobFile(r.Context(), j.ID, certibloc.JobOutput)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return notFound
	} else if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", attachment(f.Name))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(f.Content)
	return err
}

// mayReadJobFile reports whether p may download what job j made: an
// export of a campaign to whoever manages its school's admissions, the
// report of an RNCP import to whoever may import the referential.
func mayReadJobFile(p *certibloc.Principal, j *certibloc.Job) bool {
	switch j.Kind {
	case certibloc.ExportApplicationsJob:
		var e certibloc.ExportApplications
		return json.Unmarshal(j.Payload, &e) == nil && p.Authorize(certibloc.ManageAdmission, e.School) == nil
	case certibloc.ImportRNCPJob:
		return p.Authorize(certibloc.WriteReferent, "") == nil
	}
	return false
}

// moreJobView completes the view of the jobs other than documents: their
// title, their progress in words, and the file they made.
func (s *Site) moreJobView(ctx context.Context, pg *page, j *certibloc.Job, v *jobView) error {
	switch j.Kind {
	case certibloc.SendMailJob:
		var m certibloc.SendMail
		json.Unmarshal(j.Payload, &m)
		v.Title, v.Words = pg.Tf("job_mail_f", j.ID, m.Outbox), ""
	case certibloc.ExportApplicationsJob:
		var e certibloc.ExportApplications
		json.Unmarshal(j.Payload, &e)
		v.Title = pg.Tf("job_export_f", j.ID, e.Campaign, strings.ToUpper(e.Format))
		v.Words, v.WordsJS = pg.Tf("job_rows_f", v.Percent, v.Done, v.Total), pg.T("job_rows_js")
		if j.State == certibloc.JobDone && mayReadJobFile(pg.User, j) {
			// A done export without its file lost it to the erasure of
			// a person it listed (sqldb's eraseExportFiles).
			kept, err := s.db.HasJobFile(ctx, j.ID, certibloc.JobOutput)
			if err != nil {
				return err
			}
			if !kept {
				v.FileErased = true
				return nil
			}
			v.FileHref = v.Href + "/file"
			v.FileName = fmt.Sprintf("candidatures-%d.%s", e.Campaign, e.Format)
		}
	case certibloc.ImportResultsJob:
		var i certibloc.ImportResults
		json.Unmarshal(j.Payload, &i)
		v.Title = pg.Tf("job_import_f", j.ID, i.Session)
		v.Words, v.WordsJS = pg.Tf("job_rows_f", v.Percent, v.Done, v.Total), pg.T("job_rows_js")
	case certibloc.ImportRNCPJob:
		// The fiches of an export are known once it is read: the words
		// count those done.
		v.Title = pg.Tf("job_rncp_f", j.ID)
		v.Words, v.WordsJS = pg.Tf("job_fiches_f", v.Done), pg.T("job_fiches_js")
		// Its report (JSON), kept once the export is read, whether the
		// import was done or refused the export.
		if !j.Active() && mayReadJobFile(pg.User, j) {
			kept, err := s.db.HasJobFile(ctx, j.ID, certibloc.JobOutput)
			if err != nil || !kept {
				return err
			}
			v.FileHref = v.Href + "/file"
			v.FileName = fmt.Sprintf("rncp-import-%d-report.json", j.ID)
		}
	}
	return nil
}

// jobKindLink is a link of the jobs page's filter by kind.
type jobKindLink struct {
	Href, Label string
	Current     bool
}

// jobKinds are the kinds the jobs page filters by, with their words.
var jobKinds = []struct{ kind, label string }{
	{"", "jobs_kind_all"},
	{certibloc.GenerateDocumentsJob, "jobs_kind_documents"},
	{certibloc.SendMailJob, "jobs_kind_mail"},
	{certibloc.ExportApplicationsJob, "jobs_kind_export"},
	{certibloc.ImportResultsJob, "jobs_kind_import"},
	{certibloc.ImportRNCPJob, "jobs_kind_rncp"},
}

// jobKindFilter is the kind the jobs page lists (every kind when asked an
// unknown one) and the links of its filter: e-mails, one job each, would
// hide the rest.
func jobKindFilter(pg *page, asked string) (string, []jobKindLink) {
	kind := ""
	for _, k := range jobKinds {
		if k.kind == asked {
			kind = asked
		}
	}
	links := make([]jobKindLink, len(jobKinds))
	for i, k := range jobKinds {
		links[i] = jobKindLink{Href: "/app/jobs", Label: pg.T(k.label), Current: k.kind == kind}
		if k.kind != "" {
			links[i].Href += "?kind=" + url.QueryEscape(k.kind)
		}
	}
	return kind, links
}
