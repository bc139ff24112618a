package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestSignInAndOut(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		if code, loc, _ := b.get("/app"); code != 303 || loc != "/signin?next=%2Fapp" {
			t.Fatalf("GET /app signed out: %d %s", code, loc)
		}
		code, _, body := b.get("/signin?next=%2Fapp%2Faccount")
		if code != 200 || !strings.Contains(body, `autocomplete="current-password"`) {
			t.Fatalf("sign-in form: %d", code)
		}
		if c := b.setCookie("certibloc_csrf"); c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
			t.Errorf("double-submit cookie %+v", c)
		}
		m := csrfRE.FindStringSubmatch(body)
		code, loc, _ := b.do("POST", "/signin", url.Values{"csrf": {m[1]}, "email": {" ADA@example.org"},
			"password": {password("ada@example.org")}, "next": {"/app/account"}})
		if code != 303 || loc != "/app/account" {
			t.Fatalf("sign in: %d %s", code, loc)
		}
		c := b.setCookie("certibloc_session")
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure ||
			c.MaxAge != int(sqldb.SessionMax.Seconds()) || len(c.Value) < 40 {
			t.Fatalf("session cookie %+v", c)
		}
		code, _, body = b.get("/app")
		if code != 200 || !strings.Contains(text(body), "ada@example.org") || !strings.Contains(text(body), "Candidat") {
			t.Fatalf("GET /app: %d\n%s", code, text(body))
		}
		if _, err := db.Session(t.Context(), c.Value); err != nil {
			t.Errorf("the cookie is not the session's secret: %v", err)
		}

		code, loc, _ = b.submit("/app", "/signout", url.Values{})
		if code != 303 || loc != "/signin?done=signout&lang=fr" || b.cookie("certibloc_session") != "" {
			t.Fatalf("sign out: %d %s, cookie %q", code, loc, b.cookie("certibloc_session"))
		}
		if _, err := db.Session(t.Context(), c.Value); err == nil {
			t.Error("signed out, the session lives on in the store")
		}
		if code, _, _ := b.get("/app"); code != 303 {
			t.Errorf("GET /app after sign-out: %d", code)
		}
		// Nobody can be sent elsewhere by a crafted next.
		for _, next := range []string{"https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"} {
			b2 := s.browser(t)
			b2.ip = "192.0.2.11"
			_, loc, _ := b2.submit("/signin", "/signin", url.Values{"email": {"ada@example.org"},
				"password": {password("ada@example.org")}, "next": {next}})
			if loc != "/app" {
				t.Errorf("next %q led to %q", next, loc)
			}
		}
	})
}

// TestWrongSignInRevealsNothing: a wrong password and an unknown address
// get the same answer, and both count towards throttling.
func TestWrongSignInRevealsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		codeA, _, wrong := b.signIn("ada@example.org", "not the password")
		codeB, _, unknown := b.signIn("nobody@example.org", "not the password")
		wrong = strings.ReplaceAll(text(wrong), "ada@example.org", "X")
		unknown = strings.ReplaceAll(text(unknown), "nobody@example.org", "X")
		if codeA != 401 || codeB != 401 || wrong != unknown || !strings.Contains(wrong, "Adresse électronique ou mot de passe incorrect") {
			t.Errorf("wrong password %d, unknown address %d; the pages differ or do not say so:\n%s\n%s", codeA, codeB, wrong, unknown)
		}
		for _, f := range []url.Values{{"email": {"ada@example.org"}}, {"password": {"x"}}} {
			if code, _, body := b.submit("/signin", "/signin", f); code != 400 || !strings.Contains(body, `aria-invalid="true"`) {
				t.Errorf("missing field %v: %d", f, code)
			}
		}
		if b.cookie("certibloc_session") != "" {
			t.Error("a failed sign-in left a session")
		}
	})
}

func TestThrottling(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		for range 5 {
			b.signIn("ada@example.org", "guess")
			b.signIn("nobody@example.org", "guess")
		}
		b.ip = "198.51.100.1" // a new address does not lift the account's lock
		codeA, _, known := b.signIn("ada@example.org", password("ada@example.org"))
		codeB, _, unknown := b.signIn("nobody@example.org", "guess")
		known = strings.ReplaceAll(text(known), "ada@example.org", "X")
		unknown = strings.ReplaceAll(text(unknown), "nobody@example.org", "X")
		if codeA != 429 || codeB != 429 || known != unknown || !strings.Contains(known, "attendez 15 minutes") {
			t.Errorf("throttled account %d, unknown address %d:\n%s\n%s", codeA, codeB, known, unknown)
		}

		// Twenty failures from one address, on several accounts, lock the address.
		b.ip = "203.0.113.5"
		for i := range 20 {
			b.signIn("guess"+string(rune('a'+i))+"@example.org", "guess")
		}
		if code, _, _ := b.signIn("staff@example.org", password("staff@example.org")); code != 429 {
			t.Errorf("21st attempt from one address: %d, want 429", code)
		}
		b.ip = "203.0.113.6"
		if code, loc, _ := b.signIn("staff@example.org", password("staff@example.org")); code != 303 || !strings.HasPrefix(loc, "/signin/totp") {
			t.Errorf("same account from another address: %d %s", code, loc)
		}
	})
}

