package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// Delivery of the outbox. Each message is delivered by a job of its own
// (certibloc.SendMailJob, queued with the message): the job's attempt
// claims the message for a lease (BeginMailAttempt): it goes to state
// sending, its attempt counted, until the lease ends. The attempt then
// records the outcome with the message's attempt it claimed, so that a
// worker whose lease ended (and whose message another worker claimed)
// records nothing. A worker that dies loses its claim when its lease
// ends, and the job is claimed again: delivery is at least once, twice
// only for a message the SMTP server accepted in the instant before a
// crash.

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
