package server_test

import (
	"fmt"
	"maps"
	"time"

	"github.com/certibloc/certibloc"
)

// The jury, ledger and VAE routes of the API in the authorisation matrix.
// Tokens stand for no account, so no token sits on a jury or accompanies
// a candidate: members and accompanists act signed in on the web
// (juries_api_test.go, vae_api_test.go). Records are made for each call.

func init() { maps.Copy(apiMatrix, juriesAPIMatrix) }

// certifierCtx is the context the matrix makes records in.
func (m *matrix) certifierCtx() *certibloc.Principal {
	return &certibloc.Principal{Role: certibloc.Admin, Label: "matrix"}
}

// jury convenes a jury of three members without accounts with a new
// person of ownSchool as candidate; closed, it has decided on them.
func (m *matrix) jury(closed bool) (jury, person int64) {
	ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
	person = m.newPerson(ownSchool)
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon", Candidates: []int64{person},
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
	if err := m.db.CreateJury(ctx, j); err != nil {
		m.t.Fatal(err)
	}
	if closed {
		if err := m.db.DecideCandidate(ctx, j.ID, &certibloc.JuryDecision{PersonID: person}); err != nil {
			m.t.Fatal(err)
		}
		if err := m.db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }); err != nil {
			m.t.Fatal(err)
		}
	}
	return j.ID, person
}

// candidacy opens a VAE candidacy for a new person of ownSchool and takes
// it to state.
func (m *matrix) candidacy(state certibloc.VAEState) int64 {
	ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
	cd := &certibloc.Candidacy{PersonID: m.newPerson(ownSchool), Certification: "RNCP38478", Blocks: []string{"RNCP38478BC05"},
		Experience: []certibloc.Experience{{Job: "Développeuse", Employer: "Analytical Engines", From: certibloc.DateOf(2018, 1, 1), Activities: "Intégration continue"}}}
	if err := m.db.CreateCandidacy(ctx, cd); err != nil {
		m.t.Fatal(err)
	}
	steps := map[certibloc.VAEState]int{certibloc.VAEDraft: 0, certibloc.VAESubmitted: 1, certibloc.VAEAdmissible: 2, certibloc.VAEDossierSubmitted: 3}[state]
	must := func(_ *certibloc.Candidacy, err error) {
		if err != nil {
			m.t.Fatal(err)
		}
	}
	if steps >= 1 {
		must(m.db.SubmitCandidacy(ctx, cd.ID))
	}
	if steps >= 2 {
		must(m.db.DecideFeasibility(ctx, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAEAdmissible}))
	}
	if steps >= 3 {
		c, err := m.db.Certification(ctx, "RNCP38478", 0)
		if err != nil {
			m.t.Fatal(err)
		}
		for k := range c.Block("RNCP38478BC05").Competencies {
			cd.Dossier = append(cd.Dossier, certibloc.DossierAnswer{Block: "RNCP38478BC05", Competency: k + 1, Text: "Réponse"})
		}
		must(m.db.SaveCandidacy(ctx, cd))
		must(m.db.SubmitDossier(ctx, cd.ID))
	}
	return cd.ID
}

func juryPath(format string, closed bool) func(m *matrix) (string, string) {
	return func(m *matrix) (string, string) {
		j, _ := m.jury(closed)
		return fmt.Sprintf(format, j), ""
	}
}

func candidacyPath(format string, state certibloc.VAEState, body string) func(m *matrix) (string, string) {
	return func(m *matrix) (string, string) { return fmt.Sprintf(format, m.candidacy(state)), body }
}

