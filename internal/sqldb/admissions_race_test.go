package sqldb_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAdmissionsUnderConcurrency: requests that race (a double click, two
// members of staff at once) neither apply twice nor admit more candidates
// than there are places, and the loser is told why.
func TestAdmissionsUnderConcurrency(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newAdmissions(t, db)
		p := w.person(t, "Presse", 5, 0, 0)
		var ids []int64
		for i := range 6 {
			a := w.submitted(t, fmt.Sprint("Course", i))
			for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.RecordInterview} {
				w.decide(t, k, a.ID)
			}
			ids = append(ids, a.ID)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for range 8 {
			wg.Go(func() {
				errs <- db.CreateApplication(w.staff, &certibloc.Application{CampaignID: w.campaign.ID, PersonID: p.ID,
					Track: certibloc.OneYear, Mode: certibloc.Initial})
			})
		}
		// Six interviewed, three places on one-year initial training: each
		// admission races the others.
		for _, id := range ids {
			wg.Go(func() {
				_, err := db.Decide(w.staff, []int64{id}, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmitted, Members: commission})
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		counts := map[string]int{}
		for err := range errs {
			counts[certibloc.ErrorCode(err)]++
		}
		if counts[""] != 1+3 || counts[certibloc.ECONFLICT] != 7+3 {
			t.Errorf("outcomes by error code: %v; want 4 successes and 10 conflicts", counts)
		}
		n, err := db.ApplicationCounts(t.Context(), sqldb.ApplicationFilter{CampaignID: w.campaign.ID})
		must(t, err)
		if n[certibloc.Admitted] != 3 || n[certibloc.Interviewed] != 3 || n[certibloc.Draft] != 1 {
			t.Errorf("counts after the race: %v", n)
		}
	})
}
