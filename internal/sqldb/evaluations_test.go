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

// TestRecordResults: drafts then submission, which locks; every problem
// of a bad batch at once, with its row, and nothing written; who may
// grade; accommodations copied when a result is first saved.
func TestRecordResults(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 4)
		a, b, c, d := w.learners[0].ID, w.learners[1].ID, w.learners[2].ID, w.learners[3].ID
		must(t, db.SetAccommodations(ctx, w.referent, a, []certibloc.Accommodation{{Kind: certibloc.ExtraTime, Detail: "30 minutes"}}))
		s := w.session(t, bc01, 1, "", certibloc.DateOf(2027, time.June, 10))
		g, err := db.Grid(ctx, s.GridID)
		must(t, err)
		n := len(g.Criteria)
		if n < 2 {
			t.Fatalf("BC01's grid has %d criteria", n)
		}
		first := levels(g, 3, false)[:1]
		first[0].Comment = "Analyse claire"
		out, err := db.RecordResults(ctx, w.evaluator, s.ID, []sqldb.ResultInput{{PersonID: a, Marks: first}})
		must(t, err)
		if len(out) != 1 || out[0].State != certibloc.ResultDraft || out[0].Total != 300 || out[0].Passed ||
			out[0].Marker != w.evaluator.AccountID || len(out[0].Accommodations) != 1 || out[0].Name == "" {
			t.Fatalf("draft: %+v", out)
		}
		// The rest of the grades, in another request: the first grade is kept.
		out, err = db.RecordResults(ctx, w.evaluator, s.ID, []sqldb.ResultInput{{PersonID: a, Marks: levels(g, 4, false)[1:], Submit: true}})
		must(t, err)
		r := out[0]
		if r.State != certibloc.ResultSubmitted || r.SubmittedAt == nil || !r.Passed || r.Total != certibloc.Score(300+400*(n-1)) ||
			r.Max != certibloc.Score(400*n) || r.Marks[0].Comment != "Analyse claire" || r.ID != out[0].ID {
			t.Fatalf("submitted: %+v", r)
		}
		trail, err := db.AuditTrail(ctx, "result", fmt.Sprint(r.ID))
		if err != nil || len(trail) != 1 || trail[0].Action != "result.submit" || !strings.Contains(string(trail[0].Data), `"total":`+certibloc.Score(300+400*(n-1)).String()) ||
			strings.Contains(string(trail[0].Data), "Analyse") {
			t.Errorf("trail of the submission: %+v, %v", trail, err)
		}

		// A batch with a problem on each row but the first: nothing is written.
		before, err := db.Results(ctx, w.staffP, s.ID)
		must(t, err)
		bad := []sqldb.ResultInput{
			{PersonID: b, Marks: levels(g, 2, false)}, // fine on its own
			{PersonID: a, Marks: levels(g, 1, false)}, // locked
			{PersonID: w.outsider.ID, Marks: levels(g, 1, false)},
			{PersonID: b, Marks: levels(g, 1, false)},                                          // b twice
			{PersonID: c, Round: 2, Marks: levels(g, 1, false)},                                // no double marking
			{PersonID: c, Marks: []certibloc.Mark{{Criterion: g.Criteria[0].Key, Value: 500}}}, // off a scale of 4 levels
			{PersonID: d, Round: 1, Marks: []certibloc.Mark{{Criterion: "ZZ", Value: 100}}, Submit: false},
		}
		ps := problemsOf(t, func() error { _, err := db.RecordResults(ctx, w.evaluator, s.ID, bad); return err }())
		for row, code := range map[int]string{2: "locked", 3: "unknown_learner", 4: "duplicate_row", 5: "bad_round", 6: "outside_scale", 7: "unknown_column"} {
			if !hasProblem(ps, row, code) {
				t.Errorf("row %d: want %s in %+v", row, code, ps)
			}
		}
		if hasProblem(ps, 1, "") || len(ps) != 6 {
			t.Errorf("problems: %+v", ps)
		}
		if fr := ps.In(certibloc.French); !strings.Contains(strings.Join(fr, "\n"), "ligne 6, colonne C1 : 5 est hors de l'échelle (1–4)") {
			t.Errorf("in French: %q", fr)
		}
		after, err := db.Results(ctx, w.staffP, s.ID)
		must(t, err)
		if len(after) != len(before) {
			t.Errorf("a refused batch wrote %d results", len(after)-len(before))
		}
		// Submitting without every grade.
		ps = problemsOf(t, func() error {
			_, err := db.RecordResults(ctx, w.evaluator, s.ID, []sqldb.ResultInput{{PersonID: b, Marks: levels(g, 2, false)[:1], Submit: true}})
			return err
		}())
		if !hasProblem(ps, 1, "missing_grade") || ps[0].Column != g.Criteria[1].Key {
			t.Errorf("incomplete submission: %+v", ps)
		}

		// Who grades: an evaluator not assigned, an evaluator of another
		// school, staff of another school are refused; staff of the school
		// and the admin may.
		for _, p := range []*certibloc.Principal{w.evaluator2, w.otherEvaluator, w.otherStaff} {
			_, err := db.RecordResults(ctx, p, s.ID, []sqldb.ResultInput{{PersonID: b, Marks: levels(g, 2, false)}})
			if ps := problemsOf(t, err); len(ps) != 1 || ps[0].Code != "not_assigned" {
				t.Errorf("%s grades: %+v", p.Label, ps)
			}
		}
		for _, p := range []*certibloc.Principal{w.candidate, w.jury, w.referent} {
			_, err := db.RecordResults(ctx, p, s.ID, []sqldb.ResultInput{{PersonID: b, Marks: levels(g, 2, false)}})
			wantCode(t, p.Label+" grades", err, certibloc.EFORBIDDEN)
		}
		_, err = db.RecordResults(ctx, w.staffP, s.ID, []sqldb.ResultInput{{PersonID: b, Marks: levels(g, 2, false)}})
		must(t, err)
		_, err = db.RecordResults(ctx, w.admin, s.ID, []sqldb.ResultInput{{PersonID: c, Marks: levels(g, 2, false)}})
		must(t, err)
		_, err = db.RecordResults(ctx, w.staffP, s.ID+100, []sqldb.ResultInput{{PersonID: b, Marks: levels(g, 2, false)}})
		wantCode(t, "an unknown session", err, certibloc.ENOTFOUND)
	})
}

