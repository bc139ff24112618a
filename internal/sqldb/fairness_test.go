package sqldb_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// fairnessWorld is a cohort of DIIAGE with evaluation sessions whose
// results are written as the store writes them.
type fairnessWorld struct {
	*admissions
	cohort   *certibloc.Cohort
	enrolled int64 // a learner of the cohort
	grid     int64
	markers  []int64 // Alice (with a person), bruno@… and chloe@… (accounts only)
	at       time.Time
}

func newFairnessWorld(t *testing.T, db *sqldb.DB) *fairnessWorld {
	t.Helper()
	w := &fairnessWorld{admissions: newAdmissions(t, db), at: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	w.cohort = &certibloc.Cohort{School: "DIIAGE", CampaignID: w.campaign.ID, Name: "DIIAGE 2026", Track: certibloc.OneYear,
		StartsOn: certibloc.DateOf(2026, 9, 1), EndsOn: certibloc.DateOf(2027, 8, 31), PlannedHours: 600, WeeklyHours: 35}
	must(t, db.CreateCohort(w.staff, w.cohort))
	a := w.admitted(t, "Inscrite")
	must(t, db.Enrol(w.staff, &certibloc.Enrolment{CohortID: w.cohort.ID, ApplicationID: a.ID, InternshipMonths: 6}))
	w.enrolled = a.PersonID

	alice := mustCreate(t, db, samplePerson("DIIAGE", "Martin", "Alice"))
	for i, email := range []string{"alice@diiage.example", "bruno@diiage.example", "chloe@diiage.example"} {
		acc := certibloc.Account{Email: email, Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}}
		if i == 0 {
			acc.PersonID = alice.ID
		}
		acc, err := db.CreateAccount(t.Context(), acc)
		must(t, err)
		w.markers = append(w.markers, acc.ID)
	}
	g := &certibloc.Grid{Certification: "RNCP38478", Version: 1, Block: "RNCP38478BC01", Evaluation: 1, Title: "Grille sur 20",
		Criteria: []certibloc.Criterion{
			{Key: "C1", Label: "Analyse", Scale: certibloc.Scale{Max: 1000, Pass: 500}, Mandatory: true},
			{Key: "C2", Label: "Restitution", Scale: certibloc.Scale{Max: 1000, Pass: 500}, Mandatory: true}},
		Pass: certibloc.PassRule{Rule: certibloc.PassMandatory}}
	must(t, db.SaveGrid(t.Context(), certibloc.PrincipalFrom(w.staff), g))
	w.grid = g.ID
	return w
}

// session stores a session of school, of the cohort or of none.
func (w *fairnessWorld) session(t *testing.T, school string, cohort int64) int64 {
	t.Helper()
	var id int64
	var co any
	if cohort != 0 {
		co = cohort
	}
	must(t, w.db.QueryRowForFairnessTest(t.Context(), &id, `INSERT INTO eval_sessions (school_code, certification_code,
		certification_version, block_code, evaluation_number, form, grid_id, cohort_id, title, held_on, created_at)
		VALUES ($1, 'RNCP38478', 1, 'RNCP38478BC01', 1, 'individual', $2, $3, 'BC01', $4, $5) RETURNING id`,
		school, w.grid, co, certibloc.DateOf(2026, 6, 1), w.at))
	return id
}

// learner stores a new person of DIIAGE.
func (w *fairnessWorld) learner(t *testing.T) int64 {
	t.Helper()
	w.counter++
	return mustCreate(t, w.db, samplePerson("DIIAGE", fmt.Sprintf("Apprenant%d", w.counter), "Sam")).ID
}

// result stores marker's result of person in a state, marks c1 and c2
// out of 10 each.
func (w *fairnessWorld) result(t *testing.T, session, person int64, round int, marker int64, state string, c1, c2 certibloc.Score) {
	t.Helper()
	marks, err := json.Marshal([]certibloc.Mark{{Criterion: "C1", Value: c1}, {Criterion: "C2", Value: c2}})
	must(t, err)
	var id int64
	must(t, w.db.QueryRowForFairnessTest(t.Context(), &id, `INSERT INTO results (session_id, person_id, round, marker_account_id,
		marks, total, max_total, passed, state, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, 2000, $7, $8, $9, $9) RETURNING id`,
		session, person, round, marker, string(marks), c1+c2, c1 >= 500 && c2 >= 500, state, w.at))
}

