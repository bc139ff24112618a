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

// TestRecordResultsOneLearnerAsBatch: RecordResults reads only the
// learner for a batch of one learner's row. Written a row at a time, a
// batch gives what it gives written whole (marks, outcome, state,
// accommodations, marker), is refused with the same problems, and its
// submissions are audited under the session: one entry per call.
func TestRecordResultsOneLearnerAsBatch(t *testing.T) {
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
		whole, err := db.RecordResults(ctx, w.evaluator, a.ID, batch)
		must(t, err)
		for _, in := range batch {
			_, err := db.RecordResults(ctx, w.evaluator, b.ID, []sqldb.ResultInput{in})
			must(t, err)
		}
		ra, err := db.Results(ctx, w.staffP, a.ID)
		must(t, err)
		rb, err := db.Results(ctx, w.staffP, b.ID)
		must(t, err)
		if len(ra) != 3 || len(rb) != 3 || len(whole) != 3 {
			t.Fatalf("%d and %d results, %d answered", len(ra), len(rb), len(whole))
		}
		for i := range ra {
			x, y := ra[i], rb[i]
			if x.PersonID != y.PersonID || fmt.Sprint(x.Marks) != fmt.Sprint(y.Marks) || x.Outcome != y.Outcome || x.State != y.State ||
				fmt.Sprint(x.Accommodations) != fmt.Sprint(y.Accommodations) || x.Marker != y.Marker || (x.SubmittedAt == nil) != (y.SubmittedAt == nil) {
				t.Errorf("as a batch %+v\none at a time %+v", x, y)
			}
		}
		for _, s := range []*certibloc.EvalSession{a, b} {
			trail, err := db.AuditTrail(ctx, "eval_session", fmt.Sprint(s.ID))
			must(t, err)
			if n := len(trail); n != 2 || trail[1].Action != "results.submit" {
				t.Errorf("audit of session %d: %d entries, want its creation and one submission", s.ID, n)
			}
		}

		// Refused the same way, nothing written.
		bad := []sqldb.ResultInput{{PersonID: w.learners[2].ID, Marks: levels(g, 3, false)},
			{PersonID: w.learners[0].ID, Marks: levels(g, 2, false)}, {PersonID: w.outsider.ID, Marks: levels(g, 9, false)}}
		_, errA := db.RecordResults(ctx, w.evaluator, a.ID, bad)
		pa := problemsOf(t, errA)
		for i, in := range bad {
			_, err := db.RecordResults(ctx, w.evaluator, b.ID, []sqldb.ResultInput{in})
			if i == 0 {
				must(t, err) // a draft: written alone
				continue
			}
			pb := problemsOf(t, err)
			if len(pb) != 1 || pb[0].Code != pa[i-1].Code || pb[0].Value != pa[i-1].Value {
				t.Errorf("row %d alone: %+v; in the batch: %+v", i+1, pb, pa)
			}
		}
		if !hasProblem(pa, 2, "locked") || !hasProblem(pa, 3, "unknown_learner") {
			t.Errorf("problems: %+v", pa)
		}
		again, err := db.Results(ctx, w.staffP, a.ID)
		must(t, err)
		if fmt.Sprint(again) != fmt.Sprint(ra) {
			t.Errorf("a refused batch wrote:\n%+v\n%+v", again, ra)
		}
		_, err = db.RecordResults(ctx, w.evaluator2, b.ID, batch[1:2])
		if ps := problemsOf(t, err); len(ps) != 1 || ps[0].Code != "not_assigned" {
			t.Errorf("an evaluator not assigned: %+v", ps)
		}
	})
}

// TestRecordResultsLargeBatch: a batch of more results than one upsert
// writes (full upserts and the rest), new results and drafts updated
// together, is written whole; one locked result among them refuses it
// whole; its submissions are one audit entry.
func TestRecordResultsLargeBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
		must(t, db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}))
		cert, err := seed.Certification()
		must(t, err)
		_, err = db.SaveCertification(ctx, cert)
		must(t, err)
		grids, err := db.Grids(ctx, cert.Code, 0)
		must(t, err)
		g := &grids[0]
		account, err := db.CreateAccount(ctx, certibloc.Account{Email: "correcteur@example.org", Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}})
		must(t, err)
		ev := account.Principal()
		const n = 1234
		id, err := db.SeedGradingSessionForBench(ctx, "DIIAGE", g, account.ID, n)
		must(t, err)
		s, err := db.EvalSession(ctx, ev, id)
		must(t, err)
		batch := func(level int, submit bool, from, to int) []sqldb.ResultInput {
			var in []sqldb.ResultInput
			for _, l := range s.Learners[from:to] {
				in = append(in, sqldb.ResultInput{PersonID: l.PersonID, Marks: levels(g, level, false), Submit: submit})
			}
			return in
		}
		_, err = db.RecordResults(ctx, ev, id, batch(1, false, 0, 500)) // drafts of the first 500
		must(t, err)
		_, err = db.RecordResults(ctx, ev, id, batch(2, true, n-1, n)) // the last one submitted
		must(t, err)
		_, err = db.RecordResults(ctx, ev, id, batch(3, true, 0, n))
		if ps := problemsOf(t, err); len(ps) != 1 || ps[0].Code != "locked" || ps[0].Row != n {
			t.Errorf("a batch with a locked result: %+v", ps)
		}
		list, err := db.Results(ctx, ev, id)
		must(t, err)
		if len(list) != 501 {
			t.Fatalf("a refused batch wrote: %d results", len(list))
		}
		out, err := db.RecordResults(ctx, ev, id, batch(3, true, 0, n-1))
		must(t, err)
		if len(out) != n-1 {
			t.Errorf("%d results answered, want %d", len(out), n-1)
		}
		list, err = db.Results(ctx, ev, id)
		must(t, err)
		ids := map[int64]bool{}
		for _, r := range list {
			want := certibloc.Score(len(g.Criteria) * 300)
			if r.PersonID == s.Learners[n-1].PersonID {
				want = certibloc.Score(len(g.Criteria) * 200)
			}
			if r.State != certibloc.ResultSubmitted || r.Total != want {
				t.Errorf("result of %d: %s, total %s, want %s", r.PersonID, r.State, r.Total, want)
			}
			ids[r.ID] = true
		}
		for _, r := range out {
			if !ids[r.ID] {
				t.Errorf("answered result %d is not stored", r.ID)
			}
		}
		if len(list) != n || len(ids) != n {
			t.Errorf("%d results, %d ids, want %d", len(list), len(ids), n)
		}
		trail, err := db.AuditTrail(ctx, "eval_session", fmt.Sprint(id))
		must(t, err)
		if len(trail) != 2 {
			t.Errorf("%d audit entries, want one per batch submitting", len(trail))
		}
	})
}