// TestTeamResults: on BC02's team evaluation, a team's grades go to every
// member, the individual criterion member by member; a team row may not
// grade the individual criterion; two different team grades in one batch
// are refused; a submitted member locks the team's row.
func TestTeamResults(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 3)
		a, b, c := w.learners[0].ID, w.learners[1].ID, w.learners[2].ID
		s := w.session(t, bc02, 1, "", certibloc.DateOf(2027, time.May, 5),
			certibloc.Learner{PersonID: a, Team: "Alpha"}, certibloc.Learner{PersonID: b, Team: "Alpha"}, certibloc.Learner{PersonID: c, Team: "Beta"})
		if s.Form != certibloc.Team {
			t.Fatalf("form %s", s.Form)
		}
		g, err := db.Grid(ctx, s.GridID)
		must(t, err)
		var shared []certibloc.Mark
		for _, cr := range g.Criteria {
			if !cr.Individual {
				shared = append(shared, certibloc.Mark{Criterion: cr.Key, Value: 300})
			}
		}
		ind := func(v certibloc.Score) []certibloc.Mark { return []certibloc.Mark{{Criterion: "IND", Value: v}} }
		record := func(p *certibloc.Principal, in ...sqldb.ResultInput) ([]certibloc.Result, error) {
			return db.RecordResults(ctx, p, s.ID, in)
		}
		_, err = record(w.evaluator, sqldb.ResultInput{Team: "Alpha", Marks: append(slices.Clone(shared), ind(300)...)})
		if ps := problemsOf(t, err); !hasProblem(ps, 1, "individual_criterion") {
			t.Errorf("a team row grading IND: %+v", ps)
		}
		_, err = record(w.evaluator, sqldb.ResultInput{Team: "Gamma", Marks: shared})
		if ps := problemsOf(t, err); !hasProblem(ps, 1, "unknown_team") {
			t.Errorf("an unknown team: %+v", ps)
		}
		out, err := record(w.evaluator, sqldb.ResultInput{Team: "Alpha", Marks: shared},
			sqldb.ResultInput{PersonID: a, Marks: ind(400), Submit: true}, sqldb.ResultInput{PersonID: b, Marks: ind(100)})
		must(t, err)
		if len(out) != 2 {
			t.Fatalf("written: %+v", out)
		}
		for _, r := range out {
			if r.Team != "Alpha" || len(r.Marks) != len(g.Criteria) {
				t.Errorf("member %d: %+v", r.PersonID, r)
			}
		}
		if out[0].PersonID != a {
			out[0], out[1] = out[1], out[0]
		}
		if !out[0].Passed || out[0].State != certibloc.ResultSubmitted || out[1].Passed || out[1].State != certibloc.ResultDraft {
			t.Errorf("IND decides: %+v", out)
		}
		// A's result is locked: the team's grades cannot change any more.
		_, err = record(w.evaluator, sqldb.ResultInput{Team: "Alpha", Marks: shared[:1]})
		if ps := problemsOf(t, err); !hasProblem(ps, 1, "locked") {
			t.Errorf("changing a team with a submitted member: %+v", ps)
		}
		// Two rows giving Beta two different grades for one criterion.
		other := slices.Clone(shared[:1])
		other[0].Value = 100
		_, err = record(w.evaluator, sqldb.ResultInput{Team: "Beta", Marks: shared[:1]}, sqldb.ResultInput{PersonID: c, Marks: other})
		if ps := problemsOf(t, err); !hasProblem(ps, 2, "team_disagrees") {
			t.Errorf("two grades for Beta: %+v", ps)
		}
		// A member's row with a team grade is the team's grade.
		_, err = record(w.evaluator, sqldb.ResultInput{PersonID: c, Marks: append(slices.Clone(shared), ind(300)...), Submit: true})
		must(t, err)
	})
}

