package server_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestEvaluationsEndToEnd takes a cohort of six learners (two per
// optional block) through every evaluation of RNCP38478 through the API,
// on SQLite and PostgreSQL: BC02's team presentation then its individual
// analysis, the complementary evaluations (one double-marked, with its
// discrepancy), a failed evaluation retaken at a later session, an
// accommodation set by the referent and seen on the session and the
// result, a correction after submission; then the learners' results and
// what the rules engine makes of them; and the bad input of the issue,
// refused with its row and reason in French and English, leaving nothing
// behind.
func TestEvaluationsEndToEnd(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newEvalE2E(t, db)
		w.accommodate()
		w.everyEvaluation()
		w.resit()
		w.correct()
		w.learnersResults()
		w.badInput()
	})
}

// evalE2E is the site, its people and the sessions made so far.
type evalE2E struct {
	*e2e
	cohort             *evalCohort
	ev1, ev2, outsider auth // evaluators signed in on the web; outsider is assigned to nothing
	ev1ID, ev2ID       int64
	referent           auth
	grids              []certibloc.Grid
	sessions           map[string]*evalDetail // by evaluation name: "RNCP38478BC01/1", "oral_defence"
	failedBC01         int64                  // the learner who fails BC01 first
	day                int                    // days from today of the next session
	learner            auth                   // the first learner, signed in on the web
}

// evalDetail is GET /api/v1/evaluations/{id}.
type evalDetail struct {
	certibloc.EvalSession
	Grid certibloc.Grid `json:"grid"`
}

// sessionResults is GET /api/v1/evaluations/{id}/results.
type sessionResults struct {
	Results  []certibloc.Result `json:"results"`
	Outcomes []struct {
		PersonID    int64            `json:"person_id"`
		State       string           `json:"state"`
		Passed      *bool            `json:"passed"`
		Total       *certibloc.Score `json:"total"`
		Discrepancy *certibloc.Score `json:"discrepancy"`
	} `json:"outcomes"`
}

// refusal is the error answer of a refused batch.
type refusal struct {
	Error struct {
		Code, Message string
		Problems      []struct {
			Row                   int
			Column, Code, Message string
		}
	}
}

func newEvalE2E(t *testing.T, db *sqldb.DB) *evalE2E {
	w := &evalE2E{e2e: newE2E(t, db), sessions: map[string]*evalDetail{}, day: 10}
	w.cohort = enrolCohort(t, db, "Parcours", "BC04", "BC05", "BC06", "BC04", "BC05", "BC06")
	w.failedBC01 = w.cohort.Learners[1]
	var c1, c2, c3 string
	w.ev1ID, c1 = evaluatorAccount(t, db, "claire.moreau@example.org", certibloc.Evaluator)
	w.ev2ID, c2 = evaluatorAccount(t, db, "michel.girard@example.org", certibloc.Evaluator)
	_, c3 = evaluatorAccount(t, db, "autre.evaluateur@example.org", certibloc.Evaluator)
	w.ev1, w.ev2, w.outsider = auth{cookie: c1}, auth{cookie: c2}, auth{cookie: c3}
	secret, _, err := db.CreateToken(t.Context(), "référente", "referent", ownSchool)
	must(t, err)
	w.referent = auth{token: secret}
	w.learner = w.candidateSession(w.cohort.Learners[0], "Parcours.1@example.org")
	var list struct{ Grids []certibloc.Grid }
	w.json(auth{}, "GET", "/api/v1/certifications/RNCP38478/grids", "/api/v1/certifications/{code}/grids", nil, 200, &list)
	if len(list.Grids) != 12 {
		t.Fatalf("RNCP38478 has %d grids, want 12 (10 evaluations of blocks, 2 complementary)", len(list.Grids))
	}
	w.grids = list.Grids
	return w
}

