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

// TestTokensAndAuditThroughAPI walks the token and audit endpoints, every
// answer held to the OpenAPI document: a token made through the API works
// at once, a revoked one stops at once, and the history of a record is for
// the admin and the staff of its school.
func TestTokensAndAuditThroughAPI(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		if err := db.CreateSchool(t.Context(), &certibloc.School{Code: "ESTIA", Name: "ESTIA"}); err != nil {
			t.Fatal(err)
		}
		tokens := map[string]string{}
		admin := tokenFor(t, db, tokens, "admin", "")
		staff := tokenFor(t, db, tokens, "staff", "DIIAGE")
		jury := tokenFor(t, db, tokens, "jury", "DIIAGE")
		otherStaff := tokenFor(t, db, tokens, "staff", "ESTIA")
		const list, one, audit = "/api/v1/tokens", "/api/v1/tokens/{id}", "/api/v1/audit"

		var created struct {
			Token  certibloc.Token
			Secret string
		}
		do(t, h, o, call{method: "POST", url: list, doc: list, token: admin, status: 201,
			body:  `{"name":"Import nocturne","role":"staff","school":"DIIAGE"}`,
			check: func(t *testing.T, body []byte) { json.Unmarshal(body, &created) }})
		if created.Token.School != "DIIAGE" || !strings.HasPrefix(created.Secret, "cb_") {
			t.Fatalf("created %+v", created)
		}
		do(t, h, o, call{method: "GET", url: list, doc: list, token: created.Secret, status: 403})
		do(t, h, o, call{method: "GET", url: list, doc: list, token: admin, status: 200,
			check: func(t *testing.T, body []byte) {
				if strings.Contains(string(body), created.Secret) || !strings.Contains(string(body), "Import nocturne") {
					t.Errorf("the list shows a secret, or not the new token: %.300s", body)
				}
			}})
		revoke := fmt.Sprint("/api/v1/tokens/", created.Token.ID)
		for _, c := range []call{
			{method: "GET", url: list, doc: list, status: 401},
			{method: "GET", url: list, doc: list, token: staff, status: 403},
			{method: "POST", url: list, doc: list, token: staff, status: 403, body: `{"name":"x","role":"admin"}`},
			{method: "POST", url: list, doc: list, token: admin, status: 400, body: `{"name":"x","role":"admin","school":"DIIAGE"}`},
			{method: "POST", url: list, doc: list, token: admin, status: 400, body: `{"name":"x","role":"staff"}`},
			{method: "POST", url: list, doc: list, token: admin, status: 400, body: `{"name":"x","role":"staff","school":"NOWHERE"}`},
			{method: "POST", url: list, doc: list, token: admin, status: 400, body: `{"name":"x","role":"root"}`},
			{method: "POST", url: list, doc: list, token: admin, status: 400, body: `{"name":"x","role":"admin","scope":"all"}`},
			{method: "POST", url: list, doc: list, token: admin, status: 400, body: `{"name":`},
			{method: "DELETE", url: revoke, doc: one, token: staff, status: 403},
			{method: "DELETE", url: revoke, doc: one, token: admin, status: 200},
			{method: "DELETE", url: revoke, doc: one, token: admin, status: 404},
			{method: "DELETE", url: "/api/v1/tokens/9999", doc: one, token: admin, status: 404},
			{method: "DELETE", url: "/api/v1/tokens/x", doc: one, token: admin, status: 400},
			// Revoked is revoked at once.
			{method: "GET", url: "/api/v1/people", doc: "/api/v1/people", token: created.Secret, status: 401},
		} {
			do(t, h, o, c)
		}

		// The history of the DIIAGE programme sheet.
		slug := "/api/v1/audit?entity=programme&id=" + defaultSlug(t)
		for _, c := range []call{
			{method: "GET", url: slug, doc: audit, token: admin, status: 200, check: func(t *testing.T, body []byte) {
				if !strings.Contains(string(body), `"action":"programme.save"`) || !strings.Contains(string(body), `"school":"DIIAGE"`) {
					t.Errorf("history of the programme: %.300s", body)
				}
			}},
			{method: "GET", url: slug, doc: audit, token: staff, status: 200},
			{method: "GET", url: slug, doc: audit, token: otherStaff, status: 403},
			{method: "GET", url: slug, doc: audit, token: jury, status: 403},
			{method: "GET", url: slug, doc: audit, status: 401},
			// A certification belongs to the certifier: its history is the admin's.
			{method: "GET", url: audit + "?entity=certification&id=RNCP38478", doc: audit, token: admin, status: 200},
			{method: "GET", url: audit + "?entity=certification&id=RNCP38478", doc: audit, token: staff, status: 403},
			{method: "GET", url: audit + "?entity=person&id=999", doc: audit, token: staff, status: 404},
			{method: "GET", url: audit + "?entity=person", doc: audit, token: staff, status: 400},
		} {
			do(t, h, o, c)
		}
	})
}
