package sqldb_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// BenchmarkCreatePeopleParallel creates people from 32 goroutines at once,
// each creation an audited write: what the audit trail's lanes are for
// (one chain made every writer wait for its head). Run with
//
//	scripts/test -run '^$' -bench CreatePeopleParallel -benchtime 3000x ./internal/sqldb
func BenchmarkCreatePeopleParallel(b *testing.B) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(b.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "bench"})
		if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
			b.Fatal(err)
		}
		var n atomic.Int64
		b.SetParallelism(16) // 16 × GOMAXPROCS goroutines
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				if err := db.CreatePerson(ctx, samplePerson("DIIAGE", fmt.Sprint("Nom", i), "Prénom")); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "people/s")
		if _, err := db.VerifyAudit(ctx); err != nil {
			b.Fatal(err)
		}
	})
}
