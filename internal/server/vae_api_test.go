package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestVAEAPI: a candidate signed in opens, saves and submits a candidacy
// and a proof; the certifier declares it incomplete then admissible; the
// dossier is refused while a competency is blank, then submitted; the
// oral is scheduled before a jury; another candidate sees none of it.
func TestVAEAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newE2E(t, db)
		ctx := t.Context()
		var people []int64
		for _, name := range []string{"Lovelace", "Hopper"} {
			p := &certibloc.Person{School: "DIIAGE", BirthName: name, FirstNames: "Ada", Email: strings.ToLower(name) + "@example.org"}
			if err := db.CreatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			people = append(people, p.ID)
		}
		ada, other := e.candidateSession(people[0], "ada@example.org"), e.candidateSession(people[1], "grace@example.org")
		const list = "/api/v1/vae/candidacies"

		var cd certibloc.Candidacy
		e.json(ada, "POST", list, list, map[string]any{"blocks": []string{"RNCP38478BC05"}}, 201, &cd)
		url := fmt.Sprintf("%s/%d", list, cd.ID)
		if cd.PersonID != people[0] || cd.State != certibloc.VAEDraft {
			t.Fatalf("created %+v", cd)
		}
		e.json(other, "GET", url, list+"/{id}", nil, 403, nil)
		body := e.json(ada, "POST", url+"/submit", list+"/{id}/submit", nil, 400, nil)
		if !strings.Contains(string(body), "experience") {
			t.Fatalf("submitting without experience: %s", body)
		}
		e.json(ada, "PUT", url, list+"/{id}", map[string]any{"blocks": []string{"RNCP38478BC05"}, "experience": []map[string]any{{"job": "Développeuse",
			"employer": "Analytical Engines", "from": "2018-01-01", "to": nil, "activities": "Intégration et déploiement continus"}}}, 200, nil)
		e.send(ada, request{method: "POST", url: url + "/proofs?filename=attestation.pdf", doc: list + "/{id}/proofs", body: testDocument(t, "cv.pdf"), ctype: "application/pdf", status: 201})
		e.json(ada, "POST", url+"/submit", list+"/{id}/submit", nil, 200, nil)
		e.json(ada, "POST", url+"/feasibility", list+"/{id}/feasibility", map[string]any{"outcome": "admissible"}, 403, nil)
		e.json(e.admin, "POST", url+"/feasibility", list+"/{id}/feasibility", map[string]any{"outcome": "incomplete", "missing": []string{"Bulletins de salaire"}}, 200, &cd)
		e.json(ada, "POST", url+"/submit", list+"/{id}/submit", nil, 200, nil)
		e.json(e.admin, "POST", url+"/feasibility", list+"/{id}/feasibility", map[string]any{"outcome": "admissible"}, 200, &cd)
		if cd.State != certibloc.VAEAdmissible || len(cd.History) != 2 {
			t.Fatalf("after feasibility: %+v", cd)
		}

		c, err := seed.Certification()
		if err != nil {
			t.Fatal(err)
		}
		var answers []map[string]any
		for k := range c.Block("RNCP38478BC05").Competencies {
			answers = append(answers, map[string]any{"block": "RNCP38478BC05", "competency": k + 1, "text": fmt.Sprintf("Réponse %d", k+1)})
		}
		e.json(ada, "PUT", url, list+"/{id}", map[string]any{"dossier": answers[1:]}, 200, nil)
		body = e.json(ada, "POST", url+"/dossier/submit", list+"/{id}/dossier/submit", nil, 400, nil)
		if !strings.Contains(string(body), "RNCP38478BC05/1") {
			t.Fatalf("a blank competency: %s", body)
		}
		e.json(ada, "PUT", url, list+"/{id}", map[string]any{"dossier": answers}, 200, nil)
		e.json(ada, "POST", url+"/dossier/submit", list+"/{id}/dossier/submit", nil, 200, nil)

		var j certibloc.JurySession
		e.json(e.admin, "POST", "/api/v1/juries", "/api/v1/juries", map[string]any{"certification": "RNCP38478", "date": "2027-07-01",
			"place": "Dijon", "members": []map[string]any{{"name": "Présidente", "role": "chair", "present": true}}}, 201, &j)
		e.json(e.admin, "POST", url+"/oral", list+"/{id}/oral", map[string]any{"at": "2027-07-01T08:30:00Z", "place": "Dijon, salle 3", "jury_id": j.ID}, 200, &cd)
		if cd.State != certibloc.VAEOralScheduled || cd.JuryID != j.ID {
			t.Fatalf("oral: %+v", cd)
		}
		var mine struct{ Candidacies []certibloc.Candidacy }
		e.json(other, "GET", list, list, nil, 200, &mine)
		if len(mine.Candidacies) != 0 {
			t.Fatalf("another candidate lists %+v", mine)
		}
		e.json(e.staff, "GET", list+"?state=oral_scheduled", list, nil, 200, &mine)
		if len(mine.Candidacies) != 1 {
			t.Fatalf("staff of the school list %+v", mine)
		}
	})
}
