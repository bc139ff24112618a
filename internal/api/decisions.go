package api

import (
	"net/http"
	"time"

	"github.com/certibloc/certibloc"
)

// Decisions on applications: the commissions', the interviews, a
// candidate's withdrawal; one at a time or on a list, all or nothing.
// Each decision that changes an application's state is told to its
// candidate by e-mail: the store writes the notice to the outbox in the
// transaction of the decision (sqldb.DB.Decide).

// decisionInput is a decision as a client writes it.
type decisionInput struct {
	Kind        certibloc.DecisionKind `json:"kind"`
	Reason      string                 `json:"reason"`
	Members     []string               `json:"members"`
	InterviewAt *time.Time             `json:"interview_at"`
	Place       string                 `json:"place"`
	Score       *float64               `json:"interview_score"`
	TestScore   *float64               `json:"test_score"`
}

func (in *decisionInput) decision() certibloc.AdmissionDecision {
	return certibloc.AdmissionDecision{Kind: in.Kind, Reason: in.Reason, Members: in.Members,
		InterviewAt: in.InterviewAt, Place: in.Place, Score: in.Score, TestScore: in.TestScore}
}

// bulkInput is the body of POST /api/v1/decisions.
type bulkInput struct {
	Applications []int64       `json:"applications"`
	Decision     decisionInput `json:"decision"`
}

func (a *API) listDecisions(w http.ResponseWriter, r *http.Request) error {
	app, err := a.application(r)
	if err != nil {
		return err
	}
	list, err := a.db.Decisions(r.Context(), app.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"decisions": list})
}

func (a *API) decideOne(w http.ResponseWriter, r *http.Request) error {
	if err := applicantGate(r); err != nil {
		return err
	}
	id, err := pathID(r, "id", "application")
	if err != nil {
		return err
	}
	var in decisionInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	// Decide checks who may take the decision on which application.
	out, err := a.db.Decide(r.Context(), []int64{id}, in.decision())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out[0])
}

func (a *API) decideMany(w http.ResponseWriter, r *http.Request) error {
	var in bulkInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	out, err := a.db.Decide(r.Context(), in.Applications, in.Decision.decision())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"decisions": out})
}
