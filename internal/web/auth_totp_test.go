package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

var secretRE = regexp.MustCompile(`name="secret" value="([A-Z2-7]{32})"`)

// TestStaffSetUpTOTPFirst walks a member of staff's first sign-in: the
// password leads to setting up TOTP and nowhere else, a wrong code is
// refused, the right one completes the session with a new cookie; the
// next sign-in asks for a code, and refuses one used already.
func TestStaffSetUpTOTPFirst(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		code, loc, _ := b.signIn("staff@example.org", password("staff@example.org"))
		if code != 303 || loc != "/signin/totp?next=%2Fapp&lang=fr" {
			t.Fatalf("password step: %d %s", code, loc)
		}
		pending := b.cookie("certibloc_session")
		// Every other page sends back to the second step.
		for _, path := range []string{"/app", "/app/account", "/app/outbox"} {
			if code, loc, _ := b.get(path); code != 303 || !strings.HasPrefix(loc, "/signin?next=") {
				t.Errorf("GET %s with a pending session: %d %s", path, code, loc)
			} else if code, loc, _ := b.get(loc); code != 303 || !strings.HasPrefix(loc, "/signin/totp?next=") {
				t.Errorf("then GET /signin: %d %s", code, loc)
			}
		}
		code, _, body := b.get("/signin/totp")
		m := secretRE.FindStringSubmatch(body)
		if code != 200 || m == nil || !strings.Contains(body, "otpauth://totp/certibloc:staff@example.org?") {
			t.Fatalf("set-up page: %d\n%s", code, text(body))
		}
		if !strings.Contains(body, `<figure class="qr"><svg class="qr"`) {
			t.Errorf("the set-up page has no QR code beside the secret")
		}
		key := m[1]
		f := url.Values{"secret": {key}, "code": {"000000"}, "csrf": {csrfRE.FindStringSubmatch(body)[1]}}
		if code, _, body := b.do("POST", "/signin/totp", f); code != 401 || !strings.Contains(text(body), "Ce code est incorrect") {
			t.Errorf("wrong code: %d", code)
		}
		if a, _ := db.Account(t.Context(), s.staff.ID); a.TOTPEnabled {
			t.Error("a wrong code turned TOTP on")
		}
		f.Set("code", totpNow(t, key, 0))
		code, loc, _ = b.do("POST", "/signin/totp", f)
		if code != 303 || loc != "/app" || b.cookie("certibloc_session") == pending {
			t.Fatalf("right code: %d %s; cookie changed: %v", code, loc, b.cookie("certibloc_session") != pending)
		}
		if _, err := db.Session(t.Context(), pending); err == nil {
			t.Error("the pending session outlived its completion")
		}
		if code, _, body := b.get("/app"); code != 200 || !strings.Contains(text(body), "DIIAGE – École DIIAGE") {
			t.Errorf("GET /app: %d %s", code, text(body))
		}

		// Next time: a code, not a set-up; the code just used is refused.
		b2 := s.browser(t)
		b2.signIn("staff@example.org", password("staff@example.org"))
		code, _, body = b2.get("/signin/totp")
		if code != 200 || secretRE.MatchString(body) {
			t.Fatalf("second sign-in shows a set-up: %d", code)
		}
		f = url.Values{"code": {f.Get("code")}, "csrf": {csrfRE.FindStringSubmatch(body)[1]}, "secret": {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}
		if code, _, body := b2.do("POST", "/signin/totp", f); code != 401 || !strings.Contains(text(body), "déjà servi") {
			t.Errorf("replayed code: %d %s", code, text(body))
		}
		f.Set("code", totpNow(t, key, 1))
		if code, loc, _ := b2.do("POST", "/signin/totp", f); code != 303 || loc != "/app" {
			t.Errorf("next code: %d %s", code, loc)
		}
	})
}

// TestTOTPWrongCodesThrottle: five wrong codes end the waiting session.
func TestTOTPWrongCodesThrottle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		if err := db.EnableTOTP(t.Context(), s.cand.ID, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 0); err != nil {
			t.Fatal(err)
		}
		b := s.browser(t)
		if _, loc, _ := b.signIn("ada@example.org", password("ada@example.org")); !strings.HasPrefix(loc, "/signin/totp") {
			t.Fatalf("a candidate with TOTP on went to %s", loc)
		}
		for range 5 {
			if code, _, _ := b.submit("/signin/totp", "/signin/totp", url.Values{"code": {"123456"}}); code != 401 {
				t.Fatalf("wrong code: %d", code)
			}
		}
		code, _, body := b.submit("/signin/totp", "/signin/totp", url.Values{"code": {totpNow(t, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 0)}})
		if code != 429 || !strings.Contains(text(body), "double authentification de ce compte est bloquée") || b.cookie("certibloc_session") != "" {
			t.Errorf("sixth code: %d, cookie %q", code, b.cookie("certibloc_session"))
		}
		if code, loc, _ := b.get("/signin/totp"); code != 303 || loc != "/signin?lang=fr" {
			t.Errorf("the waiting session outlived the lock: %d %s", code, loc)
		}
	})
}

// TestSignInKeepsLanguage: the language chosen on the sign-in page goes
// with the redirects to the second step and back, over the browser's
// preference; only "fr" and "en" pass, and the return address stays a
// path of the site.
func TestSignInKeepsLanguage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		creds := func() url.Values {
			return url.Values{"email": {"staff@example.org"}, "password": {password("staff@example.org")}}
		}
		b := s.browser(t)
		b.header.Set("Accept-Language", "fr-FR,fr;q=0.9")
		code, loc, _ := b.submit("/signin?lang=en", "/signin?lang=en", creds())
		if code != 303 || loc != "/signin/totp?next=%2Fapp&lang=en" {
			t.Fatalf("password step in English: %d %s", code, loc)
		}
		if code, _, body := b.get(loc); code != 200 || !strings.Contains(body, `<html lang="en">`) || !secretRE.MatchString(body) ||
			!strings.Contains(body, `action="/signin/totp?lang=en"`) {
			t.Errorf("set-up page in English: %d\n%s", code, text(body))
		}
		if code, loc, _ := b.get("/signin?next=%2Fapp%2Faccount&lang=en"); code != 303 || loc != "/signin/totp?next=%2Fapp%2Faccount&lang=en" {
			t.Errorf("back to /signin with a pending session: %d %s", code, loc)
		}

		b = s.browser(t)
		b.header.Set("Accept-Language", "en-GB,en;q=0.9")
		code, loc, _ = b.submit("/signin?lang=fr", "/signin?lang=fr", creds())
		if code != 303 || loc != "/signin/totp?next=%2Fapp&lang=fr" {
			t.Errorf("password step in French over an English browser: %d %s", code, loc)
		}
		if code, loc, _ := s.browser(t).get("/signin/totp?lang=en&next=%2Fapp%2Fpeople"); code != 303 || loc != "/signin?lang=en" {
			t.Errorf("second step without a session: %d %s", code, loc)
		}

		// Another language, or an address elsewhere, does not pass.
		b = s.browser(t)
		f := creds()
		f.Set("next", "//evil.example/x")
		code, loc, _ = b.submit("/signin?lang=de", `/signin?lang=%22%3E%3Cscript%3E&x=https://evil.example`, f)
		if code != 303 || loc != "/signin/totp?next=%2Fapp&lang=fr" {
			t.Errorf("odd language and return address: %d %s", code, loc)
		}
	})
}
