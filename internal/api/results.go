package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Results of a session: an evaluator records a batch of grades (drafts,
// or submitted and locked), all or nothing; staff correct a locked result
// with a reason; anyone who may see the session reads its current results
// with each learner's official outcome, combined over the two rounds of a
// double marking with the discrepancy shown.

// resultsInput is the body of POST /api/v1/evaluations/{id}/results.
// session_id and grid_id, when given, must be the session's and its
// grid's: a client that built the batch for another session or revision
// is told so.
type resultsInput struct {
	SessionID int64         `json:"session_id"`
	GridID    int64         `json:"grid_id"`
	Results   []resultInput `json:"results"`
}

// resultInput is one entry of the batch: a learner's grades (or a team's,
// for the criteria its members share), at a round, saved as a draft or
// submitted.
type resultInput struct {
	PersonID int64       `json:"person_id"`
	Team     string      `json:"team"`
	Round    int         `json:"round"`
	Marks    []markInput `json:"marks"`
	Submit   bool        `json:"submit"`
}

// markInput is the grade of one criterion: a number, or a string as people
// type it (« 14,5 » is 14.5), or a level's label or rank.
type markInput struct {
	Criterion string    `json:"criterion"`
	Value     gradeText `json:"value"`
	Comment   string    `json:"comment"`
}

// gradeText keeps a grade as written, to be read per row so that a
// wrong one is a problem of its row, not a refusal of the whole body.
type gradeText struct {
	text string
	set  bool
}

func (g *gradeText) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*g = gradeText{}
		return nil
	}
	s := string(b)
	if unq, err := strconv.Unquote(s); err == nil {
		s = unq
	}
	*g = gradeText{text: s, set: true}
	return nil
}

// correctionInput is the body of POST …/results/{result_id}/correction.
type correctionInput struct {
	Marks  []markInput `json:"marks"`
	Reason string      `json:"reason"`
}

// marks reads the grades of one entry, adding a problem of row for each
// that is not a grade. A value that is not a number may be a level's
// label (« Acquis »): levels reads the session's grid then, once.
func marks(in []markInput, row int, levels *gridLevels, problems *certibloc.Problems) []certibloc.Mark {
	out := make([]certibloc.Mark, 0, len(in))
	for _, m := range in {
		key := strings.TrimSpace(m.Criterion)
		p := certibloc.Problem{Row: row, Column: m.Criterion}
		v, err := certibloc.ParseScore(m.Value.text)
		if err != nil && m.Value.set {
			v, err = levels.value(key, m.Value.text)
		}
		switch {
		case !m.Value.set || strings.TrimSpace(m.Value.text) == "":
			p.Code = "missing_grade"
		case err != nil:
			p.Code, p.Value = "not_a_grade", certibloc.Cut(m.Value.text)
		default:
			out = append(out, certibloc.Mark{Criterion: key, Value: v, Comment: m.Comment})
			continue
		}
		if len(*problems) < certibloc.MaxProblems {
			*problems = append(*problems, p)
		}
	}
	return out
}

// gridLevels finds the value of a level's label in the grid of a session,
// read the first time one is asked for.
type gridLevels struct {
	load func() (*certibloc.Grid, error)
	grid *certibloc.Grid
}

func (a *API) levelsOf(r *http.Request, session int64) *gridLevels {
	return &gridLevels{load: func() (*certibloc.Grid, error) {
		s, err := a.db.EvalSession(r.Context(), certibloc.PrincipalFrom(r.Context()), session)
		if err != nil {
			return nil, err
		}
		return a.db.Grid(r.Context(), s.GridID)
	}}
}

// value is the value of the level of criterion key labelled label (in any
// case); an error when there is none.
func (gl *gridLevels) value(key, label string) (certibloc.Score, error) {
	if gl.grid == nil {
		g, err := gl.load()
		if err != nil {
			return 0, err
		}
		gl.grid = g
	}
	if c := gl.grid.Criterion(key); c != nil {
		for i, l := range c.Scale.Levels {
			if strings.EqualFold(strings.TrimSpace(label), l.Label) {
				return certibloc.Score((i + 1) * 100), nil
			}
		}
	}
	return 0, certibloc.Errorf(certibloc.EINVALID, "%q is not a level of criterion %s", label, key)
}

func (a *API) recordResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	var in resultsInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if len(in.Results) == 0 {
		return certibloc.Errorf(certibloc.EINVALID, "results is empty: give at least one learner's grades")
	}
	var problems certibloc.Problems
	if in.SessionID != 0 && in.SessionID != id {
		problems = append(problems, certibloc.Problem{Column: "session_id", Code: "wrong_session",
			Value: strconv.FormatInt(in.SessionID, 10), Detail: strconv.FormatInt(id, 10)})
	}
	p := certibloc.PrincipalFrom(r.Context())
	if in.GridID != 0 {
		s, err := a.db.EvalSession(r.Context(), p, id)
		if err != nil {
			return err
		}
		if in.GridID != s.GridID {
			problems = append(problems, certibloc.Problem{Column: "grid_id", Code: "wrong_grid",
				Value: strconv.FormatInt(in.GridID, 10), Detail: strconv.FormatInt(s.GridID, 10)})
		}
	}
	batch := make([]sqldb.ResultInput, len(in.Results))
	levels := a.levelsOf(r, id)
	for i, e := range in.Results {
		batch[i] = sqldb.ResultInput{PersonID: e.PersonID, Team: e.Team, Round: e.Round, Submit: e.Submit,
			Marks: marks(e.Marks, i+1, levels, &problems)}
	}
	if len(problems) > 0 {
		return problems
	}
	saved, err := a.db.RecordResults(r.Context(), p, id, batch)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"session_id": id, "results": saved})
}