func TestFairnessGradesOfASession(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newFairnessWorld(t, db)
		alice, bruno, chloe := w.markers[0], w.markers[1], w.markers[2]
		s := w.session(t, "DIIAGE", w.cohort.ID)
		// Double marking: Alice round 1, Bruno round 2, on five learners.
		for i := range 5 {
			p := w.learner(t)
			w.result(t, s, p, 1, alice, certibloc.ResultSubmitted, certibloc.Score(500+100*i), 600)
			w.result(t, s, p, 2, bruno, certibloc.ResultSubmitted, certibloc.Score(800+50*i), 900)
		}
		p := w.learner(t)
		w.result(t, s, p, 1, chloe, certibloc.ResultDraft, 1000, 1000)               // a draft does not count
		w.result(t, s, p, 2, chloe, "superseded", 0, 0)                              // nor a corrected result
		w.result(t, s, w.learner(t), 2, chloe, certibloc.ResultSubmitted, 1000, 950) // the correction does

		staff := certibloc.PrincipalFrom(w.staff)
		got, err := db.FairnessGrades(ctx, staff, sqldb.FairnessFilter{SessionID: s})
		must(t, err)
		var want []certibloc.Grade
		for i := range 5 {
			want = append(want, certibloc.Grade{Evaluator: alice, Name: "Alice MARTIN", Percent: float64(1100+100*i) / 20})
		}
		for i := range 5 {
			want = append(want, certibloc.Grade{Evaluator: bruno, Name: "bruno@diiage.example", Percent: float64(1700+50*i) / 20})
		}
		want = append(want, certibloc.Grade{Evaluator: chloe, Name: "chloe@diiage.example", Percent: 97.5})
		if !slices.Equal(got, want) {
			t.Errorf("FairnessGrades(session) =\n%+v\nwant\n%+v", got, want)
		}
		// Alice 55…75 %, Bruno 85…95 %: 30 points between the medians.
		fa := certibloc.AssessFairness(got)
		if fa.Flagged() != 2 || fa.Evaluators[2].Judged {
			t.Errorf("AssessFairness = %+v: want Alice and Bruno flagged, Chloé not judged (one grade)", fa)
		}

		// One criterion: C2 out of 10.
		got, err = db.FairnessGrades(ctx, staff, sqldb.FairnessFilter{SessionID: s, Criterion: "C2"})
		must(t, err)
		if len(got) != 11 || got[0].Percent != 60 || got[5].Percent != 90 || got[10].Percent != 95 {
			t.Errorf("FairnessGrades(C2) = %+v, want 60 %% for Alice, 90 %% for Bruno, 95 %% for Chloé", got)
		}

		// An empty session has no grades, and says so with an empty list.
		empty := w.session(t, "DIIAGE", 0)
		if got, err := db.FairnessGrades(ctx, staff, sqldb.FairnessFilter{SessionID: empty}); err != nil || got == nil || len(got) != 0 {
			t.Errorf("an empty session: %v, %v", got, err)
		}
	})
}

func TestFairnessGradesOfACohort(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newFairnessWorld(t, db)
		alice, bruno := w.markers[0], w.markers[1]
		ofCohort := w.session(t, "DIIAGE", w.cohort.ID)
		listed := w.session(t, "DIIAGE", 0) // a session of learners listed one by one
		outsider := w.learner(t)
		w.result(t, ofCohort, w.learner(t), 1, alice, certibloc.ResultSubmitted, 1000, 1000)             // counts: the cohort's session
		w.result(t, listed, w.enrolled, 1, bruno, certibloc.ResultSubmitted, 500, 500)                   // counts: a learner of the cohort
		w.result(t, listed, outsider, 1, bruno, certibloc.ResultSubmitted, 0, 0)                         // not a learner of the cohort
		w.result(t, w.session(t, "OTHER", 0), w.enrolled, 1, bruno, certibloc.ResultSubmitted, 100, 100) // another school's session

		got, err := db.FairnessGrades(ctx, certibloc.PrincipalFrom(w.staff), sqldb.FairnessFilter{CohortID: w.cohort.ID})
		must(t, err)
		want := []certibloc.Grade{{Evaluator: alice, Name: "Alice MARTIN", Percent: 100}, {Evaluator: bruno, Name: "bruno@diiage.example", Percent: 50}}
		if !slices.Equal(got, want) {
			t.Errorf("FairnessGrades(cohort) = %+v, want %+v", got, want)
		}
	})
}

func TestFairnessGradesRefusals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newFairnessWorld(t, db)
		s := w.session(t, "DIIAGE", w.cohort.ID)
		staff := certibloc.PrincipalFrom(w.staff)
		evaluator := &certibloc.Principal{AccountID: w.markers[0], Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}}
		for _, tt := range []struct {
			name string
			p    *certibloc.Principal
			f    sqldb.FairnessFilter
			code string
		}{
			{"staff of another school, a session", certibloc.PrincipalFrom(w.other), sqldb.FairnessFilter{SessionID: s}, certibloc.EFORBIDDEN},
			{"staff of another school, a cohort", certibloc.PrincipalFrom(w.other), sqldb.FairnessFilter{CohortID: w.cohort.ID}, certibloc.EFORBIDDEN},
			{"an evaluator", evaluator, sqldb.FairnessFilter{SessionID: s}, certibloc.EFORBIDDEN},
			{"nobody", nil, sqldb.FairnessFilter{CohortID: w.cohort.ID}, certibloc.EUNAUTHORIZED},
			{"no such session", staff, sqldb.FairnessFilter{SessionID: 9999}, certibloc.ENOTFOUND},
			{"no such cohort", staff, sqldb.FairnessFilter{CohortID: 9999}, certibloc.ENOTFOUND},
			{"neither", staff, sqldb.FairnessFilter{}, certibloc.EINVALID},
			{"both", staff, sqldb.FairnessFilter{SessionID: s, CohortID: w.cohort.ID}, certibloc.EINVALID},
			{"a criterion of a cohort", staff, sqldb.FairnessFilter{CohortID: w.cohort.ID, Criterion: "C1"}, certibloc.EINVALID},
			{"a criterion not in the grid", staff, sqldb.FairnessFilter{SessionID: s, Criterion: "C9"}, certibloc.EINVALID},
		} {
			if _, err := db.FairnessGrades(ctx, tt.p, tt.f); certibloc.ErrorCode(err) != tt.code {
				t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
			}
		}
	})
}
