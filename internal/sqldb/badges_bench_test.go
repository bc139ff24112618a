package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// BenchmarkIssueJuryCredentials issues the credentials of a closed jury of
// 50 candidates, each awarded the title and two blocks: 150 credentials
// built, signed (on every core) and stored in one transaction, on SQLite.
// The jury is made anew, off the clock, for each run.
func BenchmarkIssueJuryCredentials(b *testing.B) {
	db := sqldbtest.SQLite(b)
	ctx := certibloc.WithPrincipal(b.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "bench"})
	for _, code := range []string{"DIIAGE"} {
		if err := db.CreateSchool(ctx, &certibloc.School{Code: code, Name: code}); err != nil {
			b.Fatal(err)
		}
	}
	cert, err := seed.Certification()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.SaveCertification(ctx, cert); err != nil {
		b.Fatal(err)
	}
	const candidates = 50
	run := 0
	jury := func() int64 {
		run++
		var ids []int64
		for i := range candidates {
			p := &certibloc.Person{School: "DIIAGE", BirthName: fmt.Sprintf("BENCH%d", i), FirstNames: "Camille",
				Email: fmt.Sprintf("camille.%d.%d@example.org", run, i)}
			if err := db.CreatePerson(ctx, p); err != nil {
				b.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2026, 7, 1), Place: "Dijon", Candidates: ids,
			Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
				{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
		if err := db.CreateJury(ctx, j); err != nil {
			b.Fatal(err)
		}
		for _, id := range ids {
			jd := &certibloc.JuryDecision{PersonID: id, Certified: true, Reason: "Le jury statue au vu de l'ensemble du parcours."}
			for _, blk := range []string{"RNCP38478BC01", "RNCP38478BC02"} {
				jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: blk, Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."})
			}
			if err := db.DecideCandidate(ctx, j.ID, jd); err != nil {
				b.Fatal(err)
			}
		}
		if err := db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }); err != nil {
			b.Fatal(err)
		}
		return j.ID
	}
	var spent time.Duration
	issued := 0
	for b.Loop() {
		b.StopTimer()
		id := jury()
		b.StartTimer()
		start := time.Now()
		creds, err := db.IssueJuryCredentials(ctx, id, "https://certibloc.example.org")
		spent += time.Since(start)
		if err != nil || len(creds) != 3*candidates {
			b.Fatalf("%d credentials, %v", len(creds), err)
		}
		issued += len(creds)
	}
	b.ReportMetric(float64(issued)/spent.Seconds(), "credentials/s")
}

var _ = sqldb.CredentialURLs{}
