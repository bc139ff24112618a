package web

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// peopleFixture is the site over a store with two schools, a person in
// each (Alice of DIIAGE has a disability record and a candidate account),
// and a signed-in session for each of a few accounts.
type peopleFixture struct {
	t            *testing.T
	db           *sqldb.DB
	h            http.Handler
	alice, bruno int64
	sessions     map[string]string // who → session cookie secret
}

func newPeopleFixture(t *testing.T, db *sqldb.DB) *peopleFixture {
	t.Helper()
	ctx := t.Context()
	site, err := New(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	site.Register(mux)
	f := &peopleFixture{t: t, db: db, h: mux, sessions: map[string]string{}}
	for _, code := range []string{"DIIAGE", "ESTIA"} {
		if err := db.CreateSchool(ctx, &certibloc.School{Code: code, Name: "École " + code}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []struct {
		id           *int64
		school, name string
	}{{&f.alice, "DIIAGE", "Aliénor"}, {&f.bruno, "ESTIA", "Bruno"}} {
		person := &certibloc.Person{School: p.school, BirthName: "Lambert", FirstNames: p.name,
			Email: strings.ToLower(p.school) + "@example.org", BirthDate: certibloc.DateOf(2000, 5, 4)}
		if err := db.CreatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		*p.id = person.ID
	}
	if err := db.SetDisability(ctx, &certibloc.Disability{PersonID: f.alice, Needs: "Dyslexie", Accommodations: "Tiers temps"}); err != nil {
		t.Fatal(err)
	}
	for who, a := range map[string]certibloc.Account{
		"admin":     {Role: certibloc.Admin},
		"staff":     {Role: certibloc.Staff, Schools: []string{"DIIAGE"}},
		"staffE":    {Role: certibloc.Staff, Schools: []string{"ESTIA"}},
		"evaluator": {Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}},
		"referent":  {Role: certibloc.Referent, Schools: []string{"DIIAGE"}},
		"alice":     {Role: certibloc.Candidate, PersonID: f.alice},
	} {
		a.Email = who + "@accounts.example"
		a, err := db.CreateAccount(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		if f.sessions[who], err = db.CreateSession(ctx, a.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// get and post answer the status, the Location and the body of a request
// by who ("" for nobody); post carries the session's form token.
func (f *peopleFixture) get(who, path string) (int, string, string) {
	return f.do(who, "GET", path, nil)
}

func (f *peopleFixture) post(who, path string, form url.Values) (int, string, string) {
	if who != "" && form.Get("csrf") == "" {
		form.Set("csrf", csrfFor(f.sessions[who]))
	}
	return f.do(who, "POST", path, form)
}

func (f *peopleFixture) do(who, method, path string, form url.Values) (int, string, string) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if who != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: f.sessions[who]})
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Code, rec.Header().Get("Location"), rec.Body.String()
}

// labelled wants every field of a page to have a label, and every
// description it points to to exist.
func labelled(t *testing.T, page string) {
	t.Helper()
	fields := regexp.MustCompile(`<(input|select|textarea) id="([^"]+)"`).FindAllStringSubmatch(page, -1)
	for _, m := range fields {
		if !strings.Contains(page, `<label for="`+m[2]+`"`) {
			t.Errorf("field %s has no label", m[2])
		}
	}
	for _, m := range regexp.MustCompile(`aria-describedby="([^"]+)"`).FindAllStringSubmatch(page, -1) {
		for _, id := range strings.Fields(m[1]) {
			if !strings.Contains(page, `id="`+id+`"`) {
				t.Errorf("aria-describedby names %s, which is not on the page", id)
			}
		}
	}
	if strings.Contains(page, "<input") && !strings.Contains(page, `name="csrf" value="`) {
		t.Error("a form without its csrf field")
	}
}

func TestPeoplePagesAreAccessible(t *testing.T) {
	f := newPeopleFixture(t, sqldbtest.SQLite(t))
	alice := fmt.Sprint("/app/people/", f.alice)
	for _, tt := range []struct{ who, path, want string }{
		{"staff", "/app/people", "Aliénor"},
		{"staff", "/app/people?q=lambert", "Aliénor"},
		{"staff", "/app/people?q=nobody", ""},
		{"staff", "/app/people/new", `autocomplete="off"`},
		{"staff", alice, `value="Aliénor"`},
		{"evaluator", alice, "<dd>Aliénor</dd>"},
		{"alice", alice, "/app/me/export"},
		{"referent", alice + "/disability", "Tiers temps</textarea>"},
		{"alice", alice + "/disability", "<p>Tiers temps</p>"},
		{"admin", "/app/schools", "ESTIA"},
		{"admin", "/app/me", ""},
	} {
		for _, lang := range []string{"fr", "en"} {
			t.Run(tt.who+tt.path+"/"+lang, func(t *testing.T) {
				// Each page asks for its language: the one chosen is
				// remembered on the account (lang_test.go).
				path := tt.path + map[bool]string{true: "&", false: "?"}[strings.Contains(tt.path, "?")] + "lang=" + lang
				status, _, page := f.get(tt.who, path)
				if status != 200 || !strings.Contains(page, tt.want) {
					t.Fatalf("%d, want 200 and %q:\n%.2000s", status, tt.want, page)
				}
				checkAccessible(t, parseHTML(t, []byte(page)), lang)
				labelled(t, page)
			})
		}
	}
}

func TestPeopleListIsScoped(t *testing.T) {
	f := newPeopleFixture(t, sqldbtest.SQLite(t))
	for _, tt := range []struct{ who, want, not string }{
		{"staff", "Aliénor", "Bruno"},
		{"staffE", "Bruno", "Aliénor"},
		{"admin", "Bruno", ""},
	} {
		_, _, page := f.get(tt.who, "/app/people")
		if !strings.Contains(page, tt.want) || (tt.not != "" && strings.Contains(page, tt.not)) {
			t.Errorf("%s sees:\n%.1500s", tt.who, page)
		}
	}
	if status, _, _ := f.get("alice", "/app/people"); status != http.StatusForbidden {
		t.Errorf("a candidate lists people: %d", status)
	}
	if status, loc, _ := f.get("", "/app/people"); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin") {
		t.Errorf("nobody lists people: %d %s", status, loc)
	}
}
