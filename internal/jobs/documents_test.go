package jobs

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func newRunner(t testing.TB, db *sqldb.DB, lease time.Duration, chunk int) *Runner {
	r := New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r.Lease, r.Poll, r.Drain = lease, 20*time.Millisecond, time.Second
	renderer, err := pdf.New("https://certibloc.example.fr")
	if err != nil {
		t.Fatal(err)
	}
	r.Handle(certibloc.GenerateDocumentsJob, (&Documents{DB: db, Renderer: renderer, Chunk: chunk}).Handle)
	return r
}

func enqueue(t testing.TB, db *sqldb.DB, jury int64) *certibloc.Job {
	j, created, err := db.EnqueueJob(context.Background(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(jury),
		certibloc.GenerateDocuments{Jury: jury}, 5)
	if err != nil || !created {
		t.Fatalf("enqueue: %+v, %v, %v", j, created, err)
	}
	return j
}

// TestBatchKilledMidwayResumesWithoutDuplicates: a worker claims the
// batch and dies after a few chunks (its context cancelled, nothing
// recorded, as kill -9 would leave it); another worker claims the job
// once the lease ends and issues only what is missing.
func TestBatchKilledMidwayResumesWithoutDuplicates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cj := sqldbtest.NewClosedJury(t, db, 12, pdf.Minutes)
		job := enqueue(t, db, cj.Jury.ID)
		lease := 400 * time.Millisecond
		claimed, ok, err := db.ClaimJob(t.Context(), "first", lease, 0)
		if err != nil || !ok || claimed.ID != job.ID || claimed.Attempts != 1 {
			t.Fatalf("claim: %+v, %v, %v", claimed, ok, err)
		}
		ctx, die := context.WithCancel(t.Context())
		renderer, err := pdf.New("https://certibloc.example.fr")
		if err != nil {
			t.Fatal(err)
		}
		first := &Documents{DB: db, Renderer: renderer, Chunk: 4, afterChunk: func(done int) {
			if done >= 8 {
				die() // the worker dies after two parts: nothing more is written, nothing released
			}
		}}
		err = first.Handle(ctx, &Attempt{Job: claimed, db: db, lease: lease})
		die()
		mid, _ := db.Job(t.Context(), job.ID)
		if err == nil || mid.State != certibloc.JobRunning || mid.Done != 8 || mid.Total != cj.Documents {
			t.Fatalf("after the first worker died: %v, job %+v (want running, 8 done)", err, mid)
		}
		sqldbtest.CheckIssuedOnce(t, db, cj.Jury.ID, mid.Done)

		// The second worker takes the job over once the lease ends (that it
		// does not before is TestJobLifecycle's, on a clock of its own).
		second := newRunner(t, db, lease, 4)
		second.Name = "second"
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			ran, err := second.RunNext(t.Context(), 0)
			if err != nil || time.Now().After(deadline) {
				t.Fatalf("the second worker ran nothing: %v", err)
			}
			if ran {
				break
			}
		}
		end, _ := db.Job(t.Context(), job.ID)
		if end.State != certibloc.JobDone || end.Attempts != 2 || end.Done != cj.Documents || end.Worker != "second" {
			t.Fatalf("job at the end: %+v", end)
		}
		sqldbtest.CheckIssuedOnce(t, db, cj.Jury.ID, cj.Documents)

		// The first worker, back from the dead, may write nothing more.
		if err := db.IssueJobDocuments(t.Context(), job.ID, 1, lease, nil, nil, 0, 0); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a write of the lost attempt: %v", err)
		}
		// A second batch of the same jury issues nothing new.
		again := enqueue(t, db, cj.Jury.ID)
		if ran, err := second.RunNext(t.Context(), 0); !ran || err != nil {
			t.Fatal(err)
		}
		if j, _ := db.Job(t.Context(), again.ID); j.State != certibloc.JobDone || j.Done != cj.Documents {
			t.Fatalf("second batch: %+v", j)
		}
		sqldbtest.CheckIssuedOnce(t, db, cj.Jury.ID, cj.Documents)
	})
}

// TestRunnerDrainsOnStop: stopping the runner lets the running batch
// finish within the drain time; a batch given back on stop counts no
// attempt.
func TestRunnerDrainsOnStop(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cj := sqldbtest.NewClosedJury(t, db, 6, pdf.Minutes)
		job := enqueue(t, db, cj.Jury.ID)
		r := newRunner(t, db, 5*time.Second, 2)
		r.Drain = 30 * time.Second
		ctx, stop := context.WithCancel(t.Context())
		stopped := make(chan struct{})
		go func() { r.Run(ctx); close(stopped) }()
		for {
			if j, _ := db.Job(t.Context(), job.ID); j.State == certibloc.JobRunning || j.State == certibloc.JobDone {
				break
			}
			time.Sleep(time.Millisecond)
		}
		stop()
		<-stopped
		if j, _ := db.Job(t.Context(), job.ID); j.State != certibloc.JobDone || j.Done != cj.Documents {
			t.Fatalf("after a drained stop: %+v", j)
		}
		sqldbtest.CheckIssuedOnce(t, db, cj.Jury.ID, cj.Documents)

		// No drain time: the job goes back to the queue, its attempt not counted.
		cj2 := sqldbtest.NewClosedJury(t, db, 30, pdf.Minutes)
		job2 := enqueue(t, db, cj2.Jury.ID)
		r.Drain = 0
		ctx, stop = context.WithCancel(t.Context())
		stopped = make(chan struct{})
		go func() { r.Run(ctx); close(stopped) }()
		for {
			if j, _ := db.Job(t.Context(), job2.ID); j.Done > 0 {
				break
			}
			time.Sleep(time.Millisecond)
		}
		stop()
		<-stopped
		j, _ := db.Job(t.Context(), job2.ID)
		if j.State == certibloc.JobDone {
			t.Skip("the batch finished before the stop")
		}
		if j.State != certibloc.JobQueued || j.Attempts != 0 || j.LeaseUntil != nil {
			t.Fatalf("given back: %+v", j)
		}
	})
}

// TestBatchRefusesAnOpenJury: a batch of a jury whose minutes are not
// closed is dead at once, with the reason.
func TestBatchRefusesAnOpenJury(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cj := sqldbtest.NewClosedJury(t, db, 1, pdf.Minutes)
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
		open := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 9, 1), Place: "Dijon",
			Members: cj.Jury.Members, Candidates: cj.People}
		if err := db.CreateJury(ctx, open); err != nil {
			t.Fatal(err)
		}
		job := enqueue(t, db, open.ID)
		if ran, err := newRunner(t, db, time.Second, 10).RunNext(t.Context(), 0); !ran || err != nil {
			t.Fatal(err)
		}
		j, _ := db.Job(t.Context(), job.ID)
		if j.State != certibloc.JobDead || j.Attempts != 1 || j.Error == "" {
			t.Fatalf("a batch of an open jury: %+v", j)
		}
		sqldbtest.CheckIssuedOnce(t, db, open.ID, 0)
	})
}