// TestCorrectResult: after submission only staff correct, with a reason;
// the old row is kept, superseded, the new one points to it, and the
// audit trail has both totals.
func TestCorrectResult(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 2)
		a, b := w.learners[0].ID, w.learners[1].ID
		s := w.session(t, bc01, 1, "", certibloc.DateOf(2027, time.June, 10))
		g, err := db.Grid(ctx, s.GridID)
		must(t, err)
		w.grade(t, s, 2, a)
		out, err := db.RecordResults(ctx, w.evaluator, s.ID, []sqldb.ResultInput{{PersonID: b, Marks: levels(g, 2, false)}})
		must(t, err)
		draft := out[0]
		results, err := db.Results(ctx, w.staffP, s.ID)
		must(t, err)
		old := results[0]
		if old.PersonID != a {
			old = results[1]
		}
		fix := []certibloc.Mark{}
		for _, c := range g.Criteria {
			fix = append(fix, certibloc.Mark{Criterion: c.Key, Value: 300})
		}
		_, err = db.CorrectResult(ctx, w.evaluator, old.ID, fix, "Erreur de saisie")
		wantCode(t, "an evaluator corrects", err, certibloc.EFORBIDDEN)
		_, err = db.CorrectResult(ctx, w.otherStaff, old.ID, fix, "Erreur de saisie")
		wantCode(t, "staff of another school corrects", err, certibloc.EFORBIDDEN)
		_, err = db.CorrectResult(ctx, w.staffP, old.ID, fix, "  ")
		wantCode(t, "a correction without a reason", err, certibloc.EINVALID)
		_, err = db.CorrectResult(ctx, w.staffP, draft.ID, fix, "Erreur")
		wantCode(t, "a draft corrected", err, certibloc.ECONFLICT)
		_, err = db.CorrectResult(ctx, w.staffP, old.ID, []certibloc.Mark{{Criterion: "C1", Value: 900}}, "Erreur")
		if ps := problemsOf(t, err); !hasProblem(ps, 1, "outside_scale") {
			t.Errorf("a correction off the scale: %+v", ps)
		}
		nr, err := db.CorrectResult(ctx, w.staffP, old.ID, fix, "Erreur de saisie")
		must(t, err)
		if nr.Supersedes != old.ID || nr.Reason != "Erreur de saisie" || nr.State != certibloc.ResultSubmitted || !nr.Passed ||
			nr.Total != certibloc.Score(300*len(g.Criteria)) || nr.Marker != old.Marker {
			t.Errorf("correction: %+v", nr)
		}
		results, err = db.Results(ctx, w.staffP, s.ID)
		must(t, err)
		if len(results) != 2 || !slices.ContainsFunc(results, func(r certibloc.Result) bool { return r.ID == nr.ID }) {
			t.Errorf("current results: %+v", results)
		}
		x, err := db.ExportPerson(ctx, a, sqldb.ExportScope{})
		must(t, err)
		states := []string{}
		for _, r := range x.Tables["results"] {
			states = append(states, fmt.Sprint(r["state"]))
		}
		if !slices.Equal(states, []string{"superseded", "submitted"}) {
			t.Errorf("the old value is kept: %v", states)
		}
		trail, err := db.AuditTrail(ctx, "result", fmt.Sprint(nr.ID))
		want := `"new_total":` + certibloc.Score(300*len(g.Criteria)).String()
		if err != nil || len(trail) != 1 || trail[0].Action != "result.correct" || trail[0].Actor != w.staffP.Label ||
			!strings.Contains(string(trail[0].Data), want) || !strings.Contains(string(trail[0].Data), `"old_total":`+certibloc.Score(200*len(g.Criteria)).String()) {
			t.Errorf("trail: %+v, %v", trail, err)
		}
		_, err = db.CorrectResult(ctx, w.staffP, old.ID, fix, "Encore")
		wantCode(t, "correcting a superseded result", err, certibloc.ECONFLICT)
		_, err = db.CorrectResult(ctx, w.admin, nr.ID, fix, "Rien")
		wantCode(t, "a correction that changes nothing", err, certibloc.EINVALID)
	})
}