// accommodate: the referent grants the first learner extra time and a
// separate room.
func (w *evalE2E) accommodate() {
	person := w.cohort.Learners[0]
	url := fmt.Sprintf("/api/v1/people/%d/accommodations", person)
	const doc = "/api/v1/people/{id}/accommodations"
	w.refused(w.staff, "PUT", url, doc, `{"accommodations":[{"kind":"extra_time"}]}`, 403, "disability:write")
	w.refused(w.referent, "PUT", url, doc, `{"accommodations":[{"kind":"nap"}]}`, 400, "nap")
	var got struct{ Accommodations []certibloc.Accommodation }
	w.json(w.referent, "PUT", url, doc, `{"accommodations":[{"kind":"separate_room"},{"kind":"extra_time","detail":"30 minutes"}]}`, 200, &got)
	if len(got.Accommodations) != 2 || got.Accommodations[0].Kind != "extra_time" || got.Accommodations[0].Detail != "30 minutes" {
		w.t.Fatalf("accommodations = %+v", got.Accommodations)
	}
	w.json(w.staff, "GET", url, doc, nil, 200, &got)
	if len(got.Accommodations) != 2 {
		w.t.Errorf("staff read %+v", got.Accommodations)
	}
}

// name is an evaluation's key in w.sessions.
func name(g *certibloc.Grid) string {
	if g.Complementary != "" {
		return g.Complementary
	}
	return fmt.Sprintf("%s/%d", g.Block, g.Evaluation)
}

// sitters are the learners of the cohort who sit g's evaluation: everyone,
// or those who chose its optional block.
func (w *evalE2E) sitters(g *certibloc.Grid) []int64 {
	var out []int64
	for _, p := range w.cohort.Learners {
		if opt := w.cohort.Option[p]; g.Block == "" || !strings.HasSuffix(g.Block, "4") && !strings.HasSuffix(g.Block, "5") &&
			!strings.HasSuffix(g.Block, "6") || opt == g.Block {
			out = append(out, p)
		}
	}
	return out
}

// createSession makes a session of g's evaluation for learners, in teams
// when teams is set, and checks what it answers.
func (w *evalE2E) createSession(g *certibloc.Grid, learners []int64, teams map[int64]string, double bool) *evalDetail {
	w.t.Helper()
	in := map[string]any{"school": ownSchool, "cohort_id": w.cohort.ID, "title": "Session " + name(g),
		"date": w.days(w.day), "place": "DIIAGE, Dijon, salle B12", "evaluators": []int64{w.ev1ID}, "double_marking": double}
	w.day += 7
	if double {
		in["evaluators"] = []int64{w.ev1ID, w.ev2ID}
	}
	if g.Complementary != "" {
		in["complementary"] = g.Complementary
	} else {
		in["block"], in["evaluation"] = g.Block, g.Evaluation
	}
	var ls []map[string]any
	for _, p := range learners {
		ls = append(ls, map[string]any{"person_id": p, "team": teams[p]})
	}
	in["learners"] = ls
	var s evalDetail
	w.json(w.staff, "POST", "/api/v1/evaluations", "/api/v1/evaluations", in, 201, &s)
	if s.ID == 0 || s.GridID != g.ID || s.Grid.ID != g.ID || len(s.Learners) != len(learners) || s.Version != 1 {
		w.t.Fatalf("session of %s = %+v", name(g), s)
	}
	for _, l := range s.Learners {
		want := 0
		if l.PersonID == w.cohort.Learners[0] {
			want = 2
		}
		if len(l.Accommodations) != want || l.Name == "" || l.Team != teams[l.PersonID] {
			w.t.Errorf("session of %s, learner %+v: want %d accommodations, team %q", name(g), l, want, teams[l.PersonID])
		}
	}
	return &s
}

// grade posts one request per learner as ev1 (ev2 for round 2), all
// criteria, submitted; pass says who passes.
func (w *evalE2E) grade(s *evalDetail, who auth, round int, pass func(int64) bool, keep func(certibloc.Criterion) bool) {
	w.t.Helper()
	for _, l := range s.Learners {
		in := map[string]any{"grid_id": s.GridID, "session_id": s.ID, "results": []map[string]any{{"person_id": l.PersonID,
			"round": round, "marks": gridMarks(&s.Grid, pass(l.PersonID), keep), "submit": true}}}
		var out struct{ Results []certibloc.Result }
		w.json(who, "POST", fmt.Sprintf("/api/v1/evaluations/%d/results", s.ID), "/api/v1/evaluations/{id}/results", in, 200, &out)
		if len(out.Results) != 1 || out.Results[0].State != certibloc.ResultSubmitted || out.Results[0].Passed != pass(l.PersonID) {
			w.t.Fatalf("%s, learner %d: %+v", s.Title, l.PersonID, out.Results)
		}
		if acc := out.Results[0].Accommodations; (l.PersonID == w.cohort.Learners[0]) != (len(acc) == 2) {
			w.t.Errorf("%s, learner %d: result recorded accommodations %+v", s.Title, l.PersonID, acc)
		}
	}
}

