package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// peopleSite is the whole site with the schools DIIAGE and ESTIA, a person
// in each, and tokens of every role of each school.
type peopleSite struct {
	o            *openAPI
	db           *sqldb.DB
	h            func(t *testing.T, c call) []byte
	alice, bruno int64 // of DIIAGE and of ESTIA
	tok          func(role, school string) string
}

func newPeopleSite(t *testing.T, db *sqldb.DB) *peopleSite {
	t.Helper()
	s := &peopleSite{o: loadOpenAPI(t), db: db}
	h := newSite(t, db)
	s.h = func(t *testing.T, c call) []byte { t.Helper(); return do(t, h, s.o, c) }
	if err := db.CreateSchool(t.Context(), &certibloc.School{Code: "ESTIA", Name: "École ESTIA"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		id     *int64
		school string
	}{{&s.alice, "DIIAGE"}, {&s.bruno, "ESTIA"}} {
		person := &certibloc.Person{School: p.school, BirthName: "Durand", FirstNames: p.school, Email: strings.ToLower(p.school) + "@example.org"}
		if err := db.CreatePerson(t.Context(), person); err != nil {
			t.Fatal(err)
		}
		*p.id = person.ID
	}
	cache := map[string]string{}
	s.tok = func(role, school string) string { return tokenFor(t, db, cache, role, school) }
	return s
}

// countPeople is how many people the store holds, erased or not.
func (s *peopleSite) countPeople(t *testing.T) int {
	page, err := s.db.People(t.Context(), sqldb.PeopleFilter{IncludeErased: true})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func wantIDs(want ...int64) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		var page sqldb.PeoplePage
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, p := range page.People {
			got = append(got, p.ID)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || page.Total != len(want) {
			t.Errorf("people %v (total %d), want %v", got, page.Total, want)
		}
	}
}

func wantText(texts ...string) func(t *testing.T, body []byte) {
	return func(t *testing.T, body []byte) {
		for _, s := range texts {
			if !strings.Contains(string(body), s) {
				t.Errorf("answer %s does not say %q", body, s)
			}
		}
	}
}

func TestPeopleAPIScopes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newPeopleSite(t, db)
		admin, staff := s.tok("admin", ""), s.tok("staff", "DIIAGE")
		const list, one = "/api/v1/people", "/api/v1/people/{id}"
		alice := fmt.Sprint("/api/v1/people/", s.alice)
		for _, c := range []call{
			{method: "GET", url: list, doc: list, token: admin, status: 200, check: wantIDs(s.alice, s.bruno)},
			{method: "GET", url: list, doc: list, token: staff, status: 200, check: wantIDs(s.alice)},
			{method: "GET", url: list, doc: list, token: s.tok("referent", "ESTIA"), status: 200, check: wantIDs(s.bruno)},
			{method: "GET", url: list, doc: list, token: s.tok("candidate", "DIIAGE"), status: 200, check: wantIDs()},
			{method: "GET", url: list + "?school=ESTIA", doc: list, token: staff, status: 200, check: wantIDs()},
			{method: "GET", url: list + "?q=DURAND+diiage&limit=5", doc: list, token: admin, status: 200, check: wantIDs(s.alice)},
			{method: "GET", url: list + "?limit=many", doc: list, token: admin, status: 400, check: wantText("limit")},
			{method: "GET", url: list, doc: list, status: 401},
			{method: "GET", url: alice, doc: one, token: s.tok("jury", "DIIAGE"), status: 200, check: wantText(`"birth_name":"Durand"`)},
			{method: "GET", url: alice, doc: one, token: s.tok("jury", "ESTIA"), status: 403},
			{method: "GET", url: "/api/v1/people/abc", doc: one, token: admin, status: 400, check: wantText("abc")},
			{method: "GET", url: "/api/v1/people/99999", doc: one, token: admin, status: 404},
			{method: "GET", url: "/api/v1/people/99999", doc: one, token: s.tok("candidate", "DIIAGE"), status: 403},
			{method: "GET", url: "/api/v1/schools", doc: "/api/v1/schools", token: staff, status: 200,
				check: func(t *testing.T, b []byte) {
					if !strings.Contains(string(b), "DIIAGE") || strings.Contains(string(b), "ESTIA") {
						t.Errorf("staff of DIIAGE lists %s", b)
					}
				}},
			{method: "GET", url: "/api/v1/schools", doc: "/api/v1/schools", token: admin, status: 200,
				check: wantText(`"certifier":"SUP DE VINCI"`, "Département d'ingénierie informatique appliquée à la gestion", "ESTIA")},
			{method: "GET", url: "/api/v1/schools/estia", doc: "/api/v1/schools/{code}", token: admin, status: 200},
			{method: "GET", url: "/api/v1/schools/ESTIA", doc: "/api/v1/schools/{code}", token: staff, status: 403},
			{method: "GET", url: "/api/v1/schools/NOPE", doc: "/api/v1/schools/{code}", token: admin, status: 404},
			{method: "POST", url: "/api/v1/schools", doc: "/api/v1/schools", token: admin, status: 201,
				body: `{"code":"esn","name":"École supérieure du numérique","certifier":"SUP DE VINCI"}`, check: wantText(`"code":"ESN"`)},
			{method: "POST", url: "/api/v1/schools", doc: "/api/v1/schools", token: admin, status: 409, body: `{"code":"ESN","name":"Again"}`},
			{method: "POST", url: "/api/v1/schools", doc: "/api/v1/schools", token: admin, status: 400,
				body: `{"code":"E S N","name":"x"}`, check: wantText("code")},
		} {
			s.h(t, c)
		}
	})
}

