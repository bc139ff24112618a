package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestImportResultsAsRecordResults: the bulk path of grade sheets writes
// what RecordResults writes (marks, outcome, state, accommodations, the
// audit of each submission), refuses what it refuses with the same
// problems, writes nothing then, and counts what it wrote.
func TestImportResultsAsRecordResults(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newEvalWorld(t, db, 3)
		ctx := w.ctx
		must(t, db.SetAccommodations(ctx, w.referent, w.learners[1].ID, []certibloc.Accommodation{{Kind: certibloc.ExtraTime, Detail: "30 minutes"}}))
		day := certibloc.DateOf(2026, time.October, 5)
		a := w.session(t, bc01, 1, "", day)
		b := w.session(t, bc01, 1, "", day)
		g, err := db.Grid(ctx, a.GridID)
		must(t, err)
		batch := []sqldb.ResultInput{
			{PersonID: w.learners[0].ID, Marks: levels(g, 3, false), Submit: true},
			{PersonID: w.learners[1].ID, Marks: levels(g, 1, false)},
			{PersonID: w.learners[2].ID, Marks: levels(g, 2, false)[:1]},
		}
		_, err = db.RecordResults(ctx, w.evaluator, a.ID, batch)
		must(t, err)
		got, err := db.ImportResults(ctx, w.evaluator, b.ID, batch)
		must(t, err)
		if got != (sqldb.ImportedResults{SessionID: b.ID, Recorded: 3, Submitted: 1}) {
			t.Errorf("ImportResults = %+v", got)
		}
		ra, err := db.Results(ctx, w.staffP, a.ID)
		must(t, err)
		rb, err := db.Results(ctx, w.staffP, b.ID)
		must(t, err)
		if len(ra) != 3 || len(rb) != 3 {
			t.Fatalf("%d and %d results", len(ra), len(rb))
		}
		for i := range ra {
			x, y := ra[i], rb[i]
			if x.PersonID != y.PersonID || fmt.Sprint(x.Marks) != fmt.Sprint(y.Marks) || x.Outcome != y.Outcome || x.State != y.State ||
				fmt.Sprint(x.Accommodations) != fmt.Sprint(y.Accommodations) || x.Marker != y.Marker || (x.SubmittedAt == nil) != (y.SubmittedAt == nil) {
				t.Errorf("RecordResults wrote %+v\nImportResults wrote %+v", x, y)
			}
			if x.State == certibloc.ResultSubmitted {
				trail, err := db.AuditTrail(ctx, "result", fmt.Sprint(y.ID))
				if err != nil || len(trail) != 1 || trail[0].Action != "result.submit" {
					t.Errorf("audit of the imported submission: %+v, %v", trail, err)
				}
			}
		}

		// Refused the same way, nothing written.
		bad := []sqldb.ResultInput{{PersonID: w.learners[2].ID, Marks: levels(g, 3, false)},
			{PersonID: w.learners[0].ID, Marks: levels(g, 2, false)}, {PersonID: w.outsider.ID, Marks: levels(g, 9, false)}}
		_, errA := db.RecordResults(ctx, w.evaluator, a.ID, bad)
		_, errB := db.ImportResults(ctx, w.evaluator, b.ID, bad)
		pa, pb := problemsOf(t, errA), problemsOf(t, errB)
		if fmt.Sprint(pa) != fmt.Sprint(pb) || !hasProblem(pb, 2, "locked") || !hasProblem(pb, 3, "unknown_learner") {
			t.Errorf("problems differ:\n%+v\n%+v", pa, pb)
		}
		again, err := db.Results(ctx, w.staffP, b.ID)
		must(t, err)
		if fmt.Sprint(again) != fmt.Sprint(rb) {
			t.Errorf("a refused import wrote:\n%+v\n%+v", again, rb)
		}
		_, err = db.ImportResults(ctx, w.evaluator2, b.ID, batch[1:2])
		if ps := problemsOf(t, err); len(ps) != 1 || ps[0].Code != "not_assigned" {
			t.Errorf("an evaluator not assigned: %+v", ps)
		}
	})
}
