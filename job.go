package certibloc

import (
	"encoding/json"
	"time"
)

// Jobs are long tasks kept in the database (a batch of documents), so
// that any instance may run them and none is lost when a process dies: a
// worker claims a job for a lease that it renews while it works; a job
// whose worker stopped renewing is claimed again once its lease ends. A
// failed attempt is tried again later, each time twice as late, until
// MaxAttempts; the job is then dead and waits for staff. A job reports its
// progress as done out of total.

// Job states.
const (
	JobQueued  = "queued"  // waiting for a worker
	JobRunning = "running" // claimed by a worker until its lease ends
	JobDone    = "done"
	JobFailed  = "failed" // an attempt failed: tried again from RunAfter
	JobDead    = "dead"   // given up after MaxAttempts, or refused for good
)

// JobStates lists the states in the order of a job's life.
var JobStates = []string{JobQueued, JobRunning, JobFailed, JobDone, JobDead}

// Job is one durable task.
type Job struct {
	ID          int64           `json:"id"`
	Kind        string          `json:"kind"` // what it does: documents.generate
	Key         string          `json:"key"`  // what it is about, one active job per kind and key: jury:12
	Payload     json.RawMessage `json:"payload"`
	State       string          `json:"state"`
	Attempts    int             `json:"attempts"` // claims so far, the running one included
	MaxAttempts int             `json:"max_attempts"`
	RunAfter    time.Time       `json:"run_after"`
	LeaseUntil  *time.Time      `json:"lease_until,omitempty"`
	Worker      string          `json:"worker,omitempty"` // who holds or last held it: host, process
	Done        int             `json:"done"`
	Total       int             `json:"total"`
	Error       string          `json:"error,omitempty"` // why the last attempt failed
	CreatedAt   time.Time       `json:"created_at"`
	StartedAt   *time.Time      `json:"started_at,omitempty"`
	FinishedAt  *time.Time      `json:"finished_at,omitempty"`
}

// Active reports whether the job is still to finish.
func (j *Job) Active() bool {
	return j.State == JobQueued || j.State == JobRunning || j.State == JobFailed
}

// Percent is the share of the job done, 0 to 100.
func (j *Job) Percent() int {
	switch {
	case j.State == JobDone:
		return 100
	case j.Total <= 0:
		return 0
	}
	return min(100, j.Done*100/j.Total)
}

// JobBackoff is how long a job waits after its attempt-th failed attempt:
// 10 s, 20 s, 40 s… at most an hour.
func JobBackoff(attempt int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// JobStateIn names a job state in language l.
func JobStateIn(state string, l Lang) string {
	fr := l == French
	switch state {
	case JobQueued:
		return pick(fr, "en attente", "queued")
	case JobRunning:
		return pick(fr, "en cours", "running")
	case JobFailed:
		return pick(fr, "en échec, sera réessayée", "failed, to be tried again")
	case JobDone:
		return pick(fr, "terminée", "done")
	case JobDead:
		return pick(fr, "abandonnée", "given up")
	}
	return state
}
