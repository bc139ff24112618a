package server_test

import (
	"net/http/httptest"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestReportingPagesInBrowser: the public survey page (no account) and the
// figures page, with a survey answered and its charts, and the
// declarations page with a kept export, have no axe-core violation, in
// French and in English.
func TestReportingPagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	m := newMatrix(t, db)
	srv := httptest.NewServer(m.h)
	defer srv.Close()
	ctx := certibloc.WithPrincipal(t.Context(), m.certifierCtx())
	m.keptExport()
	answered := m.surveyPath()
	token := answered[len("/surveys/"):]
	if _, err := db.AnswerSurvey(ctx, token, certibloc.SurveyAnswer{Situation: certibloc.EmployedOther, JobTitle: "Analyste", Contract: certibloc.FixedTerm}); err != nil {
		t.Fatal(err)
	}
	fresh := m.surveyPath()
	a, err := db.CreateAccount(ctx, certibloc.Account{Email: "chiffres@example.org", Role: certibloc.Admin})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := db.CreateSession(ctx, a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	admin := []browsertest.Cookie{{Name: "certibloc_session", Value: secret}}
	results := browsertest.Check(t,
		browsertest.Page{Name: "survey (fr)", URL: srv.URL + fresh},
		browsertest.Page{Name: "survey answered (en)", URL: srv.URL + answered + "?lang=en"},
		browsertest.Page{Name: "figures (fr)", URL: srv.URL + "/app/reports/figures?lang=fr", Cookies: admin},
		browsertest.Page{Name: "figures (en)", URL: srv.URL + "/app/reports/figures?lang=en", Cookies: admin},
		browsertest.Page{Name: "accrochage with exports (en)", URL: srv.URL + "/app/reports/accrochage?lang=en", Cookies: admin},
	)
	browsertest.AssertClean(t, results, 50<<10)
}
