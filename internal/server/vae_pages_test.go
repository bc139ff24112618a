package server_test

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The VAE pages in the authorisation matrix and in the browser walk. A
// candidacy is seen by its candidate, by every role of its school that
// reads people, and by the certifier; what the candidate writes is
// changed by them or by staff of their school; the certifier decides
// feasibility and schedules the oral; staff name the accompanist and enrol
// after a partial VAE; only the accompanist comments (none of the
// matrix's accounts is one: the end-to-end test comments).
func init() {
	walkDownloads["GET /app/vae/{id}/proofs/{proof}"] = "application/pdf"
	own := func(format string, state certibloc.VAEState, body func(m *matrix) string) func(m *matrix) (string, string) {
		return func(m *matrix) (string, string) {
			b := ""
			if body != nil {
				b = body(m)
			}
			person := m.candidatePerson()
			if state == certibloc.VAEDecided { // the block goes to the ledger: nobody may aim at it again
				person = m.newPerson(ownSchool)
			}
			return fmt.Sprintf(format, vaeCandidacy(m.t, m.db, person, state, false)), b
		}
	}
	experience := func(*matrix) string {
		return "blocks=RNCP38478BC05&x0_job=D%C3%A9veloppeuse&x0_employer=Analytical+Engines&x0_from=2018-01-01&x0_activities=Int%C3%A9gration"
	}
	for pattern, rt := range map[string]matrixRoute{
		"GET /app/vae":     {call: path("/app/vae"), ok: 200, own: signedIn},
		"GET /app/vae/new": {call: path("/app/vae/new"), ok: 200, own: "candidate"},
		"POST /app/vae": {ok: 303, own: "candidate", call: func(*matrix) (string, string) {
			return "/app/vae", "certification=RNCP38478&blocks=RNCP38478BC06"
		}},
		"GET /app/vae/{id}": {ok: 200, own: signedIn, other: "admin", scoped: true,
			call: own("/app/vae/%d", certibloc.VAEDraft, nil)},
		"POST /app/vae/{id}": {ok: 303, own: "admin staff candidate", other: "admin", scoped: true,
			call: own("/app/vae/%d", certibloc.VAEDraft, experience)},
		"POST /app/vae/{id}/submit": {ok: 303, own: "admin staff candidate", other: "admin", scoped: true,
			call: own("/app/vae/%d/submit", certibloc.VAEDraft, experience)},
		"POST /app/vae/{id}/proofs": {ok: 400, own: "admin staff candidate", other: "admin", scoped: true, // no file: the form again
			call: own("/app/vae/%d/proofs", certibloc.VAEDraft, nil)},
		"GET /app/vae/{id}/proofs/{proof}": {ok: 200, own: signedIn, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
			id := vaeCandidacy(m.t, m.db, m.candidatePerson(), certibloc.VAEDraft, false)
			return fmt.Sprintf("/app/vae/%d/proofs/%d", id, vaeProof(m.t, m.db, id)), ""
		}},
		"GET /app/vae/{id}/dossier": {ok: 200, own: signedIn, other: "admin", scoped: true,
			call: own("/app/vae/%d/dossier", certibloc.VAEAdmissible, nil)},
		"POST /app/vae/{id}/dossier": {ok: 303, own: "admin staff candidate", other: "admin", scoped: true,
			call: own("/app/vae/%d/dossier", certibloc.VAEAdmissible, func(*matrix) string { return "a_RNCP38478BC05_1=R%C3%A9ponse" })},
		"POST /app/vae/{id}/dossier/submit": {ok: 303, own: "admin staff candidate", other: "admin", scoped: true,
			call: own("/app/vae/%d/dossier/submit", certibloc.VAEAdmissible, func(m *matrix) string { return vaeAnswers(m.t, m.db).Encode() })},
		"POST /app/vae/{id}/comments": {ok: 303, own: nobody, other: nobody, scoped: true,
			call: own("/app/vae/%d/comments", certibloc.VAEDossierSubmitted, func(*matrix) string {
				return "block=RNCP38478BC05&competency=1&comment=Pr%C3%A9cisez"
			})},
		"GET /app/vae/{id}/feasibility": {ok: 200, own: "admin", call: own("/app/vae/%d/feasibility", certibloc.VAESubmitted, nil)},
		"POST /app/vae/{id}/feasibility": {ok: 303, own: "admin", call: own("/app/vae/%d/feasibility", certibloc.VAESubmitted,
			func(*matrix) string { return "outcome=admissible&confirm=yes" })},
		"POST /app/vae/{id}/accompanist": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: own("/app/vae/%d/accompanist", certibloc.VAEAdmissible, func(m *matrix) string {
				a, err := m.db.CreateAccount(m.t.Context(), certibloc.Account{Email: fmt.Sprintf("accompagnateur.%d@example.org", m.unique()),
					Role: certibloc.Staff, Schools: []string{ownSchool}})
				if err != nil {
					m.t.Fatal(err)
				}
				return fmt.Sprintf("account=%d", a.ID)
			})},
		"POST /app/vae/{id}/oral": {ok: 303, own: "admin", call: own("/app/vae/%d/oral", certibloc.VAEDossierSubmitted, func(m *matrix) string {
			return fmt.Sprintf("oral_at=2031-07-01T09%%3A30&place=Dijon&jury=%d", vaeJury(m.t, m.db))
		})},
		"GET /app/vae/{id}/withdraw": {ok: 200, own: "admin staff candidate", other: "admin", scoped: true,
			call: own("/app/vae/%d/withdraw", certibloc.VAESubmitted, nil)},
		"POST /app/vae/{id}/withdraw": {ok: 303, own: "admin staff candidate", other: "admin", scoped: true,
			call: own("/app/vae/%d/withdraw", certibloc.VAESubmitted, func(*matrix) string { return "confirm=yes" })},
		"POST /app/vae/{id}/enrolment": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: own("/app/vae/%d/enrolment", certibloc.VAEDecided, func(m *matrix) string {
				return fmt.Sprintf("cohort=%d&mode=initial&internship_months=6", m.cohort(m.campaign()))
			})},
	} {
		webMatrix[pattern] = rt
	}
}

