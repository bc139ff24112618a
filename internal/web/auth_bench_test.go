package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

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