// TestBlockStatusesAndPersonResults: official results (a resit, a double
// marking combined) become the attempts the rules engine decides on, the
// same decision as the engine given the same record by hand; a learner
// reads only their own submitted results; staff of another school see
// nobody.
func TestBlockStatusesAndPersonResults(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 3)
		a, b, c := w.learners[0].ID, w.learners[1].ID, w.learners[2].ID
		june, sept := certibloc.DateOf(2027, time.June, 10), certibloc.DateOf(2027, time.September, 14)
		s1 := w.session(t, bc01, 1, "", june)
		w.grade(t, s1, 3, a)
		w.grade(t, s1, 1, b)
		g1, err := db.Grid(ctx, s1.GridID)
		must(t, err)
		_, err = db.RecordResults(ctx, w.evaluator, s1.ID, []sqldb.ResultInput{{PersonID: c, Marks: levels(g1, 4, false)}})
		must(t, err) // a draft: no attempt
		resit := w.session(t, bc01, 1, "", sept, certibloc.Learner{PersonID: b})
		w.grade(t, resit, 4, b)

		// BC03 with double marking: A is given 4 then 3 everywhere.
		s3 := &certibloc.EvalSession{School: "DIIAGE", Certification: "RNCP38478", Block: "RNCP38478BC03", Evaluation: 1,
			Title: "BC03", Date: june, Evaluators: []int64{w.evaluator.AccountID, w.evaluator2.AccountID}, DoubleMarking: true,
			Learners: []certibloc.Learner{{PersonID: a}, {PersonID: b}}}
		must(t, db.CreateEvalSession(ctx, w.staffP, s3))
		g3, err := db.Grid(ctx, s3.GridID)
		must(t, err)
		_, err = db.RecordResults(ctx, w.evaluator, s3.ID, []sqldb.ResultInput{{PersonID: a, Marks: levels(g3, 4, false), Submit: true},
			{PersonID: b, Marks: levels(g3, 4, false), Submit: true}})
		must(t, err)
		_, err = db.RecordResults(ctx, w.evaluator2, s3.ID, []sqldb.ResultInput{{PersonID: a, Round: 2, Marks: levels(g3, 3, false), Submit: true},
			{PersonID: b, Round: 2, Marks: levels(g3, 3, false)}}) // B's second round is a draft: no official outcome
		must(t, err)

		statuses, err := db.BlockStatuses(ctx, w.staffP, sqldb.StatusFilter{CohortID: w.cohort.ID})
		must(t, err)
		if len(statuses) != 3 {
			t.Fatalf("%d statuses", len(statuses))
		}
		want := map[int64][]certibloc.Attempt{
			a: {{Block: bc01, Evaluation: 1, Passed: true, Date: june}, {Block: "RNCP38478BC03", Evaluation: 1, Passed: true, Date: june}},
			b: {{Block: bc01, Evaluation: 1, Passed: false, Date: june}, {Block: bc01, Evaluation: 1, Passed: true, Date: sept}},
			c: {},
		}
		cert, err := db.Certification(ctx, "RNCP38478", 1)
		must(t, err)
		rules := certibloc.NewRules(cert)
		for _, st := range statuses {
			if st.Error != "" || st.Track != certibloc.OneYear || st.Version != 1 || st.Name == "" {
				t.Errorf("status: %+v", st)
			}
			if fmt.Sprint(st.Attempts) != fmt.Sprint(want[st.PersonID]) {
				t.Errorf("attempts of %d: %v, want %v", st.PersonID, st.Attempts, want[st.PersonID])
			}
			rec := certibloc.Record{Track: certibloc.OneYear}
			rec.AddAttempts(want[st.PersonID])
			d, err := rules.Decide(rec)
			must(t, err)
			if got, exp := st.Decision.Explain(certibloc.French), d.Explain(certibloc.French); fmt.Sprint(got) != fmt.Sprint(exp) {
				t.Errorf("decision of %d:\n%v\nwant\n%v", st.PersonID, got, exp)
			}
		}
		for _, st := range statuses {
			if st.PersonID == b && !slices.Contains(st.Decision.ValidatedBlocks(), bc01) {
				t.Errorf("B's resit validates BC01: %v", st.Decision.ValidatedBlocks())
			}
		}
		own, err := db.BlockStatuses(ctx, w.candidate, sqldb.StatusFilter{})
		if err != nil || len(own) != 1 || own[0].PersonID != a {
			t.Errorf("the learner's own status: %+v, %v", own, err)
		}
		none, err := db.BlockStatuses(ctx, w.otherStaff, sqldb.StatusFilter{})
		if err != nil || len(none) != 0 {
			t.Errorf("staff of another school: %+v, %v", none, err)
		}
		_, err = db.BlockStatuses(ctx, w.evaluator, sqldb.StatusFilter{})
		wantCode(t, "an evaluator reads statuses", err, certibloc.EFORBIDDEN)

		// The learner's view: their sessions, their submitted results, the
		// double marking combined with its discrepancy.
		mine, err := db.PersonResults(ctx, w.candidate, a)
		must(t, err)
		if len(mine) != 2 {
			t.Fatalf("A sits %d sessions: %+v", len(mine), mine)
		}
		for _, pr := range mine {
			if pr.Official == nil || !pr.Official.Passed {
				t.Errorf("A at %s: %+v", pr.Session.Block, pr)
			}
			if pr.Session.ID == s3.ID && (len(pr.Results) != 2 || pr.Discrepancy != certibloc.Score(100*len(g3.Criteria)) ||
				pr.Official.Total != certibloc.Score(300*len(g3.Criteria)) || pr.OfficialMarks[0].Value != 300) {
				t.Errorf("double marking: %+v", pr)
			}
		}
		_, err = db.PersonResults(ctx, w.candidate, b)
		wantCode(t, "a learner reads another's results", err, certibloc.EFORBIDDEN)
		theirs, err := db.PersonResults(ctx, w.staffP, b)
		must(t, err)
		if len(theirs) != 3 || theirs[0].Official == nil || theirs[0].Official.Passed || theirs[2].Session.ID != resit.ID || !theirs[2].Official.Passed {
			t.Errorf("B's attempts: %+v", theirs)
		}
		if theirs[1].Session.ID != s3.ID || theirs[1].Official != nil || len(theirs[1].Results) != 2 {
			t.Errorf("B's double marking with a draft second round: %+v", theirs[1])
		}
		cs, err := db.PersonResults(ctx, w.staffP, c)
		if err != nil || len(cs) != 1 || len(cs[0].Results) != 1 || cs[0].Results[0].State != certibloc.ResultDraft || cs[0].Official != nil {
			t.Errorf("C, staff's view: %+v, %v", cs, err)
		}
		w.candidate.PersonID = c // as if C signed in: their draft is not shown
		cs, err = db.PersonResults(ctx, w.candidate, c)
		if err != nil || len(cs) != 1 || len(cs[0].Results) != 0 || cs[0].Official != nil {
			t.Errorf("C, their own view: %+v, %v", cs, err)
		}
		w.candidate.PersonID = a
		byEval, err := db.PersonResults(ctx, w.evaluator2, b)
		if err != nil || len(byEval) != 1 || byEval[0].Session.ID != s3.ID {
			t.Errorf("the second evaluator sees B's sessions they assess only: %+v, %v", byEval, err)
		}
		other, err := db.PersonResults(ctx, w.otherStaff, b)
		if err != nil || len(other) != 0 {
			t.Errorf("staff of another school: %+v, %v", other, err)
		}
	})
}

