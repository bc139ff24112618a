package sqldb_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestRecordResultsRace: 32 requests from two markers write the same two
// learners' results at once. No update is lost or half made: every
// request succeeds or is refused cleanly, there is one current result per
// learner, and both learners' results come whole from the same request
// (the last). Then 32 requests submit one learner's result at once: one
// wins, the others find it locked, and the result is the winner's.
func TestRecordResultsRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 3)
		a, b, c := w.learners[0].ID, w.learners[1].ID, w.learners[2].ID
		s := &certibloc.EvalSession{School: "DIIAGE", CohortID: w.cohort.ID, Block: bc01, Evaluation: 1, Title: "BC01",
			Date: certibloc.DateOf(2027, time.June, 10), Evaluators: []int64{w.evaluator.AccountID, w.evaluator2.AccountID}}
		must(t, db.CreateEvalSession(ctx, w.staffP, s))
		g, err := db.Grid(ctx, s.GridID)
		must(t, err)
		write := func(i int, submit bool, people ...int64) ([]certibloc.Result, error) {
			marker := w.evaluator
			if i%2 == 1 {
				marker = w.evaluator2
			}
			var in []sqldb.ResultInput
			for _, p := range people {
				marks := levels(g, 1+i%4, false)
				for k := range marks {
					marks[k].Comment = fmt.Sprintf("écriture %d", i)
				}
				in = append(in, sqldb.ResultInput{PersonID: p, Marks: marks, Submit: submit})
			}
			return db.RecordResults(ctx, marker, s.ID, in)
		}
		const n = 32
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = write(i, false, a, b) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("draft %d: %v", i, err)
			}
		}
		results, err := db.Results(ctx, w.staffP, s.ID)
		must(t, err)
		if len(results) != 2 {
			t.Fatalf("%d current results, want 2: %+v", len(results), results)
		}
		tag := results[0].Marks[0].Comment
		var i int
		fmt.Sscanf(tag, "écriture %d", &i)
		for _, r := range results {
			if len(r.Marks) != len(g.Criteria) || r.Total != certibloc.Score(len(g.Criteria)*100*(1+i%4)) {
				t.Errorf("result of %d: total %s, want write %d's", r.PersonID, r.Total, i)
			}
			for _, m := range r.Marks {
				if m.Comment != tag || m.Value != certibloc.Score(100*(1+i%4)) {
					t.Errorf("result of %d mixes writes: %+v (write %d)", r.PersonID, r.Marks, i)
				}
			}
			if r.State != certibloc.ResultDraft {
				t.Errorf("state %s", r.State)
			}
		}

		won := make([]bool, n)
		for i := range n {
			wg.Go(func() {
				_, err := write(i, true, c)
				switch {
				case err == nil:
					won[i] = true
				case certibloc.ErrorCode(err) == certibloc.ECONFLICT:
				default:
					ps := problemsOf(t, err)
					if len(ps) != 1 || ps[0].Code != "locked" {
						t.Errorf("submission %d: %v", i, err)
					}
				}
			})
		}
		wg.Wait()
		winner := -1
		for i, ok := range won {
			if ok {
				if winner >= 0 {
					t.Errorf("submissions %d and %d both succeeded", winner, i)
				}
				winner = i
			}
		}
		results, err = db.Results(ctx, w.staffP, s.ID)
		must(t, err)
		var count int
		for _, r := range results {
			if r.PersonID != c {
				continue
			}
			count++
			if r.State != certibloc.ResultSubmitted || r.Marks[0].Comment != fmt.Sprintf("écriture %d", winner) {
				t.Errorf("submitted result %+v, winner %d", r, winner)
			}
		}
		if count != 1 || winner < 0 {
			t.Errorf("%d results of the learner, winner %d", count, winner)
		}
		trail, err := db.AuditTrail(ctx, "eval_session", fmt.Sprint(s.ID))
		must(t, err)
		if _, err := db.VerifyAudit(ctx); err != nil || len(trail) != 1 {
			t.Errorf("audit trail after the race: %v", err)
		}
	})
}