func (a *API) correctResult(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	resultID, err := pathID(r, "result_id", "result")
	if err != nil {
		return err
	}
	var in correctionInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Reason) == "" {
		return certibloc.Errorf(certibloc.EINVALID, "reason is required: say why a submitted result is corrected")
	}
	var problems certibloc.Problems
	ms := marks(in.Marks, 0, a.levelsOf(r, id), &problems)
	if len(problems) > 0 {
		return problems
	}
	p := certibloc.PrincipalFrom(r.Context())
	current, err := a.db.Results(r.Context(), p, id)
	if err != nil {
		return err
	}
	found := false
	for _, res := range current {
		found = found || res.ID == resultID
	}
	if !found {
		return certibloc.Errorf(certibloc.ENOTFOUND, "evaluation session %d has no current result %d (a corrected result gives way to its correction)", id, resultID)
	}
	res, err := a.db.CorrectResult(r.Context(), p, resultID, ms, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, res)
}

// outcome is a learner's place in a session's results: whether they are
// graded yet, and the official outcome once every round has a complete
// result — the round-1 result, or with double marking the combination of
// both rounds with their discrepancy.
type outcome struct {
	PersonID    int64            `json:"person_id"`
	Name        string           `json:"name,omitempty"`
	Team        string           `json:"team,omitempty"`
	State       string           `json:"state"` // to_grade, draft or submitted
	Marks       []certibloc.Mark `json:"marks,omitempty"`
	Total       *certibloc.Score `json:"total,omitempty"`
	Max         *certibloc.Score `json:"max,omitempty"`
	Passed      *bool            `json:"passed,omitempty"`
	Discrepancy *certibloc.Score `json:"discrepancy,omitempty"`
}

func (a *API) listResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(r.Context())
	s, err := a.db.EvalSession(r.Context(), p, id)
	if err != nil {
		return err
	}
	g, err := a.db.Grid(r.Context(), s.GridID)
	if err != nil {
		return err
	}
	results, err := a.db.Results(r.Context(), p, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"session_id": id, "grid_id": g.ID, "double_marking": s.DoubleMarking,
		"results": results, "outcomes": outcomes(s, g, results)})
}

// outcomes gives every learner of s their outcome from the current results.
func outcomes(s *certibloc.EvalSession, g *certibloc.Grid, results []certibloc.Result) []outcome {
	rounds := 1
	if s.DoubleMarking {
		rounds = 2
	}
	byPerson := map[int64][]*certibloc.Result{}
	for i := range results {
		res := &results[i]
		if res.Round >= 1 && res.Round <= rounds {
			if byPerson[res.PersonID] == nil {
				byPerson[res.PersonID] = make([]*certibloc.Result, rounds)
			}
			byPerson[res.PersonID][res.Round-1] = res
		}
	}
	out := make([]outcome, 0, len(s.Learners))
	for _, l := range s.Learners {
		o := outcome{PersonID: l.PersonID, Name: l.Name, Team: l.Team, State: "to_grade"}
		rs := byPerson[l.PersonID]
		complete := rs != nil
		if rs != nil {
			o.State = certibloc.ResultSubmitted
			for _, res := range rs {
				if res == nil || res.State != certibloc.ResultSubmitted {
					o.State = certibloc.ResultDraft
				}
				complete = complete && res != nil && len(res.Marks) == len(g.Criteria)
			}
		}
		if complete {
			var ms []certibloc.Mark
			var out certibloc.Outcome
			var err error
			if rounds == 2 {
				var d certibloc.Score
				ms, out, d, err = certibloc.Combine(g, rs[0].Marks, rs[1].Marks)
				o.Discrepancy = &d
			} else {
				ms, out = rs[0].Marks, rs[0].Outcome
			}
			if err == nil {
				o.Marks, o.Total, o.Max, o.Passed = ms, &out.Total, &out.Max, &out.Passed
			} else {
				o.Discrepancy = nil
			}
		}
		out = append(out, o)
	}
	return out
}

func (a *API) personResults(w http.ResponseWriter, r *http.Request) error {
	person, _, err := a.person(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	list, err := a.db.PersonResults(r.Context(), certibloc.PrincipalFrom(r.Context()), person.ID)
	if err != nil {
		return err
	}
	for i := range list { // a session here comes without its evaluators and learners
		s := &list[i].Session
		if s.Evaluators == nil {
			s.Evaluators = []int64{}
		}
		if s.Learners == nil {
			s.Learners = []certibloc.Learner{}
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": person.ID, "results": list})
}
