package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestChangePassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b, other := s.browser(t), s.browser(t)
		b.signIn("ada@example.org", password("ada@example.org"))
		other.signIn("ada@example.org", password("ada@example.org"))
		change := func(current, next, confirm string) (int, string, string) {
			return b.submit("/app/account", "/app/account", url.Values{"action": {"password"}, "current": {current},
				"password": {next}, "confirm": {confirm}})
		}
		if code, _, body := change("wrong", "a new pass phrase", "a new pass phrase"); code != 400 ||
			!strings.Contains(body, `aria-describedby="current-error"`) || !strings.Contains(text(body), "actuel est incorrect") {
			t.Errorf("wrong current password: %d", code)
		}
		if code, _, body := change(password("ada@example.org"), "short", "short"); code != 400 || !strings.Contains(text(body), "12 caractères") {
			t.Errorf("short password: %d", code)
		}
		code, loc, _ := change(password("ada@example.org"), "a new pass phrase", "a new pass phrase")
		if code != 303 || loc != "/app/account?done=password" {
			t.Fatalf("change: %d %s", code, loc)
		}
		if code, _, body := b.get(loc); code != 200 || !strings.Contains(text(body), "vos autres appareils sont déconnectés") {
			t.Errorf("this browser after the change: %d", code)
		}
		if code, _, _ := other.get("/app"); code != 303 {
			t.Errorf("the other browser after the change: %d", code)
		}
		if code, _, _ := s.browser(t).signIn("ada@example.org", "a new pass phrase"); code != 303 {
			t.Errorf("the new password does not sign in: %d", code)
		}
	})
}

// TestCandidateTOTP: a candidate turns TOTP on from their account page,
// signs in with it, and turns it off with their password.
func TestCandidateTOTP(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		b.signIn("ada@example.org", password("ada@example.org"))
		code, _, body := b.get("/app/account")
		m := secretRE.FindStringSubmatch(body)
		if code != 200 || m == nil || !strings.Contains(body, "otpauth://totp/certibloc:ada@example.org?") {
			t.Fatalf("account page: %d", code)
		}
		f := url.Values{"action": {"totp_enable"}, "secret": {m[1]}, "code": {totpNow(t, m[1], 0)}, "csrf": {csrfRE.FindStringSubmatch(body)[1]}}
		// The second factor is set up with the password only.
		for _, current := range []string{"", "wrong"} {
			f.Set("current", current)
			if code, _, body := b.do("POST", "/app/account", f); code != 400 || !strings.Contains(body, `id="totp-current-error"`) {
				t.Errorf("turn on with password %q: %d", current, code)
			}
		}
		if a, _ := db.Account(t.Context(), s.cand.ID); a.TOTPEnabled {
			t.Fatal("TOTP turned on without the password")
		}
		f.Set("current", password("ada@example.org"))
		f.Set("code", "999999")
		if code, _, body := b.do("POST", "/app/account", f); code != 400 || !strings.Contains(body, `id="code-error"`) {
			t.Errorf("wrong code: %d", code)
		}
		f.Set("code", totpNow(t, m[1], 0))
		if code, loc, _ := b.do("POST", "/app/account", f); code != 303 || loc != "/app/account?done=totp_on" {
			t.Fatalf("turn on: %d %s", code, loc)
		}
		if _, loc, _ := s.browser(t).signIn("ada@example.org", password("ada@example.org")); !strings.HasPrefix(loc, "/signin/totp") {
			t.Errorf("with TOTP on, sign-in went to %s", loc)
		}
		// Replacing it takes the password too: a borrowed session cannot
		// move the second factor to another phone.
		_, _, body = b.get("/app/account")
		other := secretRE.FindStringSubmatch(body)[1]
		replace := url.Values{"action": {"totp_enable"}, "secret": {other}, "code": {totpNow(t, other, 1)}}
		if code, _, _ := b.submit("/app/account", "/app/account", replace); code != 400 {
			t.Errorf("replace without the password: %d", code)
		}
		if a, _ := db.Account(t.Context(), s.cand.ID); a.TOTPSecret != m[1] {
			t.Error("the secret was replaced without the password")
		}
		replace.Set("current", password("ada@example.org"))
		if code, loc, _ := b.submit("/app/account", "/app/account", replace); code != 303 || loc != "/app/account?done=totp_on" {
			t.Errorf("replace with the password: %d %s", code, loc)
		}
		if a, _ := db.Account(t.Context(), s.cand.ID); a.TOTPSecret != other {
			t.Error("the secret was not replaced")
		}
		off := url.Values{"action": {"totp_disable"}, "current": {"wrong"}}
		if code, _, _ := b.submit("/app/account", "/app/account", off); code != 400 {
			t.Errorf("turn off with a wrong password: %d", code)
		}
		off.Set("current", password("ada@example.org"))
		if code, loc, _ := b.submit("/app/account", "/app/account", off); code != 303 || loc != "/app/account?done=totp_off" {
			t.Errorf("turn off: %d %s", code, loc)
		}
		if a, _ := db.Account(t.Context(), s.cand.ID); a.TOTPEnabled {
			t.Error("TOTP still on")
		}
	})
}

// TestOutboxPage: the admin reads every message whole; staff read their
// schools' messages with password links hidden; others may not read it.
func TestOutboxPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		for _, email := range []string{"ada@example.org", "other@example.org", "admin@example.org"} {
			s.browser(t).submit("/password/forgot", "/password/forgot", url.Values{"email": {email}})
		}
		signedIn := func(email string) *browser {
			b := s.browser(t)
			token, err := db.CreateSession(t.Context(), mustAccount(t, db, email).ID, true)
			if err != nil {
				t.Fatal(err)
			}
			b.jar.SetCookies(siteURL, []*http.Cookie{{Name: "certibloc_session", Value: token}})
			return b
		}
		code, _, body := signedIn("admin@example.org").get("/app/outbox")
		// Each link twice: the address it leads to, and its words.
		if code != 200 || strings.Count(body, `class="mail"`) != 3 || len(linkRE.FindAllString(body, -1)) != 6 {
			t.Errorf("admin: %d, %d messages, %d whole links", code, strings.Count(body, `class="mail"`), len(linkRE.FindAllString(body, -1)))
		}
		code, _, body = signedIn("staff@example.org").get("/app/outbox")
		if code != 200 || strings.Count(body, `class="mail"`) != 1 || !strings.Contains(body, "ada@example.org") ||
			linkRE.MatchString(body) || !strings.Contains(body, "token=…") {
			t.Errorf("staff of DIIAGE: %d\n%s", code, text(body))
		}
		if code, _, _ := signedIn("ada@example.org").get("/app/outbox"); code != 403 {
			t.Errorf("candidate: %d", code)
		}
		if code, loc, _ := s.browser(t).get("/app/outbox"); code != 303 || !strings.HasPrefix(loc, "/signin") {
			t.Errorf("anonymous: %d %s", code, loc)
		}
	})
}

func mustAccount(t *testing.T, db *sqldb.DB, email string) certibloc.Account {
	t.Helper()
	a, err := db.AccountByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
