package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// withSchools stores the schools DIIAGE and OTHER.
func withSchools(t *testing.T, db *sqldb.DB) {
	t.Helper()
	for _, s := range []certibloc.School{
		{Code: "DIIAGE", Name: "Département d'ingénierie informatique appliquée à la gestion", Certifier: "SUP DE VINCI"},
		{Code: "OTHER", Name: "Autre école"},
	} {
		if err := db.CreateSchool(t.Context(), &s); err != nil {
			t.Fatal(err)
		}
	}
}

// samplePerson is a complete identity of a person of school.
func samplePerson(school, birthName, firstNames string) *certibloc.Person {
	return &certibloc.Person{
		School: school, BirthName: birthName, FirstNames: firstNames, UsageName: "",
		BirthDate: certibloc.DateOf(1994, 3, 12), Sex: "F", BirthPlace: "21231", Nationality: "FR",
		Email: strings.ToLower(firstNames) + "." + strings.ToLower(birthName) + "@example.org",
		Phone: "06 12 34 56 78", Address: "1 rue de la Liberté, 21000 Dijon", Level: 5, ECTS: 120, ExperienceMonths: 14,
	}
}

func mustCreate(t *testing.T, db *sqldb.DB, p *certibloc.Person) *certibloc.Person {
	t.Helper()
	if err := db.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSchools(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		withSchools(t, db)
		list, err := db.Schools(ctx)
		if err != nil || len(list) != 2 || list[0].Code != "DIIAGE" || list[0].Certifier != "SUP DE VINCI" {
			t.Fatalf("Schools = %+v, %v", list, err)
		}
		if s, err := db.School(ctx, "diiage"); err != nil || s.Name != list[0].Name {
			t.Errorf("School(diiage) = %+v, %v", s, err)
		}
		if _, err := db.School(ctx, "NOPE"); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown school: %v", err)
		}
		for _, tt := range []struct {
			s    certibloc.School
			code string
		}{
			{certibloc.School{Code: "DIIAGE", Name: "again"}, certibloc.ECONFLICT},
			{certibloc.School{Code: "a b", Name: "x"}, certibloc.EINVALID},
			{certibloc.School{Code: "NEW"}, certibloc.EINVALID},
		} {
			if err := db.CreateSchool(ctx, &tt.s); certibloc.ErrorCode(err) != tt.code {
				t.Errorf("CreateSchool(%+v) = %v, want %s", tt.s, err, tt.code)
			}
		}
		if list, _ := db.Schools(ctx); len(list) != 2 {
			t.Errorf("a refused school was stored: %+v", list)
		}
	})
}

func TestPersonLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		withSchools(t, db)
		p := mustCreate(t, db, samplePerson("DIIAGE", "Dupont", "Éloïse"))
		got, err := db.Person(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.BirthName != "Dupont" || got.BirthDate != p.BirthDate || got.ECTS != 120 || got.Email != "éloïse.dupont@example.org" {
			t.Errorf("Person = %+v", got)
		}
		got.UsageName, got.Phone = "Martin", "07 00 00 00 00"
		if err := db.UpdatePerson(ctx, got); err != nil {
			t.Fatal(err)
		}
		got.School = "OTHER"
		if err := db.UpdatePerson(ctx, got); err != nil {
			t.Fatal(err)
		}
		trail, err := db.AuditTrail(ctx, "person", fmt.Sprint(got.ID))
		if err != nil || len(trail) != 3 {
			t.Fatalf("trail = %+v, %v", trail, err)
		}
		if d := string(trail[1].Data); d != `{"fields":["phone","usage_name"]}` {
			t.Errorf("update recorded %s, want the names of the changed fields only", d)
		}
		for _, e := range trail {
			if strings.Contains(string(e.Data), "Martin") || strings.Contains(string(e.Data), "Dupont") {
				t.Errorf("the trail holds a personal value: %s", e.Data)
			}
		}
		if trail[2].School != "OTHER" || !strings.Contains(string(trail[2].Data), `"from_school":"DIIAGE"`) {
			t.Errorf("move recorded as %+v", trail[2])
		}
		if _, err := db.Person(ctx, 999); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown person: %v", err)
		}
	})
}

func TestPersonBadInputWritesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		withSchools(t, db)
		p := mustCreate(t, db, samplePerson("DIIAGE", "Dupont", "Jean"))
		for _, tt := range []struct {
			name  string
			edit  func(*certibloc.Person)
			field string
		}{
			{"invalid INSEE code", func(p *certibloc.Person) { p.BirthPlace = "2C123" }, "birth_place"},
			{"unknown school", func(p *certibloc.Person) { p.School = "NOPE" }, "school"},
			{"negative ECTS", func(p *certibloc.Person) { p.ECTS = -1 }, "ects"},
			{"no birth name", func(p *certibloc.Person) { p.BirthName = " " }, "birth_name"},
			{"bad e-mail", func(p *certibloc.Person) { p.Email = "nobody" }, "email"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				n := samplePerson("DIIAGE", "Neuf", "Nina")
				tt.edit(n)
				if err := db.CreatePerson(ctx, n); certibloc.ErrorCode(err) != certibloc.EINVALID ||
					!strings.HasPrefix(certibloc.ErrorMessage(err), tt.field) {
					t.Errorf("create: %v, want invalid naming %s", err, tt.field)
				}
				u := *p
				tt.edit(&u)
				if err := db.UpdatePerson(ctx, &u); certibloc.ErrorCode(err) != certibloc.EINVALID {
					t.Errorf("update: %v, want invalid", err)
				}
			})
		}
		page, err := db.People(ctx, sqldb.PeopleFilter{})
		if err != nil || page.Total != 1 {
			t.Errorf("people after refused writes: %+v, %v", page, err)
		}
		if got, _ := db.Person(ctx, p.ID); got.BirthName != "Dupont" || got.ECTS != 120 {
			t.Errorf("a refused update changed the person: %+v", got)
		}
	})
}

func TestPeopleList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		withSchools(t, db)
		eloise := mustCreate(t, db, samplePerson("DIIAGE", "Dupont", "Éloïse"))
		mustCreate(t, db, samplePerson("DIIAGE", "Lefèvre", "Jean-Marc"))
		mustCreate(t, db, samplePerson("DIIAGE", "Dupond_x", "Paul"))
		mustCreate(t, db, samplePerson("OTHER", "Dupont", "Zoé"))
		names := func(f sqldb.PeopleFilter) string {
			t.Helper()
			page, err := db.People(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, p := range page.People {
				out = append(out, p.FirstNames)
			}
			return strings.Join(out, ",")
		}
		for _, tt := range []struct {
			name string
			f    sqldb.PeopleFilter
			want string
		}{
			{"everyone, by name", sqldb.PeopleFilter{}, "Paul,Éloïse,Zoé,Jean-Marc"},
			{"one school's scope", sqldb.PeopleFilter{Schools: []string{"DIIAGE"}}, "Paul,Éloïse,Jean-Marc"},
			{"an empty scope", sqldb.PeopleFilter{Schools: []string{}}, ""},
			{"a school outside the scope", sqldb.PeopleFilter{Schools: []string{"OTHER"}, School: "DIIAGE"}, ""},
			{"search without accents", sqldb.PeopleFilter{Search: "eloise"}, "Éloïse"},
			{"search in any order, any case", sqldb.PeopleFilter{Search: "DUPONT zoe"}, "Zoé"},
			{"search with accents", sqldb.PeopleFilter{Search: "lefèvre"}, "Jean-Marc"},
			{"a wildcard is a character", sqldb.PeopleFilter{Search: "dupon_"}, ""},
			{"an underscore is found", sqldb.PeopleFilter{Search: "dupond_"}, "Paul"},
			{"a page", sqldb.PeopleFilter{Limit: 2, Offset: 1}, "Éloïse,Zoé"},
			{"one's own record", sqldb.PeopleFilter{Schools: []string{}, Self: eloise.ID}, "Éloïse"},
			{"one's schools and own record", sqldb.PeopleFilter{Schools: []string{"OTHER"}, Self: eloise.ID}, "Éloïse,Zoé"},
			{"everyone and own record", sqldb.PeopleFilter{Self: eloise.ID, Limit: 1}, "Paul"},
		} {
			if got := names(tt.f); got != tt.want {
				t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
			}
		}
		page, _ := db.People(ctx, sqldb.PeopleFilter{Limit: 1})
		if page.Total != 4 || len(page.People) != 1 || page.Limit != 1 {
			t.Errorf("page = %+v", page)
		}
	})
}