// results reads a session's results.
func (w *evalE2E) results(who auth, id int64) sessionResults {
	w.t.Helper()
	var out sessionResults
	w.json(who, "GET", fmt.Sprintf("/api/v1/evaluations/%d/results", id), "/api/v1/evaluations/{id}/results", nil, 200, &out)
	return out
}

var passAll = func(int64) bool { return true }

// everyEvaluation holds a session of every evaluation of RNCP38478 for the
// cohort and grades it: the first learner fails BC01, BC02's first
// evaluation is graded team by team then member by member, the oral
// defence is double-marked.
func (w *evalE2E) everyEvaluation() {
	for i := range w.grids {
		g := &w.grids[i]
		learners := w.sitters(g)
		switch {
		case g.Block == "RNCP38478BC02" && g.Evaluation == 1:
			w.teamEvaluation(g, learners)
		case g.Complementary == "oral_defence":
			s := w.createSession(g, learners, nil, true)
			w.blindDraft(s, learners[0])
			w.grade(s, w.ev1, 1, passAll, nil)
			if out := w.results(w.ev1, s.ID); out.Outcomes[0].State != "draft" || out.Outcomes[0].Passed != nil {
				w.t.Errorf("one round of two: %+v", out.Outcomes[0])
			}
			w.wantSealed(s, learners[0], true)
			w.refusedBatch(w.ev1, s.ID, "", map[string]any{"results": []map[string]any{{"person_id": learners[0], "round": 3,
				"marks": gridMarks(&s.Grid, true, nil)}}}, 400, "round", "la double correction n'est pas prévue", "")
			// The second marker grades 2 points higher: « 12 » where the first gave « 10 ».
			marks := []map[string]any{{"criterion": "NOTE", "value": "12"}}
			for _, l := range s.Learners {
				w.json(w.ev2, "POST", fmt.Sprintf("/api/v1/evaluations/%d/results", s.ID), "/api/v1/evaluations/{id}/results",
					map[string]any{"results": []map[string]any{{"person_id": l.PersonID, "round": 2, "marks": marks, "submit": true}}}, 200, nil)
			}
			w.wantSealed(s, learners[0], false)
			out := w.results(w.staff, s.ID)
			for _, o := range out.Outcomes {
				if o.State != "submitted" || o.Passed == nil || !*o.Passed || o.Total == nil || *o.Total != 1100 ||
					o.Discrepancy == nil || *o.Discrepancy != 200 {
					w.t.Errorf("double marking of %d: %+v, want total 11 (the mean), discrepancy 2", o.PersonID, o)
				}
			}
			w.sessions[name(g)] = s
		default:
			s := w.createSession(g, learners, nil, false)
			pass := passAll
			if g.Block == "RNCP38478BC01" {
				pass = func(p int64) bool { return p != w.failedBC01 }
			}
			w.grade(s, w.ev1, 1, pass, nil)
			out := w.results(w.ev1, s.ID)
			for _, o := range out.Outcomes {
				if o.State != "submitted" || o.Passed == nil || *o.Passed != pass(o.PersonID) {
					w.t.Errorf("%s: outcome %+v", s.Title, o)
				}
			}
			w.sessions[name(g)] = s
		}
	}
	var list struct{ Evaluations []certibloc.EvalSession }
	w.json(w.ev1, "GET", fmt.Sprintf("/api/v1/evaluations?cohort=%d", w.cohort.ID), "/api/v1/evaluations", nil, 200, &list)
	if len(list.Evaluations) != 12 {
		w.t.Errorf("evaluator 1 lists %d sessions of the cohort, want 12", len(list.Evaluations))
	}
	w.json(w.ev2, "GET", "/api/v1/evaluations?block=RNCP38478BC02", "/api/v1/evaluations", nil, 200, &list)
	if len(list.Evaluations) != 0 {
		w.t.Errorf("evaluator 2, assigned to the oral defence only, lists %d sessions of BC02", len(list.Evaluations))
	}
}

