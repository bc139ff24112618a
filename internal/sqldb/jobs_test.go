package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestJobLifecycle: one active job per kind and key; a failed attempt
// waits twice as long each time, then the job is dead; a job whose
// worker stopped renewing its lease is claimed again, dead if that was
// its last attempt; a worker that lost its job writes nothing; a job
// given back on stop counts no attempt.
func TestJobLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		now := time.Date(2027, 7, 2, 9, 0, 0, 0, time.UTC)
		db.SetClockForJobTest(func() time.Time { return now })
		a, created, err := db.EnqueueJob(ctx, "test.kind", "jury:1", map[string]int{"jury": 1}, 3)
		if err != nil || !created || a.State != certibloc.JobQueued {
			t.Fatalf("enqueue: %+v, %v, %v", a, created, err)
		}
		if again, created, err := db.EnqueueJob(ctx, "test.kind", "jury:1", nil, 3); err != nil || created || again.ID != a.ID {
			t.Fatalf("a second enqueue of an active job: %+v, %v, %v", again, created, err)
		}
		if _, ok, err := db.ClaimJob(ctx, "w", time.Minute, 0, "other.kind"); ok || err != nil {
			t.Fatalf("claimed a job of another kind: %v", err)
		}
		j, ok, err := db.ClaimJob(ctx, "w1", time.Minute, 0)
		if err != nil || !ok || j.ID != a.ID || j.State != certibloc.JobRunning || j.Attempts != 1 || j.Worker != "w1" {
			t.Fatalf("claim: %+v, %v, %v", j, ok, err)
		}
		if _, ok, _ := db.ClaimJob(ctx, "w2", time.Minute, 0); ok {
			t.Fatal("a running job was claimed twice")
		}
		must(t, db.HeartbeatJob(ctx, j.ID, 1, time.Minute, 3, 10))

		// First failure: tried again in 10 s, not before.
		must(t, db.FailJob(ctx, j.ID, 1, "SMTP down", false))
		j, _ = db.Job(ctx, a.ID)
		if j.State != certibloc.JobFailed || j.Error != "SMTP down" || !j.RunAfter.Equal(now.Add(10*time.Second)) || j.Done != 3 {
			t.Fatalf("after a failure: %+v", j)
		}
		if _, ok, _ := db.ClaimJob(ctx, "w", time.Minute, 0); ok {
			t.Fatal("claimed before its back-off")
		}
		now = now.Add(10 * time.Second)
		j, ok, _ = db.ClaimJob(ctx, "w", time.Minute, 0)
		if !ok || j.Attempts != 2 {
			t.Fatalf("retry: %+v", j)
		}
		must(t, db.FailJob(ctx, j.ID, 2, "again", false))
		if j, _ = db.Job(ctx, a.ID); !j.RunAfter.Equal(now.Add(20 * time.Second)) {
			t.Fatalf("second back-off: %v", j.RunAfter.Sub(now))
		}

		// The worker of the last attempt dies: its lease ends, the job is dead.
		now = now.Add(20 * time.Second)
		j, ok, _ = db.ClaimJob(ctx, "w", time.Minute, 0)
		if !ok || j.Attempts != 3 {
			t.Fatalf("third claim: %+v", j)
		}
		now = now.Add(time.Minute)
		if _, ok, _ := db.ClaimJob(ctx, "w", time.Minute, 0); ok {
			t.Fatal("claimed a job past its last attempt")
		}
		if j, _ = db.Job(ctx, a.ID); j.State != certibloc.JobDead || j.FinishedAt == nil {
			t.Fatalf("after the last attempt's worker died: %+v", j)
		}
		if err := db.FinishJob(ctx, j.ID, 3); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("the dead worker finished its job: %v", err)
		}

		// A new job of the same key; its worker dies, another takes it over.
		b, created, _ := db.EnqueueJob(ctx, "test.kind", "jury:1", nil, 3)
		if !created || b.ID == a.ID {
			t.Fatal("no new job once the first was dead")
		}
		db.ClaimJob(ctx, "dies", time.Minute, 0)
		now = now.Add(time.Minute)
		j, ok, _ = db.ClaimJob(ctx, "takes over", time.Minute, 0)
		if !ok || j.ID != b.ID || j.Attempts != 2 {
			t.Fatalf("take-over: %+v", j)
		}
		if err := db.HeartbeatJob(ctx, b.ID, 1, time.Minute, 5, 10); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("the lost attempt renewed its lease: %v", err)
		}
		must(t, db.ReleaseJob(ctx, b.ID, 2))
		if j, _ = db.Job(ctx, b.ID); j.State != certibloc.JobQueued || j.Attempts != 1 {
			t.Fatalf("given back: %+v", j)
		}
		j, _, _ = db.ClaimJob(ctx, "w", time.Minute, b.ID)
		must(t, db.FinishJob(ctx, j.ID, 2))
		if j, _ = db.Job(ctx, b.ID); j.State != certibloc.JobDone || j.Percent() != 100 {
			t.Fatalf("finished: %+v", j)
		}
		if list, _ := db.Jobs(ctx, "test.kind", "", 10); len(list) != 2 || list[0].ID != b.ID {
			t.Fatalf("jobs: %+v", list)
		}
	})
}

// TestJobClaimsDoNotCollide: workers claiming at once each get a
// different job (SKIP LOCKED on PostgreSQL, the single writer on SQLite).
func TestJobClaimsDoNotCollide(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		for i := range 20 {
			if _, _, err := db.EnqueueJob(ctx, "test.kind", "k"+string(rune('a'+i)), nil, 1); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		got := map[int64]int{}
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for {
					j, ok, err := db.ClaimJob(ctx, "w"+string(rune('0'+w)), time.Minute, 0)
					if err != nil {
						t.Error(err)
						return
					}
					if !ok {
						return
					}
					mu.Lock()
					got[j.ID]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(got) != 20 {
			t.Fatalf("%d jobs claimed, want 20", len(got))
		}
		for id, n := range got {
			if n != 1 {
				t.Fatalf("job %d claimed %d times", id, n)
			}
		}
	})
}
