package api

import (
	"context"
	"net/http"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Decisions on applications: the commissions', the interviews, a
// candidate's withdrawal; one at a time or on a list, all or nothing.
// Each decision that changes an application's state is told to its
// candidate by e-mail once it is stored.

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
	a.notify(r.Context(), out)
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
	a.notify(r.Context(), out)
	return writeJSON(w, http.StatusCreated, map[string]any{"decisions": out})
}

// notify tells each candidate of the decisions taken on their application
// that they are to know of (AdmissionDecision.Notifies), by e-mail to the
// address of their record. The decisions are stored already: a message
// that cannot be written is logged, and the answer is still a success.
func (a *API) notify(ctx context.Context, decisions []certibloc.AdmissionDecision) {
	if a.mail == nil {
		return
	}
	titles := map[int64]string{}
	for _, d := range decisions {
		if !d.Notifies() {
			continue
		}
		if err := a.tell(ctx, d, titles); err != nil {
			a.log.Warn("candidate not told of a decision", "application", d.ApplicationID, "decision", d.ID, "err", err)
		}
	}
}

// tell sends one decision's notice; titles caches the campaigns' titles.
func (a *API) tell(ctx context.Context, d certibloc.AdmissionDecision, titles map[int64]string) error {
	app, err := a.db.Application(ctx, d.ApplicationID)
	if err != nil {
		return err
	}
	person, err := a.db.Person(ctx, app.PersonID)
	if err != nil || person.Email == "" {
		return err // no address: nobody to write to
	}
	title, ok := titles[app.CampaignID]
	if !ok {
		c, err := a.db.Campaign(ctx, app.CampaignID)
		if err != nil {
			return err
		}
		title, titles[app.CampaignID] = c.Title, c.Title
	}
	subject, body := d.Notice(title, person.DisplayName())
	_, err = a.mail.Send(ctx, sqldb.Mail{To: person.Email, Subject: subject, Body: body, School: app.School})
	return err
}
