package web

import (
	"context"
	"slices"

	"github.com/certibloc/certibloc"
)

// evalStore is what the evaluation pages ask of the store: the calls of
// issue 8's plan (internal/sqldb), each taking who acts and applying the
// scoping (an evaluator reaches only the sessions they are assigned to,
// staff those of their school, a learner their own submitted results).
// The pages check the scoping again before they show anything.
type evalStore interface {
	Grid(ctx context.Context, id int64) (*certibloc.Grid, error)
	CreateEvalSession(ctx context.Context, p *certibloc.Principal, s *certibloc.EvalSession) error
	EvalSession(ctx context.Context, p *certibloc.Principal, id int64) (*certibloc.EvalSession, error)
	EvalSessions(ctx context.Context, p *certibloc.Principal, f sessionFilter) ([]certibloc.EvalSession, error)
	Results(ctx context.Context, p *certibloc.Principal, sessionID int64) ([]certibloc.Result, error)
	RecordResults(ctx context.Context, p *certibloc.Principal, sessionID int64, in []resultInput) ([]certibloc.Result, error)
	CorrectResult(ctx context.Context, p *certibloc.Principal, resultID int64, marks []certibloc.Mark, reason string) (*certibloc.Result, error)
	Accommodations(ctx context.Context, p *certibloc.Principal, personID int64) ([]certibloc.Accommodation, error)
	SetAccommodations(ctx context.Context, p *certibloc.Principal, personID int64, as []certibloc.Accommodation) error
}

// sessionFilter narrows a list of sessions: to a school, to the sessions a
// person sits.
type sessionFilter struct {
	School   string
	PersonID int64
}

// resultInput is one grading sent: a learner's marks, or a team's marks
// of the criteria shared by its members (Team set, PersonID 0); Submit
// locks it.
type resultInput struct {
	PersonID int64
	Team     string
	Round    int
	Marks    []certibloc.Mark
	Submit   bool
}

// canSee reports whether p may open session s: staff and admin of its
// school, or an evaluator assigned to it.
func canSee(p *certibloc.Principal, s *certibloc.EvalSession) bool {
	if p.Authorize(certibloc.ManageEvaluations, s.School) == nil {
		return true
	}
	return p.Can(certibloc.GradeEvaluations) && p.InSchool(s.School) && slices.Contains(s.Evaluators, p.AccountID)
}

// canGrade reports whether p grades session s: an evaluator assigned to it
// (staff assigned to it too).
func canGrade(p *certibloc.Principal, s *certibloc.EvalSession) bool {
	return p.Can(certibloc.GradeEvaluations) && slices.Contains(s.Evaluators, p.AccountID) &&
		(p.Role == certibloc.Admin || p.InSchool(s.School))
}