// teamEvaluation: BC02's first evaluation in two teams of three. The
// team's criteria are graded once per team (a draft), each member's own
// part then, submitted; the members share the team's grades.
func (w *evalE2E) teamEvaluation(g *certibloc.Grid, learners []int64) {
	teams := map[int64]string{}
	for i, p := range learners {
		teams[p] = []string{"Alpha", "Bêta"}[i/3]
	}
	s := w.createSession(g, learners, teams, false)
	if s.Form != certibloc.Team {
		w.t.Fatalf("BC02's first evaluation is taken as %q", s.Form)
	}
	url := fmt.Sprintf("/api/v1/evaluations/%d/results", s.ID)
	const doc = "/api/v1/evaluations/{id}/results"
	shared := func(c certibloc.Criterion) bool { return !c.Individual }
	own := func(c certibloc.Criterion) bool { return c.Individual }
	for _, team := range []string{"Alpha", "Bêta"} {
		var out struct{ Results []certibloc.Result }
		w.json(w.ev1, "POST", url, doc, map[string]any{"results": []map[string]any{{"team": team,
			"marks": gridMarks(&s.Grid, true, shared)}}}, 200, &out)
		if len(out.Results) != 3 || out.Results[0].State != certibloc.ResultDraft || out.Results[0].Team != team {
			w.t.Fatalf("team %s: %+v", team, out.Results)
		}
	}
	w.refusedBatch(w.ev1, s.ID, "", map[string]any{"results": []map[string]any{{"team": "Alpha",
		"marks": gridMarks(&s.Grid, true, own)}}}, 400, "IND", "est individuel", "")
	w.grade(s, w.ev1, 1, passAll, own)
	out := w.results(w.staff, s.ID)
	for _, r := range out.Results {
		if len(r.Marks) != len(g.Criteria) || r.Marks[0].Value != 300 || r.Team != teams[r.PersonID] || !r.Passed {
			w.t.Errorf("member %d of %s: %+v", r.PersonID, r.Team, r)
		}
	}
	w.sessions[name(g)] = s
}

// blindDraft: the first marker saves a draft for a learner at a
// double-marked session; the second marker cannot read its grade, nor
// write to that round (the answer would show it).
func (w *evalE2E) blindDraft(s *evalDetail, learner int64) {
	w.t.Helper()
	url := fmt.Sprintf("/api/v1/evaluations/%d/results", s.ID)
	const doc = "/api/v1/evaluations/{id}/results"
	w.json(w.ev1, "POST", url, doc, map[string]any{"results": []map[string]any{{"person_id": learner,
		"marks": []map[string]any{{"criterion": "NOTE", "value": "9", "comment": "Hésitant sur la démarche"}}}}}, 200, nil)
	w.wantSealed(s, learner, true)
	r := w.refusedBatch(w.ev2, s.ID, "", map[string]any{"results": []map[string]any{{"person_id": learner, "round": 1,
		"marks": []map[string]any{{"criterion": "NOTE", "value": "12"}}}}}, 409, "", "la double correction se fait à l'aveugle",
		"double marking is blind")
	if r.Error.Problems[0].Code != "other_marker" || strings.Contains(string(w.json(w.ev2, "GET", url, doc, nil, 200, nil)), "Hésitant") {
		w.t.Errorf("the second marker writing the first's round: %+v", r.Error)
	}
	// Nor may the first marker grade the second round: two markers or none.
	r = w.refusedBatch(w.ev1, s.ID, "", map[string]any{"results": []map[string]any{{"person_id": learner, "round": 2,
		"marks": []map[string]any{{"criterion": "NOTE", "value": "12"}}}}}, 400, "round", "demande un second correcteur",
		"needs a second marker")
	if r.Error.Problems[0].Code != "same_marker" {
		w.t.Errorf("the first marker grading the second round: %+v", r.Error)
	}
}

