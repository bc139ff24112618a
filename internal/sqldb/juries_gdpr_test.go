package sqldb_test

import (
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// seedJuries makes the seeded person a candidate of a closed jury that
// awarded them every block and the title (ledger, titles, decisions,
// declarations about them), and a member of another jury, under a jury
// account of theirs.
func seedJuries(t *testing.T, db *sqldb.DB, s *seeded) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	var members []certibloc.JuryMember
	var asMember []*certibloc.Principal
	for i, role := range []string{certibloc.JuryChair, certibloc.JuryProfessional, certibloc.JuryProfessional} {
		a, err := db.CreateAccount(ctx, certibloc.Account{Email: "jure" + string(rune('a'+i)) + "@example.net", Role: certibloc.Jury, Schools: []string{"DIIAGE"}})
		must(t, err)
		members = append(members, certibloc.JuryMember{AccountID: a.ID, Name: "Juré " + string(rune('A'+i)), Role: role, Present: true})
		asMember = append(asMember, &certibloc.Principal{AccountID: a.ID, Role: certibloc.Jury, Label: "jury"})
	}
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon", Members: members, Candidates: []int64{s.person.ID}}
	must(t, db.CreateJury(ctx, j))
	for _, p := range asMember {
		must(t, db.DeclareConflict(certibloc.WithPrincipal(ctx, p), j.ID, s.person.ID, false))
	}
	// The title is the jury's, whatever the results seeded before say.
	jd := &certibloc.JuryDecision{PersonID: s.person.ID, Certified: true, Reason: "Le jury délivre le titre au vu de l'ensemble du parcours."}
	for _, b := range []string{"RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04"} {
		jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."})
	}
	must(t, db.DecideCandidate(ctx, j.ID, jd))
	must(t, db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }))
	// Its Open Badges credentials: the title's and the blocks'.
	creds, err := db.IssueJuryCredentials(ctx, j.ID, "https://certibloc.test")
	must(t, err)
	if len(creds) == 0 {
		t.Fatal("the closed jury gave no credential")
	}

	own, err := db.CreateAccount(ctx, certibloc.Account{PersonID: s.person.ID, Email: "zq.jury@example.org", Role: certibloc.Jury, Schools: []string{"DIIAGE"}})
	must(t, err)
	other := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 9, 1), Place: "Dijon",
		Members: []certibloc.JuryMember{{AccountID: own.ID, Name: "Zéphyrine Quatremare", Role: certibloc.JuryProfessional, Present: true}}}
	must(t, db.CreateJury(ctx, other))
}

// seedVAE gives the seeded person a VAE candidacy declared incomplete, with
// their experience, a proof and a feasibility decision naming them.
func seedVAE(t *testing.T, db *sqldb.DB, s *seeded) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	cd := &certibloc.Candidacy{PersonID: s.person.ID, Certification: "RNCP38478", Blocks: []string{"RNCP38478BC05"},
		Experience: []certibloc.Experience{{Job: "Cheffe de projet", Employer: "Ajaccio Numérique", From: certibloc.DateOf(2015, 1, 1),
			Activities: "Pilotage des projets de Zéphyrine Quatremare pour la collectivité"}}}
	must(t, db.CreateCandidacy(ctx, cd))
	_, err := db.AddProof(ctx, cd.ID, "attestation.pdf", file(t, "cv.pdf"))
	must(t, err)
	_, err = db.SubmitCandidacy(ctx, cd.ID)
	must(t, err)
	_, err = db.DecideFeasibility(certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Admin, Label: "admin"}), cd.ID,
		certibloc.Feasibility{Outcome: certibloc.VAEIncomplete, Missing: []string{"Attestation d'employeur de Mme Quatremare"}})
	must(t, err)
}
