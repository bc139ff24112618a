// Package jobs runs the durable jobs of the database (sqldb/jobs.go): a
// Runner claims due jobs, runs the handler of their kind while it renews
// their lease, and records the outcome: done, failed and tried again
// later, or dead. The documents of a closed jury are such a job
// (documents.go).
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Handler does the work of a job for the attempt a holds. It returns nil
// when the job is done. An error whose code is invalid, not found or
// forbidden is final (the job is dead at once); any other is tried again
// later. It stops when ctx is done.
type Handler func(ctx context.Context, a *Attempt) error

// Final marks err as a failure no retry will change: the job is dead at once.
func Final(err error) error { return finalError{err} }

type finalError struct{ error }

func (e finalError) Unwrap() error { return e.error }

// RetryAfter marks err as a failure to try again after wait, instead of
// the jobs' own back-off (certibloc.JobBackoff).
func RetryAfter(err error, wait time.Duration) error { return retryError{err, wait} }

type retryError struct {
	error
	wait time.Duration
}

func (e retryError) Unwrap() error { return e.error }

// Attempt is a worker's hold on a job.
type Attempt struct {
	Job   *certibloc.Job
	db    *sqldb.DB
	lease time.Duration
}

// NewAttempt is the hold on job that a worker claimed for lease
// (sqldb.DB.ClaimJob), to run a handler outside a Runner.
func NewAttempt(db *sqldb.DB, job *certibloc.Job, lease time.Duration) *Attempt {
	return &Attempt{Job: job, db: db, lease: lease}
}

// Number is the attempt: what the job's writes name.
func (a *Attempt) Number() int { return a.Job.Attempts }

// Lease is how long each write of the attempt extends its hold.
func (a *Attempt) Lease() time.Duration { return a.lease }

// Progress records done out of total and renews the lease.
func (a *Attempt) Progress(ctx context.Context, done, total int) error {
	a.Job.Done, a.Job.Total = done, total
	return a.db.HeartbeatJob(ctx, a.Job.ID, a.Number(), a.lease, done, total)
}

// Runner claims and runs jobs.
type Runner struct {
	db       *sqldb.DB
	log      *slog.Logger
	handlers map[string]Handler
	wake     chan struct{}

	Workers int           // jobs run at once by this process (1)
	Lease   time.Duration // a claim's lease, renewed every third of it (30 s)
	Poll    time.Duration // how often an idle worker looks for a job (1 s)
	Drain   time.Duration // on stop, how long running jobs may take to finish before they are given back (10 s)
	Name    string        // the worker's name in the jobs table: host:pid
}

// New returns a runner over db with no handler.
func New(db *sqldb.DB, log *slog.Logger) *Runner {
	host, _ := os.Hostname()
	return &Runner{db: db, log: log, handlers: map[string]Handler{}, wake: make(chan struct{}, 1), Workers: 1, Lease: 30 * time.Second,
		Poll: time.Second, Drain: 10 * time.Second, Name: fmt.Sprintf("%s:%d", host, os.Getpid())}
}

// Wake tells an idle worker of Run to look for jobs now rather than at
// its next poll: a job was just queued.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Handle sets the handler of kind.
func (r *Runner) Handle(kind string, h Handler) { r.handlers[kind] = h }

func (r *Runner) kinds() []string {
	out := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		out = append(out, k)
	}
	return out
}

// Run claims and runs jobs until ctx is done; it then claims nothing
// more, lets the running jobs finish for up to Drain, gives back those
// still running (another worker claims them at once, without counting an
// attempt), and returns.
func (r *Runner) Run(ctx context.Context) {
	work, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	var wg sync.WaitGroup
	for range max(1, r.Workers) {
		wg.Go(func() {
			for ctx.Err() == nil {
				ran, err := r.RunNext(work, 0)
				if err != nil {
					r.log.Error("jobs: claim", "err", err)
				}
				if !ran {
					select {
					case <-ctx.Done():
					case <-r.wake:
					case <-time.After(r.Poll):
					}
				}
			}
		})
	}
	<-ctx.Done()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(r.Drain):
		r.log.Warn("jobs: still running after the drain time: given back", "drain", r.Drain.String())
		stop()
		<-done
	}
}

// RunNext claims one due job (job only, when not 0) and runs it; ran is
// false when none was due.
func (r *Runner) RunNext(ctx context.Context, only int64) (ran bool, err error) {
	job, ok, err := r.db.ClaimJob(ctx, r.Name, r.Lease, only, r.kinds()...)
	if err != nil || !ok {
		return false, err
	}
	r.run(ctx, job)
	return true, nil
}

// run runs a claimed job, renewing its lease meanwhile, and records the
// outcome. A job lost meanwhile (its lease ended, another worker has it)
// is left to that worker.
func (r *Runner) run(ctx context.Context, job *certibloc.Job) {
	a := &Attempt{Job: job, db: r.db, lease: r.Lease}
	log := r.log.With("job", job.ID, "kind", job.Kind, "attempt", job.Attempts)
	hctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	beat := make(chan struct{})
	go func() {
		defer close(beat)
		t := time.NewTicker(max(r.Lease/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-hctx.Done():
				return
			case <-t.C:
				if err := r.db.HeartbeatJob(hctx, job.ID, job.Attempts, r.Lease, 0, -1); certibloc.ErrorCode(err) == certibloc.ECONFLICT {
					cancel(err)
					return
				}
			}
		}
	}()
	start := time.Now()
	err := r.handlers[job.Kind](hctx, a)
	cancel(nil)
	<-beat
	end := context.WithoutCancel(ctx)
	switch {
	case err == nil:
		err = r.db.FinishJob(end, job.ID, job.Attempts)
		log.Info("jobs: done", "done", a.Job.Done, "total", a.Job.Total, "duration", time.Since(start).String())
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		err = r.db.ReleaseJob(end, job.ID, job.Attempts)
		log.Info("jobs: given back on stop", "done", a.Job.Done, "total", a.Job.Total)
	default:
		var fe finalError
		final := errors.As(err, &fe)
		switch certibloc.ErrorCode(err) {
		case certibloc.EINVALID, certibloc.ENOTFOUND, certibloc.EFORBIDDEN:
			final = true
		}
		log.Warn("jobs: attempt failed", "err", err, "final", final)
		wait := certibloc.JobBackoff(job.Attempts)
		if re := (retryError{}); errors.As(err, &re) {
			wait = re.wait
		}
		err = r.db.FailJobAfter(end, job.ID, job.Attempts, err.Error(), final, wait)
	}
	if certibloc.ErrorCode(err) == certibloc.ECONFLICT {
		log.Warn("jobs: lost the job to another worker (its lease ended)")
	} else if err != nil {
		log.Error("jobs: record the outcome", "err", err)
	}
}