func TestCSRF(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		b.get("/signin")
		creds := url.Values{"email": {"ada@example.org"}, "password": {password("ada@example.org")}}
		_, _, page := s.browser(t).get("/signin")
		for name, token := range map[string]string{"missing": "", "forged": "bm90IGEgdG9rZW4",
			"of another browser": csrfRE.FindStringSubmatch(page)[1]} {
			f := url.Values{"csrf": {token}}
			for k, v := range creds {
				f[k] = v
			}
			code, _, body := b.do("POST", "/signin", f)
			if code != 403 || !strings.Contains(text(body), "rien n'a été modifié") || b.cookie("certibloc_session") != "" {
				t.Errorf("%s token: %d, session %q", name, code, b.cookie("certibloc_session"))
			}
		}
		b.signIn("ada@example.org", password("ada@example.org"))
		session := b.cookie("certibloc_session")
		if code, _, _ := b.do("POST", "/app/account", url.Values{"action": {"signout_all"}}); code != 403 {
			t.Errorf("sign out everywhere without a token: %d", code)
		}
		if _, err := db.Session(t.Context(), session); err != nil {
			t.Errorf("a refused form changed something: %v", err)
		}
	})
}

// TestSecureCookies: cookies are Secure and __Host- when the site's
// address is https, or a trusted proxy says the request came over TLS.
func TestSecureCookies(t *testing.T) {
	db := sqldbtest.SQLite(t)
	for name, tc := range map[string]struct {
		opts   []server.Option
		header string
		secure bool
	}{
		"http":                  {nil, "", false},
		"https address":         {[]server.Option{server.WithBaseURL("https://certibloc.example.org")}, "", true},
		"proxy says https":      {[]server.Option{server.BehindProxy()}, "https", true},
		"untrusted header":      {nil, "https", false},
		"proxy says plain http": {[]server.Option{server.BehindProxy()}, "http", false},
	} {
		h, err := server.New(db, slog.New(slog.DiscardHandler), tc.opts...)
		if err != nil {
			t.Fatal(err)
		}
		b := (&site{h: h, db: db}).browser(t)
		b.header.Set("X-Forwarded-Proto", tc.header)
		b.get("/signin")
		cookie := "certibloc_csrf"
		if tc.secure {
			cookie = "__Host-" + cookie // a name only the site itself can set, over https
		}
		if c := b.setCookie(cookie); c == nil || c.Secure != tc.secure {
			t.Errorf("%s: cookie %+v, want Secure=%v", name, c, tc.secure)
		}
	}
}

// TestSessionAfterSignOutEverywhere: signing out everywhere ends the
// sessions of every browser, this one included.
func TestSessionAfterSignOutEverywhere(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		phone, laptop := s.browser(t), s.browser(t)
		phone.signIn("ada@example.org", password("ada@example.org"))
		laptop.signIn("ada@example.org", password("ada@example.org"))
		code, loc, _ := laptop.submit("/app/account", "/app/account", url.Values{"action": {"signout_all"}})
		if code != 303 || loc != "/signin?done=everywhere" {
			t.Fatalf("sign out everywhere: %d %s", code, loc)
		}
		for name, b := range map[string]*browser{"phone": phone, "laptop": laptop} {
			if code, loc, _ := b.get("/app/account"); code != 303 || !strings.HasPrefix(loc, "/signin") {
				t.Errorf("%s after sign-out everywhere: %d %s", name, code, loc)
			}
		}
	})
}

// totpNow is the code of a TOTP secret, skew steps of 30 s from now.
func totpNow(t *testing.T, key string, skew int) string {
	code, err := secret.TOTPCode(key, time.Now().Add(time.Duration(skew)*secret.TOTPPeriod))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// BenchmarkSignIn is the server time of one successful sign-in through the
// whole handler tree on SQLite: the form read, the throttling counts, the
// argon2id check, the session and its audit entry written.
func BenchmarkSignIn(b *testing.B) {
	s := newAuthSite(b, sqldbtest.SQLite(b))
	br := s.browser(b)
	_, _, page := br.get("/signin")
	form := url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}, "email": {"ada@example.org"},
		"password": {password("ada@example.org")}}.Encode()
	anon := br.cookie("certibloc_csrf")
	for b.Loop() {
		req := httptest.NewRequest("POST", "/signin", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "certibloc_csrf", Value: anon})
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusSeeOther {
			b.Fatalf("sign-in: %d", rec.Code)
		}
	}
}
