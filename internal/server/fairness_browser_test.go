package server_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestEvaluatorFairnessInBrowser: the pages that show the evaluators'
// box plots, for staff, pass axe-core in Chromium in French and English,
// ask nothing of another host and weigh under 50 KB: the session's sheet
// with its section, the fairness page (on the total, and on a criterion
// chosen in its form), the cohort's page. The walk of every page
// (TestEveryPageForEveryRoleInBrowser) visits them for every role too.
func TestEvaluatorFairnessInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	rec := newFairnessRecords(t, db)
	staff := admCookie(t, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
	u := srv.URL
	fairness := fmt.Sprintf("%s/app/evaluations/%d/fairness", u, rec.session)
	results := browsertest.Check(t,
		browsertest.Page{Name: "session sheet", URL: fmt.Sprintf("%s/app/evaluations/%d", u, rec.session), Cookies: staff},
		browsertest.Page{Name: "fairness", URL: fairness, Cookies: staff},
		browsertest.Page{Name: "fairness (en)", URL: fairness + "?lang=en", Cookies: staff},
		browsertest.Page{Name: "fairness, criterion C1", URL: fairness, Cookies: staff, Actions: []browsertest.Action{
			{Do: "select", Selector: "#criterion", Value: "C1"}, {Do: "click", Selector: "main form button"}}},
		browsertest.Page{Name: "cohort", URL: fmt.Sprintf("%s/app/cohorts/%d", u, rec.cohort), Cookies: staff},
		browsertest.Page{Name: "cohort (en)", URL: fmt.Sprintf("%s/app/cohorts/%d?lang=en", u, rec.cohort), Cookies: staff},
	)
	browsertest.AssertClean(t, results, 50<<10)
	for _, r := range results {
		if r.Name == "fairness, criterion C1" && r.FinalURL != fairness+"?criterion=C1" {
			t.Errorf("the criterion form led to %s", r.FinalURL)
		}
		t.Logf("%-24s %d %6d bytes", r.Name, r.Status, r.Bytes)
	}
}
