package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// What the evaluation tests share: learners enrolled on RNCP38478 in a
// cohort of ownSchool (the admission steps taken through the store, the
// evaluations being under test), evaluators' accounts signed in on the
// web, and grades that pass or fail a grid.

// evalCohort is a one-year cohort of ownSchool and its learners, each
// with the optional block they chose.
type evalCohort struct {
	ID       int64
	Learners []int64          // person ids, in enrolment order
	Option   map[int64]string // person id → optional block
}

// enrolCohort enrols one learner per option given (BC04, BC05 or BC06, by
// their short codes "BC04"…) in a new cohort of ownSchool, through the
// admission steps. The learners are named after the cohort.
func enrolCohort(t testing.TB, db *sqldb.DB, name string, options ...string) *evalCohort {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "test"})
	prog, err := seed.Programme()
	must(t, err)
	today := db.Today()
	c := &certibloc.Campaign{School: ownSchool, Programme: prog.Slug, Year: today.Year(), Title: "Campagne " + name,
		OpensOn: addDays(today, -30), ClosesOn: addDays(today, 60),
		Offers:  []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 1000}},
		Options: []string{"RNCP38478BC04", "RNCP38478BC05", "RNCP38478BC06"}}
	must(t, db.CreateCampaign(ctx, c))
	out := &evalCohort{Option: map[int64]string{}}
	var apps []int64
	for i, opt := range options {
		p := &certibloc.Person{School: ownSchool, BirthName: fmt.Sprintf("%s%03d", name, i+1), FirstNames: "Camille",
			Email: fmt.Sprintf("%s.%d@example.org", name, i+1), Level: 5}
		must(t, db.CreatePerson(ctx, p))
		a := &certibloc.Application{CampaignID: c.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial,
			Option: "RNCP38478" + opt}
		must(t, db.CreateApplication(ctx, a))
		_, err := db.SubmitApplication(ctx, a.ID, today)
		must(t, err)
		apps = append(apps, a.ID)
		out.Learners = append(out.Learners, p.ID)
		out.Option[p.ID] = "RNCP38478" + opt
	}
	at := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	twelve := 12.0
	for _, d := range []certibloc.AdmissionDecision{
		{Kind: certibloc.DecideAdmissible, Members: []string{"Michel GIRARD"}},
		{Kind: certibloc.ScheduleInterview, InterviewAt: &at, Place: "Salle 12"},
		{Kind: certibloc.RecordInterview, Score: &twelve, TestScore: &twelve},
		{Kind: certibloc.DecideAdmitted, Members: []string{"Michel GIRARD"}},
	} {
		_, err := db.Decide(ctx, apps, d)
		must(t, err)
	}
	co := &certibloc.Cohort{School: ownSchool, CampaignID: c.ID, Name: "Promotion " + name, Track: certibloc.OneYear,
		StartsOn: addDays(today, -20), EndsOn: addDays(today, 340), PlannedHours: 600, WeeklyHours: 35}
	must(t, db.CreateCohort(ctx, co))
	out.ID = co.ID
	for _, app := range apps {
		must(t, db.Enrol(ctx, &certibloc.Enrolment{CohortID: co.ID, ApplicationID: app, InternshipMonths: 6}))
	}
	return out
}

// evaluatorAccount makes an evaluator's account of ownSchool (or of
// another role) and a web session signed in with it.
func evaluatorAccount(t testing.TB, db *sqldb.DB, email string, role certibloc.Role) (id int64, cookie string) {
	t.Helper()
	a, err := db.CreateAccount(t.Context(), certibloc.Account{Email: email, Role: role, Schools: []string{ownSchool}})
	must(t, err)
	cookie, err = db.CreateSession(t.Context(), a.ID, true)
	must(t, err)
	return a.ID, cookie
}

// gridMarks grades every criterion of g: at level "Acquis" (3) or the pass
// mark when pass, at the lowest level or 0 otherwise; keep selects the
// criteria (nil: all).
func gridMarks(g *certibloc.Grid, pass bool, keep func(certibloc.Criterion) bool) []map[string]any {
	var out []map[string]any
	for _, c := range g.Criteria {
		if keep != nil && !keep(c) {
			continue
		}
		v := "1"
		switch {
		case len(c.Scale.Levels) > 0 && pass:
			v = "3"
		case len(c.Scale.Levels) == 0 && pass:
			v = c.Scale.Pass.In(certibloc.French) // « 10 », or « 12,5 »: decimal commas understood
		case len(c.Scale.Levels) == 0:
			v = "4,5"
		}
		out = append(out, map[string]any{"criterion": c.Key, "value": v})
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// addDays is the date n days after d.
func addDays(d certibloc.Date, n int) certibloc.Date { return certibloc.Date{Time: d.AddDate(0, 0, n)} }
