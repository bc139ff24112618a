package sqldb_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// admissions is what the admission tests share: RNCP38478, the schools
// DIIAGE and OTHER, a campaign of DIIAGE open on the test's day (15 March
// 2026, whose clock tests may move), and principals to act as.
type admissions struct {
	db       *sqldb.DB
	now      time.Time
	campaign *certibloc.Campaign
	staff    context.Context // staff of DIIAGE
	other    context.Context // staff of OTHER
	counter  int
}

func newAdmissions(t *testing.T, db *sqldb.DB) *admissions {
	t.Helper()
	w := &admissions{db: db, now: time.Date(2026, 3, 15, 10, 0, 0, 0, time.UTC)}
	db.SetClockForAdmissionTest(func() time.Time { return w.now })
	w.staff = certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Staff,
		Schools: []string{"DIIAGE"}, Label: "account 1"})
	w.other = certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Staff,
		Schools: []string{"OTHER"}, Label: "account 2"})
	withSchools(t, db)
	cert, err := seed.Certification()
	must(t, err)
	_, err = db.SaveCertification(t.Context(), cert)
	must(t, err)
	w.campaign = w.newCampaign(t, "DIIAGE", certibloc.DefaultClosing(2026))
	return w
}

// newCampaign stores a campaign of RNCP38478 of a school, open from 15
// January 2026 to closes, offering both tracks in both modes (one-year
// initial training: 3 places; the others uncounted), options BC04 and BC05.
func (w *admissions) newCampaign(t *testing.T, school string, closes certibloc.Date) *certibloc.Campaign {
	t.Helper()
	c := &certibloc.Campaign{School: school, CertificationCode: "RNCP38478", Year: 2026,
		OpensOn: certibloc.DateOf(2026, time.January, 15), ClosesOn: closes,
		Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 3},
			{Track: certibloc.OneYear, Mode: certibloc.Apprenticeship},
			{Track: certibloc.ThreeYear, Mode: certibloc.Initial}, {Track: certibloc.ThreeYear, Mode: certibloc.Apprenticeship}},
		Options: []string{"RNCP38478BC04", "RNCP38478BC05"}}
	must(t, w.db.CreateCampaign(w.staff, c))
	return c
}

// person stores a candidate of DIIAGE with a level, ECTS and months of
// experience.
func (w *admissions) person(t *testing.T, name string, level, ects, months int) *certibloc.Person {
	t.Helper()
	p := samplePerson("DIIAGE", name, "Camille")
	p.Level, p.ECTS, p.ExperienceMonths = level, ects, months
	return mustCreate(t, w.db, p)
}

// draft stores a draft application of a new person on the one-year
// track in initial training.
func (w *admissions) draft(t *testing.T, name string, level int) *certibloc.Application {
	t.Helper()
	p := w.person(t, name, level, 0, 0)
	a := &certibloc.Application{CampaignID: w.campaign.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
	must(t, w.db.CreateApplication(w.staff, a))
	return a
}

// submitted stores a submitted application of a new person of level 5.
func (w *admissions) submitted(t *testing.T, name string) *certibloc.Application {
	t.Helper()
	a := w.draft(t, name, 5)
	a, err := w.db.SubmitApplication(w.staff, a.ID, w.db.Today())
	must(t, err)
	return a
}

// commission is the members of the commissions.
var commission = []string{"Michel GIRARD", "Claire MOREAU"}

// decide takes one decision on applications as staff of DIIAGE.
func (w *admissions) decide(t *testing.T, kind certibloc.DecisionKind, ids ...int64) []certibloc.AdmissionDecision {
	t.Helper()
	d := certibloc.AdmissionDecision{Kind: kind, Members: commission, Reason: "Motif"}
	switch kind {
	case certibloc.ScheduleInterview:
		at := w.now.Add(72 * time.Hour)
		d.InterviewAt, d.Place = &at, "Dijon, salle B12"
	case certibloc.RecordInterview:
		score, tests := 14.5, 12.0
		d.Score, d.TestScore = &score, &tests
	}
	out, err := w.db.Decide(w.staff, ids, d)
	must(t, err)
	return out
}

// admitted takes a submitted application to admitted.
func (w *admissions) admitted(t *testing.T, name string) *certibloc.Application {
	t.Helper()
	a := w.submitted(t, name)
	for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview,
		certibloc.RecordInterview, certibloc.DecideAdmitted} {
		w.decide(t, k, a.ID)
	}
	return a
}

// state reads an application's state back.
func (w *admissions) state(t *testing.T, id int64) certibloc.State {
	t.Helper()
	a, err := w.db.Application(t.Context(), id)
	must(t, err)
	return a.State
}

// file reads a real document of testdata/documents.
func file(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/documents/" + name)
	must(t, err)
	return b
}