// TestEvalSessionScoping: evaluators see the sessions they assess, staff
// those of their school, a learner their own line only.
func TestEvalSessionScoping(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 2)
		s := w.session(t, bc01, 1, "", certibloc.DateOf(2027, time.June, 10))
		w.grade(t, s, 3, w.learners[1].ID)
		for _, p := range []*certibloc.Principal{w.evaluator, w.staffP, w.admin, w.candidate} {
			list, err := db.EvalSessions(ctx, p, sqldb.EvalSessionFilter{})
			if err != nil || len(list) != 1 || list[0].ID != s.ID {
				t.Errorf("%s lists %+v, %v", p.Label, list, err)
			}
			if _, err := db.EvalSession(ctx, p, s.ID); err != nil {
				t.Errorf("%s reads the session: %v", p.Label, err)
			}
		}
		for _, p := range []*certibloc.Principal{w.evaluator2, w.otherStaff, w.otherEvaluator} {
			list, err := db.EvalSessions(ctx, p, sqldb.EvalSessionFilter{})
			if err != nil || len(list) != 0 {
				t.Errorf("%s lists %+v, %v", p.Label, list, err)
			}
			_, err = db.EvalSession(ctx, p, s.ID)
			wantCode(t, p.Label+" reads the session", err, certibloc.EFORBIDDEN)
			_, err = db.Results(ctx, p, s.ID)
			wantCode(t, p.Label+" reads the results", err, certibloc.EFORBIDDEN)
		}
		_, err := db.EvalSessions(ctx, w.referent, sqldb.EvalSessionFilter{})
		wantCode(t, "the referent lists sessions", err, certibloc.EFORBIDDEN)
		_, err = db.EvalSessions(ctx, &certibloc.Principal{}, sqldb.EvalSessionFilter{})
		wantCode(t, "nobody lists sessions", err, certibloc.EUNAUTHORIZED)
		mine, err := db.EvalSession(ctx, w.candidate, s.ID)
		if err != nil || len(mine.Learners) != 1 || mine.Learners[0].PersonID != w.learners[0].ID || len(mine.Evaluators) != 0 {
			t.Errorf("the learner's view of the session: %+v, %v", mine, err)
		}
		results, err := db.Results(ctx, w.candidate, s.ID)
		if err != nil || len(results) != 0 {
			t.Errorf("the learner reads others' results: %+v, %v", results, err)
		}
		all, err := db.Results(ctx, w.evaluator, s.ID)
		if err != nil || len(all) != 1 {
			t.Errorf("the evaluator reads the results: %+v, %v", all, err)
		}
		for _, f := range []sqldb.EvalSessionFilter{{School: "DIIAGE"}, {CohortID: w.cohort.ID}, {PersonID: w.learners[0].ID},
			{Block: bc01}, {Certification: "RNCP38478"}} {
			if list, err := db.EvalSessions(ctx, w.staffP, f); err != nil || len(list) != 1 || len(list[0].Evaluators) != 1 {
				t.Errorf("filter %+v: %+v, %v", f, list, err)
			}
		}
		for _, f := range []sqldb.EvalSessionFilter{{School: "OTHER"}, {CohortID: w.cohort.ID + 1}, {PersonID: w.outsider.ID}, {Block: bc02}} {
			if list, err := db.EvalSessions(ctx, w.staffP, f); err != nil || len(list) != 0 {
				t.Errorf("filter %+v: %+v, %v", f, list, err)
			}
		}
	})
}

