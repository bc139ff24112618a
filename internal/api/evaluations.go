package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Evaluation sessions: one sitting of one evaluation of a block (or of a
// complementary evaluation) by learners of one school. Staff of the school
// and the admin create them and see them all; an evaluator sees the
// sessions they are assigned to; a learner signed in on the web sees their
// own place. The store applies that scoping to every call.

// evaluationInput is the body of POST /api/v1/evaluations.
type evaluationInput struct {
	School        string         `json:"school"`
	Certification string         `json:"certification"`
	Version       int            `json:"version"`
	Block         string         `json:"block"`
	Evaluation    int            `json:"evaluation"`
	Complementary string         `json:"complementary"`
	CohortID      int64          `json:"cohort_id"`
	GridID        int64          `json:"grid_id"`
	Title         string         `json:"title"`
	Date          certibloc.Date `json:"date"`
	Place         string         `json:"place"`
	DoubleMarking bool           `json:"double_marking"`
	Evaluators    []int64        `json:"evaluators"`
	Learners      []learnerInput `json:"learners"`
}

// learnerInput is a learner of a new session: their team on a team
// evaluation. Their accommodations come from their record.
type learnerInput struct {
	PersonID int64  `json:"person_id"`
	Team     string `json:"team"`
}

// evaluationAnswer is a session as GET /api/v1/evaluations/{id} answers
// it: with the grid it is graded on.
type evaluationAnswer struct {
	*certibloc.EvalSession
	Grid *certibloc.Grid `json:"grid"`
}

func (a *API) listEvaluations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := sqldb.EvalSessionFilter{School: schoolCode(q.Get("school")), Block: strings.ToUpper(strings.TrimSpace(q.Get("block"))),
		Certification: strings.ToUpper(strings.TrimSpace(q.Get("certification")))}
	var err error
	if f.CohortID, err = queryID(r, "cohort"); err != nil {
		return err
	}
	if f.PersonID, err = queryID(r, "person"); err != nil {
		return err
	}
	list, err := a.db.EvalSessions(r.Context(), certibloc.PrincipalFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"evaluations": list})
}

func (a *API) createEvaluation(w http.ResponseWriter, r *http.Request) error {
	var in evaluationInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	s := &certibloc.EvalSession{School: schoolCode(in.School), Certification: strings.ToUpper(strings.TrimSpace(in.Certification)),
		Version: in.Version, Block: strings.ToUpper(strings.TrimSpace(in.Block)), Evaluation: in.Evaluation,
		Complementary: strings.TrimSpace(in.Complementary), CohortID: in.CohortID, GridID: in.GridID, Title: in.Title,
		Date: in.Date, Place: in.Place, DoubleMarking: in.DoubleMarking, Evaluators: in.Evaluators}
	for _, l := range in.Learners {
		s.Learners = append(s.Learners, certibloc.Learner{PersonID: l.PersonID, Team: l.Team})
	}
	p := certibloc.PrincipalFrom(r.Context())
	if err := a.db.CreateEvalSession(r.Context(), p, s); err != nil {
		return err
	}
	return a.writeEvaluation(w, r, p, s.ID, http.StatusCreated)
}

func (a *API) getEvaluation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	return a.writeEvaluation(w, r, certibloc.PrincipalFrom(r.Context()), id, http.StatusOK)
}

// writeEvaluation answers a session as p may see it, with its grid.
func (a *API) writeEvaluation(w http.ResponseWriter, r *http.Request, p *certibloc.Principal, id int64, status int) error {
	s, err := a.db.EvalSession(r.Context(), p, id)
	if err != nil {
		return err
	}
	g, err := a.db.Grid(r.Context(), s.GridID)
	if err != nil {
		return err
	}
	return writeJSON(w, status, evaluationAnswer{EvalSession: s, Grid: g})
}

// queryID reads an optional id query parameter: 0 when absent.
func queryID(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, certibloc.Errorf(certibloc.EINVALID, "query parameter %s=%q must be an id", name, s)
	}
	return id, nil
}
