package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAuthPagesAreAccessible renders every page of signing in and of the
// account, in both languages, and holds each to the rules of every page,
// with a label for each field.
func TestAuthPagesAreAccessible(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ctx := t.Context()
	if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "École DIIAGE"}); err != nil {
		t.Fatal(err)
	}
	admin, err := db.CreateAccount(ctx, certibloc.Account{Email: "admin@example.org", Role: certibloc.Admin})
	if err != nil {
		t.Fatal(err)
	}
	staff, err := db.CreateAccount(ctx, certibloc.Account{Email: "staff@example.org", Role: certibloc.Staff, Schools: []string{"DIIAGE"}})
	if err != nil {
		t.Fatal(err)
	}
	full, _ := db.CreateSession(ctx, admin.ID, true)
	pending, _ := db.CreateSession(ctx, staff.ID, false)
	reset, _ := db.CreatePasswordReset(ctx, staff.ID, sqldb.ResetTTL)
	db.Enqueue(ctx, certibloc.Mail{To: "staff@example.org", Subject: "Essai", Body: "Un lien : http://localhost:8080/password/reset?token=abc"})

	s, err := New(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Register(mux)
	labelFor := regexp.MustCompile(`<input id="([^"]+)"`)
	for _, p := range []struct {
		path, cookie, value string
		status              int
	}{
		{"/signin", "", "", 200},
		{"/password/forgot", "", "", 200},
		{"/password/reset", "", "", 400},
		{"/password/reset", resetCookie, reset, 200},
		{"/signin/totp", sessionCookie, pending, 200},
		{"/app", sessionCookie, full, 200},
		{"/app/account", sessionCookie, full, 200},
		{"/app/outbox", sessionCookie, full, 200},
	} {
		for _, lang := range []string{"fr", "en"} {
			req := httptest.NewRequest("GET", p.path+"?lang="+lang, nil)
			if p.cookie != "" {
				req.AddCookie(&http.Cookie{Name: p.cookie, Value: p.value})
			}
			rec := httptest.NewRecorder()
			mux.ServeHTTP(rec, req)
			if rec.Code != p.status {
				t.Errorf("%s (%s): %d, want %d", p.path, lang, rec.Code, p.status)
				continue
			}
			body := rec.Body.Bytes()
			t.Run(p.path+"/"+lang, func(t *testing.T) { checkAccessible(t, parseHTML(t, body), lang) })
			for _, m := range labelFor.FindAllSubmatch(body, -1) {
				if !regexp.MustCompile(`<label for="` + string(m[1]) + `">`).Match(body) {
					t.Errorf("%s: field #%s has no label", p.path, m[1])
				}
			}
		}
	}
}