// TestAccommodations: the referent sets them; the trail says that they
// changed under "disability", never what; the sessions to come show
// them, a result records those at the session when it is first saved.
func TestAccommodations(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newEvalWorld(t, db, 2)
		a := w.learners[0].ID
		set := []certibloc.Accommodation{{Kind: certibloc.SeparateRoom}, {Kind: certibloc.ExtraTime, Detail: "Un tiers temps"}}
		wantCode(t, "staff sets accommodations", db.SetAccommodations(ctx, w.staffP, a, set), certibloc.EFORBIDDEN)
		other := &certibloc.Principal{Role: certibloc.Referent, Schools: []string{"OTHER"}, Label: "other referent"}
		wantCode(t, "the referent of another school", db.SetAccommodations(ctx, other, a, set), certibloc.EFORBIDDEN)
		wantCode(t, "an unknown kind", db.SetAccommodations(ctx, w.referent, a, []certibloc.Accommodation{{Kind: "nap"}}), certibloc.EINVALID)
		must(t, db.SetAccommodations(ctx, w.referent, a, set))
		got, err := db.Accommodations(ctx, w.staffP, a)
		if err != nil || len(got) != 2 || got[0].Kind != certibloc.ExtraTime || got[0].Detail != "Un tiers temps" {
			t.Errorf("read back: %+v, %v", got, err)
		}
		for _, p := range []*certibloc.Principal{w.referent, w.candidate, w.admin} {
			if _, err := db.Accommodations(ctx, p, a); err != nil {
				t.Errorf("%s reads: %v", p.Label, err)
			}
		}
		for _, p := range []*certibloc.Principal{w.evaluator, w.otherStaff, w.jury} {
			_, err := db.Accommodations(ctx, p, a)
			wantCode(t, p.Label+" reads", err, certibloc.EFORBIDDEN)
		}
		trail, err := db.AuditTrail(ctx, "disability", fmt.Sprint(a))
		if err != nil || len(trail) != 1 || trail[0].Action != "accommodations.set" || strings.Contains(string(trail[0].Data), "tiers") ||
			strings.Contains(string(trail[0].Data), "room") {
			t.Errorf("trail: %+v, %v", trail, err)
		}
		if p, err := db.AuditTrail(ctx, "person", fmt.Sprint(a)); err != nil || slices.ContainsFunc(p, func(e certibloc.AuditEntry) bool {
			return strings.Contains(e.Action, "accommodation")
		}) {
			t.Errorf("the person's trail tells of accommodations: %+v, %v", p, err)
		}

		// A session past and one to come; the referent changes the
		// accommodations: only the one to come shows the change.
		past := w.session(t, bc01, 1, "", certibloc.DateOf(2026, time.March, 1))
		soon := w.session(t, "RNCP38478BC03", 1, "", certibloc.DateOf(2026, time.April, 1))
		w.grade(t, past, 3, a)
		must(t, db.SetAccommodations(ctx, w.referent, a, set[:1]))
		for _, c := range []struct {
			s    *certibloc.EvalSession
			want int
		}{{past, 2}, {soon, 1}} {
			s, err := db.EvalSession(ctx, w.evaluator, c.s.ID)
			must(t, err)
			i := slices.IndexFunc(s.Learners, func(l certibloc.Learner) bool { return l.PersonID == a })
			if len(s.Learners[i].Accommodations) != c.want {
				t.Errorf("session of %s: %+v", s.Date, s.Learners[i])
			}
		}
		results, err := db.Results(ctx, w.evaluator, past.ID)
		must(t, err)
		if len(results) != 1 || len(results[0].Accommodations) != 2 {
			t.Errorf("the result records the accommodations at the session: %+v", results)
		}
		must(t, db.SetAccommodations(ctx, w.referent, a, nil))
		got, err = db.Accommodations(ctx, w.referent, a)
		if err != nil || len(got) != 0 {
			t.Errorf("removed: %+v, %v", got, err)
		}
	})
}
