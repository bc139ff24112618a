package server_test

import (
	"fmt"
	"maps"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The evaluation routes of the API in the authorisation matrix. The
// matrix calls them with API tokens, which stand for no account and no
// person: an evaluator's token is assigned to no session and a
// candidate's sits none (evaluators and learners use these routes signed
// in on the web: evaluations_e2e_test.go). Records are of ownSchool.

func init() { maps.Copy(apiMatrix, evaluationsAPIMatrix) }

// evalRecords are the records the matrix's evaluation routes read: a
// learner of ownSchool in a session of BC01's evaluation, with a draft.
type evalRecords struct {
	session, learner int64
}

var matrixEvalRecords = map[*matrix]*evalRecords{}

// evalSession makes, once per matrix, a session of ownSchool with one
// learner, an evaluator's account assigned and a draft result.
func (m *matrix) evalSession() *evalRecords {
	m.t.Helper()
	if r := matrixEvalRecords[m]; r != nil {
		return r
	}
	r := &evalRecords{}
	r.session, r.learner = m.newEvalSession(false)
	matrixEvalRecords[m] = r
	return r
}

// newEvalSession makes a session of BC01's evaluation for a new learner of
// ownSchool; with submitted, the learner's result is submitted (failed).
func (m *matrix) newEvalSession(submitted bool) (session, learner int64) {
	m.t.Helper()
	n := m.unique()
	co := enrolCohort(m.t, m.db, fmt.Sprintf("Matrice%d", n), "BC04")
	evaluator, _ := evaluatorAccount(m.t, m.db, fmt.Sprintf("evaluateur%d@example.org", n), certibloc.Evaluator)
	staff := m.staffCtx()
	s := &certibloc.EvalSession{School: ownSchool, Block: "RNCP38478BC01", Evaluation: 1, CohortID: co.ID, Title: "Mise en situation BC01",
		Date: m.db.Today(), Place: "Salle 3", Evaluators: []int64{evaluator}}
	must(m.t, m.db.CreateEvalSession(m.t.Context(), staff, s))
	g, err := m.db.Grid(m.t.Context(), s.GridID)
	must(m.t, err)
	var marks []certibloc.Mark
	for _, c := range g.Criteria {
		marks = append(marks, certibloc.Mark{Criterion: c.Key, Value: 100})
	}
	_, err = m.db.RecordResults(m.t.Context(), staff, s.ID, []sqldb.ResultInput{{PersonID: co.Learners[0], Marks: marks, Submit: submitted}})
	must(m.t, err)
	return s.ID, co.Learners[0]
}

// latestGrid is the id of the latest revision of the grid of BC06's
// second evaluation, which the matrix edits (sessions grade BC01 and BC03).
func (m *matrix) latestGrid() int64 {
	m.t.Helper()
	list, err := m.db.Grids(m.t.Context(), "RNCP38478", 0)
	must(m.t, err)
	for _, g := range list {
		if g.Block == "RNCP38478BC06" && g.Evaluation == 2 {
			return g.ID
		}
	}
	m.t.Fatal("RNCP38478 has no grid for BC06's second evaluation")
	return 0
}

const evalStaff = "admin staff"

var evaluationsAPIMatrix = map[string]matrixRoute{
	// Grids are part of the public referential; staff and the admin edit them.
	"GET /api/v1/certifications/{code}/grids": {call: path("/api/v1/certifications/RNCP38478/grids"), ok: 200, own: everyone},
	"GET /api/v1/grids/{id}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
		return fmt.Sprint("/api/v1/grids/", m.latestGrid()), ""
	}},
	"PUT /api/v1/grids/{id}": {ok: 200, own: evalStaff, call: func(m *matrix) (string, string) {
		return fmt.Sprint("/api/v1/grids/", m.latestGrid()), fmt.Sprintf(`{"title":"Grille %d","pass":{"rule":"total","min_total":10},
			"criteria":[{"key":"NOTE","label":"Note globale","scale":{"max":20,"pass":10},"mandatory":true}]}`, m.unique())
	}},

	// Sessions: staff of the school and the admin; an evaluator's token
	// and a candidate's list none (they are nobody's), other roles 403.
	"GET /api/v1/evaluations": {call: path("/api/v1/evaluations"), ok: 200, own: "admin staff evaluator candidate"},
	"POST /api/v1/evaluations": {ok: 201, own: evalStaff, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		r := m.evalSession()
		var ev []int64
		s, err := m.db.EvalSession(m.t.Context(), m.staffCtx(), r.session)
		must(m.t, err)
		ev = s.Evaluators
		return "/api/v1/evaluations", fmt.Sprintf(`{"school":"DIIAGE","certification":"RNCP38478","block":"RNCP38478BC03","evaluation":1,"title":"BC03",
			"date":"2031-05-02","evaluators":[%d],"learners":[{"person_id":%d}]}`, ev[0], r.learner)
	}},
	"GET /api/v1/evaluations/{id}": {ok: 200, own: evalStaff, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		return fmt.Sprint("/api/v1/evaluations/", m.evalSession().session), ""
	}},
	"GET /api/v1/evaluations/{id}/results": {ok: 200, own: evalStaff, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		return fmt.Sprintf("/api/v1/evaluations/%d/results", m.evalSession().session), ""
	}},
	"POST /api/v1/evaluations/{id}/results": {ok: 200, own: evalStaff, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		r := m.evalSession()
		return fmt.Sprintf("/api/v1/evaluations/%d/results", r.session),
			fmt.Sprintf(`{"results":[{"person_id":%d,"marks":[{"criterion":"C1","value":"2","comment":"Matrice %d"}]}]}`, r.learner, m.unique())
	}},
	"POST /api/v1/evaluations/{id}/results/{result_id}/correction": {ok: 201, own: evalStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			session, _ := m.newEvalSession(true)
			list, err := m.db.Results(m.t.Context(), m.staffCtx(), session)
			must(m.t, err)
			return fmt.Sprintf("/api/v1/evaluations/%d/results/%d/correction", session, list[0].ID),
				`{"marks":[{"criterion":"C1","value":3}],"reason":"Erreur de saisie"}`
		}},

	// A person's results: staff of their school and the admin; an
	// evaluator's token reads the sessions it is assigned to, none.
	"GET /api/v1/people/{id}/results": {ok: 200, own: "admin staff evaluator", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/api/v1/people/%d/results", m.evalSession().learner), ""
		}},

	// Accommodations: the referent sets them; staff who put them on session
	// sheets and the admin read them too.
	"GET /api/v1/people/{id}/accommodations": {call: personPath("/api/v1/people/%d/accommodations"), ok: 200,
		own: "admin staff referent", other: "admin", scoped: true},
	"PUT /api/v1/people/{id}/accommodations": {ok: 200, own: "referent", other: nobody, scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/api/v1/people/%d/accommodations", m.person), `{"accommodations":[{"kind":"extra_time","detail":"30 minutes"}]}`
		}},
}
