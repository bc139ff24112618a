package server_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The records the authorisation matrix needs for the admission pages,
// all of ownSchool. Each call makes its own, so that a route that moves
// an application on finds a fresh one for every role.

// staffCtx is who makes the records: staff of ownSchool.
func (m *matrix) staffCtx() *certibloc.Principal { return admStaff(m.t) }

// daysFromNow is a civil date around today.
func daysFromNow(days int) certibloc.Date {
	d := time.Now().AddDate(0, 0, days)
	return certibloc.DateOf(d.Year(), d.Month(), d.Day())
}

// campaign makes a campaign of ownSchool open today.
func (m *matrix) campaign() *certibloc.Campaign {
	return admCampaign(m.t, m.db, fmt.Sprint("Campagne ", m.unique()))
}

// admCampaign makes a campaign of ownSchool open today for the default
// programme: the one-year track in both modes, 100 places each, the cloud
// option open.
func admCampaign(t *testing.T, db *sqldb.DB, title string) *certibloc.Campaign {
	t.Helper()
	prog, err := seed.Programme()
	if err != nil {
		t.Fatal(err)
	}
	c := &certibloc.Campaign{School: ownSchool, Programme: prog.Slug, Year: time.Now().Year(), Title: title,
		OpensOn: daysFromNow(-30), ClosesOn: daysFromNow(60),
		Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 100},
			{Track: certibloc.OneYear, Mode: certibloc.Apprenticeship, Places: 100}},
		Options: []string{"RNCP38478BC04"}}
	if err := db.CreateCampaign(certibloc.WithPrincipal(t.Context(), admStaff(t)), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// candidatePerson is the person of the matrix's candidate of ownSchool,
// whose browser is made if it was not yet.
func (m *matrix) candidatePerson() int64 {
	m.t.Helper()
	b := m.browser(m.t, string(certibloc.Candidate), ownSchool, false)
	token := strings.TrimPrefix(b.header.Get("Cookie"), "certibloc_session=")
	sess, err := m.db.Session(m.t.Context(), token)
	if err != nil {
		m.t.Fatal(err)
	}
	return sess.Account.PersonID
}

// submitOnly, as the only step, asks for a submitted application.
const submitOnly certibloc.DecisionKind = ""

// application makes an application of a person to a new campaign, taken
// through the decisions given: a draft without any, submitted first
// otherwise.
func (m *matrix) application(person int64, steps ...certibloc.DecisionKind) *certibloc.Application {
	m.t.Helper()
	ctx := certibloc.WithPrincipal(m.t.Context(), m.staffCtx())
	c := m.campaign()
	a := &certibloc.Application{CampaignID: c.ID, PersonID: person, Track: certibloc.OneYear, Mode: certibloc.Initial}
	if err := m.db.CreateApplication(ctx, a); err != nil {
		m.t.Fatal(err)
	}
	if len(steps) == 0 {
		return a
	}
	if _, err := m.db.SubmitApplication(ctx, a.ID, m.db.Today()); err != nil {
		m.t.Fatal(err)
	}
	at := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
	twelve := 12.0
	for _, k := range steps {
		d := certibloc.AdmissionDecision{Kind: k, Members: []string{"Michel GIRARD"}, Reason: "Dossier examiné"}
		switch k {
		case certibloc.ScheduleInterview:
			d.InterviewAt, d.Place = &at, "Salle 12"
		case certibloc.RecordInterview:
			d.Score, d.TestScore = &twelve, &twelve
		}
		if k == submitOnly {
			continue
		}
		if _, err := m.db.Decide(ctx, []int64{a.ID}, d); err != nil {
			m.t.Fatal(err)
		}
	}
	got, err := m.db.Application(ctx, a.ID)
	if err != nil {
		m.t.Fatal(err)
	}
	return got
}

// ownDraft is a draft of the candidate of ownSchool, with a CV.
func (m *matrix) ownDraft() (app, doc int64) {
	m.t.Helper()
	a := m.application(m.candidatePerson())
	cv, err := os.ReadFile("../../testdata/documents/cv.pdf")
	if err != nil {
		m.t.Fatal(err)
	}
	d, err := m.db.AddDocument(m.t.Context(), a.ID, certibloc.DocCV, "cv.pdf", cv)
	if err != nil {
		m.t.Fatal(err)
	}
	return a.ID, d.ID
}

// cohort makes a one-year cohort recruited by campaign c.
func (m *matrix) cohort(c *certibloc.Campaign) int64 {
	m.t.Helper()
	co := &certibloc.Cohort{School: ownSchool, CampaignID: c.ID, Name: fmt.Sprint("Promotion ", m.unique()),
		Track: certibloc.OneYear, StartsOn: daysFromNow(90), EndsOn: daysFromNow(400), PlannedHours: 600, WeeklyHours: 35}
	if err := m.db.CreateCohort(certibloc.WithPrincipal(m.t.Context(), m.staffCtx()), co); err != nil {
		m.t.Fatal(err)
	}
	return co.ID
}