// TestPeopleSearchFoldsAccentedCapitals: « élodie » and « Étienne » find
// « ÉLODIE ÉTIENNE », on both engines (the names are folded in Go).
func TestPeopleSearchFoldsAccentedCapitals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		withSchools(t, db)
		mustCreate(t, db, samplePerson("DIIAGE", "ÉTIENNE", "ÉLODIE"))
		mustCreate(t, db, samplePerson("DIIAGE", "Martin", "Léa"))
		for _, q := range []string{"élodie", "Étienne", "élodie étienne"} {
			page, err := db.People(t.Context(), sqldb.PeopleFilter{Search: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.People) != 1 || page.People[0].FirstNames != "ÉLODIE" {
				t.Errorf("search %q: %+v, want ÉLODIE ÉTIENNE alone", q, page.People)
			}
		}
	})
}

func TestPeopleScope(t *testing.T) {
	for _, tt := range []struct {
		p       certibloc.Principal
		schools []string
		person  int64
	}{
		{certibloc.Principal{Role: certibloc.Admin}, nil, 0},
		{certibloc.Principal{Role: certibloc.Staff, Schools: []string{"DIIAGE"}}, []string{"DIIAGE"}, 0},
		{certibloc.Principal{Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}, PersonID: 3}, []string{"DIIAGE"}, 3},
		{certibloc.Principal{Role: certibloc.Referent}, []string{}, 0},
		{certibloc.Principal{Role: certibloc.Candidate, PersonID: 7}, []string{}, 7},
		{certibloc.Principal{Role: certibloc.Candidate, Schools: []string{"DIIAGE"}}, []string{}, 0},
		{certibloc.Principal{PersonID: 7}, []string{}, 0},
	} {
		var f sqldb.PeopleFilter
		f.Scope(&tt.p)
		if (f.Schools == nil) != (tt.schools == nil) || strings.Join(f.Schools, ",") != strings.Join(tt.schools, ",") || f.Self != tt.person {
			t.Errorf("Scope(%+v) = %q/%d, want %q/%d", tt.p, f.Schools, f.Self, tt.schools, tt.person)
		}
	}
}

func TestDisabilityRecord(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		withSchools(t, db)
		p := mustCreate(t, db, samplePerson("DIIAGE", "Dupont", "Jean"))
		if _, err := db.Disability(ctx, p.ID); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("no record yet: %v", err)
		}
		set := func(needs, acc string) error {
			return db.SetDisability(ctx, &certibloc.Disability{PersonID: p.ID, Needs: needs, Accommodations: acc})
		}
		if err := set("Dyslexie", "Tiers temps"); err != nil {
			t.Fatal(err)
		}
		if err := set("Dyslexie", "Tiers temps, salle à part"); err != nil {
			t.Fatal(err)
		}
		d, err := db.Disability(ctx, p.ID)
		if err != nil || d.Accommodations != "Tiers temps, salle à part" {
			t.Fatalf("Disability = %+v, %v", d, err)
		}
		if err := set("", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Disability(ctx, p.ID); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("emptied record still there: %v", err)
		}
		if err := db.SetDisability(ctx, &certibloc.Disability{PersonID: 999, Needs: "x"}); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("record of nobody: %v", err)
		}
		assertDisabilityTrail(t, db, p)
	})
}

// assertDisabilityTrail wants the changes of a disability record under
// their own entity, with field names only, and none under the person.
func assertDisabilityTrail(t *testing.T, db *sqldb.DB, p *certibloc.Person) {
	t.Helper()
	ctx := context.Background()
	trail, err := db.AuditTrail(ctx, "disability", fmt.Sprint(p.ID))
	if err != nil || len(trail) != 3 {
		t.Fatalf("disability trail = %+v, %v", trail, err)
	}
	want := []string{`{"fields":["accommodations","needs"]}`, `{"fields":["accommodations"]}`}
	for i, w := range want {
		if string(trail[i].Data) != w || trail[i].School != "DIIAGE" {
			t.Errorf("entry %d = %s %s, want %s", i, trail[i].Data, trail[i].School, w)
		}
	}
	if trail[2].Action != "disability.delete" {
		t.Errorf("last action %s", trail[2].Action)
	}
	person, _ := db.AuditTrail(ctx, "person", fmt.Sprint(p.ID))
	for _, e := range person {
		if strings.Contains(e.Action, "disab") {
			t.Errorf("the person's trail tells of a disability record: %+v", e)
		}
	}
}
