package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// adminSite is the site over a store with two schools.
func adminSite(t *testing.T) (*Site, *sqldb.DB) {
	t.Helper()
	db := sqldbtest.SQLite(t)
	for _, code := range []string{"DIIAGE", "ESTIA"} {
		if err := db.CreateSchool(t.Context(), &certibloc.School{Code: code, Name: "École " + code}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// call runs a page's handler as p, as serve would after checking the
// route's permission, and renders its error the way serve does.
func call(s *Site, handler func(http.ResponseWriter, *http.Request) error, p *certibloc.Principal,
	req *http.Request) *httptest.ResponseRecorder {
	req = req.WithContext(certibloc.WithPrincipal(req.Context(), p))
	rec := httptest.NewRecorder()
	if err := handler(rec, req); err != nil {
		s.fail(rec, req, err)
	}
	return rec
}

var (
	adminP = &certibloc.Principal{Role: certibloc.Admin, Label: "account 1"}
	staffP = &certibloc.Principal{Role: certibloc.Staff, Schools: []string{"DIIAGE"}, Label: "account 2"}
	otherP = &certibloc.Principal{Role: certibloc.Staff, Schools: []string{"ESTIA"}, Label: "account 3"}
)

func TestAuditPage(t *testing.T) {
	s, db := adminSite(t)
	ctx := certibloc.WithPrincipal(t.Context(), adminP)
	_, tok, err := db.CreateToken(ctx, "secrétariat", "staff", "DIIAGE")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	get := func(p *certibloc.Principal, url string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", url, nil)
		parts := strings.Split(strings.Split(url, "?")[0], "/")
		req.SetPathValue("entity", parts[3])
		req.SetPathValue("id", parts[4])
		return call(s, s.audit, p, req)
	}
	for _, lang := range []string{"fr", "en"} {
		rec := get(adminP, "/app/audit/token/1?lang="+lang)
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", lang, rec.Code, rec.Body)
		}
		d := parseHTML(t, rec.Body.Bytes())
		checkAccessible(t, d, lang)
		want := map[string][]string{
			"fr": {"Historique : Jeton d'API 1", "Révocation du jeton", "Création du jeton", "compte 1", "rôle : Personnel de l'école"},
			"en": {"History: API token 1", "Token revoked", "Token created", "Date (Paris time)"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(d.allText(), w) {
				t.Errorf("%s: the page does not say %q", lang, w)
			}
		}
		// Newest first.
		if strings.Index(d.allText(), want[1]) > strings.Index(d.allText(), want[2]) {
			t.Errorf("%s: the history is not newest first", lang)
		}
	}
	for _, tc := range []struct {
		who  *certibloc.Principal
		url  string
		want int
	}{
		{adminP, "/app/audit/token/1", 200},
		{staffP, "/app/audit/token/1", 403}, // tokens are the admin's
		{otherP, "/app/audit/token/1", 403},
		{staffP, "/app/audit/school/ESTIA", 403},
		{otherP, "/app/audit/school/ESTIA", 200},
		{staffP, "/app/audit/certification/RNCP1", 404},
		{staffP, "/app/audit/person/999", 404},
	} {
		if rec := get(tc.who, tc.url); rec.Code != tc.want {
			t.Errorf("%s as %s: %d, want %d", tc.url, tc.who.Label, rec.Code, tc.want)
		}
	}
}

func TestAuditLink(t *testing.T) {
	pg := newPage("fr")
	pg.User = staffP
	if got := string(pg.AuditLink("person", 12)); got != `<a href="/app/audit/person/12">Historique des modifications</a>` {
		t.Errorf("AuditLink = %s", got)
	}
	pg.User = &certibloc.Principal{Role: certibloc.Jury, Schools: []string{"DIIAGE"}}
	if got := pg.AuditLink("person", 12); got != "" {
		t.Errorf("a jury member gets a link to the history: %s", got)
	}
	if got := AuditURL("programme", "a b/c"); got != "/app/audit/programme/a%20b%2Fc" {
		t.Errorf("AuditURL = %s", got)
	}
}

func TestAuditData(t *testing.T) {
	raw := []byte(`{"fields":["birth_name","email"],"version":2,"changes":["title changed","level changed"],"x":null}`)
	fields, details := auditData(newPage("en"), raw)
	if strings.Join(fields, "|") != "birth name|e-mail" || strings.Join(details, "|") != "changes: title changed, level changed|version: 2" {
		t.Errorf("fields %q, details %q", fields, details)
	}
	// The French page names the fields and details in French.
	fields, details = auditData(newPage("fr"), raw)
	if strings.Join(fields, "|") != "nom de naissance|courriel" || strings.Join(details, "|") != "changements : title changed, level changed|version : 2" {
		t.Errorf("fields %q, details %q", fields, details)
	}
	if f, d := auditData(newPage("fr"), []byte(`null`)); f != nil || d != nil {
		t.Errorf("null data: %q %q", f, d)
	}
}

// TestAuditActionsNamed: every action the store records has a name on the
// history pages in both languages, so that none shows as its code
// (application.decide) on a French page.
func TestAuditActionsNamed(t *testing.T) {
	files, err := filepath.Glob("../sqldb/*.go")
	if err != nil {
		t.Fatal(err)
	}
	actionRE := regexp.MustCompile(`(?:audit\(ctx, tx, |action :?= )"([a-z_]+\.[a-z_]+)"|createSession\(ctx, tx, [^)]*"([a-z_]+\.[a-z_]+)"\)`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range actionRE.FindAllStringSubmatch(string(src), -1) {
			found++
			if m[1] == "" {
				m[1] = m[2]
			}
			for _, lang := range []string{"fr", "en"} {
				if _, ok := messages[lang]["audit_action:"+m[1]]; !ok {
					t.Errorf("%s: the action %s has no %s name", filepath.Base(f), m[1], lang)
				}
			}
		}
	}
	if found < 30 {
		t.Fatalf("found %d audit actions in the store: the pattern no longer finds them", found)
	}
}
