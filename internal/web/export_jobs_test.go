package web

import (
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/seed"
)

// TestLargeExportRunsAsAJob: a campaign export above the synchronous
// limit answers a page that offers a job rather than the file; the job,
// run by a worker, reads the applications page by page with its progress
// and keeps the file, which the job's page offers, in French and in
// English, to staff of the campaign's school and to no one else, until
// the erasure of a person it lists deletes it: the page then says so.
// Below the limit, the export is answered at once, as before.
func TestLargeExportRunsAsAJob(t *testing.T) {
	s, db := adminSite(t)
	ctx := certibloc.WithPrincipal(t.Context(), staffP)
	cert, err := seed.Certification()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveCertification(certibloc.WithPrincipal(t.Context(), adminP), cert); err != nil {
		t.Fatal(err)
	}
	today := db.Today()
	c := &certibloc.Campaign{School: "DIIAGE", CertificationCode: cert.Code, Year: today.Year(), OpensOn: today, Title: "Rentrée",
		ClosesOn: certibloc.Date{Time: today.AddDate(0, 3, 0)}, Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial}}}
	if err := db.CreateCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	const n = 450    // three pages of the store
	var listed int64 // a person the export lists
	for i := range n {
		p := &certibloc.Person{School: "DIIAGE", BirthName: fmt.Sprintf("EXPORT%03d", i), FirstNames: "Camille", Email: fmt.Sprintf("e%03d@example.org", i)}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		listed = p.ID
		if err := db.CreateApplication(ctx, &certibloc.Application{CampaignID: c.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}); err != nil {
			t.Fatal(err)
		}
	}
	id := strconv.FormatInt(c.ID, 10)
	get := func(h func(http.ResponseWriter, *http.Request) error, p *certibloc.Principal, path string, values map[string]string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		for k, v := range values {
			req.SetPathValue(k, v)
		}
		return call(s, h, p, req)
	}
	if rec := get(s.exportCSV, staffP, "/app/campaigns/"+id+"/export.csv?q=export", map[string]string{"id": id}); rec.Code != 200 ||
		!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || strings.Count(rec.Body.String(), "\r\n") != n+1 {
		t.Fatalf("an export under the limit: %d %s", rec.Code, rec.Header())
	}

	defer func(old int) { exportSyncLimit = old }(exportSyncLimit)
	exportSyncLimit = 100
	rec := get(s.exportCSV, staffP, "/app/campaigns/"+id+"/export.csv?q=export&lang=fr", map[string]string{"id": id})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, "Cet export compte 450 candidatures") || !strings.Contains(body, `name="q" value="export"`) ||
		!strings.Contains(body, `action="/app/campaigns/`+id+`/export"`) {
		t.Fatalf("an export over the limit: %d\n%s", rec.Code, body)
	}
	post := httptest.NewRequest("POST", "/app/campaigns/"+id+"/export?lang=fr", strings.NewReader(url.Values{"format": {"csv"}, "q": {"export"}}.Encode()))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.SetPathValue("id", id)
	rec = call(s, s.startExport, staffP, post)
	where := rec.Header().Get("Location")
	jobID, _ := strconv.ParseInt(strings.TrimPrefix(where, "/app/jobs/"), 10, 64)
	if rec.Code != http.StatusSeeOther || jobID == 0 {
		t.Fatalf("starting the export: %d to %q\n%s", rec.Code, where, rec.Body)
	}
	jid := strconv.FormatInt(jobID, 10)
	rec = get(s.jobPage, staffP, where+"?lang=fr", map[string]string{"id": jid})
	if body := rec.Body.String(); !strings.Contains(body, "Export n° "+jid+" des candidatures de la campagne n° "+id+" (CSV)") ||
		!strings.Contains(body, `data-job="/api/v1/jobs/`+jid+`"`) || !strings.Contains(body, "(0 lignes sur 0)") || strings.Contains(body, where+"/file") {
		t.Fatalf("the job's page while it waits:\n%s", body)
	}

	r := jobs.New(db, slog.New(slog.DiscardHandler))
	r.Handle(certibloc.ExportApplicationsJob, ExportApplications(db))
	if ran, err := r.RunNext(t.Context(), 0); !ran || err != nil {
		t.Fatalf("the export did not run: %v", err)
	}
	job, _ := db.Job(t.Context(), jobID)
	if job.State != certibloc.JobDone || job.Done != n || job.Total != n {
		t.Fatalf("the export's job: %+v", job)
	}
	for _, l := range []struct{ q, says string }{{"?lang=en", "Download the file"}, {"?lang=fr", "Télécharger le fichier"}} {
		body := get(s.jobPage, staffP, where+l.q, map[string]string{"id": jid}).Body.String()
		if !strings.Contains(body, l.says) || !strings.Contains(body, `href="`+where+`/file"`) || strings.Contains(body, "data-job=") {
			t.Fatalf("the job's page once done (%s):\n%s", l.q, body)
		}
	}
	rec = get(s.jobFile, staffP, where+"/file", map[string]string{"id": jid})
	if file := rec.Body.String(); rec.Code != 200 || !strings.HasPrefix(file, "\uFEFFN°;Nom;") || strings.Count(file, "\r\n") != n+1 ||
		!strings.Contains(file, "Camille EXPORT449") || !strings.Contains(rec.Header().Get("Content-Disposition"), "candidatures-"+id) {
		t.Fatalf("the file: %d %s\n%.300s", rec.Code, rec.Header(), file)
	}
	if rec := get(s.jobFile, otherP, where+"/file", map[string]string{"id": jid}); rec.Code != 403 || strings.Contains(rec.Body.String(), "EXPORT") {
		t.Fatalf("staff of another school download the file: %d", rec.Code)
	}
	// The jobs page lists one kind at a time when asked: an e-mail, a job
	// of its own, is not among the exports.
	mail, err := db.Enqueue(ctx, certibloc.Mail{To: "ada@example.org", Subject: "S", Body: "B"})
	if err != nil {
		t.Fatal(err)
	}
	all := get(s.jobsPage, staffP, "/app/jobs?lang=fr", nil).Body.String()
	exports := get(s.jobsPage, staffP, "/app/jobs?kind=export.applications&lang=fr", nil).Body.String()
	mailTitle := fmt.Sprintf("du message n° %d", mail.ID)
	if !strings.Contains(all, mailTitle) || !strings.Contains(all, "Export n° "+jid) || strings.Contains(exports, mailTitle) ||
		!strings.Contains(exports, "Export n° "+jid) || !strings.Contains(exports, `href="/app/jobs?kind=export.applications" aria-current="page">exports</a>`) {
		t.Fatalf("the jobs page, every kind then the exports:\n%s\n%s", all, exports)
	}
	// Another format is another export: another job.
	rec = call(s, s.startExport, staffP, func() *http.Request {
		post := httptest.NewRequest("POST", "/app/campaigns/"+id+"/export", strings.NewReader("format=xlsx"))
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		post.SetPathValue("id", id)
		return post
	}())
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") == where {
		t.Fatalf("an XLSX export after a CSV one: %d to %s", rec.Code, rec.Header().Get("Location"))
	}
	// The erasure of a person the export lists deletes its file: the
	// job's page, and the list, say so, in French and in English,
	// with no link to a file that is no more.
	if err := db.ErasePerson(certibloc.WithPrincipal(t.Context(), adminP), listed, "request"); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ q, says string }{
		{"?lang=fr", "Fichier supprimé (effacement de données personnelles)"},
		{"?lang=en", "File deleted (erasure of personal data)"},
	} {
		one := get(s.jobPage, staffP, where+l.q, map[string]string{"id": jid}).Body.String()
		list := get(s.jobsPage, staffP, "/app/jobs"+l.q, nil).Body.String()
		for _, body := range []string{one, list} {
			if !strings.Contains(body, html.EscapeString(l.says)) || strings.Contains(body, where+"/file") || strings.Contains(body, "Download the file") ||
				strings.Contains(body, "Télécharger le fichier") {
				t.Errorf("a job's page after erasure deleted its file (%s):\n%s", l.q, body)
			}
		}
	}
	if rec := get(s.jobFile, staffP, where+"/file", map[string]string{"id": jid}); rec.Code != 404 {
		t.Errorf("the file erased answers %d", rec.Code)
	}
}

