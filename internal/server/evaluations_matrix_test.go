package server_test

import (
	"fmt"
	"net/url"
	"sync"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// evalWorlds are the evaluation records of each matrix, made once: a
// cohort with a learner and an evaluator (who is not the matrix's
// evaluator: that one is assigned to nothing).
var evalWorlds = struct {
	sync.Mutex
	m map[*matrix]*evalWorld
}{m: map[*matrix]*evalWorld{}}

func (m *matrix) evalWorld() *evalWorld {
	evalWorlds.Lock()
	defer evalWorlds.Unlock()
	w := evalWorlds.m[m]
	if w == nil {
		w = newEvalWorld(m.t, m.db, 1)
		evalWorlds.m[m] = w
	}
	return w
}

// gradingScreen is the address of a new session's screen of the world's
// learner, fresh for each call so that no role finds another's draft.
func (m *matrix) gradingScreen() string {
	w := m.evalWorld()
	s := w.newSession(m.t, "RNCP38478BC01", 1, daysFromNow(-1), w.learners[0])
	return fmt.Sprintf("/app/evaluations/%d/learners/%d", s, w.learners[0])
}

// teamScreen is the screen of a new team session's team.
func (m *matrix) teamScreen() string {
	w := m.evalWorld()
	es := &certibloc.EvalSession{School: ownSchool, Certification: "RNCP38478", Version: w.version, Block: "RNCP38478BC02",
		Evaluation: 1, Form: certibloc.Team, CohortID: w.cohort, Title: "Présentation au client", Date: daysFromNow(3),
		Place: "Salle Vauban", Evaluators: []int64{w.evaluator},
		Learners: []certibloc.Learner{{PersonID: w.learners[0], Team: "Équipe A"}}}
	staff := admStaff(m.t)
	if err := m.db.CreateEvalSession(certibloc.WithPrincipal(m.t.Context(), staff), staff, es); err != nil {
		m.t.Fatal(err)
	}
	return fmt.Sprintf("/app/evaluations/%d/teams/%s", es.ID, url.PathEscape("Équipe A"))
}

// lockedScreen is the screen of a result the evaluator submitted, failed
// (a passed one would bar the learner from the later sessions).
func (m *matrix) lockedScreen() string {
	w := m.evalWorld()
	screen := m.gradingScreen()
	var session int64
	fmt.Sscanf(screen, "/app/evaluations/%d/", &session)
	ev := &certibloc.Principal{AccountID: w.evaluator, Role: certibloc.Evaluator, Schools: []string{ownSchool}, Label: "test"}
	if _, err := m.db.RecordResults(certibloc.WithPrincipal(m.t.Context(), ev), ev, session,
		[]sqldb.ResultInput{{PersonID: w.learners[0], Marks: bc01Marks(m, "1"), Submit: true}}); err != nil { // failed: a resit stays possible
		m.t.Fatal(err)
	}
	return screen
}

// bc01Marks grades every criterion of BC01's first evaluation at a level.
func bc01Marks(m *matrix, level string) []certibloc.Mark {
	v, _ := certibloc.ParseScore(level)
	grids, err := m.db.Grids(m.t.Context(), "RNCP38478", m.evalWorld().version)
	if err != nil {
		m.t.Fatal(err)
	}
	var marks []certibloc.Mark
	for _, g := range grids {
		if g.Block == "RNCP38478BC01" && g.Evaluation == 1 {
			for _, c := range g.Criteria {
				marks = append(marks, certibloc.Mark{Criterion: c.Key, Value: v})
			}
		}
	}
	return marks
}

// bc01Form is the form of those marks.
func bc01Form(m *matrix, level string) url.Values {
	form := url.Values{}
	for _, mk := range bc01Marks(m, level) {
		form.Set("v-"+mk.Criterion, level)
	}
	return form
}

func init() {
	for pattern, rt := range map[string]matrixRoute{
		// Evaluations: staff and the admin manage their schools' sessions;
		// an evaluator sees only those assigned to them (the matrix's
		// evaluator is assigned to none: refused); the referent records
		// accommodations; a learner reads their own evaluations.
		"GET /app/evaluations":     {call: path("/app/evaluations"), ok: 200, own: "admin staff evaluator"},
		"GET /app/evaluations/new": {call: path("/app/evaluations/new"), ok: 200, own: "admin staff"},
		"POST /app/evaluations": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				w := m.evalWorld()
				return "/app/evaluations", url.Values{"cohort": {fmt.Sprint(w.cohort)}, "evaluation": {"RNCP38478BC03/1"},
					"held_on": {daysFromNow(20).String()}, "place": {"Salle Carnot"}, "evaluators": {fmt.Sprint(w.evaluator)},
					"learners": {fmt.Sprint(w.learners[0])}}.Encode()
			}},
		"GET /app/evaluations/{id}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				return fmt.Sprintf("/app/evaluations/%d", m.evalWorld().session), ""
			}},
		"GET /app/evaluations/{id}/learners/{person}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) { return m.gradingScreen(), "" }},
		"POST /app/evaluations/{id}/learners/{person}": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) { return m.gradingScreen(), "action=draft&v-C1=3" }},
		"POST /app/evaluations/{id}/learners/{person}/correct": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				form := bc01Form(m, "2")
				form.Set("reason", "Erreur de report")
				return m.lockedScreen() + "/correct?round=1", form.Encode()
			}},
		"GET /app/evaluations/{id}/teams/{team}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) { return m.teamScreen(), "" }},
		"POST /app/evaluations/{id}/teams/{team}": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) { return m.teamScreen(), "action=draft&v-C1=3" }},
		// A learner is sent to their page (deny: 303); others are told they have none.
		"GET /app/me/evaluations": {call: path("/app/me/evaluations"), ok: 200, own: "admin staff evaluator jury referent",
			deny: 303},
		"GET /app/people/{id}/evaluations": {call: personPath("/app/people/%d/evaluations"), ok: 200, own: "admin staff",
			other: "admin", scoped: true},
		"POST /app/people/{id}/accommodations": {ok: 303, own: "referent", other: nobody, scoped: true,
			call: func(m *matrix) (string, string) {
				return fmt.Sprintf("/app/people/%d/accommodations", m.person), "kind-separate_room=yes"
			}},
	} {
		webMatrix[pattern] = rt
	}
}
