package sqldb_test

import (
	"fmt"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// BenchmarkOutboxPage reads a page of the outbox page (31 messages) out of
// 20,000: the first, the 100th, a search by recipient or subject (a scan:
// LIKE '%…%' takes no index), a school's search. Run with
//
//	scripts/test -run '^$' -bench OutboxPage -benchtime 50x ./internal/sqldb
func BenchmarkOutboxPage(b *testing.B) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(b.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "bench"})
		for _, code := range []string{"DIIAGE", "ESTIA"} {
			if err := db.CreateSchool(ctx, &certibloc.School{Code: code, Name: "École " + code}); err != nil {
				b.Fatal(err)
			}
		}
		const n = 20000
		list := make([]certibloc.Mail, n)
		for i := range list {
			school := "DIIAGE"
			if i%4 == 0 {
				school = "ESTIA"
			}
			list[i] = certibloc.Mail{To: fmt.Sprintf("candidat.%05d@example.org", i), School: school,
				Subject: "Votre candidature est admissible / Your application is admissible",
				Body:    "Bonjour,\n\nLa commission d'admissibilité a retenu votre dossier.\n"}
		}
		if err := db.EnqueueManyForBench(ctx, list); err != nil {
			b.Fatal(err)
		}
		for _, c := range []struct {
			name string
			f    sqldb.OutboxFilter
			want int
		}{
			{"first page", sqldb.OutboxFilter{All: true, Limit: 31}, 31},
			{"page 100", sqldb.OutboxFilter{All: true, Limit: 31, Offset: 99 * 30}, 31},
			{"search", sqldb.OutboxFilter{All: true, Limit: 31, Search: "candidat.1234"}, 10},
			{"school search", sqldb.OutboxFilter{Schools: []string{"DIIAGE"}, Limit: 31, Search: "CANDIDAT.1234"}, 7},
		} {
			b.Run(c.name, func(b *testing.B) {
				for b.Loop() {
					got, err := db.Outbox(ctx, c.f)
					if err != nil || len(got) != c.want {
						b.Fatalf("%d messages, %v; want %d", len(got), err, c.want)
					}
				}
			})
		}
	})
}
