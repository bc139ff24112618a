package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// newPersonValues is a complete, valid form of a new person of DIIAGE.
func newPersonValues() url.Values {
	return url.Values{"school": {"DIIAGE"}, "birth_name": {"Nouveau"}, "first_names": {"Noé"},
		"birth_date": {"2002-09-01"}, "birth_place": {"2a004"}, "email": {"noe@example.org"},
		"level": {"4"}, "ects": {"0"}, "experience_months": {"12"}}
}

func countPeople(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	page, err := db.People(t.Context(), sqldb.PeopleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func TestPersonFormCreatesAndEdits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newPeopleFixture(t, db)
		status, loc, page := f.post("staff", "/app/people", newPersonValues())
		if status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=created") {
			t.Fatalf("create: %d %s\n%.1000s", status, loc, page)
		}
		status, _, page = f.get("staff", loc)
		if status != 200 || !strings.Contains(page, `role="status"`) || !strings.Contains(page, `value="2A004"`) {
			t.Errorf("the new person's page: %d\n%.2000s", status, page)
		}
		path := strings.TrimSuffix(loc, "?done=created")
		edit := newPersonValues()
		edit.Set("usage_name", "Martin")
		if status, loc, _ := f.post("staff", path, edit); status != http.StatusSeeOther || loc != path+"?done=saved" {
			t.Errorf("edit: %d %s", status, loc)
		}
		if status, _, _ := f.post("staffE", path, edit); status != http.StatusForbidden {
			t.Errorf("staff of another school edits: %d", status)
		}
		if status, _, _ := f.post("evaluator", path, edit); status != http.StatusForbidden {
			t.Errorf("an evaluator edits: %d", status)
		}
		edit.Set("school", "ESTIA")
		if status, _, _ := f.post("staff", path, edit); status != http.StatusForbidden {
			t.Errorf("staff moves someone to another school: %d", status)
		}
	})
}

func TestPersonFormErrorsAreTiedToFields(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newPeopleFixture(t, db)
		before := countPeople(t, db)
		for _, tt := range []struct{ field, value, who string }{
			{"birth_place", "2C004", "staff"},
			{"ects", "-3", "staff"},
			{"ects", "beaucoup", "staff"},
			{"birth_date", "31/02/2001", "staff"},
			{"email", "noe-at-example", "staff"},
			{"first_names", " ", "staff"},
			{"school", "NOPE", "admin"},
		} {
			v := newPersonValues()
			v.Set(tt.field, tt.value)
			status, _, page := f.post(tt.who, "/app/people", v)
			id := "f-" + tt.field
			if status != http.StatusBadRequest || !strings.Contains(page, `aria-invalid="true"`) ||
				!strings.Contains(page, `<a href="#`+id+`">`) || !strings.Contains(page, `id="`+id+`-error"`) ||
				!regexpMatch(`id="`+id+`"[^>]*aria-describedby="[^"]*`+id+`-error"`, page) {
				t.Errorf("%s=%q: %d, the error is not tied to the field:\n%.3000s", tt.field, tt.value, status, page)
				continue
			}
			d := parseHTML(t, []byte(page))
			checkAccessible(t, d, "fr")
			if given := strings.TrimSpace(tt.value); given != "" && tt.field != "school" &&
				!strings.Contains(page, `value="`+given+`"`) {
				t.Errorf("%s: the refused value is not given back", tt.field)
			}
		}
		// Without the form token: refused, nothing written.
		v := newPersonValues()
		v.Set("csrf", "forged")
		if status, _, _ := f.post("staff", "/app/people", v); status != http.StatusForbidden {
			t.Errorf("a forged form token: %d", status)
		}
		if after := countPeople(t, db); after != before {
			t.Errorf("refused forms wrote people: %d, then %d", before, after)
		}
	})
}

func TestDisabilityPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newPeopleFixture(t, db)
		path := fmt.Sprintf("/app/people/%d/disability", f.alice)
		for who, want := range map[string]int{"admin": 403, "staff": 403, "evaluator": 403, "staffE": 403, "referent": 200, "alice": 200} {
			status, _, page := f.get(who, path)
			if status != want || (status != 200 && strings.Contains(page, "Dyslexie")) {
				t.Errorf("%s opens the disability record: %d, want %d", who, status, want)
			}
		}
		_, _, page := f.get("staff", fmt.Sprint("/app/people/", f.alice))
		if strings.Contains(page, "/disability") {
			t.Error("staff's page of the person links to the disability record")
		}
		form := url.Values{"needs": {"Dyslexie"}, "accommodations": {"Tiers temps, ordinateur"}}
		if status, loc, _ := f.post("referent", path, form); status != http.StatusSeeOther || loc != path+"?done=saved" {
			t.Errorf("the referent saves: %d %s", status, loc)
		}
		for _, who := range []string{"alice", "admin", "staff"} {
			if status, _, _ := f.post(who, path, form); status != http.StatusForbidden {
				t.Errorf("%s writes the disability record: %d", who, status)
			}
		}
		if d, _ := db.Disability(t.Context(), f.alice); d.Accommodations != "Tiers temps, ordinateur" {
			t.Errorf("record = %+v", d)
		}
		form.Set("needs", strings.Repeat("x", 10001))
		if status, _, page := f.post("referent", path, form); status != 400 || !strings.Contains(page, `id="f-needs-error"`) {
			t.Errorf("a text too long: %d\n%.1500s", status, page)
		}
	})
}

func TestMyDataDownload(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newPeopleFixture(t, db)
		if status, loc, _ := f.get("alice", "/app/me"); status != http.StatusSeeOther || loc != fmt.Sprint("/app/people/", f.alice) {
			t.Errorf("/app/me: %d %s", status, loc)
		}
		status, _, body := f.get("alice", "/app/me/export")
		var x sqldb.Export
		if err := json.Unmarshal([]byte(body), &x); status != 200 || err != nil {
			t.Fatalf("export: %d %v\n%.500s", status, err, body)
		}
		if x.Person.ID != f.alice || x.Disability == nil || x.Disability.Needs != "Dyslexie" || len(x.Tables["accounts"]) != 1 {
			t.Errorf("export: %.1500s", body)
		}
		if strings.Contains(body, "Bruno") {
			t.Error("the export holds another person")
		}
		if status, _, _ := f.get("admin", "/app/me/export"); status != http.StatusNotFound {
			t.Errorf("an account without a person downloads: %d", status)
		}
	})
}

func TestSchoolsPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newPeopleFixture(t, db)
		form := url.Values{"code": {"esn"}, "name": {"École supérieure du numérique"}, "certifier": {"SUP DE VINCI"}}
		if status, loc, _ := f.post("admin", "/app/schools", form); status != http.StatusSeeOther || loc != "/app/schools?created=ESN" {
			t.Errorf("create: %d %s", status, loc)
		}
		status, _, page := f.post("admin", "/app/schools", form)
		if status != 400 || !strings.Contains(page, `id="f-code-error"`) || !strings.Contains(page, "ESN") {
			t.Errorf("a duplicate: %d\n%.1500s", status, page)
		}
		form.Set("code", "É S N")
		if status, _, page := f.post("admin", "/app/schools", form); status != 400 || !strings.Contains(page, `aria-invalid="true"`) {
			t.Errorf("a bad code: %d\n%.1500s", status, page)
		}
		if status, _, _ := f.get("staff", "/app/schools"); status != http.StatusForbidden {
			t.Errorf("staff opens the schools: %d", status)
		}
		if list, _ := db.Schools(t.Context()); len(list) != 3 {
			t.Errorf("schools: %+v", list)
		}
	})
}

// TestOwnFormsOfferAutocomplete: the form of one's own record offers the
// browser's autocomplete; the form of someone else's does not, so that
// staff are not offered their own name for a candidate's.
func TestOwnFormsOfferAutocomplete(t *testing.T) {
	db := sqldbtest.SQLite(t)
	f := newPeopleFixture(t, db)
	me := &certibloc.Person{School: "DIIAGE", BirthName: "Admin", FirstNames: "Ada"}
	if err := db.CreatePerson(t.Context(), me); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAccount(t.Context(), certibloc.Account{Role: certibloc.Admin, PersonID: me.ID, Email: "ada@accounts.example"})
	if err != nil {
		t.Fatal(err)
	}
	if f.sessions["ada"], err = db.CreateSession(t.Context(), a.ID, true); err != nil {
		t.Fatal(err)
	}
	_, _, own := f.get("ada", fmt.Sprint("/app/people/", me.ID))
	_, _, other := f.get("ada", fmt.Sprint("/app/people/", f.alice))
	if !strings.Contains(own, `autocomplete="family-name"`) || !strings.Contains(own, `autocomplete="bday"`) {
		t.Errorf("one's own form has no autocomplete:\n%.2000s", own)
	}
	if strings.Contains(other, `autocomplete="family-name"`) {
		t.Error("someone else's form offers the browser's autocomplete")
	}
}

func regexpMatch(expr, s string) bool { return regexp.MustCompile(expr).MatchString(s) }