// vaeCandidacy makes a candidacy of a person aiming at RNCP38478BC05,
// taken to the state given by the store's steps: submitted, admissible,
// its dossier submitted (every competency answered), or decided by a jury
// that validates the block by VAE and closes. answered fills the dossier
// of an admissible candidacy.
func vaeCandidacy(t *testing.T, db *sqldb.DB, person int64, state certibloc.VAEState, answered bool) int64 {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	cd := &certibloc.Candidacy{PersonID: person, Certification: "RNCP38478", Blocks: []string{"RNCP38478BC05"},
		Experience: []certibloc.Experience{{Job: "Développeuse", Employer: "Analytical Engines", From: certibloc.DateOf(2018, 1, 1),
			Activities: "Intégration et déploiement continus d'une chaîne de production logicielle."}}}
	if err := db.CreateCandidacy(ctx, cd); err != nil {
		t.Fatal(err)
	}
	step := map[certibloc.VAEState]int{certibloc.VAESubmitted: 1, certibloc.VAEAdmissible: 2, certibloc.VAEDossierSubmitted: 3,
		certibloc.VAEOralScheduled: 4, certibloc.VAEDecided: 5}[state]
	must := func(_ *certibloc.Candidacy, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if step >= 1 {
		must(db.SubmitCandidacy(ctx, cd.ID))
	}
	if step >= 2 {
		must(db.DecideFeasibility(ctx, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAEAdmissible}))
	}
	if step >= 3 || answered {
		c, err := db.Certification(ctx, "RNCP38478", 0)
		if err != nil {
			t.Fatal(err)
		}
		for k := range c.Block("RNCP38478BC05").Competencies {
			cd.Dossier = append(cd.Dossier, certibloc.DossierAnswer{Block: "RNCP38478BC05", Competency: k + 1,
				Text: "Mon expérience couvre cette compétence : j'ai conduit ce travail pendant trois ans."})
		}
		must(db.SaveCandidacy(ctx, cd))
	}
	if step >= 3 {
		must(db.SubmitDossier(ctx, cd.ID))
	}
	if step >= 4 {
		jury := vaeJury(t, db)
		must(db.ScheduleOral(ctx, cd.ID, time.Date(2031, 7, 1, 8, 30, 0, 0, time.UTC), "Dijon, salle 3", jury))
		if step >= 5 {
			if err := db.DecideCandidate(ctx, jury, &certibloc.JuryDecision{PersonID: person, Blocks: []certibloc.BlockVerdict{
				{Block: "RNCP38478BC05", Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral convaincants."}}}); err != nil {
				t.Fatal(err)
			}
			if err := db.CloseJury(ctx, jury, plainMinutes); err != nil {
				t.Fatal(err)
			}
		}
	}
	return cd.ID
}

// vaeJury convenes an open jury of RNCP38478 whose members have no
// account (nobody declares), and no candidate yet.
func vaeJury(t *testing.T, db *sqldb.DB) int64 {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2031, 7, 1), Place: "Dijon",
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Professionnel", Role: certibloc.JuryProfessional, Present: true},
			{Name: "Professionnelle", Role: certibloc.JuryProfessional, Present: true}}}
	if err := db.CreateJury(ctx, j); err != nil {
		t.Fatal(err)
	}
	return j.ID
}

