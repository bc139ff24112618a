package server_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// admClient is a browser on the site of the admission tests: its cookies
// and the form token of its pages.
type admClient struct {
	t       *testing.T
	h       http.Handler
	cookies map[string]string
	csrf    string
}

// admAnonymous is a visitor who opened the sign-up page, which gave them
// the double-submit cookie and its token.
func admAnonymous(t *testing.T, h http.Handler) *admClient {
	c := &admClient{t: t, h: h, cookies: map[string]string{}}
	c.get("/signup", http.StatusOK)
	return c
}

// admSignedIn is a browser signed in with a new account, through a
// session made by the store as sign-in makes it.
func admSignedIn(t *testing.T, h http.Handler, db *sqldb.DB, a certibloc.Account) *admClient {
	t.Helper()
	if a.Email == "" {
		a.Email = fmt.Sprintf("%s.%d@adm.example", a.Role, admCounter.Add(1))
	}
	for _, code := range a.Schools {
		if _, err := db.School(t.Context(), code); certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			if err := db.CreateSchool(t.Context(), &certibloc.School{Code: code, Name: "École " + code}); err != nil {
				t.Fatal(err)
			}
		}
	}
	a, err := db.CreateAccount(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	token, err := db.CreateSession(t.Context(), a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	c := &admClient{t: t, h: h, cookies: map[string]string{"certibloc_session": token}}
	c.get("/app/account", http.StatusOK)
	return c
}

// admCounter numbers the accounts of the admission tests.
var admCounter atomic.Int64

// do sends a request with the client's cookies, keeps the cookies it is
// given and the form token of the page, and checks the status.
func (c *admClient) do(req *http.Request, want int) *httptest.ResponseRecorder {
	c.t.Helper()
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		c.cookies[ck.Name] = ck.Value
	}
	if m := csrfRE.FindStringSubmatch(rec.Body.String()); m != nil {
		c.csrf = m[1]
	}
	if rec.Code != want {
		c.t.Fatalf("%s %s: %d, want %d\n%.2000s", req.Method, req.URL, rec.Code, want, rec.Body.String())
	}
	return rec
}

func (c *admClient) get(path string, want int) *httptest.ResponseRecorder {
	c.t.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil), want)
}

// post sends a form with the client's token.
func (c *admClient) post(path string, form url.Values, want int) *httptest.ResponseRecorder {
	c.t.Helper()
	form.Set("csrf", c.csrf)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req, want)
}

// upload sends a multipart form with one file.
func (c *admClient) upload(path, kind, filename string, data []byte, want int) *httptest.ResponseRecorder {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf", c.csrf)
	w.WriteField("kind", kind)
	f, err := w.CreateFormFile("file", filename)
	if err != nil {
		c.t.Fatal(err)
	}
	f.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req, want)
}

// admStaff is a principal of staff of DIIAGE for the store's calls.
func admStaff(t *testing.T) *certibloc.Principal {
	return &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "test"}
}

// wantIn fails when a page does not say each of texts.
func wantIn(t *testing.T, what, page string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(page, s) {
			t.Errorf("%s does not say %q:\n%.3000s", what, s, page)
		}
	}
}