// wantSealed checks what the second marker reads of the first marker's
// result for learner, through the session's results and the person's:
// sealed (no grade, no total, no outcome) until both rounds are
// submitted; the first marker and staff read it whole.
func (w *evalE2E) wantSealed(s *evalDetail, learner int64, sealed bool) {
	w.t.Helper()
	var person struct{ Results []sqldb.PersonResult }
	w.json(w.ev2, "GET", fmt.Sprintf("/api/v1/people/%d/results", learner), "/api/v1/people/{id}/results", nil, 200, &person)
	var fromPerson []certibloc.Result
	for _, pr := range person.Results {
		if pr.Session.ID == s.ID {
			fromPerson = pr.Results
		}
	}
	out := w.results(w.ev2, s.ID)
	for _, list := range [][]certibloc.Result{out.Results, fromPerson} {
		n := 0
		for _, r := range list {
			if r.PersonID != learner || r.Round != 1 {
				continue
			}
			n++
			if r.Sealed != sealed || sealed && (len(r.Marks) != 0 || r.Total != 0 || r.Passed) || !sealed && len(r.Marks) == 0 {
				w.t.Errorf("the second marker reads the first's result (sealed %v wanted): %+v", sealed, r)
			}
		}
		if n != 1 {
			w.t.Errorf("the second marker reads %d round-1 results of %d, want 1 (sealed or not)", n, learner)
		}
	}
	for _, o := range out.Outcomes {
		if o.PersonID == learner && sealed && (o.Total != nil || o.Passed != nil || o.Discrepancy != nil) {
			w.t.Errorf("the second marker reads an outcome before both rounds are in: %+v", o)
		}
	}
	for _, who := range []auth{w.ev1, w.staff} {
		for _, r := range w.results(who, s.ID).Results {
			if r.PersonID == learner && r.Round == 1 && (r.Sealed || len(r.Marks) == 0) {
				w.t.Errorf("the first marker or staff read a sealed result: %+v", r)
			}
		}
	}
}

// resit: the learner who failed BC01 sits it again at a later session
// and passes; every attempt is kept. A learner who passed may not sit it.
func (w *evalE2E) resit() {
	g := &w.sessions["RNCP38478BC01/1"].Grid
	passed := w.cohort.Learners[2]
	in := map[string]any{"school": ownSchool, "cohort_id": w.cohort.ID, "block": g.Block, "evaluation": 1, "title": "Rattrapage BC01",
		"date": w.days(w.day), "place": "Salle 4", "evaluators": []int64{w.ev1ID},
		"learners": []map[string]any{{"person_id": w.failedBC01}, {"person_id": passed}}}
	for _, lang := range []struct{ q, says string }{{"", "a déjà réussi cette évaluation"}, {"?lang=en", "already passed this evaluation"}} {
		var r refusal
		w.json(w.staff, "POST", "/api/v1/evaluations"+lang.q, "/api/v1/evaluations", in, 400, &r)
		if len(r.Error.Problems) != 1 || r.Error.Problems[0].Row != 2 || r.Error.Problems[0].Code != "already_passed" ||
			!strings.Contains(r.Error.Message, lang.says) {
			w.t.Errorf("resit with a learner who passed: %+v", r.Error)
		}
	}
	in["learners"] = []map[string]any{{"person_id": w.failedBC01}}
	w.day += 30
	in["date"] = w.days(w.day)
	var s evalDetail
	w.json(w.staff, "POST", "/api/v1/evaluations", "/api/v1/evaluations", in, 201, &s)
	w.grade(&s, w.ev1, 1, passAll, nil)
	w.sessions["resit"] = &s
}

// correct: staff correct a locked BC03 result, with a reason; the old
// result stays, superseded.
func (w *evalE2E) correct() {
	s := w.sessions["RNCP38478BC03/1"]
	person := w.cohort.Learners[3]
	res := w.results(w.staff, s.ID)
	i := slices.IndexFunc(res.Results, func(r certibloc.Result) bool { return r.PersonID == person })
	old := res.Results[i]
	url := fmt.Sprintf("/api/v1/evaluations/%d/results/%d/correction", s.ID, old.ID)
	const doc = "/api/v1/evaluations/{id}/results/{result_id}/correction"
	body := map[string]any{"marks": []map[string]any{{"criterion": "C1", "value": "Maîtrisé"}}, "reason": ""}
	w.refused(w.staff, "POST", url, doc, body, 400, "reason is required")
	body["reason"] = "Erreur de saisie : le jury a relevé la note de C1"
	w.refused(w.ev1, "POST", url, doc, body, 403, "evaluator")
	var fixed certibloc.Result
	w.json(w.staff, "POST", url, doc, body, 201, &fixed)
	if fixed.Supersedes != old.ID || fixed.Reason == "" || fixed.Marks[0].Value != 400 || fixed.Total != old.Total+100 ||
		fixed.State != certibloc.ResultSubmitted || len(fixed.Accommodations) != len(old.Accommodations) {
		w.t.Errorf("correction = %+v of %+v", fixed, old)
	}
	w.refused(w.staff, "POST", url, doc, body, 404, "no current result")
	res = w.results(w.staff, s.ID)
	if n := len(res.Results); n != len(s.Learners) || !slices.ContainsFunc(res.Results, func(r certibloc.Result) bool { return r.ID == fixed.ID }) {
		w.t.Errorf("after the correction %d current results, the corrected one among them: %+v", n, res.Results)
	}
	trail, err := w.db.RecordTrail(w.t.Context(), "result", fmt.Sprint(fixed.ID))
	must(w.t, err)
	if len(trail.Entries) == 0 || !strings.Contains(fmt.Sprint(trail.Entries), "result.correct") {
		w.t.Errorf("the audit trail of result %d: %+v", fixed.ID, trail)
	}
}

