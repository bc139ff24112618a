package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Delivery of the outbox. A worker claims the messages due for a lease:
// they go to state sending, their attempt counted, until the lease ends.
// It then records the outcome with the attempt it claimed, so that a
// worker whose lease ended (and whose message another worker claimed)
// records nothing. A worker that dies loses its claims when their lease
// ends, and the messages are claimed again: delivery is at least once,
// twice only for a message the SMTP server accepted in the instant
// before a crash.

// ClaimMail claims up to limit messages due now, oldest first, for lease:
// pending ones whose next attempt is due, and sending ones whose lease
// ended. On PostgreSQL two workers skip each other's rows (FOR UPDATE
// SKIP LOCKED); on SQLite the single writer claims for one at a time.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]certibloc.Mail, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	lock := ""
	if db.engine == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var list []certibloc.Mail
	err := db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM outbox
			WHERE (state = 'pending' AND next_attempt_at <= $1) OR (state = 'sending' AND claimed_until <= $1)
			ORDER BY next_attempt_at, id LIMIT $2`+lock, now, limit)
		if err != nil {
			return err
		}
		var args []any
		var marks []string
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			args = append(args, id)
			marks = append(marks, fmt.Sprintf("$%d", len(args)+1))
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(args) == 0 {
			return err
		}
		rows, err = tx.QueryContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_until = $1
			WHERE id IN (`+strings.Join(marks, ", ")+`) RETURNING `+mailColumns,
			append([]any{now.Add(lease)}, args...)...)
		if err != nil {
			return err
		}
		list, err = scanMails(rows)
		if err != nil {
			return err
		}
		slices.SortFunc(list, func(a, b certibloc.Mail) int { return cmp.Compare(a.ID, b.ID) })
		return readAttachments(ctx, tx, list)
	})
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return list, nil
}

// MarkSent records that the SMTP server accepted message id, delivered
// on its attempt-th attempt.
func (db *DB) MarkSent(ctx context.Context, id int64, attempt int) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.markMail(ctx, id, attempt, "outbox.sent",
		`state = 'sent', sent_at = $3, last_error = '', claimed_until = NULL`, now)
}

// RetryMail records why the attempt-th attempt at message id failed, and
// when to try again.
func (db *DB) RetryMail(ctx context.Context, id int64, attempt int, reason string, at time.Time) error {
	return db.markMail(ctx, id, attempt, "outbox.failed",
		`state = 'pending', last_error = $3, next_attempt_at = $4, claimed_until = NULL`, reason, at.UTC().Truncate(time.Microsecond))
}

// MarkDead records that message id is given up after its attempt-th
// attempt, and why; staff see it in the outbox.
func (db *DB) MarkDead(ctx context.Context, id int64, attempt int, reason string) error {
	return db.markMail(ctx, id, attempt, "outbox.dead",
		`state = 'dead', last_error = $3, next_attempt_at = NULL, claimed_until = NULL`, reason)
}

// markMail sets a claimed message's columns and audits it, without the
// reason of a failure: SMTP errors often quote the recipient's address.
// A message no longer claimed by this attempt is a conflict: its lease
// ended and another worker has it, or it was erased (not found).
func (db *DB) markMail(ctx context.Context, id int64, attempt int, action, set string, args ...any) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var school string
		err := tx.QueryRowContext(ctx, `UPDATE outbox SET `+set+`
			WHERE id = $1 AND state = 'sending' AND attempts = $2 RETURNING school`,
			append([]any{id, attempt}, args...)...).Scan(&school)
		if errors.Is(err, sql.ErrNoRows) {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE id = $1`, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return certibloc.Errorf(certibloc.ENOTFOUND, "no message %d in the outbox", id)
			}
			return certibloc.Errorf(certibloc.ECONFLICT, "message %d is no longer claimed by attempt %d", id, attempt)
		} else if err != nil {
			return err
		}
		return db.audit(ctx, tx, action, "outbox", fmt.Sprint(id), school, map[string]any{"attempt": attempt})
	})
}

// BeginMailAttempt is what the job of message id (certibloc.SendMailJob)
// writes before it talks to the SMTP server: in one transaction, it checks
// that attempt still holds job (renewing its lease), and claims the
// message (state sending, its attempt counted) until lease from now. It
// returns the message: in state sending when this attempt is to send it;
// sent or dead when an earlier attempt finished it, and nothing is to be
// sent. A message claimed by a worker outside the job whose claim has not
// ended is a conflict; erased, it is not found.
func (db *DB) BeginMailAttempt(ctx context.Context, job int64, attempt int, lease time.Duration, id int64) (certibloc.Mail, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	var msg certibloc.Mail
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.ownJob(ctx, tx, job, attempt, lease, ""); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET state = 'sending', attempts = attempts + 1, claimed_until = $2
			WHERE id = $1 AND (state = 'pending' OR (state = 'sending' AND claimed_until <= $3)) RETURNING `+mailColumns,
			id, now.Add(lease), now)
		if err != nil {
			return err
		}
		list, err := scanMails(rows)
		if err != nil {
			return err
		}
		if len(list) == 1 { // to send: with its attachments
			if err := readAttachments(ctx, tx, list); err != nil {
				return err
			}
			msg = list[0]
			return nil
		}
		if rows, err = tx.QueryContext(ctx, `SELECT `+mailColumns+` FROM outbox WHERE id = $1`, id); err != nil {
			return err
		}
		if list, err = scanMails(rows); err != nil {
			return err
		}
		switch {
		case len(list) == 0:
			return certibloc.Errorf(certibloc.ENOTFOUND, "no message %d in the outbox", id)
		case list[0].State == certibloc.MailSending:
			return certibloc.Errorf(certibloc.ECONFLICT, "message %d is being sent by another worker", id)
		}
		msg = list[0]
		return nil
	})
	return msg, err
}
