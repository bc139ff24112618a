package api

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestPersonThemselves checks what a signed-in person reaches of their own
// records and of nobody else's. No API token stands for a person, so the
// handlers are called with the principal a web session would carry.
func TestPersonThemselves(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		a := New(db, slog.New(slog.DiscardHandler))
		if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, name := range []string{"Moi", "Autre"} {
			p := &certibloc.Person{School: "DIIAGE", BirthName: name, FirstNames: "Camille"}
			if err := db.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := db.SetDisability(ctx, &certibloc.Disability{PersonID: p.ID, Needs: "Besoin de " + name}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		me, other := ids[0], ids[1]
		for _, role := range []certibloc.Role{certibloc.Candidate, certibloc.Staff} {
			// A member of staff of another school who is also a person of
			// DIIAGE reaches their own record as a person, not as staff.
			p := &certibloc.Principal{Role: role, PersonID: me, Label: "account 1"}
			if role == certibloc.Staff {
				p.Schools = []string{"ELSEWHERE"}
			}
			call := func(h func(http.ResponseWriter, *http.Request) error, method, pattern string, id int64, body string) (int, string) {
				r := httptest.NewRequest(method, strings.Replace(pattern, "{id}", fmt.Sprint(id), 1), strings.NewReader(body))
				r.SetPathValue("id", fmt.Sprint(id))
				r = r.WithContext(certibloc.WithPrincipal(r.Context(), p))
				w := httptest.NewRecorder()
				if err := h(w, r); err != nil {
					_, status, message := httpx.Error(err)
					return status, message
				}
				return w.Code, w.Body.String()
			}
			for _, c := range []struct {
				h               func(http.ResponseWriter, *http.Request) error
				method, path    string
				id              int64
				body            string
				status          int
				want, mustNotBe string
			}{
				{a.getPerson, "GET", "/api/v1/people/{id}", me, "", 200, `"birth_name":"Moi"`, ""},
				{a.getPerson, "GET", "/api/v1/people/{id}", other, "", 403, "", "Autre"},
				{a.getDisability, "GET", "/api/v1/people/{id}/disability", me, "", 200, "Besoin de Moi", ""},
				{a.getDisability, "GET", "/api/v1/people/{id}/disability", other, "", 403, "", "Besoin"},
				{a.putDisability, "PUT", "/api/v1/people/{id}/disability", me, `{"needs":"x"}`, 403, "", ""},
				{a.updatePerson, "PUT", "/api/v1/people/{id}", me, `{"school":"DIIAGE","birth_name":"X","first_names":"Y"}`, 403, "", ""},
				{a.exportPerson, "GET", "/api/v1/people/{id}/export", me, "", 200, "Besoin de Moi", "Autre"},
				{a.exportPerson, "GET", "/api/v1/people/{id}/export", other, "", 403, "", "Autre"},
				{a.listPeople, "GET", "/api/v1/people", 0, "", 200, `"total":1`, "Autre"},
			} {
				status, body := call(c.h, c.method, c.path, c.id, c.body)
				if status != c.status || !strings.Contains(body, c.want) || (c.mustNotBe != "" && strings.Contains(body, c.mustNotBe)) {
					t.Errorf("%s: %s %s (id %d): %d %.200s, want %d", role, c.method, c.path, c.id, status, body, c.status)
				}
			}
			var x sqldb.Export
			_, body := call(a.exportPerson, "GET", "/api/v1/people/{id}/export", me, "")
			if err := json.Unmarshal([]byte(body), &x); err != nil || x.Disability == nil || x.DisabilityWithheld {
				t.Errorf("%s: own export without the disability record: %v %.300s", role, err, body)
			}
		}
	})
}
