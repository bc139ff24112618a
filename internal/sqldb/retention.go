package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// DefaultRetentionMonths is how long the record of a person that led
// nowhere is kept when nothing else is configured.
const DefaultRetentionMonths = 24

// RetentionMonths reads the retention period from CERTIBLOC_RETENTION_MONTHS
// in getenv, DefaultRetentionMonths when it is unset.
func RetentionMonths(getenv func(string) string) (int, error) {
	s := strings.TrimSpace(getenv("CERTIBLOC_RETENTION_MONTHS"))
	if s == "" {
		return DefaultRetentionMonths, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || validMonths(n) != nil {
		return 0, fmt.Errorf("CERTIBLOC_RETENTION_MONTHS=%q must be a number of months between 1 and 1200", s)
	}
	return n, nil
}

func validMonths(n int) error {
	if n < 1 || n > 1200 {
		return certibloc.Errorf(certibloc.EINVALID, "months %d must be between 1 and 1200", n)
	}
	return nil
}

// retentionKeeps are the conditions, over the person p and the cut-off
// time $1, under which a person's record led somewhere and the retention
// policy keeps it. Each area adds its own: admissions below (an
// application still open, admitted, or that led to an enrolment); later
// the ledger "has a certification record" (an acquired block, a jury
// decision, a certificate).
var retentionKeeps = []string{
	// Staff, evaluators, jury members and referents are not candidates.
	`EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND a.role <> 'candidate')`,
	// Account activity since the cut-off: an account made or used.
	`EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id AND a.created_at >= $1)`,
	`EXISTS (SELECT 1 FROM accounts a JOIN sessions s ON s.account_id = a.id
		WHERE a.person_id = p.id AND s.last_seen_at >= $1)`,
	// A disability record the referent kept up to date.
	`EXISTS (SELECT 1 FROM disabilities d WHERE d.person_id = p.id AND d.updated_at >= $1)`,
	// Admissions: a learner; an application still open or admitted, or
	// one that led nowhere (a draft never submitted, not admissible,
	// refused, withdrawn) but changed since the cut-off. Older ones that
	// led nowhere keep nobody: erasure deletes them with the person.
	`EXISTS (SELECT 1 FROM enrolments e WHERE e.person_id = p.id)`,
	`EXISTS (SELECT 1 FROM applications a WHERE a.person_id = p.id AND (a.updated_at >= $1
		OR a.state NOT IN ('draft', 'not_admissible', 'refused', 'withdrawn')))`,
}

// PurgeResult is what a run of the retention policy did.
type PurgeResult struct {
	Months int       `json:"months"`
	Before time.Time `json:"before"` // people untouched since before this time were considered
	DryRun bool      `json:"dry_run"`
	Erased int       `json:"erased"` // how many people were erased (or would be, in a dry run)
	IDs    []int64   `json:"ids"`
	// Mails counts the delivered or abandoned e-mails older than
	// OutboxKeepDays deleted (or that would be): their bodies may hold
	// names, decisions and password links.
	Mails int `json:"mails"`
}

// OutboxKeepDays is how long the outbox keeps a message once it was sent
// or given up: long enough for staff to answer « I never got it ».
const OutboxKeepDays = 90

// PurgeRetention applies the retention policy: it erases the people whose
// record led nowhere and was not touched for months — not erased yet, no
// record changed and no account activity since the cut-off, and nothing
// in retentionKeeps. A dry run lists them and erases nobody. Each person
// is erased in a transaction of their own, audited with reason
// "retention".
func (db *DB) PurgeRetention(ctx context.Context, months int, dryRun bool) (*PurgeResult, error) {
	if err := validMonths(months); err != nil {
		return nil, err
	}
	res := &PurgeResult{Months: months, DryRun: dryRun, IDs: []int64{},
		Before: db.now().UTC().AddDate(0, -months, 0).Truncate(time.Microsecond)}
	ids, err := purgeable(ctx, db.read, res.Before, 0)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		erased := dryRun
		if !dryRun {
			err := db.tx(ctx, func(tx *sql.Tx) error {
				// Someone may have signed in since the list was read.
				again, err := purgeable(ctx, tx, res.Before, id)
				if err != nil || len(again) == 0 {
					return err
				}
				erased = true
				return db.erase(ctx, tx, id, "retention")
			})
			if err != nil {
				return res, fmt.Errorf("retention: erase person %d: %w", id, err)
			}
		}
		if erased {
			res.IDs = append(res.IDs, id)
			res.Erased++
		}
	}
	if res.Mails, err = db.purgeOutbox(ctx, dryRun); err != nil {
		return res, fmt.Errorf("retention: old e-mails: %w", err)
	}
	if (res.Erased > 0 || res.Mails > 0) && !dryRun {
		if err := db.scrub(ctx); err != nil {
			return res, fmt.Errorf("retention: %d people and %d e-mails erased, but not yet from the disk: %w", res.Erased, res.Mails, err)
		}
	}
	return res, nil
}

// purgeable lists the people the retention policy erases at a cut-off:
// everyone, or only the person id when it is not 0.
func purgeable(ctx context.Context, q querier, before time.Time, id int64) ([]int64, error) {
	query := `SELECT p.id FROM people p WHERE p.erased_at IS NULL AND p.updated_at < $1 AND ($2 = 0 OR p.id = $2)`
	for _, keep := range retentionKeeps {
		query += "\n\tAND NOT " + keep
	}
	rows, err := q.QueryContext(ctx, query+"\nORDER BY p.id", before, id)
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// purgeOutbox deletes the messages sent or given up more than
// OutboxKeepDays ago, or counts them in a dry run.
func (db *DB) purgeOutbox(ctx context.Context, dryRun bool) (int, error) {
	before := db.now().UTC().AddDate(0, 0, -OutboxKeepDays).Truncate(time.Microsecond)
	const old = `FROM outbox WHERE state IN ('sent', 'dead') AND created_at < $1`
	if dryRun {
		var n int
		err := db.read.QueryRowContext(ctx, `SELECT count(*) `+old, before).Scan(&n)
		return n, err
	}
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `DELETE `+old, before)
		if err == nil {
			n, err = r.RowsAffected()
		}
		if err != nil {
			return err
		}
		// The jobs that delivered them go with them, so that the jobs
		// table keeps no row per e-mail for ever.
		if _, err = tx.ExecContext(ctx, `DELETE FROM jobs WHERE kind = $1 AND state IN ('done', 'dead') AND finished_at < $2`,
			certibloc.SendMailJob, before); err != nil {
			return err
		}
		// The files of the export and import jobs (names, grades) go
		// JobFilesKeepDays after their job ended.
		if _, err = tx.ExecContext(ctx, `DELETE FROM job_files WHERE job_id IN (SELECT id FROM jobs
			WHERE state IN ('done', 'dead') AND finished_at < $1)`, db.now().UTC().AddDate(0, 0, -JobFilesKeepDays).Truncate(time.Microsecond)); err != nil {
			return err
		}
		// The chunks of an upload (an RNCP export) that a job left when it
		// ended without its report (dead): nobody reads them any more.
		_, err = tx.ExecContext(ctx, `DELETE FROM job_chunks WHERE job_id IN (SELECT id FROM jobs WHERE state IN ('done', 'dead'))`)
		return err
	})
	return int(n), err
}

// JobFilesKeepDays is how long the files of an export or import job (an
// export, an uploaded sheet, an import's report) are kept once the job
// ended: time enough to download them.
const JobFilesKeepDays = 7