func TestPeopleAPIWrites(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newPeopleSite(t, db)
		staff := s.tok("staff", "DIIAGE")
		const list, one = "/api/v1/people", "/api/v1/people/{id}"
		alice := fmt.Sprint("/api/v1/people/", s.alice)
		body := `{"school":"DIIAGE","birth_name":"Nouvelle","first_names":"Inès","birth_date":"2001-02-03",` +
			`"birth_place":"2B033","nationality":"FR","email":"Ines@Example.org","level":4,"ects":60,"experience_months":3}`
		created := s.h(t, call{method: "POST", url: list, doc: list, token: staff, status: 201, body: body,
			check: wantText(`"email":"ines@example.org"`, `"birth_date":"2001-02-03"`)})
		var p certibloc.Person
		json.Unmarshal(created, &p)

		before := s.countPeople(t)
		admin := s.tok("admin", "")
		for _, c := range []struct {
			name, body, field, token string
			status                   int
		}{
			{"invalid INSEE code", strings.Replace(body, "2B033", "2C033", 1), "birth_place", staff, 400},
			{"unknown school", strings.Replace(body, `"DIIAGE"`, `"NOPE"`, 1), "school", admin, 400},
			{"another school", strings.Replace(body, `"DIIAGE"`, `"ESTIA"`, 1), "another school", staff, 403},
			{"negative ECTS", strings.Replace(body, `"ects":60`, `"ects":-5`, 1), "ects", staff, 400},
			{"unknown field", strings.Replace(body, `"level":4`, `"level":4,"salary":1`, 1), "salary", staff, 400},
			{"a field of the wrong type", strings.Replace(body, `"level":4`, `"level":"four"`, 1), "level", staff, 400},
			{"a bad date", strings.Replace(body, "2001-02-03", "03/02/2001", 1), "birth_date", staff, 400},
			{"an oversized body", `{"school":"DIIAGE","address":"` + strings.Repeat("x", 1<<20) + `"}`, "larger than", staff, 400},
			{"not JSON", `{"school":`, "JSON", staff, 400},
		} {
			t.Run(c.name, func(t *testing.T) {
				s.h(t, call{method: "POST", url: list, doc: list, token: c.token, status: c.status, body: c.body, check: wantText(c.field)})
				s.h(t, call{method: "PUT", url: alice, doc: one, token: c.token, status: c.status, body: c.body, check: wantText(c.field)})
			})
		}
		if after := s.countPeople(t); after != before {
			t.Errorf("refused requests wrote people: %d, then %d", before, after)
		}
		if got, _ := db.Person(t.Context(), s.alice); got.FirstNames != "DIIAGE" || got.BirthPlace != "" {
			t.Errorf("a refused update changed the person: %+v", got)
		}

		edit := strings.Replace(body, "Nouvelle", "Nouvelle-Ép", 1)
		s.h(t, call{method: "PUT", url: fmt.Sprint(list, "/", p.ID), doc: one, token: staff, status: 200, body: edit,
			check: wantText(`"birth_name":"Nouvelle-Ép"`)})
		s.h(t, call{method: "PUT", url: fmt.Sprint(list, "/", p.ID), doc: one, token: s.tok("staff", "ESTIA"), status: 403, body: edit})
		s.h(t, call{method: "PUT", url: fmt.Sprint(list, "/", p.ID), doc: one, token: s.tok("admin", ""), status: 200,
			body: strings.Replace(body, `"DIIAGE"`, `"ESTIA"`, 1), check: wantText(`"school":"ESTIA"`)})
		s.h(t, call{method: "GET", url: fmt.Sprint(list, "/", p.ID), doc: one, token: staff, status: 403})
	})
}
