package server_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestExportJobPagesInBrowser: the page of a campaign's export made by a
// job, with its file to download, and the jobs page filtered by kind,
// in French and English, pass axe-core under the page budget.
func TestExportJobPagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	job := doneExportJob(t, db, admCampaign(t, db, "Campagne 2029"))
	if _, err := db.Enqueue(t.Context(), certibloc.Mail{To: "ada@example.org", Subject: "S", Body: "B"}); err != nil {
		t.Fatal(err)
	}
	staff := admCookie(t, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
	u := srv.URL
	pages := browsertest.Check(t,
		browsertest.Page{Name: "export job done", URL: fmt.Sprintf("%s/app/jobs/%d", u, job), Cookies: staff},
		browsertest.Page{Name: "export job done (en)", URL: fmt.Sprintf("%s/app/jobs/%d?lang=en", u, job), Cookies: staff},
		browsertest.Page{Name: "jobs, exports", URL: u + "/app/jobs?kind=export.applications&lang=fr", Cookies: staff},
		browsertest.Page{Name: "jobs, e-mails (en)", URL: u + "/app/jobs?kind=mail.send&lang=en", Cookies: staff},
	)
	browsertest.AssertClean(t, pages, 50<<10)
}
