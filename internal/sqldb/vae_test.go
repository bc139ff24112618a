package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// vaeWorld adds to a jury world a candidate signed in as themselves and
// the certifier.
type vaeWorld struct {
	*juryWorld
	self, admin context.Context
	cert        *certibloc.Certification
}

func newVAEWorld(t *testing.T, db *sqldb.DB) *vaeWorld {
	w := &vaeWorld{juryWorld: newJuryWorld(t, db)}
	ada, err := db.Person(w.ctx, w.ada)
	must(t, err)
	ada.Email = "ada@example.org"
	must(t, db.UpdatePerson(w.ctx, ada))
	w.self = certibloc.WithPrincipal(t.Context(), &certibloc.Principal{PersonID: w.ada, Role: certibloc.Candidate, Label: "account 99"})
	w.admin = certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "account 1"})
	w.cert, err = db.Certification(w.ctx, "RNCP38478", 0)
	must(t, err)
	return w
}

func (w *vaeWorld) candidacy(t *testing.T, blocks ...string) *certibloc.Candidacy {
	cd := &certibloc.Candidacy{PersonID: w.ada, Certification: "RNCP38478", Blocks: blocks,
		Experience: []certibloc.Experience{{Job: "Cheffe de projet", Employer: "Analytical Engines", From: certibloc.DateOf(2016, 9, 1),
			Activities: "Pilotage de projets d'infrastructure"}}}
	must(t, w.db.CreateCandidacy(w.self, cd))
	return cd
}

// answerAll writes an answer for every competency of the blocks aimed at.
func (w *vaeWorld) answerAll(t *testing.T, cd *certibloc.Candidacy) {
	cd.Dossier = nil
	for _, code := range cd.Blocks {
		for k := range w.cert.Block(code).Competencies {
			cd.Dossier = append(cd.Dossier, certibloc.DossierAnswer{Block: code, Competency: k + 1, Text: fmt.Sprintf("Mon expérience sur %s, compétence %d.", code, k+1)})
		}
	}
	_, err := w.db.SaveCandidacy(w.self, cd)
	must(t, err)
}

func outboxSubjects(t *testing.T, db *sqldb.DB, ctx context.Context) []string {
	mails, err := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
	must(t, err)
	var out []string
	for _, m := range mails {
		out = append(out, m.Subject)
	}
	return out
}

// TestVAEFullSuccess: a candidacy incomplete, completed and admissible;
// the dossier refused while a competency is blank, then submitted; the
// oral scheduled before a jury, which validates the blocks aimed at (and
// may not rule on another); the blocks go to the ledger by VAE and the
// candidacy is decided; the candidate was e-mailed at each step.
func TestVAEFullSuccess(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newVAEWorld(t, db)
		blocks := []string{"RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04"}
		cd := w.candidacy(t, blocks...)
		if cd.State != certibloc.VAEDraft || cd.Version != 1 {
			t.Fatalf("created %+v", cd)
		}

		// Feasibility: incomplete, completed, admissible.
		if _, err := db.DecideFeasibility(w.admin, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAEAdmissible}); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a decision that skips the submission: %v", err)
		}
		_, err := db.SubmitCandidacy(w.self, cd.ID)
		must(t, err)
		if _, err := db.DecideFeasibility(w.self, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAEAdmissible}); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Fatalf("the candidate deciding their own feasibility: %v", err)
		}
		_, err = db.DecideFeasibility(w.admin, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAEIncomplete, Missing: []string{"Attestations d'employeur"}})
		must(t, err)
		cd.Experience = append(cd.Experience, certibloc.Experience{Job: "Consultante", Employer: "Babbage & Co", From: certibloc.DateOf(2012, 1, 1),
			To: certibloc.DateOf(2016, 8, 31), Activities: "Conseil en systèmes d'information"})
		_, err = db.SaveCandidacy(w.self, cd)
		must(t, err)
		_, err = db.SubmitCandidacy(w.self, cd.ID)
		must(t, err)
		got, err := db.DecideFeasibility(w.admin, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAEAdmissible})
		must(t, err)
		if got.State != certibloc.VAEAdmissible || len(got.History) != 2 || got.History[0].Outcome != certibloc.VAEIncomplete || len(got.Experience) != 2 {
			t.Fatalf("after feasibility: %+v", got)
		}

		// The dossier: a blank competency is named; what was written is kept.
		w.answerAll(t, cd)
		cd.Dossier[3].Text = "   "
		_, err = db.SaveCandidacy(w.self, cd)
		must(t, err)
		_, err = db.SubmitDossier(w.self, cd.ID)
		if ps, ok := err.(certibloc.Problems); !ok || len(ps) != 1 || ps[0].Code != "competency_blank" || !strings.Contains(ps[0].In(certibloc.French), "n'a pas de réponse") {
			t.Fatalf("a dossier with a blank competency: %v", err)
		}
		kept, _ := db.Candidacy(w.self, cd.ID)
		if kept.Dossier[0].Text == "" || kept.State != certibloc.VAEAdmissible {
			t.Fatalf("what the candidate wrote was not kept: %+v", kept)
		}
		w.answerAll(t, cd)
		_, err = db.SubmitDossier(w.self, cd.ID)
		must(t, err)

		// The oral before a jury.
		j := w.jury(t)
		_, err = db.ScheduleOral(w.admin, cd.ID, time.Date(2027, 7, 1, 8, 30, 0, 0, time.UTC), "Dijon, salle 3", j.ID)
		must(t, err)
		w.declareAll(t, j.ID, w.ada)
		wrong := &certibloc.JuryDecision{PersonID: w.ada, Blocks: []certibloc.BlockVerdict{{Block: "RNCP38478BC05", Validated: true, Route: certibloc.VAE, Reason: "Hors du périmètre visé."}}}
		if got := problemCodes(db.DecideCandidate(w.ctx, j.ID, wrong)); !slices.Equal(got, []string{"block_not_aimed"}) {
			t.Fatalf("a decision on a block not aimed at: %v", got)
		}
		jd := &certibloc.JuryDecision{PersonID: w.ada, Certified: true}
		for _, b := range blocks {
			jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral convaincants."})
		}
		must(t, db.DecideCandidate(w.ctx, j.ID, jd))
		must(t, db.CloseJury(w.ctx, j.ID, minutes))

		done, _ := db.Candidacy(w.self, cd.ID)
		ledger, _ := db.Ledger(w.ctx, w.ada)
		path, _, err := db.Path(w.ctx, w.ada, "RNCP38478")
		if done.State != certibloc.VAEDecided || len(ledger) != 4 || ledger[0].Route != certibloc.VAE || err != nil || !path.Certified {
			t.Fatalf("after the jury: %s, ledger %+v, certified %v, %v", done.State, ledger, path.Certified, err)
		}
		subjects := strings.Join(outboxSubjects(t, db, w.ctx), " | ")
		for _, s := range []string{"Candidature VAE reçue", "Candidature VAE incomplète", "Candidature VAE recevable", "Convocation à l'oral de VAE"} {
			if !strings.Contains(subjects, s) {
				t.Errorf("no e-mail %q in %s", s, subjects)
			}
		}

		// Nothing remains: no cohort to enrol in for the rest.
		if err := db.EnrolAfterVAE(w.admin, cd.ID, &certibloc.Enrolment{CohortID: 1, Mode: certibloc.Initial, InternshipMonths: 6}); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("enrolling after a full VAE: %v", err)
		}

		// A block now acquired cannot be aimed at again.
		again := &certibloc.Candidacy{PersonID: w.ada, Certification: "RNCP38478", Blocks: []string{"RNCP38478BC01"}}
		if got := problemCodes(db.CreateCandidacy(w.self, again)); !slices.Equal(got, []string{"block_acquired"}) {
			t.Fatalf("aiming at an acquired block: %v", got)
		}
	})
}

