package sqldb_test

import (
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// BenchmarkDeliberation10k: a jury of 10,000 candidates deliberated from
// the database (the target: under 1 s): their enrolments, official
// results and ledger read in a few queries, the engine's proposal made for
// each. Run with
//
//	scripts/test -run '^$' -bench Deliberation -benchtime 3x ./internal/sqldb
func BenchmarkDeliberation10k(b *testing.B) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(b.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "bench"})
		if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
			b.Fatal(err)
		}
		cert, err := seed.Certification()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.SaveCertification(ctx, cert); err != nil {
			b.Fatal(err)
		}
		if cert, err = db.Certification(ctx, cert.Code, 0); err != nil {
			b.Fatal(err)
		}
		if _, err := db.SeedEvaluationsForBench(ctx, cert, "DIIAGE", 10000); err != nil {
			b.Fatal(err)
		}
		list, err := db.BlockStatuses(ctx, &certibloc.Principal{Role: certibloc.Admin}, sqldb.StatusFilter{})
		if err != nil {
			b.Fatal(err)
		}
		j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon",
			Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true}}}
		for _, l := range list {
			j.Candidates = append(j.Candidates, l.PersonID)
		}
		if err := db.CreateJury(ctx, j); err != nil {
			b.Fatal(err)
		}
		props, err := db.JuryProposals(ctx, j.ID)
		if err != nil || len(props) != 10000 {
			b.Fatalf("proposals: %d, %v", len(props), err)
		}
		certified := 0
		for i, p := range props {
			if p.Engine.Certified != list[i].Decision.Certified || p.PersonID != list[i].PersonID {
				b.Fatalf("candidate %d: the jury's proposal (certified %v) differs from the block statuses (%v)", p.PersonID, p.Engine.Certified, list[i].Decision.Certified)
			}
			if p.Decision.Proposed {
				certified++
			}
		}
		var spent, cpu time.Duration
		for b.Loop() {
			start, cpu0 := time.Now(), cpuTime()
			if _, err := db.JuryProposals(ctx, j.ID); err != nil {
				b.Fatal(err)
			}
			spent += time.Since(start)
			cpu += cpuTime() - cpu0
		}
		b.ReportMetric(spent.Seconds()*1000/float64(b.N), "ms/10k-candidates")
		b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/10k-candidates")
		b.ReportMetric(float64(certified), "certified")
	})
}
