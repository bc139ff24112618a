package sqldb_test

import (
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// BenchmarkAdmissionMissingDocuments reads what one application of a
// campaign of 10,000 lacks against the campaign's checklist: the call the
// pipeline makes for each application of a page (50), which should stay
// well under a millisecond. Run with
//
//	scripts/test -run '^$' -bench AdmissionMissing -benchtime 2000x ./internal/sqldb
func BenchmarkAdmissionMissingDocuments(b *testing.B) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx, c, ids := benchCampaign(b, db, 10000, func(int) certibloc.State { return certibloc.Submitted })
		if _, err := db.SetRequiredDocuments(ctx, c.ID, []string{certibloc.DocCV, certibloc.DocDiploma, certibloc.DocTranscript}); err != nil {
			b.Fatal(err)
		}
		id := ids[len(ids)/2]
		if _, err := db.AddDocument(ctx, id, certibloc.DocCV, "cv.pdf", file(b, "cv.pdf")); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for b.Loop() {
			missing, err := db.MissingDocuments(ctx, id)
			if err != nil || len(missing) != 2 {
				b.Fatalf("MissingDocuments = %v, %v", missing, err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/float64(b.N), "µs/application")
	})
}
