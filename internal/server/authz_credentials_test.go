package server_test

import (
	"fmt"
	"maps"

	"github.com/certibloc/certibloc"
)

// The Open Badges routes in the authorisation matrix: the DID document,
// the status lists, a credential by its unguessable id and the
// verification are public; a person's list is theirs and their school's;
// issuing a jury's credentials is the certifier's.

func init() {
	maps.Copy(apiMatrix, map[string]matrixRoute{
		"GET /.well-known/did.json": {ok: 200, own: everyone, call: path("/.well-known/did.json")},
		"GET /did.json":             {ok: 200, own: everyone, call: path("/did.json")},
		"GET /credentials/status/{n}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
			m.credential()
			return "/credentials/status/1", ""
		}},
		"POST /api/v1/credentials/verify": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
			return "/api/v1/credentials/verify", `{"@context":["https://www.w3.org/ns/credentials/v2"]}`
		}},
		"GET /api/v1/credentials/{id}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
			id, _ := m.credential()
			return "/api/v1/credentials/" + id, ""
		}},
		"GET /api/v1/people/{id}/credentials": {ok: 200, own: schoolly, other: "admin", scoped: true,
			call: personPath("/api/v1/people/%d/credentials")},
		"POST /api/v1/juries/{id}/credentials": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			j, _ := m.jury(true)
			return fmt.Sprintf("/api/v1/juries/%d/credentials", j), ""
		}},
	})
	maps.Copy(webMatrix, map[string]matrixRoute{
		"GET /credentials/verify":  {ok: 200, own: everyone, call: path("/credentials/verify")},
		"POST /credentials/verify": {ok: 400, own: everyone, call: path("/credentials/verify")}, // nothing sent: the form again
		"GET /credentials/{id}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
			id, _ := m.credential()
			return "/credentials/" + id, ""
		}},
		"GET /app/people/{id}/credentials": {call: personPath("/app/people/%d/credentials"), ok: 200, own: schoolly, other: "admin",
			scoped: true},
	})
}

// credential closes a jury that validated a block of a new person of
// ownSchool and issues its credential: its id, and the person.
func (m *matrix) credential() (id string, person int64) {
	ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
	person = m.newPerson(ownSchool)
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2026, 7, 1), Place: "Dijon", Candidates: []int64{person},
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
	if err := m.db.CreateJury(ctx, j); err != nil {
		m.t.Fatal(err)
	}
	jd := &certibloc.JuryDecision{PersonID: person, Blocks: []certibloc.BlockVerdict{{Block: "RNCP38478BC01", Validated: true,
		Route: certibloc.VAE, Reason: "Dossier et oral favorables."}}}
	if err := m.db.DecideCandidate(ctx, j.ID, jd); err != nil {
		m.t.Fatal(err)
	}
	if err := m.db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }); err != nil {
		m.t.Fatal(err)
	}
	creds, err := m.db.IssueJuryCredentials(ctx, j.ID, "http://localhost:8080")
	if err != nil || len(creds) != 1 {
		m.t.Fatalf("issue: %d credentials, %v", len(creds), err)
	}
	return creds[0].PublicID, person
}
