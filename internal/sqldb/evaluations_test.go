package sqldb_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// problemsOf returns the problems of a refused batch, failing the test
// when err is not one.
func problemsOf(t *testing.T, err error) certibloc.Problems {
	t.Helper()
	var ps certibloc.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want problems, got %v", err)
	}
	return ps
}

// hasProblem reports whether ps holds a problem of code at row.
func hasProblem(ps certibloc.Problems, row int, code string) bool {
	return slices.ContainsFunc(ps, func(p certibloc.Problem) bool { return p.Row == row && p.Code == code })
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if certibloc.ErrorCode(err) != code {
		t.Errorf("%s: want %s, got %v", what, code, err)
	}
}

// TestGridsStoredWithEveryVersion: a stored version has a grid per
// evaluation and per complementary evaluation, in the same transaction;
// versions stored before grids existed get theirs when the database
// migrates; an edit is a new revision, audited; only staff and the admin
// edit, and a grid that does not fit its block is refused.
func TestGridsStoredWithEveryVersion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 0)
		grids, err := db.Grids(ctx, "RNCP38478", 0)
		must(t, err)
		// BC01 1, BC02 2, BC03 1, BC04 2, BC05 2, BC06 2, and the oral defence and the thesis.
		if len(grids) != 12 {
			t.Fatalf("%d grids, want 12: %+v", len(grids), grids)
		}
		team := grids[1]
		if team.Block != bc02 || team.Evaluation != 1 || team.Criterion("IND") == nil || !team.Criterion("IND").Individual {
			t.Errorf("BC02's team evaluation grid: %+v", team)
		}
		if last := grids[11]; last.Complementary == "" || last.Criteria[0].Scale.Max != 2000 {
			t.Errorf("complementary grid: %+v", last)
		}
		for _, g := range grids {
			if err := g.Validate(); err != nil || g.Revision != 1 || g.Version != 1 {
				t.Errorf("grid %s %d %s: revision %d, version %d, %v", g.Block, g.Evaluation, g.Complementary, g.Revision, g.Version, err)
			}
		}

		// A database whose versions were stored before grids existed.
		must(t, db.ExecForAuditTest(ctx, `DELETE FROM grids`))
		_, err = db.Migrate(ctx)
		must(t, err)
		again, err := db.Grids(ctx, "RNCP38478", 1)
		if err != nil || len(again) != 12 {
			t.Fatalf("after migrating, %d grids, %v", len(again), err)
		}

		g := again[0]
		g.Title = "BC01 — grille du certificateur"
		g.Criteria[0].Scale = certibloc.Scale{Max: 2000, Pass: 1000}
		if err := db.SaveGrid(ctx, w.evaluator, &g); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Errorf("an evaluator edits a grid: %v", err)
		}
		bad := g
		bad.Criteria = slices.Clone(g.Criteria)
		bad.Criteria[0].Competency = 99
		wantCode(t, "a criterion on a competency the block lacks", db.SaveGrid(ctx, w.staffP, &bad), certibloc.EINVALID)
		must(t, db.SaveGrid(ctx, w.staffP, &g))
		if g.Revision != 2 || g.ID == again[0].ID {
			t.Errorf("edited grid: revision %d, id %d", g.Revision, g.ID)
		}
		latest, err := db.Grids(ctx, "RNCP38478", 1)
		must(t, err)
		if len(latest) != 12 || latest[0].ID != g.ID || latest[0].Title != g.Title || latest[0].Criteria[0].Scale.Max != 2000 {
			t.Errorf("latest grids: %+v", latest[0])
		}
		old, err := db.Grid(ctx, again[0].ID)
		if err != nil || old.Revision != 1 {
			t.Errorf("revision 1 is kept: %+v, %v", old, err)
		}
		trail, err := db.AuditTrail(ctx, "grid", fmt.Sprint(g.ID))
		if err != nil || len(trail) != 1 || trail[0].Action != "grid.save" || trail[0].Actor != w.staffP.Label {
			t.Errorf("grid trail: %+v, %v", trail, err)
		}
	})
}

// TestGridsOfImportedCertification: a certification saved by an import
// gets a generic grid per evaluation too.
func TestGridsOfImportedCertification(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		c := sampleCertification()
		_, err := db.SaveCertification(ctx, c)
		must(t, err)
		grids, err := db.Grids(ctx, c.Code, 0)
		must(t, err)
		n := 0
		for _, b := range c.Blocks {
			n += len(b.Evaluations)
		}
		if c.Validation != nil {
			n += len(c.Validation.Complementary)
		}
		if len(grids) != n || n == 0 {
			t.Errorf("%d grids for %d evaluations", len(grids), n)
		}
		// A new version has its own grids.
		c.Title += " (révisé)"
		res, err := db.SaveCertification(ctx, c)
		must(t, err)
		v2, err := db.Grids(ctx, c.Code, res.Version)
		if err != nil || len(v2) != n || v2[0].Version != 2 {
			t.Errorf("grids of version %d: %d, %v", res.Version, len(v2), err)
		}
	})
}