// learnersResults: every attempt of a learner, the resit included; a
// learner reads their own results and their own line of a session; the
// rules engine says what the stored results are worth.
func (w *evalE2E) learnersResults() {
	var pr struct {
		Results []sqldb.PersonResult
	}
	w.json(w.staff, "GET", fmt.Sprintf("/api/v1/people/%d/results", w.failedBC01), "/api/v1/people/{id}/results", nil, 200, &pr)
	var bc01 []bool
	for _, r := range pr.Results {
		if r.Session.Block == "RNCP38478BC01" {
			if r.Official == nil {
				w.t.Fatalf("BC01 attempt without its official outcome: %+v", r)
			}
			bc01 = append(bc01, r.Official.Passed)
		}
	}
	if len(pr.Results) != 9 || !slices.Equal(bc01, []bool{false, true}) {
		w.t.Errorf("learner %d: %d sessions, BC01 attempts %v; want 9 sessions (3 common blocks in 4, an option in 2, 2 complementary, a resit) and BC01 failed then passed",
			w.failedBC01, len(pr.Results), bc01)
	}
	me := w.cohort.Learners[0]
	w.json(w.learner, "GET", fmt.Sprintf("/api/v1/people/%d/results", me), "/api/v1/people/{id}/results", nil, 200, &pr)
	if len(pr.Results) != 8 || len(pr.Results[0].Accommodations) != 2 {
		w.t.Errorf("the learner's own results: %d sessions, %+v", len(pr.Results), pr.Results[0])
	}
	w.refused(w.learner, "GET", fmt.Sprintf("/api/v1/people/%d/results", w.failedBC01), "/api/v1/people/{id}/results", nil, 403, "")
	var s evalDetail
	w.json(w.learner, "GET", fmt.Sprintf("/api/v1/evaluations/%d", w.sessions["RNCP38478BC01/1"].ID), "/api/v1/evaluations/{id}", nil, 200, &s)
	if len(s.Learners) != 1 || s.Learners[0].PersonID != me || len(s.Evaluators) != 0 {
		w.t.Errorf("the learner sees %+v", s.EvalSession)
	}
	// Everybody passed everything in the end: the rules engine certifies
	// them all from the stored results, as the simulation does from the
	// same attempts.
	admin := &certibloc.Principal{Role: certibloc.Admin}
	statuses, err := w.db.BlockStatuses(w.t.Context(), admin, sqldb.StatusFilter{CohortID: w.cohort.ID})
	must(w.t, err)
	if len(statuses) != len(w.cohort.Learners) {
		w.t.Fatalf("%d statuses for %d learners", len(statuses), len(w.cohort.Learners))
	}
	for _, st := range statuses {
		sim := w.simulate(st.Track, st.Attempts, "")
		if !st.Decision.Certified || sim.Certified != st.Decision.Certified || len(sim.ValidatedBlocks) != 4 {
			w.t.Errorf("learner %d: stored results say certified=%v, the simulation %+v", st.PersonID, st.Decision.Certified, sim)
		}
	}
}

// simulation is the answer of POST /api/v1/certifications/{code}/simulate.
type simulation struct {
	Certified       bool     `json:"certified"`
	ValidatedBlocks []string `json:"validated_blocks"`
	Missing         []struct {
		Code, Reason string
	} `json:"missing"`
	Explanation []string `json:"explanation"`
}

// simulate asks the API what a jury decides on these attempts.
func (w *e2e) simulate(track certibloc.Track, attempts []certibloc.Attempt, lang string) simulation {
	w.t.Helper()
	rec := map[string]any{"track": track}
	var evals []map[string]any
	comp := map[string]bool{}
	for _, a := range attempts {
		if a.Complementary != "" {
			comp[a.Complementary] = comp[a.Complementary] || a.Passed
			continue
		}
		evals = append(evals, map[string]any{"block": a.Block, "number": a.Evaluation, "passed": a.Passed, "date": a.Date})
	}
	rec["evaluations"], rec["complementary"] = evals, comp
	var out simulation
	w.json(auth{}, "POST", "/api/v1/certifications/RNCP38478/simulate"+lang, "/api/v1/certifications/{code}/simulate", rec, 200, &out)
	return out
}