// TestRNCPImportJobOnJobsPage: the jobs page names an RNCP import and its
// progress in fiches, in French and in English, and filters on its kind;
// once ended, it offers the import's report to the admin alone.
func TestRNCPImportJobOnJobsPage(t *testing.T) {
	s, db := adminSite(t)
	job, _, err := db.EnqueueJobChunks(t.Context(), certibloc.ImportRNCPJob, certibloc.RNCPJobKey,
		certibloc.ImportRNCP{Size: 9, By: *adminP}, 3, strings.NewReader("<FICHES/>"))
	if err != nil {
		t.Fatal(err)
	}
	claimed, _, err := db.ClaimJob(t.Context(), "test", time.Minute, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobs.NewAttempt(db, claimed, time.Minute).Progress(t.Context(), 120, 0); err != nil {
		t.Fatal(err)
	}
	jid := strconv.FormatInt(job.ID, 10)
	for _, c := range []struct{ lang, title, words, kind string }{
		{"fr", "Import n° " + jid + " d'un export du RNCP (France Compétences)", "120 fiches traitées", ">imports RNCP</a>"},
		{"en", "Import " + jid + " of an RNCP export (France Compétences)", "120 records processed", ">RNCP imports</a>"},
	} {
		list := call(s, s.jobsPage, adminP, httptest.NewRequest("GET", "/app/jobs?kind=import.rncp&lang="+c.lang, nil)).Body.String()
		req := httptest.NewRequest("GET", "/app/jobs/"+jid+"?lang="+c.lang, nil)
		req.SetPathValue("id", jid)
		one := call(s, s.jobPage, adminP, req).Body.String()
		title := html.EscapeString(c.title)
		if !strings.Contains(list, title) || !strings.Contains(list, `href="/app/jobs?kind=import.rncp" aria-current="page"`+c.kind) ||
			!strings.Contains(one, title) || !strings.Contains(one, c.words) {
			t.Errorf("%s: the jobs page or the job's does not name the import and its progress:\n%s\n%s", c.lang, list, one)
		}
		if strings.Contains(one, "/file") {
			t.Errorf("%s: the import under way offers a file:\n%s", c.lang, one)
		}
	}
	// Once ended, its report (JSON) is offered like an export's file, to
	// those who may import the referential (the admin), not to staff.
	report := `{"report":{"format":"xml","fiches":120}}`
	if err := db.SaveJobOutput(t.Context(), job.ID, claimed.Attempts, time.Minute, certibloc.JobFile{Name: "rncp-import-" + jid + "-report.json",
		ContentType: "application/json", Content: []byte(report)}, 120, 120); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishJob(t.Context(), job.ID, claimed.Attempts); err != nil {
		t.Fatal(err)
	}
	link := `href="/app/jobs/` + jid + `/file"`
	for _, c := range []struct{ lang, says string }{{"fr", "Télécharger le fichier"}, {"en", "Download the file"}} {
		list := call(s, s.jobsPage, adminP, httptest.NewRequest("GET", "/app/jobs?kind=import.rncp&lang="+c.lang, nil)).Body.String()
		req := httptest.NewRequest("GET", "/app/jobs/"+jid+"?lang="+c.lang, nil)
		req.SetPathValue("id", jid)
		one := call(s, s.jobPage, adminP, req).Body.String()
		for _, body := range []string{list, one} {
			if !strings.Contains(body, link) || !strings.Contains(body, c.says) || !strings.Contains(body, "rncp-import-"+jid+"-report.json") {
				t.Errorf("%s: the import ended does not offer its report:\n%s", c.lang, body)
			}
		}
	}
	if list := call(s, s.jobsPage, staffP, httptest.NewRequest("GET", "/app/jobs?kind=import.rncp", nil)).Body.String(); strings.Contains(list, link) {
		t.Errorf("staff, who may not import the referential, are offered the import's report:\n%s", list)
	}
	file := func(p *certibloc.Principal) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/app/jobs/"+jid+"/file", nil)
		req.SetPathValue("id", jid)
		return call(s, s.jobFile, p, req)
	}
	if rec := file(adminP); rec.Code != 200 || rec.Body.String() != report || rec.Header().Get("Content-Type") != "application/json" ||
		!strings.Contains(rec.Header().Get("Content-Disposition"), "rncp-import-"+jid+"-report.json") {
		t.Errorf("the admin downloads the report: %d %s\n%s", rec.Code, rec.Header(), rec.Body)
	}
	if rec := file(staffP); rec.Code != 403 || strings.Contains(rec.Body.String(), "fiches") {
		t.Errorf("staff download the report: %d\n%s", rec.Code, rec.Body)
	}
}