var juriesAPIMatrix = map[string]matrixRoute{
	// Juries: the certifier convenes and reads them all; a jury member's
	// token sits on none (members act signed in).
	"GET /api/v1/juries": {call: path("/api/v1/juries"), ok: 200, own: "admin jury"},
	"POST /api/v1/juries": {ok: 201, own: "admin", call: func(*matrix) (string, string) {
		return "/api/v1/juries", `{"certification":"RNCP38478","date":"2027-07-01","place":"Dijon","members":[{"name":"P","role":"chair","present":true}]}`
	}},
	"GET /api/v1/juries/{id}":              {ok: 200, own: "admin", call: juryPath("/api/v1/juries/%d", false)},
	"GET /api/v1/juries/{id}/deliberation": {ok: 200, own: "admin", call: juryPath("/api/v1/juries/%d/deliberation", false)},
	"POST /api/v1/juries/{id}/candidates": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		j, _ := m.jury(false)
		return fmt.Sprintf("/api/v1/juries/%d/candidates", j), fmt.Sprintf(`{"candidates":[%d]}`, m.newPerson(ownSchool))
	}},
	"POST /api/v1/juries/{id}/declarations": {ok: 200, own: nobody, call: func(m *matrix) (string, string) {
		j, p := m.jury(false)
		return fmt.Sprintf("/api/v1/juries/%d/declarations", j), fmt.Sprintf(`{"person_id":%d,"conflict":false}`, p)
	}},
	"POST /api/v1/juries/{id}/decisions": {ok: 201, own: "admin", call: func(m *matrix) (string, string) {
		j, p := m.jury(false)
		return fmt.Sprintf("/api/v1/juries/%d/decisions", j), fmt.Sprintf(`{"person_id":%d}`, p)
	}},
	"POST /api/v1/juries/{id}/decisions/correction": {ok: 201, own: "admin", call: func(m *matrix) (string, string) {
		j, p := m.jury(true)
		return fmt.Sprintf("/api/v1/juries/%d/decisions/correction", j),
			fmt.Sprintf(`{"person_id":%d,"blocks":[{"block":"RNCP38478BC01","validated":true,"route":"vae","reason":"Omis du procès-verbal."}],"correction_reason":"Erreur matérielle du procès-verbal."}`, p)
	}},

	"POST /api/v1/juries/{id}/close": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		j, p := m.jury(false)
		ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
		if err := m.db.DecideCandidate(ctx, j, &certibloc.JuryDecision{PersonID: p}); err != nil {
			m.t.Fatal(err)
		}
		return fmt.Sprintf("/api/v1/juries/%d/close", j), ""
	}},
	"GET /api/v1/juries/{id}/minutes": {ok: 200, own: "admin", call: juryPath("/api/v1/juries/%d/minutes", true)},

	// A person's ledger and path: like the person's record.
	"GET /api/v1/people/{id}/blocks": {call: personPath("/api/v1/people/%d/blocks"), ok: 200, own: schoolly, other: "admin", scoped: true},
	"GET /api/v1/people/{id}/path":   {call: personPath("/api/v1/people/%d/path"), ok: 200, own: schoolly, other: "admin", scoped: true},

	// VAE: staff of the person's school act for a candidate; everyone of
	// the school reads; the certifier decides feasibility and the oral.
	"GET /api/v1/vae/candidacies": {call: path("/api/v1/vae/candidacies"), ok: 200, own: signedIn},
	"POST /api/v1/vae/candidacies": {ok: 201, own: "admin staff", other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		return "/api/v1/vae/candidacies", fmt.Sprintf(`{"person_id":%d,"blocks":["RNCP38478BC05"]}`, m.newPerson(ownSchool))
	}},
	"GET /api/v1/vae/candidacies/{id}": {ok: 200, own: schoolly, other: "admin", scoped: true,
		call: candidacyPath("/api/v1/vae/candidacies/%d", certibloc.VAEDraft, "")},
	"PUT /api/v1/vae/candidacies/{id}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: candidacyPath("/api/v1/vae/candidacies/%d", certibloc.VAEDraft, `{"blocks":["RNCP38478BC04"]}`)},
	"POST /api/v1/vae/candidacies/{id}/submit": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: candidacyPath("/api/v1/vae/candidacies/%d/submit", certibloc.VAEDraft, "")},
	"POST /api/v1/vae/candidacies/{id}/withdraw": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: candidacyPath("/api/v1/vae/candidacies/%d/withdraw", certibloc.VAEDraft, "")},
	"POST /api/v1/vae/candidacies/{id}/feasibility": {ok: 200, own: "admin",
		call: candidacyPath("/api/v1/vae/candidacies/%d/feasibility", certibloc.VAESubmitted, `{"outcome":"admissible"}`)},
	"POST /api/v1/vae/candidacies/{id}/dossier/submit": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			id := m.candidacy(certibloc.VAEAdmissible)
			ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
			c, _ := m.db.Certification(ctx, "RNCP38478", 0)
			cd := &certibloc.Candidacy{ID: id, Blocks: []string{"RNCP38478BC05"}}
			for k := range c.Block("RNCP38478BC05").Competencies {
				cd.Dossier = append(cd.Dossier, certibloc.DossierAnswer{Block: "RNCP38478BC05", Competency: k + 1, Text: "Réponse"})
			}
			if _, err := m.db.SaveCandidacy(ctx, cd); err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/vae/candidacies/%d/dossier/submit", id), ""
		}},
	"POST /api/v1/vae/candidacies/{id}/comments": {ok: 200, own: nobody, other: nobody, scoped: true,
		call: candidacyPath("/api/v1/vae/candidacies/%d/comments", certibloc.VAEAdmissible, `{"block":"RNCP38478BC05","competency":1,"comment":"Précisez."}`)},
	"PUT /api/v1/vae/candidacies/{id}/accompanist": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a, err := m.db.CreateAccount(m.t.Context(), certibloc.Account{Email: fmt.Sprintf("accompagnant%d@example.org", m.unique()),
				Role: certibloc.Staff, Schools: []string{ownSchool}})
			if err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/vae/candidacies/%d/accompanist", m.candidacy(certibloc.VAEDraft)), fmt.Sprintf(`{"account_id":%d}`, a.ID)
		}},
	"POST /api/v1/vae/candidacies/{id}/oral": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		j, _ := m.jury(false)
		return fmt.Sprintf("/api/v1/vae/candidacies/%d/oral", m.candidacy(certibloc.VAEDossierSubmitted)),
			fmt.Sprintf(`{"at":%q,"place":"Dijon","jury_id":%d}`, time.Date(2027, 7, 1, 9, 0, 0, 0, time.UTC).Format(time.RFC3339), j)
	}},
	"GET /api/v1/vae/candidacies/{id}/proofs": {ok: 200, own: schoolly, other: "admin", scoped: true,
		call: candidacyPath("/api/v1/vae/candidacies/%d/proofs", certibloc.VAEDraft, "")},
	"POST /api/v1/vae/candidacies/{id}/proofs": {ok: 201, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/api/v1/vae/candidacies/%d/proofs?filename=preuve.pdf", m.candidacy(certibloc.VAEDraft)), string(testPDF)
		}},
}

// testPDF is the smallest file that reads as a PDF.
var testPDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
