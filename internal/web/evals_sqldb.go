package web

import (
	"context"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// newEvalStore is the store's evaluation calls for the pages.
//
// Until internal/sqldb has them (branch eval-store), every call answers
// that the service is unavailable, and a person has no accommodation.
func newEvalStore(db *sqldb.DB) evalStore { return pendingStore{} }

// pendingStore stands for the store's evaluation calls until they land.
type pendingStore struct{}

func unavailable() error {
	return certibloc.Errorf(certibloc.EUNAVAILABLE, "evaluations are not stored yet")
}

func (pendingStore) Grid(context.Context, int64) (*certibloc.Grid, error) { return nil, unavailable() }
func (pendingStore) CreateEvalSession(context.Context, *certibloc.Principal, *certibloc.EvalSession) error {
	return unavailable()
}
func (pendingStore) EvalSession(context.Context, *certibloc.Principal, int64) (*certibloc.EvalSession, error) {
	return nil, unavailable()
}
func (pendingStore) EvalSessions(context.Context, *certibloc.Principal, sessionFilter) ([]certibloc.EvalSession, error) {
	return nil, unavailable()
}
func (pendingStore) Results(context.Context, *certibloc.Principal, int64) ([]certibloc.Result, error) {
	return nil, unavailable()
}
func (pendingStore) RecordResults(context.Context, *certibloc.Principal, int64, []resultInput) ([]certibloc.Result, error) {
	return nil, unavailable()
}
func (pendingStore) CorrectResult(context.Context, *certibloc.Principal, int64, []certibloc.Mark, string) (*certibloc.Result, error) {
	return nil, unavailable()
}
func (pendingStore) Accommodations(context.Context, *certibloc.Principal, int64) ([]certibloc.Accommodation, error) {
	return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no accommodation")
}
func (pendingStore) SetAccommodations(context.Context, *certibloc.Principal, int64, []certibloc.Accommodation) error {
	return unavailable()
}