// vaeProof adds a PDF to a candidacy.
func vaeProof(t *testing.T, db *sqldb.DB, id int64) int64 {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	pr, err := db.AddProof(ctx, id, "attestation.pdf", testDocument(t, "cv.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return pr.ID
}

// vaeAnswers is the dossier form with every competency of RNCP38478BC05
// answered.
func vaeAnswers(t *testing.T, db *sqldb.DB) url.Values {
	t.Helper()
	c, err := db.Certification(t.Context(), "RNCP38478", 0)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for k := range c.Block("RNCP38478BC05").Competencies {
		form.Set(fmt.Sprintf("a_RNCP38478BC05_%d", k+1), "J'ai mené ce travail trois ans durant.")
	}
	return form
}

// walkVAE are the addresses of the VAE pages in the browser walk: the
// candidate's draft with a proof, a submitted candidacy awaiting
// feasibility, an admissible one with its dossier half written, one
// whose oral is scheduled, and one decided after a partial VAE.
func walkVAE(t *testing.T, db *sqldb.DB, person, candidate int64) map[string][]string {
	t.Helper()
	draft := vaeCandidacy(t, db, candidate, certibloc.VAEDraft, false)
	proof := vaeProof(t, db, draft)
	submitted := vaeCandidacy(t, db, person, certibloc.VAESubmitted, false)
	admissible := vaeCandidacy(t, db, candidate, certibloc.VAEAdmissible, true)
	oral := vaeCandidacy(t, db, person, certibloc.VAEOralScheduled, false)
	decided := vaeCandidacy(t, db, candidate, certibloc.VAEDecided, false)
	page := func(id int64, suffix string) string { return fmt.Sprintf("/app/vae/%d%s", id, suffix) }
	return map[string][]string{
		"GET /app/vae/{id}":                {page(draft, ""), page(submitted, ""), page(admissible, ""), page(oral, ""), page(decided, "")},
		"GET /app/vae/{id}/proofs/{proof}": {fmt.Sprintf("/app/vae/%d/proofs/%d", draft, proof)},
		"GET /app/vae/{id}/dossier":        {page(admissible, "/dossier"), page(decided, "/dossier")},
		"GET /app/vae/{id}/feasibility":    {page(submitted, "/feasibility")},
		"GET /app/vae/{id}/withdraw":       {page(draft, "/withdraw"), page(submitted, "/withdraw")},
	}
}
