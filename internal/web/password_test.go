package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

var linkRE = regexp.MustCompile(`http://localhost:8080(/password/reset\?token=[A-Za-z0-9_-]+)`)

// outbox returns the messages of the outbox, newest first.
func outbox(t *testing.T, db *sqldb.DB) []certibloc.Mail {
	t.Helper()
	list, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestForgotPasswordRevealsNothing: an address with an account and one
// without get the same page; only the first gets a message.
func TestForgotPasswordRevealsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		codeA, _, known := b.submit("/password/forgot", "/password/forgot", url.Values{"email": {"Ada@example.org"}})
		codeB, _, unknown := b.submit("/password/forgot", "/password/forgot", url.Values{"email": {"nobody@example.org"}})
		known = strings.ReplaceAll(text(known), "ada@example.org", "X")
		unknown = strings.ReplaceAll(text(unknown), "nobody@example.org", "X")
		if codeA != 200 || codeB != 200 || known != unknown || !strings.Contains(known, "Si un compte existe pour l'adresse X") {
			t.Errorf("forgot: %d and %d, pages differ:\n%s\n%s", codeA, codeB, known, unknown)
		}
		list := outbox(t, db)
		if len(list) != 1 || list[0].To != "ada@example.org" || list[0].School != "DIIAGE" || !linkRE.MatchString(list[0].Body) {
			t.Fatalf("outbox = %+v", list)
		}
		// A few links an hour, no more: the page says the same all the same.
		for range 4 {
			if code, _, _ := b.submit("/password/forgot", "/password/forgot", url.Values{"email": {"ada@example.org"}}); code != 200 {
				t.Errorf("forgot again: %d", code)
			}
		}
		if n := len(outbox(t, db)); n != 3 {
			t.Errorf("%d messages after 5 requests, want 3", n)
		}
		if code, _, body := b.submit("/password/forgot", "/password/forgot", url.Values{"email": {""}}); code != 400 ||
			!strings.Contains(body, `aria-describedby="email-error"`) {
			t.Errorf("empty address: %d", code)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		signedIn := s.browser(t)
		signedIn.signIn("ada@example.org", password("ada@example.org"))

		b := s.browser(t)
		b.submit("/password/forgot", "/password/forgot", url.Values{"email": {"ada@example.org"}})
		link := linkRE.FindStringSubmatch(outbox(t, db)[0].Body)[1]
		code, loc, _ := b.get(link)
		if code != 303 || loc != "/password/reset?lang=fr" || strings.Contains(loc, "token") {
			t.Fatalf("open the link: %d %s", code, loc)
		}
		for _, tc := range []struct {
			password, confirm, want string
		}{
			{"short", "short", "au moins 12 caractères"},
			{"a long enough phrase", "another phrase", "ne sont pas identiques"},
			{strings.Repeat("é", 200), strings.Repeat("é", 200), "256 octets"},
		} {
			code, _, body := b.submit(loc, "/password/reset", url.Values{"password": {tc.password}, "confirm": {tc.confirm}})
			if code != 400 || !strings.Contains(text(body), tc.want) || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("%q/%q: %d, want 400 saying %q", tc.password, tc.confirm, code, tc.want)
			}
		}
		code, loc, _ = b.submit(loc, "/password/reset", url.Values{"password": {"a brand new phrase"}, "confirm": {"a brand new phrase"}})
		if code != 303 || loc != "/signin?done=reset" {
			t.Fatalf("reset: %d %s", code, loc)
		}
		if code, loc, _ := signedIn.get("/app"); code != 303 {
			t.Errorf("a session from before the reset lives on: %d %s", code, loc)
		}
		if code, _, _ := s.browser(t).signIn("ada@example.org", password("ada@example.org")); code != 401 {
			t.Errorf("the old password still works: %d", code)
		}
		if code, loc, _ := s.browser(t).signIn("ada@example.org", "a brand new phrase"); code != 303 || loc != "/app" {
			t.Errorf("the new password: %d %s", code, loc)
		}

		// Used, expired or unknown: the same clear error, nothing changed.
		expired, err := db.CreatePasswordReset(t.Context(), s.cand.ID, -time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for name, path := range map[string]string{"used": link, "expired": "/password/reset?token=" + expired,
			"unknown": "/password/reset?token=nope", "without a link": "/password/reset"} {
			b := s.browser(t)
			code, loc, body := b.get(path)
			if code == 303 {
				code, _, body = b.get(loc)
			}
			if code != 400 || !strings.Contains(text(body), "inconnu, a expiré ou a déjà servi") || strings.Contains(body, `name="password"`) {
				t.Errorf("%s link: %d\n%s", name, code, text(body))
			}
		}
		a, _ := db.Account(t.Context(), s.cand.ID)
		hashBefore := a.PasswordHash
		b = s.browser(t)
		b.get(link)
		_, _, page := b.get("/signin")
		f := url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}, "password": {"yet another phrase"}, "confirm": {"yet another phrase"}}
		if code, _, _ := b.do("POST", "/password/reset", f); code != 400 {
			t.Errorf("posting a used link: %d", code)
		}
		if a, _ := db.Account(t.Context(), s.cand.ID); a.PasswordHash != hashBefore {
			t.Error("a used link changed the password")
		}
	})
}

// TestResetLinkSetsFirstPassword: an account made without a password
// gets one through its link, in English when asked in English.
func TestResetLinkSetsFirstPassword(t *testing.T) {
	s := newAuthSite(t, sqldbtest.SQLite(t))
	a, err := s.db.CreateAccount(t.Context(), certibloc.Account{Email: "jury@example.org", Role: certibloc.Jury, Schools: []string{"ESTIA"}})
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	if code, _, _ := b.signIn("jury@example.org", ""); code != 400 {
		t.Errorf("empty password: %d", code)
	}
	b.header.Set("Accept-Language", "en-GB,en")
	b.submit("/password/forgot", "/password/forgot", url.Values{"email": {"jury@example.org"}})
	m := outbox(t, s.db)[0]
	if m.Subject != "certibloc: choose a new password" || !strings.Contains(m.Body, "&lang=en") || m.School != "ESTIA" {
		t.Fatalf("message %+v", m)
	}
	token := strings.TrimSuffix(strings.SplitN(m.Body, "token=", 2)[1][:43], "&")
	b.get("/password/reset?token=" + token)
	if code, _, _ := b.submit("/password/reset?lang=en", "/password/reset", url.Values{"password": {"first phrase of jury"},
		"confirm": {"first phrase of jury"}}); code != 303 {
		t.Fatalf("first password: %d", code)
	}
	if got, _ := s.db.Account(t.Context(), a.ID); got.PasswordHash == "" {
		t.Error("no password stored")
	}
}
