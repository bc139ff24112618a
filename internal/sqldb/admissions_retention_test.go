package sqldb_test

import (
	"slices"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestRetentionErasesApplicationsThatLedNowhere lets 30 months pass over
// applications in every state: the people whose applications led nowhere
// (a draft, not admissible, refused, withdrawn) and untouched since the
// cut-off are erased with their applications; the others are kept.
func TestRetentionErasesApplicationsThatLedNowhere(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		cohort := &certibloc.Cohort{School: "DIIAGE", CampaignID: w.campaign.ID, Name: "L3 2026", Track: certibloc.OneYear,
			StartsOn: certibloc.DateOf(2026, 9, 1), EndsOn: certibloc.DateOf(2027, 8, 31), PlannedHours: 600, WeeklyHours: 35}
		must(t, db.CreateCohort(w.staff, cohort))
		interviewed := func(name string) *certibloc.Application {
			a := w.submitted(t, name)
			for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.RecordInterview} {
				w.decide(t, k, a.ID)
			}
			return a
		}
		draft := w.draft(t, "Brouillon", 5)
		notAdmissible := w.submitted(t, "Inadmissible")
		w.decide(t, certibloc.DecideNotAdmissible, notAdmissible.ID)
		withdrawn := w.submitted(t, "Retrait")
		w.decide(t, certibloc.Withdraw, withdrawn.ID)
		refused := interviewed("Refus")
		w.decide(t, certibloc.DecideRefused, refused.ID)
		admitted := w.admitted(t, "Admis")
		enrolled := w.admitted(t, "Inscrit")
		must(t, db.Enrol(w.staff, &certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: enrolled.ID, InternshipMonths: 6}))
		open := w.submitted(t, "Attente")
		lately := interviewed("Tardif")

		w.now = w.now.AddDate(0, 29, 0)
		w.decide(t, certibloc.DecideRefused, lately.ID) // refused a month before the purge
		w.now = w.now.AddDate(0, 1, 0)
		res, err := db.PurgeRetention(ctx, 24, false)
		must(t, err)
		gone := []*certibloc.Application{draft, notAdmissible, withdrawn, refused}
		var want []int64
		for _, a := range gone {
			want = append(want, a.PersonID)
		}
		slices.Sort(want)
		if !slices.Equal(res.IDs, want) {
			t.Errorf("erased %v, want %v", res.IDs, want)
		}
		for _, a := range gone {
			if _, err := db.Application(ctx, a.ID); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
				t.Errorf("application %d that led nowhere is still here: %v", a.ID, err)
			}
		}
		for _, a := range []*certibloc.Application{admitted, enrolled, open, lately} {
			if got, err := db.Application(ctx, a.ID); err != nil || got.Name == "[effacé] [EFFACÉ]" {
				t.Errorf("application %d was erased: %+v, %v", a.ID, got, err)
			}
		}
	})
}
