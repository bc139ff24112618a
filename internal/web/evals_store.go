package web

import (
	"context"
	"slices"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
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
	EvalSessions(ctx context.Context, p *certibloc.Principal, f sqldb.EvalSessionFilter) ([]certibloc.EvalSession, error)
	Results(ctx context.Context, p *certibloc.Principal, sessionID int64) ([]certibloc.Result, error)
	RecordResults(ctx context.Context, p *certibloc.Principal, sessionID int64, in []sqldb.ResultInput) ([]certibloc.Result, error)
	CorrectResult(ctx context.Context, p *certibloc.Principal, resultID int64, marks []certibloc.Mark, reason string) (*certibloc.Result, error)
	Accommodations(ctx context.Context, p *certibloc.Principal, personID int64) ([]certibloc.Accommodation, error)
	SetAccommodations(ctx context.Context, p *certibloc.Principal, personID int64, as []certibloc.Accommodation) error
	PersonResults(ctx context.Context, p *certibloc.Principal, personID int64) ([]sqldb.PersonResult, error)
	BlockStatuses(ctx context.Context, p *certibloc.Principal, f sqldb.StatusFilter) ([]sqldb.LearnerStatus, error)
}

// The SQL store is the one the site runs on.
var _ evalStore = (*sqldb.DB)(nil)

// canSee reports whether p may open session s: staff and admin of its
// school, or an evaluator assigned to it.
func canSee(p *certibloc.Principal, s *certibloc.EvalSession) bool {
	if p.Authorize(certibloc.ManageEvaluations, s.School) == nil {
		return true
	}
	return p.Can(certibloc.GradeEvaluations) && p.InSchool(s.School) && slices.Contains(s.Evaluators, p.AccountID)
}

// canGrade reports whether p grades session s: an evaluator assigned to
// it, staff of its school, the admin (as the store allows).
func canGrade(p *certibloc.Principal, s *certibloc.EvalSession) bool {
	return p.Authorize(certibloc.ManageEvaluations, s.School) == nil ||
		p.Can(certibloc.GradeEvaluations) && p.InSchool(s.School) && slices.Contains(s.Evaluators, p.AccountID)
}
