package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/certibloc/certibloc"
)

// Durable jobs (migration 0012, certibloc.Job). A worker claims a due job
// for a lease: it goes to running, its attempt counted, until the lease
// ends. Everything the worker then writes names the attempt it claimed
// (the job's attempts), so that a worker whose lease ended, and whose job
// another worker claimed since, writes nothing: its transaction is refused
// as a conflict. A worker that dies (kill -9) stops renewing its lease,
// and the job is claimed again when the lease ends.

const jobColumns = `id, kind, job_key, payload, state, attempts, max_attempts, run_after, lease_until, worker,
	done, total, error, created_at, started_at, finished_at`

func scanJob(row interface{ Scan(...any) error }) (*certibloc.Job, error) {
	var j certibloc.Job
	var payload string
	if err := row.Scan(&j.ID, &j.Kind, &j.Key, &payload, &j.State, &j.Attempts, &j.MaxAttempts, &j.RunAfter,
		&j.LeaseUntil, &j.Worker, &j.Done, &j.Total, &j.Error, &j.CreatedAt, &j.StartedAt, &j.FinishedAt); err != nil {
		return nil, err
	}
	j.Payload = json.RawMessage(payload)
	j.RunAfter, j.CreatedAt = j.RunAfter.UTC(), j.CreatedAt.UTC()
	for _, t := range []**time.Time{&j.LeaseUntil, &j.StartedAt, &j.FinishedAt} {
		if *t != nil {
			u := (*t).UTC()
			*t = &u
		}
	}
	return &j, nil
}

// EnqueueJob queues a job of kind about key, due now, tried at most
// maxAttempts times. When a job of that kind and key is active already
// (queued, running, or failed and waiting), it returns that one and
// created false: a second click starts nothing new.
func (db *DB) EnqueueJob(ctx context.Context, kind, key string, payload any, maxAttempts int) (*certibloc.Job, bool, error) {
	return db.EnqueueJobFile(ctx, kind, key, payload, maxAttempts, nil)
}

// EnqueueJobFile is EnqueueJob for a job that reads input (an upload),
// kept with the job in the same transaction. When the job is active
// already, input is not kept: the job reads its own.
func (db *DB) EnqueueJobFile(ctx context.Context, kind, key string, payload any, maxAttempts int, input *certibloc.JobFile) (*certibloc.Job, bool, error) {
	return db.enqueueJob(ctx, kind, key, payload, maxAttempts, func(tx *sql.Tx, id int64, now time.Time) error {
		if input == nil {
			return nil
		}
		f := *input
		f.Role = certibloc.JobInput
		return putJobFile(ctx, tx, id, f, now)
	})
}

