package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// signInActions fill the sign-in form and send it.
func signInActions(email, pass string) []browsertest.Action {
	return []browsertest.Action{
		{Do: "fill", Selector: "#email", Value: email},
		{Do: "fill", Selector: "#password", Value: pass},
		{Do: "click", Selector: "main button[type=submit]"},
	}
}

// TestAuthPagesInBrowser signs in through the real form in Chromium and
// runs axe-core on every page of signing in and of the account.
func TestAuthPagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	s := newAuthSite(t, sqldbtest.SQLite(t))
	srv := httptest.NewServer(s.h)
	defer srv.Close()
	reset, err := s.db.CreatePasswordReset(t.Context(), s.staff.ID, sqldb.ResetTTL)
	if err != nil {
		t.Fatal(err)
	}
	session, err := s.db.CreateSession(t.Context(), s.admin.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Enqueue(t.Context(), certibloc.Mail{To: "ada@example.org", Subject: "Essai", Body: "Bonjour.", School: "DIIAGE"})
	signedIn := []browsertest.Cookie{{Name: "certibloc_session", Value: session}}
	results := browsertest.Check(t,
		browsertest.Page{Name: "sign-in", URL: srv.URL + "/signin"},
		browsertest.Page{Name: "sign-in (en)", URL: srv.URL + "/signin?lang=en"},
		browsertest.Page{Name: "candidate signs in", URL: srv.URL + "/signin",
			Actions: signInActions("ada@example.org", password("ada@example.org"))},
		browsertest.Page{Name: "staff signs in and sets TOTP up", URL: srv.URL + "/signin",
			Actions: signInActions("staff@example.org", password("staff@example.org"))},
		browsertest.Page{Name: "forgotten password", URL: srv.URL + "/password/forgot"},
		browsertest.Page{Name: "forgotten password, sent", URL: srv.URL + "/password/forgot", Actions: []browsertest.Action{
			{Do: "fill", Selector: "#email", Value: "nobody@example.org"}, {Do: "click", Selector: "main button[type=submit]"}}},
		browsertest.Page{Name: "new password", URL: srv.URL + "/password/reset?token=" + reset},
		browsertest.Page{Name: "home", URL: srv.URL + "/app", Cookies: signedIn},
		browsertest.Page{Name: "account", URL: srv.URL + "/app/account", Cookies: signedIn},
		browsertest.Page{Name: "account (en)", URL: srv.URL + "/app/account?lang=en", Cookies: signedIn},
		browsertest.Page{Name: "outbox", URL: srv.URL + "/app/outbox", Cookies: signedIn},
	)
	for _, r := range results {
		t.Logf("%s: %d, %d bytes, %s, %d violations", r.Name, r.Status, r.Bytes, r.FinalURL, len(r.Violations))
	}
	browsertest.AssertClean(t, results, 50<<10)
	for name, want := range map[int]string{2: "/app", 3: "/signin/totp", 5: "/password/forgot", 6: "/password/reset"} {
		if got := strings.TrimPrefix(results[name].FinalURL, srv.URL); !strings.HasPrefix(got, want) {
			t.Errorf("%s ended at %s, want %s", results[name].Name, got, want)
		}
	}

	// Pages that answer an error must be as accessible as the others.
	errors := browsertest.Check(t,
		browsertest.Page{Name: "wrong password", URL: srv.URL + "/signin", Actions: signInActions("ada@example.org", "wrong")},
		browsertest.Page{Name: "used link", URL: srv.URL + "/password/reset?token=nope"},
	)
	for _, r := range errors {
		if r.Error != "" || r.Status < 400 || len(r.Violations) > 0 {
			t.Errorf("%s: status %d, error %q, violations %v", r.Name, r.Status, r.Error, r.ViolationIDs())
		}
	}
}
