package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestCreateAccountRace: accounts made at once with one address give one
// account and conflicts, never a raw database error.
func TestCreateAccountRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		errs := make([]error, 10)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range errs {
			wg.Go(func() {
				<-start
				_, errs[i] = db.CreateAccount(ctx, certibloc.Account{Email: "same@example.org", Role: certibloc.Admin})
			})
		}
		// Connections open first, so that the accounts race for real.
		for range 10 {
			wg.Go(func() { db.Accounts(ctx) })
		}
		close(start)
		wg.Wait()
		made := 0
		for _, err := range errs {
			if err == nil {
				made++
			} else if certibloc.ErrorCode(err) != certibloc.ECONFLICT {
				t.Errorf("racing account: %v, want a conflict", err)
			}
		}
		if made != 1 {
			t.Errorf("%d accounts made with one address", made)
		}
	})
}

// TestTakeAttemptRace: attempts taken at once on one subject never pass
// the limit, on either engine; given-back ones free their place.
func TestTakeAttemptRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		oks := make([]bool, 30)
		ids := make([]int64, 30)
		var wg sync.WaitGroup
		for i := range oks {
			wg.Go(func() {
				var err error
				if oks[i], ids[i], err = db.TakeAttempt(ctx, "email:ada@example.org", time.Hour, 5); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var taken []int64
		for i, ok := range oks {
			if ok {
				taken = append(taken, ids[i])
			}
		}
		if len(taken) != 5 {
			t.Fatalf("30 attempts at once, limit 5: %d taken", len(taken))
		}
		if ok, _, _ := db.TakeAttempt(ctx, "email:ada@example.org", time.Hour, 5); ok {
			t.Error("a sixth attempt was taken")
		}
		if err := db.DeleteAttempt(ctx, taken[0]); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := db.TakeAttempt(ctx, "email:ada@example.org", time.Hour, 5); !ok {
			t.Error("a given-back attempt still counts")
		}
		if ok, _, _ := db.TakeAttempt(ctx, "ip:192.0.2.1", time.Hour, 5); !ok {
			t.Error("one subject's attempts count against another")
		}
	})
}