// enqueueJob queues a job, and calls input in the same transaction to
// keep what the job reads, when it is created.
func (db *DB) enqueueJob(ctx context.Context, kind, key string, payload any, maxAttempts int, input func(tx *sql.Tx, id int64, now time.Time) error) (*certibloc.Job, bool, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, false, err
	}
	if maxAttempts < 1 {
		maxAttempts = 1
	}
	var job *certibloc.Job
	created := false
	err = db.tx(ctx, func(tx *sql.Tx) error {
		j, err := scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs
			WHERE kind = $1 AND job_key = $2 AND state IN ('queued', 'running', 'failed')`, kind, key))
		if err == nil {
			job = j
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		job, err = scanJob(tx.QueryRowContext(ctx, `INSERT INTO jobs (kind, job_key, payload, state, max_attempts, run_after, created_at)
			VALUES ($1, $2, $3, 'queued', $4, $5, $5) RETURNING `+jobColumns, kind, key, string(raw), maxAttempts, now))
		if err != nil {
			return conflictOnDuplicate(err, "a job "+kind+" about "+key+" is active already")
		}
		created = true
		return input(tx, job.ID, now)
	})
	if err != nil {
		return nil, false, fmt.Errorf("enqueue job %s %s: %w", kind, key, err)
	}
	return job, created, nil
}

// ClaimJob claims the due job that waited longest, of one of kinds (any
// when none), or job only when only is not 0, for worker until lease from
// now: a queued job, a failed one whose retry is due, or a running one
// whose lease ended (its worker died). ok is false when none is due. A
// running job whose lease ended after its last attempt is dead instead.
// On PostgreSQL two workers skip each other's rows (FOR UPDATE SKIP
// LOCKED); on SQLite the single writer claims for one at a time.
func (db *DB) ClaimJob(ctx context.Context, worker string, lease time.Duration, only int64, kinds ...string) (*certibloc.Job, bool, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	where, args := `((state IN ('queued', 'failed') AND run_after <= $1) OR (state = 'running' AND lease_until <= $1))`, []any{now}
	if only != 0 {
		args = append(args, only)
		where += fmt.Sprintf(" AND id = $%d", len(args))
	}
	if len(kinds) > 0 {
		where += " AND kind IN ("
		for i, k := range kinds {
			args = append(args, k)
			where += fmt.Sprintf("%s$%d", map[bool]string{true: "", false: ", "}[i == 0], len(args))
		}
		where += ")"
	}
	lock := ""
	if db.engine == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var job *certibloc.Job
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'dead', lease_until = NULL, finished_at = $1,
				error = 'the worker stopped during the last attempt (lease ended)'
			WHERE state = 'running' AND lease_until <= $1 AND attempts >= max_attempts`, now); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM jobs WHERE `+where+` ORDER BY run_after, id LIMIT 1`+lock, args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		job, err = scanJob(tx.QueryRowContext(ctx, `UPDATE jobs SET state = 'running', attempts = attempts + 1,
				lease_until = $2, heartbeat_at = $3, worker = $4, started_at = COALESCE(started_at, $3)
			WHERE id = $1 RETURNING `+jobColumns, id, now.Add(lease), now, worker))
		return err
	})
	if err != nil {
		return nil, false, fmt.Errorf("claim job: %w", err)
	}
	return job, job != nil, nil
}

// ownJob checks, in tx, that attempt still holds job id and renews its
// lease: a conflict when the lease ended and another worker claimed it,
// or when the job finished meanwhile.
func (db *DB) ownJob(ctx context.Context, tx *sql.Tx, id int64, attempt int, lease time.Duration, set string, args ...any) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	res, err := tx.ExecContext(ctx, `UPDATE jobs SET heartbeat_at = $3, lease_until = $4`+set+`
		WHERE id = $1 AND attempts = $2 AND state = 'running'`, append([]any{id, attempt, now, now.Add(lease)}, args...)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return certibloc.Errorf(certibloc.ECONFLICT, "job %d is no longer held by attempt %d", id, attempt)
	}
	return nil
}

// HeartbeatJob renews the lease of attempt on job id, and records its
// progress when total is not negative.
func (db *DB) HeartbeatJob(ctx context.Context, id int64, attempt int, lease time.Duration, done, total int) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if total < 0 {
			return db.ownJob(ctx, tx, id, attempt, lease, "")
		}
		return db.ownJob(ctx, tx, id, attempt, lease, ", done = $5, total = $6", done, total)
	})
}

// FinishJob records that attempt completed job id.
func (db *DB) FinishJob(ctx context.Context, id int64, attempt int) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.endJob(ctx, id, attempt, `state = 'done', done = total, error = '', finished_at = $3`, now)
}

// FailJob records why attempt failed on job id: the job is tried again
// after certibloc.JobBackoff, or dead when it had its last attempt or
// when the failure is final (a refusal that no retry will change).
func (db *DB) FailJob(ctx context.Context, id int64, attempt int, reason string, final bool) error {
	return db.FailJobAfter(ctx, id, attempt, reason, final, certibloc.JobBackoff(attempt))
}

// FailJobAfter is FailJob with the wait before the next attempt chosen by
// the job's handler (a message's own back-off).
func (db *DB) FailJobAfter(ctx context.Context, id int64, attempt int, reason string, final bool, wait time.Duration) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	reason = cutText(reason, 1000)
	var max int
	err := db.read.QueryRowContext(ctx, `SELECT max_attempts FROM jobs WHERE id = $1`, id).Scan(&max)
	if errors.Is(err, sql.ErrNoRows) {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no job %d", id)
	} else if err != nil {
		return err
	}
	if final || attempt >= max {
		return db.endJob(ctx, id, attempt, `state = 'dead', error = $3, finished_at = $4`, reason, now)
	}
	return db.endJob(ctx, id, attempt, `state = 'failed', error = $3, run_after = $4`, reason, now.Add(wait))
}

// ReleaseJob gives job id back without counting attempt, when its worker
// stops (the server shutting down): another worker claims it at once.
func (db *DB) ReleaseJob(ctx context.Context, id int64, attempt int) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.endJob(ctx, id, attempt, `state = 'queued', attempts = attempts - 1, run_after = $3`, now)
}

// endJob records the outcome of attempt on job id. A job that ended (done
// or dead) loses the chunks of its upload (job_chunks) in the same
// transaction: nothing will read them any more.
func (db *DB) endJob(ctx context.Context, id int64, attempt int, set string, args ...any) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `UPDATE jobs SET lease_until = NULL, `+set+`
			WHERE id = $1 AND attempts = $2 AND state = 'running' RETURNING state`, append([]any{id, attempt}, args...)...).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return certibloc.Errorf(certibloc.ECONFLICT, "job %d is no longer held by attempt %d", id, attempt)
		} else if err != nil {
			return err
		}
		if state == certibloc.JobDone || state == certibloc.JobDead {
			_, err = tx.ExecContext(ctx, `DELETE FROM job_chunks WHERE job_id = $1`, id)
		}
		return err
	})
}

// Job returns job id.
func (db *DB) Job(ctx context.Context, id int64) (*certibloc.Job, error) {
	j, err := scanJob(db.read.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no job %d", id)
	}
	return j, err
}

// Jobs lists the last limit jobs, of kind and key when they are not
// empty, newest first.
func (db *DB) Jobs(ctx context.Context, kind, key string, limit int) ([]certibloc.Job, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+jobColumns+` FROM jobs
		WHERE ($1 = '' OR kind = $1) AND ($2 = '' OR job_key = $2) ORDER BY id DESC LIMIT $3`, kind, key, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []certibloc.Job{}
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *j)
	}
	return out, rows.Err()
}

// cutText keeps the first n characters of s.
func cutText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
