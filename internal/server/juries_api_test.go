package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestJuryAPI: the certifier convenes a jury; its members, signed in, see
// only their juries, declare, read the engine's proposals in their
// language; only the chair records decisions, and a departure from the
// proposal needs a reason; the ledger and the path follow.
func TestJuryAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newE2E(t, db)
		ctx := t.Context()
		p := &certibloc.Person{School: "DIIAGE", BirthName: "Lovelace", FirstNames: "Ada", Email: "ada@example.org"}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		var members []map[string]any
		var sessions []auth
		for i, role := range []string{"chair", "professional", "professional", "professional"} {
			a, err := db.CreateAccount(ctx, certibloc.Account{Email: fmt.Sprintf("jury%d@example.org", i), Role: certibloc.Jury, Schools: []string{"DIIAGE"}})
			if err != nil {
				t.Fatal(err)
			}
			cookie, err := db.CreateSession(ctx, a.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			sessions = append(sessions, auth{cookie: cookie})
			if i < 3 { // the fourth sits on no jury
				members = append(members, map[string]any{"account_id": a.ID, "name": fmt.Sprintf("Membre %d", i), "role": role, "present": true})
			}
		}
		chair, member, outsider := sessions[0], sessions[1], sessions[3]

		var j certibloc.JurySession
		e.json(e.admin, "POST", "/api/v1/juries", "/api/v1/juries", map[string]any{"certification": "RNCP38478", "date": "2027-07-01",
			"place": "Dijon", "members": members, "candidates": []int64{p.ID}}, 201, &j)
		e.json(e.staff, "POST", "/api/v1/juries", "/api/v1/juries", map[string]any{"certification": "RNCP38478"}, 403, nil)
		url := fmt.Sprintf("/api/v1/juries/%d", j.ID)

		var list struct{ Juries []certibloc.JurySession }
		e.json(member, "GET", "/api/v1/juries", "/api/v1/juries", nil, 200, &list)
		if len(list.Juries) != 1 || list.Juries[0].ID != j.ID {
			t.Fatalf("a member's juries: %+v", list)
		}
		e.json(outsider, "GET", "/api/v1/juries", "/api/v1/juries", nil, 200, &list)
		if len(list.Juries) != 0 {
			t.Fatalf("a jury account on no jury sees %+v", list)
		}
		e.json(outsider, "GET", url, "/api/v1/juries/{id}", nil, 403, nil)

		// Declarations, then the proposals in English.
		for _, s := range sessions[:3] {
			e.json(s, "POST", url+"/declarations", "/api/v1/juries/{id}/declarations", map[string]any{"person_id": p.ID, "conflict": false}, 200, nil)
		}
		e.json(outsider, "POST", url+"/declarations", "/api/v1/juries/{id}/declarations", map[string]any{"person_id": p.ID, "conflict": false}, 403, nil)
		var delib struct {
			Candidates []struct {
				PersonID    int64 `json:"person_id"`
				Explanation []string
				Decision    certibloc.JuryDecision
			}
		}
		e.json(member, "GET", url+"/deliberation?lang=en", "/api/v1/juries/{id}/deliberation", nil, 200, &delib)
		if len(delib.Candidates) != 1 || delib.Candidates[0].Decision.Proposed || !strings.Contains(strings.Join(delib.Candidates[0].Explanation, " "), "not obtained") {
			t.Fatalf("deliberation in English: %+v", delib)
		}

		// Only the chair decides; an override needs a reason.
		decision := map[string]any{"person_id": p.ID, "blocks": []map[string]any{{"block": "RNCP38478BC01", "validated": true, "route": "vae"}}}
		e.json(member, "POST", url+"/decisions", "/api/v1/juries/{id}/decisions", decision, 403, nil)
		body := e.json(chair, "POST", url+"/decisions", "/api/v1/juries/{id}/decisions", decision, 400, nil)
		if !strings.Contains(string(body), "RNCP38478BC01") {
			t.Fatalf("an override without a reason: %s", body)
		}
		decision["blocks"].([]map[string]any)[0]["reason"] = "Dossier de validation et oral favorables."
		var jd certibloc.JuryDecision
		e.json(chair, "POST", url+"/decisions", "/api/v1/juries/{id}/decisions", decision, 201, &jd)
		if !jd.Overridden() || jd.Blocks[0].Date.String() != "2027-07-01" {
			t.Fatalf("decision %+v", jd)
		}

		// Nothing is in the ledger before the jury closes.
		var blocks struct{ Blocks []certibloc.LedgerEntry }
		e.json(e.admin, "GET", fmt.Sprintf("/api/v1/people/%d/blocks", p.ID), "/api/v1/people/{id}/blocks", nil, 200, &blocks)
		if len(blocks.Blocks) != 0 {
			t.Fatalf("blocks before closing: %+v", blocks)
		}
		var path struct {
			Path certibloc.DecisionText
		}
		e.json(e.admin, "GET", fmt.Sprintf("/api/v1/people/%d/path?lang=fr", p.ID), "/api/v1/people/{id}/path", nil, 200, &path)
		if path.Path.Certified || len(path.Path.Missing) == 0 {
			t.Fatalf("path: %+v", path)
		}
		e.send(e.staff, request{method: "GET", url: fmt.Sprintf("/api/v1/people/%d/path", p.ID), doc: "/api/v1/people/{id}/path", status: http.StatusOK})

		// The chair closes: the minutes are a PDF, the block is in the ledger.
		e.json(member, "POST", url+"/close", "/api/v1/juries/{id}/close", nil, 403, nil)
		e.json(chair, "GET", url+"/minutes", "/api/v1/juries/{id}/minutes", nil, 404, nil)
		e.json(chair, "POST", url+"/close", "/api/v1/juries/{id}/close", nil, 200, &j)
		if j.State != certibloc.JuryClosed || len(j.MinutesDigest) != 64 {
			t.Fatalf("closed: %+v", j)
		}
		pdf := e.send(member, request{method: "GET", url: url + "/minutes", doc: "/api/v1/juries/{id}/minutes", status: 200})
		if !strings.HasPrefix(string(pdf), "%PDF-") {
			t.Fatalf("minutes: %.40q", pdf)
		}
		e.json(chair, "POST", url+"/close", "/api/v1/juries/{id}/close", nil, 409, nil)
		e.json(e.admin, "GET", fmt.Sprintf("/api/v1/people/%d/blocks", p.ID), "/api/v1/people/{id}/blocks", nil, 200, &blocks)
		if len(blocks.Blocks) != 1 || blocks.Blocks[0].Route != certibloc.VAE {
			t.Fatalf("blocks after closing: %+v", blocks)
		}
	})
}
