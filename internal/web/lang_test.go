package web_test

import (
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestLanguageStaysForTheVisit: the language chosen once with the switch
// is the one of every page that follows, whatever the browser prefers, and
// the account remembers it: signing in on another browser speaks it too.
func TestLanguageStaysForTheVisit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		b.header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		if _, _, body := b.get("/signin?lang=en"); !strings.Contains(body, `<html lang="en">`) {
			t.Fatal("?lang=en did not give an English page")
		}
		// Chosen before signing in: the pages after it speak it, and so
		// does the account.
		if code, loc, _ := b.signIn(s.cand.Email, password(s.cand.Email)); code != 303 {
			t.Fatalf("sign in: %d %s", code, loc)
		}
		for _, path := range []string{"/app", "/app/account", "/app/applications", "/nowhere"} {
			if _, _, body := b.get(path); !strings.Contains(body, `<html lang="en">`) {
				t.Errorf("%s after choosing English is not in English:\n%.300s", path, text(body))
			}
		}
		a, err := db.AccountByEmail(t.Context(), s.cand.Email)
		if err != nil || a.Lang != "en" {
			t.Fatalf("the account's language: %q, %v", a.Lang, err)
		}

		// Another browser that prefers French: the account's choice wins
		// once signed in.
		other := s.browser(t)
		other.header.Set("Accept-Language", "fr-FR")
		other.ip = "192.0.2.12"
		other.signIn(s.cand.Email, password(s.cand.Email))
		if _, _, body := other.get("/app"); !strings.Contains(body, `<html lang="en">`) {
			t.Errorf("signed in elsewhere, the account's English is forgotten:\n%.300s", text(body))
		}
		// Switching there back to French sticks, on the account too.
		other.get("/app?lang=fr")
		b.header.Set("Accept-Language", "en")
		for _, br := range []*browser{other, b} {
			if _, _, body := br.get("/app/account"); !strings.Contains(body, `<html lang="fr">`) {
				t.Errorf("after switching back to French: %.300s", text(body))
			}
		}
	})
}