// refusedBatch posts a batch that must be refused with status, its first
// problem in column saying fr, and in English saying en (when not empty).
func (w *evalE2E) refusedBatch(who auth, session int64, query string, in map[string]any, status int, column, fr, en string) refusal {
	w.t.Helper()
	url := fmt.Sprintf("/api/v1/evaluations/%d/results%s", session, query)
	var r refusal
	w.json(who, "POST", url, "/api/v1/evaluations/{id}/results", in, status, &r)
	if len(r.Error.Problems) == 0 || r.Error.Problems[0].Column != column || !strings.Contains(r.Error.Problems[0].Message, fr) ||
		!strings.Contains(r.Error.Message, "Rien n'a été enregistré") {
		w.t.Errorf("POST %s: %+v, want column %q saying %q", url, r.Error, column, fr)
	}
	if en != "" {
		var e refusal
		sep := "?"
		if query != "" {
			sep = "&"
		}
		w.json(who, "POST", url+sep+"lang=en", "/api/v1/evaluations/{id}/results", in, status, &e)
		if len(e.Error.Problems) == 0 || !strings.Contains(e.Error.Problems[0].Message, en) || !strings.Contains(e.Error.Message, "Nothing was recorded") {
			w.t.Errorf("POST %s in English: %+v, want %q", url, e.Error, en)
		}
	}
	return r
}

