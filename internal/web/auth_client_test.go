package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// site is the whole handler tree over a store with two schools and one
// account of each kind, every password being password(email).
type site struct {
	h     http.Handler
	db    *sqldb.DB
	admin certibloc.Account
	staff certibloc.Account // DIIAGE
	other certibloc.Account // staff of ESTIA
	cand  certibloc.Account // a candidate of the DIIAGE, without TOTP
}

func password(email string) string { return "pass phrase of " + email }

func newAuthSite(t testing.TB, db *sqldb.DB, opts ...server.Option) *site {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test"})
	for _, code := range []string{"DIIAGE", "ESTIA"} {
		if err := db.CreateSchool(ctx, &certibloc.School{Code: code, Name: "École " + code}); err != nil {
			t.Fatal(err)
		}
	}
	person := &certibloc.Person{School: "DIIAGE", BirthName: "Lovelace", FirstNames: "Ada"}
	if err := db.CreatePerson(ctx, person); err != nil {
		t.Fatal(err)
	}
	s := &site{db: db}
	for _, a := range []struct {
		to *certibloc.Account
		a  certibloc.Account
	}{
		{&s.admin, certibloc.Account{Email: "admin@example.org", Role: certibloc.Admin}},
		{&s.staff, certibloc.Account{Email: "staff@example.org", Role: certibloc.Staff, Schools: []string{"DIIAGE"}}},
		{&s.other, certibloc.Account{Email: "other@example.org", Role: certibloc.Staff, Schools: []string{"ESTIA"}}},
		{&s.cand, certibloc.Account{Email: "ada@example.org", Role: certibloc.Candidate, PersonID: person.ID}},
	} {
		got, err := db.CreateAccount(ctx, a.a)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetPassword(ctx, got.ID, secret.HashPassword(password(got.Email)), ""); err != nil {
			t.Fatal(err)
		}
		*a.to = got
	}
	h, err := server.New(db, slog.New(slog.DiscardHandler), opts...)
	if err != nil {
		t.Fatal(err)
	}
	s.h = h
	return s
}

// browser keeps cookies between requests to the site, like a browser.
type browser struct {
	t      testing.TB
	s      *site
	jar    *cookiejar.Jar
	ip     string
	last   *http.Response // the last answer, for its cookies
	header http.Header    // added to every request
}

var siteURL, _ = url.Parse("http://certibloc.test/")

func (s *site) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, s: s, jar: jar, ip: "192.0.2.10", header: http.Header{}}
}

// do sends a request and returns the status, the Location and the body.
func (b *browser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequestWithContext(context.Background(), method, "http://certibloc.test"+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range b.header {
		req.Header[k] = v
	}
	req.RemoteAddr = b.ip + ":40000"
	for _, c := range b.jar.Cookies(siteURL) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.s.h.ServeHTTP(rec, req)
	b.last = rec.Result()
	b.jar.SetCookies(siteURL, b.last.Cookies())
	return rec.Code, rec.Header().Get("Location"), rec.Body.String()
}

func (b *browser) get(path string) (int, string, string) { return b.do("GET", path, nil) }

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// submit loads the page of a form, then posts the form with the page's
// cross-site request token added.
func (b *browser) submit(page, action string, form url.Values) (int, string, string) {
	b.t.Helper()
	code, _, body := b.get(page)
	m := csrfRE.FindStringSubmatch(body)
	if code != 200 || m == nil {
		b.t.Fatalf("GET %s: %d, token %v\n%.500s", page, code, m, body)
	}
	form.Set("csrf", m[1])
	return b.do("POST", action, form)
}

// signIn signs in through the form and returns where it leads.
func (b *browser) signIn(email, pass string) (int, string, string) {
	b.t.Helper()
	return b.submit("/signin", "/signin", url.Values{"email": {email}, "password": {pass}})
}

// cookie returns the browser's cookie of that name, "" if none.
func (b *browser) cookie(name string) string {
	for _, c := range b.jar.Cookies(siteURL) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie finds the Set-Cookie of the last answer with that name.
func (b *browser) setCookie(name string) *http.Cookie {
	for _, c := range b.last.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// text is the visible text of a page, tags dropped and spaces collapsed.
func text(body string) string {
	body = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(body)), " ")
}
