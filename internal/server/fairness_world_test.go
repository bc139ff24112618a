package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// fairnessRecords is a cohort of ten learners of ownSchool who sat BC01's
// evaluation with double marking, graded through the store as the
// evaluators grade: Anne DUPONT marked learners 1–5 (round 1) at 23/32
// (71,875 %), Chloé MOREL learners 6–10 at 24/32 (75 %), and Bruno LEROY
// the second round of learners 1–5 at 8/32 (25 %). Bruno's median is
// 48,4375 points below the others' (73,4375 %, IQR 3,125 → threshold 10):
// he alone is flagged.
type fairnessRecords struct {
	cohort, session int64
	anne, bruno     int64 // accounts
}

func newFairnessRecords(t *testing.T, db *sqldb.DB) fairnessRecords {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	staff := admStaff(t)
	c := admCampaign(t, db, "Campagne de l'équité")
	co := &certibloc.Cohort{School: ownSchool, CampaignID: c.ID, Name: "Promotion de l'équité", Track: certibloc.OneYear,
		StartsOn: daysFromNow(-200), EndsOn: daysFromNow(165), PlannedHours: 600, WeeklyHours: 35}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateCohort(ctx, co))
	var learners []int64
	for i := range 10 {
		p := &certibloc.Person{School: ownSchool, BirthName: fmt.Sprintf("EQUITE%c", 'A'+i), FirstNames: "Sam",
			Email: fmt.Sprintf("sam.equite%d@example.org", i), Level: 5}
		must(db.CreatePerson(ctx, p))
		a := &certibloc.Application{CampaignID: c.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		must(db.CreateApplication(ctx, a))
		_, err := db.SubmitApplication(ctx, a.ID, db.Today())
		must(err)
		twelve, at := 12.0, time.Now().Add(48*time.Hour).Truncate(time.Minute)
		for _, d := range []certibloc.AdmissionDecision{{Kind: certibloc.DecideAdmissible}, {Kind: certibloc.ScheduleInterview,
			Place: "Salle 12", InterviewAt: &at}, {Kind: certibloc.RecordInterview, Score: &twelve, TestScore: &twelve},
			{Kind: certibloc.DecideAdmitted}} {
			d.Members = []string{"Michel GIRARD"}
			_, err := db.Decide(ctx, []int64{a.ID}, d)
			must(err)
		}
		must(db.Enrol(ctx, &certibloc.Enrolment{CohortID: co.ID, ApplicationID: a.ID, InternshipMonths: 6}))
		learners = append(learners, p.ID)
	}
	var markers []*certibloc.Principal
	for _, n := range [][2]string{{"Anne", "DUPONT"}, {"Bruno", "LEROY"}, {"Chloé", "MOREL"}} {
		p := &certibloc.Person{School: ownSchool, BirthName: n[1], FirstNames: n[0], Email: n[0] + "@diiage.example"}
		must(db.CreatePerson(ctx, p))
		a, err := db.CreateAccount(ctx, certibloc.Account{Email: fmt.Sprintf("%s.%d@eval.example", n[0], c.ID), Role: certibloc.Evaluator,
			Schools: []string{ownSchool}, PersonID: p.ID})
		must(err)
		markers = append(markers, a.Principal())
	}
	s := &certibloc.EvalSession{School: ownSchool, Certification: "RNCP38478", Block: "RNCP38478BC01", Evaluation: 1,
		CohortID: co.ID, Title: "BC01 – mise en situation", Date: daysFromNow(-10), Place: "Dijon", DoubleMarking: true,
		Evaluators: []int64{markers[0].AccountID, markers[1].AccountID, markers[2].AccountID}}
	must(db.CreateEvalSession(ctx, staff, s))
	g, err := db.Grid(ctx, s.GridID)
	must(err)
	grade := func(marker *certibloc.Principal, round int, people []int64, level func(key string) certibloc.Score) {
		t.Helper()
		var in []sqldb.ResultInput
		for _, p := range people {
			row := sqldb.ResultInput{PersonID: p, Round: round, Submit: true}
			for _, cr := range g.Criteria {
				row.Marks = append(row.Marks, certibloc.Mark{Criterion: cr.Key, Value: level(cr.Key)})
			}
			in = append(in, row)
		}
		_, err := db.RecordResults(ctx, marker, s.ID, in)
		must(err)
	}
	grade(markers[0], 1, learners[:5], func(k string) certibloc.Score {
		if k == "C1" {
			return 200
		}
		return 300
	})
	grade(markers[2], 1, learners[5:], func(string) certibloc.Score { return 300 })
	grade(markers[1], 2, learners[:5], func(string) certibloc.Score { return 100 })
	return fairnessRecords{cohort: co.ID, session: s.ID, anne: markers[0].AccountID, bruno: markers[1].AccountID}
}

// fairnessOf keeps each matrix's fairness records: the authorisation
// matrix visits the pages once per role and school, on the same records.
var fairnessOf = map[*matrix]fairnessRecords{}

// fairness returns the matrix's fairness records, made on first use.
func (m *matrix) fairness() fairnessRecords {
	m.t.Helper()
	rec, ok := fairnessOf[m]
	if !ok {
		rec = newFairnessRecords(m.t, m.db)
		fairnessOf[m] = rec
		m.t.Cleanup(func() { delete(fairnessOf, m) })
	}
	return rec
}