// TestVAERefusalAndBadInput: a refusal needs a reason and ends the
// candidacy; unknown blocks, reversed dates, a proof that is not what its
// name says, another person's candidacy: refused.
func TestVAERefusalAndBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newVAEWorld(t, db)
		bad := &certibloc.Candidacy{PersonID: w.ada, Certification: "RNCP38478", Blocks: []string{"RNCP38478BC09"},
			Experience: []certibloc.Experience{{Job: "x", Employer: "y", From: certibloc.DateOf(2020, 1, 1), To: certibloc.DateOf(2019, 1, 1)}}}
		if got := problemCodes(db.CreateCandidacy(w.self, bad)); !slices.Equal(got, []string{"block_unknown", "dates_reversed"}) {
			t.Fatalf("bad candidacy: %v", got)
		}
		cd := w.candidacy(t, "RNCP38478BC05")
		if _, err := db.AddProof(w.self, cd.ID, "attestation.pdf", []byte("\x89PNG\r\n\x1a\n0000")); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Fatalf("a PNG named .pdf: %v", err)
		}
		other := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{PersonID: w.grace, Role: certibloc.Candidate, Label: "account 98"})
		if _, err := db.Candidacy(other, cd.ID); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Fatalf("another candidate reading it: %v", err)
		}
		empty := &certibloc.Candidacy{PersonID: w.ada, Certification: "RNCP38478"}
		must(t, db.CreateCandidacy(w.self, empty))
		if got := problemCodes(func() error { _, err := db.SubmitCandidacy(w.self, empty.ID); return err }()); !slices.Equal(got, []string{"no_block", "no_experience"}) {
			t.Fatalf("submitting an empty candidacy: %v", got)
		}
		_, err := db.SubmitCandidacy(w.self, cd.ID)
		must(t, err)
		if _, err := db.DecideFeasibility(w.admin, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAENotAdmissible}); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Fatalf("a refusal without a reason: %v", err)
		}
		got, err := db.DecideFeasibility(w.admin, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAENotAdmissible, Reason: "Expérience sans rapport avec le bloc visé."})
		if err != nil || got.State != certibloc.VAENotAdmissible {
			t.Fatalf("refusal: %+v, %v", got, err)
		}
		if _, err := db.SaveCandidacy(w.self, cd); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("changing a refused candidacy: %v", err)
		}
		if err := db.WithdrawCandidacy(w.self, cd.ID); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("withdrawing a refused candidacy: %v", err)
		}
	})
}
