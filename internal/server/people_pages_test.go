package server_test

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestPeoplePagesInBrowser opens the pages of people, disability records
// and schools in headless Chromium, signed in as each role that reaches
// them, forms sent with mistakes included: axe-core finds nothing, nothing
// comes from elsewhere, each page is under 50 KB.
func TestPeoplePagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	ctx := t.Context()
	person := &certibloc.Person{School: "DIIAGE", BirthName: "Lefèvre", FirstNames: "Éloïse Marie", Email: "eloise@example.org",
		BirthDate: certibloc.DateOf(2001, 4, 2), BirthPlace: "21231", Nationality: "FR", Level: 5, ECTS: 120}
	if err := db.CreatePerson(ctx, person); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDisability(ctx, &certibloc.Disability{PersonID: person.ID, Needs: "Dyslexie", Accommodations: "Tiers temps"}); err != nil {
		t.Fatal(err)
	}
	cookie := func(a certibloc.Account) []browsertest.Cookie {
		a.Email = string(a.Role) + "@accounts.example"
		a, err := db.CreateAccount(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		secret, err := db.CreateSession(ctx, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		return []browsertest.Cookie{{Name: "certibloc_session", Value: secret}}
	}
	admin := cookie(certibloc.Account{Role: certibloc.Admin})
	staff := cookie(certibloc.Account{Role: certibloc.Staff, Schools: []string{"DIIAGE"}})
	jury := cookie(certibloc.Account{Role: certibloc.Jury, Schools: []string{"DIIAGE"}})
	referent := cookie(certibloc.Account{Role: certibloc.Referent, Schools: []string{"DIIAGE"}})
	candidate := cookie(certibloc.Account{Role: certibloc.Candidate, PersonID: person.ID})
	one := fmt.Sprintf("%s/app/people/%d", srv.URL, person.ID)
	wrong := []browsertest.Action{
		{Do: "fill", Selector: "#f-birth_place", Value: "2C004"},
		{Do: "fill", Selector: "#f-phone", Value: "03 80 00 00 00"},
		{Do: "click", Selector: "main form button[type=submit]"},
	}
	results := browsertest.Check(t,
		browsertest.Page{Name: "people (fr)", URL: srv.URL + "/app/people?q=lefevre", Cookies: staff},
		browsertest.Page{Name: "people (en)", URL: srv.URL + "/app/people?lang=en", Cookies: admin},
		browsertest.Page{Name: "new person", URL: srv.URL + "/app/people/new", Cookies: staff},
		browsertest.Page{Name: "person, editable", URL: one, Cookies: staff},
		browsertest.Page{Name: "person, read-only (en)", URL: one + "?lang=en", Cookies: jury},
		browsertest.Page{Name: "one's own record", URL: srv.URL + "/app/me", Cookies: candidate},
		browsertest.Page{Name: "disability, referent", URL: one + "/disability", Cookies: referent},
		browsertest.Page{Name: "disability, the person (en)", URL: one + "/disability?lang=en", Cookies: candidate},
		browsertest.Page{Name: "schools", URL: srv.URL + "/app/schools", Cookies: admin},
		browsertest.Page{Name: "no record of one's own", URL: srv.URL + "/app/me", Cookies: admin},
		browsertest.Page{Name: "person, refused form", URL: one, Cookies: staff, Actions: wrong},
	)
	for i, r := range results {
		want := 200
		if i == len(results)-1 {
			want = 400
		}
		if r.Status != want {
			t.Errorf("%s: status %d, want %d (%s)", r.Name, r.Status, want, r.Error)
		}
	}
	last := len(results) - 1
	browsertest.AssertClean(t, results[:last], 50<<10)
	if r := results[last]; len(r.Violations) > 0 || len(r.ThirdParty) > 0 || r.Bytes > 50<<10 {
		t.Errorf("the refused form: %v, %v, %d bytes", r.ViolationIDs(), r.ThirdParty, r.Bytes)
	}
	if p, _ := db.Person(ctx, person.ID); p.BirthPlace != "21231" || p.Phone != "" {
		t.Errorf("the refused form changed the person: %+v", p)
	}
}
