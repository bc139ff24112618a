package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
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

// HasJobFile reports whether job has its file of role, without reading it.
func (db *DB) HasJobFile(ctx context.Context, job int64, role string) (bool, error) {
	var ok bool
	err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM job_files WHERE job_id = $1 AND role = $2)`, job, role).Scan(&ok)
	return ok, err
}

// SaveJobOutput records out as the output of job, for attempt, with its
// progress done out of total, in one transaction. The job's work is then
// done: the chunks of its upload, if any, go in the same transaction.
func (db *DB) SaveJobOutput(ctx context.Context, job int64, attempt int, lease time.Duration, out certibloc.JobFile, done, total int) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	out.Role = certibloc.JobOutput
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.ownJob(ctx, tx, job, attempt, lease, ", done = $5, total = $6", done, total); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM job_chunks WHERE job_id = $1`, job); err != nil {
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

// JobChunkSize is the size of the chunks an upload is kept in
// (job_chunks, migration 0025): the most of it held in memory at once.
const JobChunkSize = 1 << 20

// EnqueueJobChunks is EnqueueJob for a job that reads a large upload: in
// reads in chunks of JobChunkSize, each kept as its own row in the
// transaction that queues the job, so that an upload that fails leaves
// neither job nor chunk. When the job is active already, in is not read.
func (db *DB) EnqueueJobChunks(ctx context.Context, kind, key string, payload any, maxAttempts int, in io.Reader) (*certibloc.Job, bool, error) {
	return db.enqueueJob(ctx, kind, key, payload, maxAttempts, func(tx *sql.Tx, id int64, _ time.Time) error {
		buf := make([]byte, JobChunkSize)
		for seq := 0; ; seq++ {
			n, err := io.ReadFull(in, buf)
			if n > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO job_chunks (job_id, seq, data) VALUES ($1, $2, $3)`, id, seq, buf[:n]); err != nil {
					return err
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil
			} else if err != nil {
				return fmt.Errorf("read the upload: %w", err)
			}
		}
	})
}

// JobInput reads back the upload kept with job (EnqueueJobChunks) one
// chunk at a time: memory stays flat whatever its size. A job without
// chunks (deleted once it wrote its report) is not found.
func (db *DB) JobInput(ctx context.Context, job int64) (io.Reader, error) {
	n, err := db.JobChunks(ctx, job)
	if err != nil {
		return nil, err
	} else if n == 0 {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "job %d has no upload left", job)
	}
	return &chunkReader{ctx: ctx, db: db, job: job, chunks: n}, nil
}

// chunkReader reads a job's chunks in order, one query each.
type chunkReader struct {
	ctx         context.Context
	db          *DB
	job         int64
	seq, chunks int
	cur         []byte
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if r.seq >= r.chunks {
			return 0, io.EOF
		}
		r.cur = nil
		err := r.db.read.QueryRowContext(r.ctx, `SELECT data FROM job_chunks WHERE job_id = $1 AND seq = $2`, r.job, r.seq).Scan(&r.cur)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("job %d: chunk %d of %d is missing", r.job, r.seq, r.chunks)
		} else if err != nil {
			return 0, fmt.Errorf("job %d: read chunk %d: %w", r.job, r.seq, err)
		}
		r.seq++
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// JobChunks counts the chunks kept with job.
func (db *DB) JobChunks(ctx context.Context, job int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM job_chunks WHERE job_id = $1`, job).Scan(&n)
	return n, err
}
