package server_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAdminPagesInBrowser opens the pages of the API tokens and of the
// history of records in headless Chromium, signed in as the admin and as
// staff: axe-core finds nothing, nothing comes from elsewhere, each page
// is under 50 KB; the secret of a token made through the form is shown.
func TestAdminPagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	ctx := t.Context()
	person := &certibloc.Person{School: "DIIAGE", BirthName: "MARTIN", FirstNames: "Léa", Email: "lea@example.org"}
	if err := db.CreatePerson(ctx, person); err != nil {
		t.Fatal(err)
	}
	person.Phone = "03 80 00 00 00"
	if err := db.UpdatePerson(ctx, person); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateToken(ctx, "Import nocturne", "staff", "DIIAGE"); err != nil {
		t.Fatal(err)
	}
	cookie := func(role certibloc.Role, schools ...string) []browsertest.Cookie {
		a, err := db.CreateAccount(ctx, certibloc.Account{Email: string(role) + "@example.org", Role: role, Schools: schools})
		if err != nil {
			t.Fatal(err)
		}
		secret, err := db.CreateSession(ctx, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		return []browsertest.Cookie{{Name: "certibloc_session", Value: secret}}
	}
	admin, staff := cookie(certibloc.Admin), cookie(certibloc.Staff, "DIIAGE")
	history := fmt.Sprintf("%s/app/audit/person/%d", srv.URL, person.ID)
	create := []browsertest.Action{
		{Do: "fill", Selector: "#token-name", Value: "Tableau de bord"},
		{Do: "select", Selector: "#token-role", Value: "jury"},
		{Do: "select", Selector: "#token-school", Value: "DIIAGE"},
		{Do: "click", Selector: "form[action='/app/tokens'] button"},
	}
	refused := []browsertest.Action{
		{Do: "fill", Selector: "#token-name", Value: "Sans école"},
		{Do: "select", Selector: "#token-role", Value: "staff"},
		{Do: "click", Selector: "form[action='/app/tokens'] button"},
	}
	results := browsertest.Check(t,
		browsertest.Page{Name: "tokens (fr)", URL: srv.URL + "/app/tokens", Cookies: admin},
		browsertest.Page{Name: "tokens (en)", URL: srv.URL + "/app/tokens?lang=en", Cookies: admin},
		browsertest.Page{Name: "token created", URL: srv.URL + "/app/tokens", Cookies: admin, Actions: create},
		browsertest.Page{Name: "token refused", URL: srv.URL + "/app/tokens", Cookies: admin, Actions: refused},
		browsertest.Page{Name: "history (fr)", URL: history, Cookies: staff},
		browsertest.Page{Name: "history (en)", URL: history + "?lang=en", Cookies: admin},
		browsertest.Page{Name: "history of a token", URL: srv.URL + "/app/audit/token/1", Cookies: admin},
	)
	for i, want := range []int{200, 200, 200, 400, 200, 200, 200} {
		if i < len(results) && results[i].Status != want {
			t.Errorf("%s: status %d, want %d (%s)", results[i].Name, results[i].Status, want, results[i].Error)
		}
	}
	browsertest.AssertClean(t, results[:3], 50<<10)
	browsertest.AssertClean(t, results[4:], 50<<10)
	if len(results[3].Violations) > 0 || len(results[3].ThirdParty) > 0 {
		t.Errorf("the refused form: %v, %v", results[3].ViolationIDs(), results[3].ThirdParty)
	}
	list, err := db.Tokens(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "Tableau de bord" || list[0].School != "DIIAGE" ||
		!strings.HasPrefix(results[2].FinalURL, srv.URL+"/app/tokens") {
		t.Errorf("after the form: tokens %+v, %v; page %s", list, err, results[2].FinalURL)
	}
}
