package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/session"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestCSRFPlantedCookie: once signed in, a form is accepted with the
// session's token only; an anonymous CSRF cookie that someone else planted
// in the browser, with its token, opens nothing.
func TestCSRFPlantedCookie(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		attacker := s.browser(t)
		_, _, page := attacker.get("/signin")
		planted, token := attacker.cookie("certibloc_csrf"), csrfRE.FindStringSubmatch(page)[1]

		victim := s.browser(t)
		if code, loc, _ := victim.signIn("ada@example.org", password("ada@example.org")); code != 303 || loc != "/app" {
			t.Fatalf("sign in: %d %s", code, loc)
		}
		session := victim.cookie("certibloc_session")
		victim.jar.SetCookies(siteURL, []*http.Cookie{{Name: "certibloc_csrf", Value: planted}})
		code, _, body := victim.do("POST", "/app/account", url.Values{"action": {"signout_all"}, "csrf": {token}})
		if code != 403 || !strings.Contains(text(body), "rien n'a été modifié") {
			t.Errorf("signed-in form with a planted cookie's token: %d", code)
		}
		if _, err := db.Session(t.Context(), session); err != nil {
			t.Errorf("the planted token signed the victim out: %v", err)
		}
	})
}

// TestCSRFCrossOrigin: a signed-in form that the browser says came from
// another origin is refused even with the right token, as the API does.
func TestCSRFCrossOrigin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		b.signIn("ada@example.org", password("ada@example.org"))
		_, _, page := b.get("/app/account")
		token := csrfRE.FindStringSubmatch(page)[1]
		for name, h := range map[string]http.Header{
			"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": {"cross-site"}},
			"Sec-Fetch-Site same-site":  {"Sec-Fetch-Site": {"same-site"}},
			"foreign Origin":            {"Origin": {"https://evil.example"}},
		} {
			b.header = h
			if code, _, _ := b.do("POST", "/app/account", url.Values{"action": {"signout_all"}, "csrf": {token}}); code != 403 {
				t.Errorf("%s: %d, want 403", name, code)
			}
		}
		// From the site itself, the same form goes through.
		b.header = http.Header{"Sec-Fetch-Site": {"same-origin"}}
		if code, loc, _ := b.do("POST", "/app/account", url.Values{"action": {"signout_all"}, "csrf": {token}}); code != 303 {
			t.Errorf("same origin: %d %s", code, loc)
		}
		// Anonymous forms too: a cross-site sign-in is refused.
		a := s.browser(t)
		_, _, page = a.get("/signin")
		a.header = http.Header{"Sec-Fetch-Site": {"cross-site"}}
		f := url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}, "email": {"ada@example.org"}, "password": {password("ada@example.org")}}
		if code, _, _ := a.do("POST", "/signin", f); code != 403 {
			t.Errorf("cross-site sign-in: %d", code)
		}
	})
}

// TestHostCookiesOverHTTPS: over https the cookies are named __Host-,
// Secure, for the whole site and without a domain, and only those count.
func TestHostCookiesOverHTTPS(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db, server.WithBaseURL("https://certibloc.example.org"))
	b := s.browser(t)
	b.get("/signin")
	c := b.setCookie("__Host-certibloc_csrf")
	if c == nil || !c.Secure || c.Path != "/" || c.Domain != "" || b.setCookie("certibloc_csrf") != nil {
		t.Fatalf("CSRF cookie over https: %+v", b.last.Cookies())
	}
	// The test's jar speaks http, so the cookies go by hand from here.
	https := func(method, path string, form url.Values, cookies ...*http.Cookie) *http.Response {
		b.jar, _ = cookiejar.New(nil)
		b.jar.SetCookies(siteURL, cookies)
		b.do(method, path, form)
		return b.last
	}
	anon := &http.Cookie{Name: "__Host-certibloc_csrf", Value: c.Value}
	form := url.Values{"email": {"ada@example.org"}, "password": {password("ada@example.org")}, "csrf": {session.TokenFor(c.Value)}}
	res := https("POST", "/signin", form, anon)
	var sess *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == "__Host-certibloc_session" {
			sess = k
		}
	}
	if res.StatusCode != 303 || sess == nil || !sess.Secure || sess.Path != "/" {
		t.Fatalf("sign-in over https: %d %+v", res.StatusCode, res.Cookies())
	}
	if res := https("GET", "/app", nil, &http.Cookie{Name: "__Host-certibloc_session", Value: sess.Value}); res.StatusCode != 200 {
		t.Errorf("GET /app with the __Host- session: %d", res.StatusCode)
	}
	// A cookie without the prefix, as a sibling subdomain could set, is not read.
	if res := https("GET", "/app", nil, &http.Cookie{Name: "certibloc_session", Value: sess.Value}); res.StatusCode != 303 {
		t.Errorf("GET /app with an unprefixed session cookie: %d", res.StatusCode)
	}
	form.Set("csrf", session.TokenFor("planted-by-a-sibling-subdomain-0123456789"))
	if res := https("POST", "/signin", form, &http.Cookie{Name: "certibloc_csrf", Value: "planted-by-a-sibling-subdomain-0123456789"}); res.StatusCode != 403 {
		t.Errorf("sign-in with an unprefixed CSRF cookie: %d", res.StatusCode)
	}
}
