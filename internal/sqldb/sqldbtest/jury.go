package sqldbtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// ClosedJury is a jury of RNCP38478 closed on 1 July 2027, with its
// candidates in three kinds by turns: awarded the title by VAE (four
// blocks: a certificate, a transcript, four attestations), partly
// successful (two blocks: a transcript, two attestations), and with
// nothing validated (no document).
type ClosedJury struct {
	Jury      *certibloc.JurySession
	People    []int64
	Documents int // what its batch issues
}

// NewClosedJury makes a school DIIAGE (unless it exists), the
// certification and n candidates with accented names, decides each and
// closes the jury with minutes rendered by minutes.
func NewClosedJury(t testing.TB, db *sqldb.DB, n int, minutes sqldb.Minutes) *ClosedJury {
	t.Helper()
	ctx := certibloc.WithPrincipal(context.Background(), &certibloc.Principal{Role: certibloc.Admin, Label: "fixture"})
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.School(ctx, "DIIAGE"); certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		check(db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE – Dijon"}))
	}
	c, err := seed.Certification()
	check(err)
	_, err = db.SaveCertification(ctx, c)
	check(err)
	cj := &ClosedJury{}
	for i := range n {
		p := &certibloc.Person{School: "DIIAGE", BirthName: fmt.Sprintf("Lefèvre-%d", i+1), FirstNames: "Hélène Françoise",
			BirthDate: certibloc.DateOf(1990+i%20, 3, 12)}
		check(db.CreatePerson(ctx, p))
		cj.People = append(cj.People, p.ID)
	}
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon – Île-de-France",
		Members: []certibloc.JuryMember{{Name: "Présidente Émilie", Role: certibloc.JuryChair, Present: true},
			{Name: "Professionnel A", Role: certibloc.JuryProfessional, Present: true},
			{Name: "Professionnelle B", Role: certibloc.JuryProfessional, Present: true}},
		Candidates: cj.People}
	check(db.CreateJury(ctx, j))
	for i, p := range cj.People {
		jd := &certibloc.JuryDecision{PersonID: p}
		blocks := []string{"RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04"}
		switch i % 3 {
		case 0:
			jd.Certified = true
			cj.Documents += 6
		case 1:
			blocks = blocks[:2]
			cj.Documents += 3
		case 2:
			blocks = nil
		}
		for _, b := range blocks {
			jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE,
				Reason: "Dossier de validation et entretien favorables."})
		}
		check(db.DecideCandidate(ctx, j.ID, jd))
	}
	check(db.CloseJury(ctx, j.ID, minutes))
	cj.Jury, err = db.Jury(ctx, j.ID)
	check(err)
	return cj
}

// CheckIssuedOnce checks that the jury issued want documents, each
// (person, kind, block) once, each number once, and returns them.
func CheckIssuedOnce(t testing.TB, db *sqldb.DB, jury int64, want int) []certibloc.IssuedDocument {
	t.Helper()
	docs, err := db.JuryDocuments(context.Background(), jury)
	if err != nil || len(docs) != want {
		t.Fatalf("the jury issued %d documents (want %d), %v", len(docs), want, err)
	}
	keys, numbers := map[string]bool{}, map[string]bool{}
	for _, d := range docs {
		k := certibloc.PlannedDocument{Kind: d.Kind, PersonID: d.PersonID}
		if d.Kind == certibloc.Attestation {
			k.Block = d.Blocks[0].Code
		}
		if keys[k.Key()] || numbers[d.Number] {
			t.Fatalf("document %s (%s) issued twice", k.Key(), d.Number)
		}
		keys[k.Key()], numbers[d.Number] = true, true
	}
	return docs
}
