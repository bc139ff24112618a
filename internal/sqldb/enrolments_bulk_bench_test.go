package sqldb_test

import (
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// BenchmarkEnrolAdmitted enrols in bulk, in one transaction, the 450
// admitted candidates of a campaign ticked at once: 150 on the cohort's
// track in initial training are enrolled (each with its learner, its
// decision, its notice and its audit entries), the 300 others reported
// with their reason. The cohort is emptied between runs. Run with
//
//	go test -run '^$' -bench EnrolAdmitted -benchtime 5x ./internal/sqldb
func BenchmarkEnrolAdmitted(b *testing.B) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx, c, ids := benchCampaign(b, db, 450, func(int) certibloc.State { return certibloc.Admitted })
		cohort := &certibloc.Cohort{School: "DIIAGE", CampaignID: c.ID, Name: "Promotion du banc", Track: certibloc.OneYear,
			StartsOn: certibloc.DateOf(2026, 9, 1), EndsOn: certibloc.DateOf(2027, 6, 30), PlannedHours: 600, WeeklyHours: 35}
		if err := db.CreateCohort(ctx, cohort); err != nil {
			b.Fatal(err)
		}
		var spent time.Duration
		enrolled := 0
		for b.Loop() {
			b.StopTimer()
			for _, q := range []string{`DELETE FROM enrolments WHERE cohort_id = $1`, `UPDATE applications SET state = 'admitted' WHERE campaign_id = $1`} {
				arg := cohort.ID
				if q[0] == 'U' {
					arg = c.ID
				}
				if err := db.ExecForAdmissionTest(ctx, q, arg); err != nil {
					b.Fatal(err)
				}
			}
			b.StartTimer()
			start := time.Now()
			report, err := db.EnrolAdmitted(ctx, cohort.ID, ids, 6)
			spent += time.Since(start)
			if err != nil || len(report.Enrolled)+len(report.Refused) != len(ids) {
				b.Fatalf("EnrolAdmitted = %+v, %v", report, err)
			}
			enrolled = len(report.Enrolled)
		}
		b.ReportMetric(spent.Seconds()*1000/float64(b.N), "ms/bulk")
		b.ReportMetric(float64(enrolled), "enrolled")
	})
}