// TestCreateEvalSession: a session of a cohort gets its version, form,
// grid and learners; every refusal of the issue is refused.
func TestCreateEvalSession(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 3)
		june := certibloc.DateOf(2027, time.June, 10)
		s := w.session(t, bc01, 1, "", june)
		if s.ID == 0 || s.Version != 1 || s.Form != certibloc.Individual || s.GridID == 0 || len(s.Learners) != 3 {
			t.Fatalf("session: %+v", s)
		}
		trail, err := db.AuditTrail(ctx, "eval_session", fmt.Sprint(s.ID))
		if err != nil || len(trail) != 1 || trail[0].Action != "eval_session.create" || trail[0].School != "DIIAGE" {
			t.Errorf("trail: %+v, %v", trail, err)
		}
		got, err := db.EvalSession(ctx, w.evaluator, s.ID)
		if err != nil || len(got.Learners) != 3 || got.Learners[0].Name == "" || !slices.Equal(got.Evaluators, []int64{w.evaluator.AccountID}) {
			t.Errorf("read back: %+v, %v", got, err)
		}

		base := func() *certibloc.EvalSession {
			return &certibloc.EvalSession{School: "DIIAGE", Certification: "RNCP38478", Block: bc01, Evaluation: 1,
				Title: "Rattrapage", Date: june, Evaluators: []int64{w.evaluator.AccountID},
				Learners: []certibloc.Learner{{PersonID: w.learners[1].ID}}}
		}
		create := func(p *certibloc.Principal, s *certibloc.EvalSession) error { return db.CreateEvalSession(ctx, p, s) }

		// Not enrolled: a person enrolled nowhere; the optional block that
		// is not the learner's option.
		x := base()
		x.Learners = []certibloc.Learner{{PersonID: w.learners[1].ID}, {PersonID: w.outsider.ID}, {PersonID: w.learners[1].ID}}
		ps := problemsOf(t, create(w.staffP, x))
		if !hasProblem(ps, 2, "not_enrolled") || !hasProblem(ps, 3, "duplicate_row") || len(ps) != 2 {
			t.Errorf("problems: %+v", ps)
		}
		x = base()
		x.Block = bc04
		x.Learners = []certibloc.Learner{{PersonID: w.learners[0].ID}, {PersonID: w.learners[1].ID}}
		ps = problemsOf(t, create(w.staffP, x))
		if !hasProblem(ps, 1, "not_enrolled") || len(ps) != 1 {
			t.Errorf("option BC05 learner put on BC04: %+v", ps)
		}
		x.Block = bc05
		must(t, create(w.staffP, x))

		// Already passed: a learner who passed BC01 at the first session.
		w.grade(t, s, 3, w.learners[1].ID)
		w.grade(t, s, 1, w.learners[2].ID)
		x = base()
		x.Learners = []certibloc.Learner{{PersonID: w.learners[2].ID}, {PersonID: w.learners[1].ID}}
		ps = problemsOf(t, create(w.staffP, x))
		if !hasProblem(ps, 2, "already_passed") || len(ps) != 1 || !strings.Contains(ps[0].In(certibloc.French), "2027-06-10") {
			t.Errorf("resit of a passed evaluation: %+v", ps)
		}

		// Evaluators: a candidate's account, an evaluator of another school.
		x = base()
		x.Learners[0].PersonID = w.learners[2].ID
		x.Evaluators = []int64{w.candidate.AccountID}
		wantCode(t, "a candidate as evaluator", create(w.staffP, x), certibloc.EINVALID)
		x.Evaluators = []int64{w.otherEvaluator.AccountID}
		wantCode(t, "an evaluator of another school", create(w.staffP, x), certibloc.EINVALID)
		x.Evaluators = []int64{w.admin.AccountID, w.staffP.AccountID, w.evaluator2.AccountID}
		must(t, create(w.staffP, x))

		// A grid of another evaluation; a team evaluation without teams.
		x = base()
		x.Learners[0].PersonID = w.learners[2].ID
		x.GridID = s.GridID + 1
		wantCode(t, "a grid of another evaluation", create(w.staffP, x), certibloc.EINVALID)
		x = base()
		x.Block, x.Evaluation = bc02, 1
		wantCode(t, "a team evaluation without teams", create(w.staffP, x), certibloc.EINVALID)
		x.Learners[0].Team = "Équipe 1"
		must(t, create(w.staffP, x))
		if x.Form != certibloc.Team {
			t.Errorf("form of BC02's first evaluation: %s", x.Form)
		}
		x = base()
		x.Learners[0].Team = "Équipe 1"
		wantCode(t, "a team on an individual evaluation", create(w.staffP, x), certibloc.EINVALID)

		// Who may create: staff of the school, the admin; not another
		// school's staff, nor an evaluator.
		wantCode(t, "staff of another school", create(w.otherStaff, base()), certibloc.EFORBIDDEN)
		wantCode(t, "an evaluator", create(w.evaluator, base()), certibloc.EFORBIDDEN)
		x = base()
		x.Learners[0].PersonID = w.learners[2].ID
		must(t, create(w.admin, x))
	})
}