// badInput: the bad input, each refused with its row and reason
// in both languages, and nothing recorded.
func (w *evalE2E) badInput() {
	var bc04 *certibloc.Grid
	for i := range w.grids {
		if w.grids[i].Block == "RNCP38478BC04" && w.grids[i].Evaluation == 1 {
			bc04 = &w.grids[i]
		}
	}
	// Learners not enrolled on the block (BC04, which others chose) are refused.
	in := map[string]any{"school": ownSchool, "certification": "RNCP38478", "block": bc04.Block, "evaluation": 1, "title": "BC04 bis", "date": w.days(w.day),
		"evaluators": []int64{w.ev1ID}, "learners": []map[string]any{{"person_id": w.cohort.Learners[1]}, {"person_id": w.cohort.Learners[2]}}}
	var r refusal
	w.json(w.staff, "POST", "/api/v1/evaluations?lang=en", "/api/v1/evaluations", in, 400, &r)
	if len(r.Error.Problems) != 2 || r.Error.Problems[1].Row != 2 || r.Error.Problems[0].Code != "not_enrolled" ||
		!strings.Contains(r.Error.Problems[0].Message, "line 1: ") || !strings.Contains(r.Error.Problems[0].Message, "is not enrolled on this block") {
		w.t.Errorf("learners not on the option: %+v", r.Error)
	}
	w.json(w.staff, "POST", "/api/v1/evaluations", "/api/v1/evaluations", in, 400, &r)
	if len(r.Error.Problems) != 2 || !strings.Contains(r.Error.Problems[0].Message, "n'est pas inscrit sur ce bloc") {
		w.t.Errorf("learners not on the option, in French: %+v", r.Error)
	}

	// A new cohort of two sits BC01; the first BC01 session and the resit
	// are the others.
	first, resit := w.sessions["RNCP38478BC01/1"], w.sessions["resit"]
	g := first.Grid
	errs := enrolCohort(w.t, w.db, "Erreurs", "BC04", "BC05")
	var fresh evalDetail
	w.json(w.staff, "POST", "/api/v1/evaluations", "/api/v1/evaluations", map[string]any{"school": ownSchool, "cohort_id": errs.ID,
		"block": g.Block, "evaluation": 1, "title": "BC01, promotion Erreurs", "date": w.days(w.day), "evaluators": []int64{w.ev1ID}}, 201, &fresh)
	if len(fresh.Learners) != 2 {
		w.t.Fatalf("a session of a cohort without a list of learners: %+v", fresh.Learners)
	}
	one := func(person int64, marks []map[string]any, submit bool) map[string]any {
		return map[string]any{"results": []map[string]any{{"person_id": person, "marks": marks, "submit": submit}}}
	}
	// A grade outside the scale: level 5 of four, on the second row.
	bad := map[string]any{"results": []map[string]any{
		{"person_id": fresh.Learners[0].PersonID, "marks": gridMarks(&fresh.Grid, true, nil)},
		{"person_id": fresh.Learners[1].PersonID, "marks": []map[string]any{{"criterion": "C2", "value": "5"}}}}}
	r = w.refusedBatch(w.ev1, fresh.ID, "", bad, 400, "C2", "ligne 2, colonne C2 : 5 est hors de l'échelle (1–4)", "line 2, column C2: 5 is outside the scale (1–4)")
	if r.Error.Problems[0].Row != 2 || r.Error.Problems[0].Code != "outside_scale" {
		w.t.Errorf("outside the scale: %+v", r.Error.Problems)
	}
	// « 14,555 » is not a grade; a decimal comma is understood, three decimals are not.
	w.refusedBatch(w.ev1, fresh.ID, "", one(fresh.Learners[0].PersonID, []map[string]any{{"criterion": "C1", "value": "14,555"}}, false),
		400, "C1", "« 14,555 » n'est pas une note", "“14,555” is not a grade")
	// Nothing of a refused batch was recorded, the good first row neither.
	if res := w.results(w.staff, fresh.ID); len(res.Results) != 0 {
		w.t.Errorf("a refused batch left %d results", len(res.Results))
	}
	// An evaluator not assigned to the session.
	w.refusedBatch(w.outsider, fresh.ID, "", one(fresh.Learners[0].PersonID, gridMarks(&fresh.Grid, true, nil), false), 403,
		"", "vous n'êtes pas évaluateur de cette session", "you are not an evaluator of this session")
	w.refused(w.outsider, "GET", fmt.Sprintf("/api/v1/evaluations/%d", fresh.ID), "/api/v1/evaluations/{id}", nil, 403, "not one of yours")
	// The wrong session: a batch made for another one, and a learner of another.
	r = w.refusedBatch(w.ev1, first.ID, "", map[string]any{"session_id": resit.ID, "results": []map[string]any{{"person_id": w.failedBC01,
		"marks": gridMarks(&g, true, nil)}}}, 400, "session_id", fmt.Sprintf("la feuille est celle de la session %d", resit.ID),
		fmt.Sprintf("belongs to session %d, not to this one (%d)", resit.ID, first.ID))
	r = w.refusedBatch(w.ev1, resit.ID, "", one(w.cohort.Learners[0], gridMarks(&g, true, nil), false), 400, "",
		fmt.Sprintf("l'apprenant %d n'est pas inscrit à cette session", w.cohort.Learners[0]), "is not in this session")
	if r.Error.Problems[0].Row != 1 || r.Error.Problems[0].Code != "unknown_learner" {
		w.t.Errorf("a learner of another session: %+v", r.Error.Problems)
	}
	// The wrong grid: a batch made for another revision.
	w.refusedBatch(w.ev1, fresh.ID, "", map[string]any{"grid_id": w.grids[3].ID, "results": []map[string]any{{"person_id": fresh.Learners[0].PersonID,
		"marks": gridMarks(&fresh.Grid, true, nil)}}}, 400, "grid_id", "la feuille est faite pour la grille", "the sheet was made for grid")
	// Grading a locked result: 409, in both languages.
	locked := first.Learners[0].PersonID
	r = w.refusedBatch(w.ev1, first.ID, "", one(locked, []map[string]any{{"criterion": "C1", "value": "4"}}, false), 409, "",
		"est déjà soumis et verrouillé", "is already submitted and locked")
	if r.Error.Code != "conflict" || r.Error.Problems[0].Row != 1 {
		w.t.Errorf("locked: %+v", r.Error)
	}
	// A role that does not grade.
	var plain struct {
		Error struct{ Code, Message string }
	}
	w.json(w.referent, "POST", fmt.Sprintf("/api/v1/evaluations/%d/results", fresh.ID), "/api/v1/evaluations/{id}/results",
		one(locked, gridMarks(&g, true, nil), false), 403, &plain)
	if res := w.results(w.staff, fresh.ID); len(res.Results) != 0 {
		w.t.Errorf("refused batches left %d results", len(res.Results))
	}
	b, _ := json.Marshal(w.results(w.staff, first.ID).Results)
	if strings.Contains(string(b), `"value":400`) {
		w.t.Errorf("the locked result changed: %s", b)
	}
}
