package sqldb_test

import (
	"context"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// The targets: listing a campaign of 10,000 applications with
// filters in under 50 ms, and a decision on 1,000 applications at once in
// under 1 s. Run with
//
//	scripts/test -run '^$' -bench Admission -benchtime 20x ./internal/sqldb
//
// (scripts/test starts PostgreSQL; without it the postgres runs skip).
// Each fails when its mean is above the target.

// eachEngine runs a benchmark on SQLite, and on PostgreSQL when there is one.
func eachEngine(b *testing.B, fn func(b *testing.B, db *sqldb.DB)) {
	b.Run(sqldb.SQLite, func(b *testing.B) { fn(b, sqldbtest.SQLite(b)) })
	b.Run(sqldb.Postgres, func(b *testing.B) { fn(b, sqldbtest.Postgres(b)) })
}

// benchCampaign stores DIIAGE, RNCP38478 and a campaign whose places are
// not counted, and n applications to it in states spread by stateOf.
func benchCampaign(b *testing.B, db *sqldb.DB, n int, stateOf func(i int) certibloc.State) (context.Context, *certibloc.Campaign, []int64) {
	b.Helper()
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
	c := &certibloc.Campaign{School: "DIIAGE", CertificationCode: cert.Code, Year: 2026,
		OpensOn: certibloc.DateOf(2026, time.January, 15), ClosesOn: certibloc.DefaultClosing(2026),
		Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial}, {Track: certibloc.OneYear, Mode: certibloc.Apprenticeship},
			{Track: certibloc.ThreeYear, Mode: certibloc.Initial}, {Track: certibloc.ThreeYear, Mode: certibloc.Apprenticeship}}}
	if err := db.CreateCampaign(ctx, c); err != nil {
		b.Fatal(err)
	}
	ids, err := db.SeedApplicationsForBench(ctx, c, n, stateOf)
	if err != nil {
		b.Fatal(err)
	}
	if db.Engine() == sqldb.Postgres {
		// What autovacuum does a minute after a bulk load: without
		// statistics the planner takes the tables for empty.
		if err := db.ExecForAdmissionTest(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
	}
	return ctx, c, ids
}

// BenchmarkAdmissionList lists one page of 50 of a campaign of 10,000
// applications filtered by state, track and a name search, with the total.
func BenchmarkAdmissionList(b *testing.B) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx, c, _ := benchCampaign(b, db, 10000, func(i int) certibloc.State {
			return certibloc.States[i%len(certibloc.States)]
		})
		f := sqldb.ApplicationFilter{CampaignID: c.ID, States: []certibloc.State{certibloc.Submitted, certibloc.Admissible},
			Track: certibloc.OneYear, Search: "ma", Limit: 50}
		list, total, err := db.Applications(ctx, f)
		if err != nil || len(list) != 50 || total < 100 {
			b.Fatalf("Applications = %d of %d, %v", len(list), total, err)
		}
		start := time.Now()
		for b.Loop() {
			if _, _, err := db.Applications(ctx, f); err != nil {
				b.Fatal(err)
			}
		}
		ms := float64(time.Since(start).Microseconds()) / 1000 / float64(b.N)
		b.ReportMetric(ms, "ms/list")
		b.ReportMetric(float64(total), "matches")
		if ms > 50 {
			b.Errorf("listing took %.1f ms, above the 50 ms of the target", ms)
		}
	})
}

// BenchmarkAdmissionBulkDecision declares 1,000 submitted applications
// admissible at once, each with its decision and its audit entry; the
// applications are put back between runs.
func BenchmarkAdmissionBulkDecision(b *testing.B) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx, c, ids := benchCampaign(b, db, 1000, func(int) certibloc.State { return certibloc.Submitted })
		d := certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible, Members: []string{"Michel GIRARD", "Claire MOREAU"}}
		var spent time.Duration
		for b.Loop() {
			b.StopTimer()
			if err := db.ExecForAdmissionTest(ctx, `UPDATE applications SET state = 'submitted' WHERE campaign_id = $1`, c.ID); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			start := time.Now()
			out, err := db.Decide(ctx, ids, d)
			spent += time.Since(start)
			if err != nil || len(out) != len(ids) {
				b.Fatalf("Decide = %d decisions, %v", len(out), err)
			}
		}
		ms := spent.Seconds() * 1000 / float64(b.N)
		b.ReportMetric(ms, "ms/1000-decisions")
		if ms > 1000 {
			b.Errorf("a decision on 1,000 applications took %.0f ms, above the 1 s of the target", ms)
		}
	})
}
