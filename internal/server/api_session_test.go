package server_test

import (
	"net/http"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAPIWebSessions: without an Authorization header the API reads the
// web session, as the pages do: a live session whose second factor is
// done signs the request in, any other is nobody; a change sent from
// another site is refused; a token wins over a cookie.
func TestAPIWebSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newE2E(t, db)
		p := &certibloc.Person{School: "DIIAGE", BirthName: "Session", FirstNames: "Sam", Email: "sam@example.org", Level: 5}
		if err := db.CreatePerson(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		a, err := db.CreateAccount(t.Context(), certibloc.Account{PersonID: p.ID, Email: p.Email, Role: certibloc.Candidate})
		if err != nil {
			t.Fatal(err)
		}
		waiting, err := db.CreateSession(t.Context(), a.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		live := e.candidateSession(p.ID, "sam.other@example.org")
		const list = "/api/v1/applications"
		e.send(live, request{method: "GET", url: list, doc: list, status: 200})
		e.send(auth{cookie: waiting}, request{method: "GET", url: list, doc: list, status: 401})
		e.send(auth{cookie: "no-such-session"}, request{method: "GET", url: list, doc: list, status: 401})
		e.send(auth{cookie: live.cookie, token: e.staff.token}, request{method: "GET", url: "/api/v1/cohorts", doc: "/api/v1/cohorts", status: 200})
		body := []byte(`{"campaign_id":1,"track":"one_year","mode":"initial"}`)
		for _, h := range []http.Header{{"Sec-Fetch-Site": {"cross-site"}}, {"Origin": {"https://evil.example"}}} {
			e.send(live, request{method: "POST", url: list, doc: list, body: body, ctype: "application/json", header: h, status: 403})
		}
		e.send(live, request{method: "GET", url: list, doc: list, header: http.Header{"Sec-Fetch-Site": {"cross-site"}}, status: 200})
		e.send(live, request{method: "POST", url: list, doc: list, body: body, ctype: "application/json",
			header: http.Header{"Sec-Fetch-Site": {"same-origin"}}, status: 400}) // campaign 1 does not exist: past the check
	})
}
