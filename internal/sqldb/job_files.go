package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// The files of the export and import jobs (migration 0024, job_files):
// an import's upload, kept with its job when it is queued (EnqueueJobFile),
// and what a job made, written in the transaction that finishes its work
// and checks that its attempt still holds it, so that a job that finds
// its output on a later attempt knows that its work is done.

// putJobFile writes f as job's file of its role, replacing one there.
func putJobFile(ctx context.Context, tx *sql.Tx, job int64, f certibloc.JobFile, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM job_files WHERE job_id = $1 AND role = $2`, job, f.Role); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO job_files (job_id, role, name, content_type, content, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, job, f.Role, f.Name, f.ContentType, f.Content, now)
	return err
}

// JobFile returns job's file of role (certibloc.JobInput or JobOutput).
func (db *DB) JobFile(ctx context.Context, job int64, role string) (certibloc.JobFile, error) {
	f := certibloc.JobFile{Role: role}
	err := db.read.QueryRowContext(ctx, `SELECT name, content_type, content, created_at FROM job_files
		WHERE job_id = $1 AND role = $2`, job, role).Scan(&f.Name, &f.ContentType, &f.Content, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, certibloc.Errorf(certibloc.ENOTFOUND, "job %d has no %s file", job, role)
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return f, err
}

// SaveJobOutput records out as the output of job, for attempt, with its
// progress done out of total, in one transaction.
func (db *DB) SaveJobOutput(ctx context.Context, job int64, attempt int, lease time.Duration, out certibloc.JobFile, done, total int) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	out.Role = certibloc.JobOutput
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.ownJob(ctx, tx, job, attempt, lease, ", done = $5, total = $6", done, total); err != nil {
			return err
		}
		return putJobFile(ctx, tx, job, out, now)
	})
}

// RecordJobResults records a grade sheet's results as RecordResults does,
// for the import job job, in one transaction with the job's report
// (report, given what was recorded) and the check that attempt still
// holds the job: a worker whose lease ended records nothing, and a later
// attempt that finds the report knows the sheet is recorded.
func (db *DB) RecordJobResults(ctx context.Context, job int64, attempt int, lease time.Duration, p *certibloc.Principal,
	sessionID int64, in []ResultInput, report func([]certibloc.Result) (certibloc.JobFile, error)) ([]certibloc.Result, error) {
	if err := p.Authorize(certibloc.GradeEvaluations, ""); err != nil {
		return nil, err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	if len(in) == 0 {
		return nil, certibloc.Problems{{Code: "empty_sheet"}}
	}
	if err := db.prepareWrites(ctx, db.lockSessionSQL(), learnerAndTeamSQL, currentOfTeamSQL, learnerSQL, currentOfLearnerSQL,
		db.upsertResults(1), db.upsertResults(db.upsertBatch())); err != nil {
		return nil, fmt.Errorf("record results of session %d: %w", sessionID, err)
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	var written []certibloc.Result
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.ownJob(ctx, tx, job, attempt, lease, ", done = $5, total = $5", len(in)); err != nil {
			return err
		}
		var err error
		if written, err = db.recordResults(ctx, tx, p, sessionID, in); err != nil {
			return err
		}
		out, err := report(written)
		if err != nil {
			return err
		}
		out.Role = certibloc.JobOutput
		return putJobFile(ctx, tx, job, out, now)
	})
	if err != nil {
		return nil, fmt.Errorf("record results of session %d: %w", sessionID, err)
	}
	return written, nil
}
