package server_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/api"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
	"github.com/certibloc/certibloc/internal/web"
)

// The authorisation matrix: every route of the API and of the web pages,
// for every role, with a principal of the record's school and of another
// school when the route acts on a school's record, answers the status the
// tables below expect. A route that the tables do not know fails the test:
// whoever adds a route says here who may use it.
//
// The expectations are written out per route, role by role, and not
// derived from the routes' declared permissions: a route declaring the
// wrong permission must fail here.

// Schools of the matrix: records live in ownSchool; a principal of
// otherSchool must not reach them.
const (
	ownSchool   = "DIIAGE"
	otherSchool = "ESTIA"
)

// anonymous is the role of nobody signed in, in the tables.
const anonymous = "anonymous"

// matrixRoles are the columns of the matrix.
var matrixRoles = []string{anonymous, "admin", "staff", "evaluator", "jury", "referent", "candidate"}

// Role sets for the tables.
const (
	everyone = "anonymous admin staff evaluator jury referent candidate"
	signedIn = "admin staff evaluator jury referent candidate"
	schoolly = "admin staff evaluator jury referent" // roles that read their schools' records
	nobody   = ""
)

// allowed is a set of roles written as a space-separated list.
type allowed string

func (a allowed) has(role string) bool { return slices.Contains(strings.Fields(string(a)), role) }

// matrixRoute is a line of a table: how to call the route, the status of
// a call that is allowed, and who is allowed. For a route that acts on a
// record of a school (scoped), own lists the roles allowed with a
// principal of the record's school and other those allowed with a
// principal of another school; for any other route, own alone counts.
// The others get 403, or deny when set; nobody signed in gets 401 (API)
// or a redirection to sign-in (web).
type matrixRoute struct {
	call   func(f *matrix) (path, body string) // may make records first, such as a token to revoke
	ok     int
	own    allowed
	other  allowed
	scoped bool
	deny   int  // status of the roles not allowed, when not the usual one
	fresh  bool // the call ends the session (web): make one for it alone
}

// expect is the status a role should get on a route.
func (r matrixRoute) expect(role string, other bool, denied int) int {
	set := r.own
	if r.scoped && other {
		set = r.other
	}
	switch {
	case set.has(role):
		return r.ok
	case role == anonymous:
		return denied
	case r.deny != 0:
		return r.deny
	}
	return http.StatusForbidden
}

// matrix is the site under test and the records the routes act on, all of
// ownSchool.
type matrix struct {
	t        *testing.T
	db       *sqldb.DB
	h        http.Handler
	person   int64 // with a disability record
	tokens   map[string]string
	browsers map[string]browser
	calls    int // requests checked, for the log
	counter  int
}

func newMatrix(t *testing.T, db *sqldb.DB) *matrix {
	t.Helper()
	m := &matrix{t: t, db: db, h: newSite(t, db), tokens: map[string]string{},
		browsers: map[string]browser{}}
	if err := db.CreateSchool(t.Context(), &certibloc.School{Code: otherSchool, Name: "École " + otherSchool}); err != nil {
		t.Fatal(err)
	}
	m.person = m.newPerson(ownSchool)
	if err := db.SetDisability(t.Context(), &certibloc.Disability{PersonID: m.person,
		Needs: "Tiers-temps", Accommodations: "Salle au rez-de-chaussée"}); err != nil {
		t.Fatal(err)
	}
	return m
}

// newPerson makes a person of a school: for a route that changes one for
// good, for a candidate's account.
func (m *matrix) newPerson(school string) int64 {
	m.t.Helper()
	m.counter++
	p := &certibloc.Person{School: school, BirthName: "MARTIN", FirstNames: fmt.Sprint("Léa ", m.counter),
		Email: fmt.Sprintf("lea%d@example.org", m.counter), Level: 5}
	if err := m.db.CreatePerson(m.t.Context(), p); err != nil {
		m.t.Fatal(err)
	}
	return p.ID
}

// unique returns a number not returned before, for codes and names.
func (m *matrix) unique() int {
	m.counter++
	return m.counter
}

// tokenFor returns an API token of a role, scoped to school for every role
// but the admin (whose token names no school), made once per role and
// school; anonymous has none. Other tests reuse it to act as a role of a
// school.
func tokenFor(t *testing.T, db *sqldb.DB, cache map[string]string, role, school string) string {
	t.Helper()
	if role == anonymous {
		return ""
	}
	if role == string(certibloc.Admin) {
		school = ""
	}
	key := role + "@" + school
	if tok, ok := cache[key]; ok {
		return tok
	}
	secret, _, err := db.CreateToken(t.Context(), "matrix "+key, role, school)
	if err != nil {
		t.Fatalf("token for %s: %v", key, err)
	}
	cache[key] = secret
	return secret
}

// request sends one request to the site.
func (m *matrix) request(method, path, body string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	m.h.ServeHTTP(rec, req)
	return rec
}

// serve sends one request and returns the status, the Location and the body.
func (m *matrix) serve(method, path, body string, header http.Header) (int, string, string) {
	m.calls++
	rec := m.request(method, path, body, header)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, rec.Header().Get("Location"), string(b)
}

// checkCovered fails on every declared route the table does not know, and
// on every line of the table that is no longer a route.
func checkCovered[R any](t *testing.T, kind string, patterns []string, table map[string]R) {
	t.Helper()
	for _, p := range patterns {
		if _, ok := table[p]; !ok {
			t.Errorf("%s route %q is not in the authorisation matrix: add it to the table of %s routes, "+
				"with the roles allowed and the status they get", kind, p, kind)
		}
	}
	for p := range table {
		if !slices.Contains(patterns, p) {
			t.Errorf("the matrix of %s routes lists %q, which is not a route", kind, p)
		}
	}
}

func apiPatterns() []string {
	var out []string
	for _, r := range api.New(nil, slog.New(slog.DiscardHandler)).Routes() {
		out = append(out, r.Pattern)
	}
	return out
}

func webPatterns(t *testing.T) []string {
	site, err := web.New(nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range site.Routes() {
		out = append(out, r.Pattern)
	}
	return out
}

// TestAuthorizationMatrixCoversEveryRoute runs without a database, so that
// a new route fails fast even where PostgreSQL is missing.
func TestAuthorizationMatrixCoversEveryRoute(t *testing.T) {
	checkCovered(t, "API", apiPatterns(), apiMatrix)
	checkCovered(t, "web", webPatterns(t), webMatrix)
}

func TestAuthorizationMatrix(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		m := newMatrix(t, db)
		t.Run("api", func(t *testing.T) { m.runAPI(t) })
		api := m.calls
		t.Run("web", func(t *testing.T) { m.runWeb(t) })
		t.Logf("%d API calls and %d page visits checked", api, m.calls-api)
	})
}
