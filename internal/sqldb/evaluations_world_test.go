package sqldb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The RNCP38478 codes the evaluation tests use.
const (
	bc01 = "RNCP38478BC01"
	bc02 = "RNCP38478BC02"
	bc04 = "RNCP38478BC04"
	bc05 = "RNCP38478BC05"
)

// evalWorld is what the evaluation tests share: the admissions world
// (RNCP38478, DIIAGE and OTHER, 15 March 2026), a cohort of DIIAGE whose
// learners are apprentices on the one-year track (the first with the
// option BC05, the others with none), and the principals who act on
// evaluations.
type evalWorld struct {
	*admissions
	cohort   *certibloc.Cohort
	learners []*certibloc.Person
	outsider *certibloc.Person // a person of DIIAGE enrolled nowhere

	ctx                                   context.Context
	admin, staffP, otherStaff             *certibloc.Principal
	evaluator, evaluator2, otherEvaluator *certibloc.Principal // the first two of DIIAGE, the last of OTHER
	referent, jury                        *certibloc.Principal
	candidate                             *certibloc.Principal // the first learner's account
}

func newEvalWorld(t *testing.T, db *sqldb.DB, n int) *evalWorld {
	t.Helper()
	w := &evalWorld{admissions: newAdmissions(t, db), ctx: t.Context()}
	ctx := w.staff
	w.cohort = &certibloc.Cohort{School: "DIIAGE", CampaignID: w.campaign.ID, Name: "Promotion 2026", Track: certibloc.OneYear,
		StartsOn: certibloc.DateOf(2026, time.September, 1), EndsOn: certibloc.DateOf(2027, time.August, 31), PlannedHours: 600, WeeklyHours: 35}
	must(t, db.CreateCohort(ctx, w.cohort))
	for i := range n {
		p := w.person(t, fmt.Sprintf("Apprenti%c", 'A'+i), 5, 120, 12)
		a := &certibloc.Application{CampaignID: w.campaign.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Apprenticeship}
		if i == 0 {
			a.Option = bc05
		}
		must(t, db.CreateApplication(ctx, a))
		_, err := db.SubmitApplication(ctx, a.ID, db.Today())
		must(t, err)
		for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview,
			certibloc.RecordInterview, certibloc.DecideAdmitted} {
			w.decide(t, k, a.ID)
		}
		must(t, db.Enrol(ctx, &certibloc.Enrolment{CohortID: w.cohort.ID, ApplicationID: a.ID, Employer: "ACME SAS",
			ContractStart: w.cohort.StartsOn, ContractEnd: w.cohort.EndsOn, Tutor: "Tuteur"}))
		w.learners = append(w.learners, p)
	}
	w.outsider = w.person(t, "Externe", 5, 120, 12)
	account := func(email string, role certibloc.Role, person int64, schools ...string) *certibloc.Principal {
		a, err := db.CreateAccount(t.Context(), certibloc.Account{Email: email, Role: role, PersonID: person, Schools: schools})
		must(t, err)
		return a.Principal()
	}
	w.admin = account("admin@supdevinci.example", certibloc.Admin, 0)
	w.staffP = account("scolarite@diiage.example", certibloc.Staff, 0, "DIIAGE")
	w.otherStaff = account("scolarite@other.example", certibloc.Staff, 0, "OTHER")
	w.evaluator = account("eval1@diiage.example", certibloc.Evaluator, 0, "DIIAGE")
	w.evaluator2 = account("eval2@diiage.example", certibloc.Evaluator, 0, "DIIAGE")
	w.otherEvaluator = account("eval@other.example", certibloc.Evaluator, 0, "OTHER")
	w.referent = account("referent@diiage.example", certibloc.Referent, 0, "DIIAGE")
	w.jury = account("jury@diiage.example", certibloc.Jury, 0, "DIIAGE")
	if n > 0 {
		w.candidate = account("apprenti@example.org", certibloc.Candidate, w.learners[0].ID)
	}
	return w
}

// session creates a session of an evaluation for the given learners (all
// of the cohort when none), assessed by the first evaluator, as staff.
func (w *evalWorld) session(t *testing.T, block string, evaluation int, complementary string, date certibloc.Date,
	learners ...certibloc.Learner) *certibloc.EvalSession {
	t.Helper()
	s := &certibloc.EvalSession{School: "DIIAGE", Certification: "RNCP38478", Block: block, Evaluation: evaluation,
		Complementary: complementary, Title: "Session", Date: date, Place: "Dijon", Evaluators: []int64{w.evaluator.AccountID},
		Learners: learners}
	if len(learners) == 0 {
		s.CohortID = w.cohort.ID
	}
	must(t, w.db.CreateEvalSession(w.ctx, w.staffP, s))
	return s
}

// levels gives every criterion of g the level, for one learner.
func levels(g *certibloc.Grid, level int, individual bool) []certibloc.Mark {
	var out []certibloc.Mark
	for _, c := range g.Criteria {
		if c.Individual == individual || !individual {
			out = append(out, certibloc.Mark{Criterion: c.Key, Value: certibloc.Score(level * 100)})
		}
	}
	return out
}

// grade records and submits every criterion at level for each learner,
// as the first evaluator.
func (w *evalWorld) grade(t *testing.T, s *certibloc.EvalSession, level int, people ...int64) {
	t.Helper()
	g, err := w.db.Grid(w.ctx, s.GridID)
	must(t, err)
	var in []sqldb.ResultInput
	for _, id := range people {
		in = append(in, sqldb.ResultInput{PersonID: id, Marks: levels(g, level, false), Submit: true})
	}
	_, err = w.db.RecordResults(w.ctx, w.evaluator, s.ID, in)
	must(t, err)
}
