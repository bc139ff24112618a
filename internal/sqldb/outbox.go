package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Mail is an e-mail certibloc sent or means to send. Every message is kept
// in the outbox, whether SMTP delivered it or not, so that staff can tell
// someone what was sent and tests can read it.
type Mail struct {
	ID        int64      `json:"id"`
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	School    string     `json:"school,omitempty"` // the school it concerns; "" for none
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	Error     string     `json:"error,omitempty"` // why the last delivery failed
}

// Enqueue stores a message in the outbox, not yet sent.
func (db *DB) Enqueue(ctx context.Context, m Mail) (Mail, error) {
	if m.To == "" || strings.ContainsAny(m.To+m.Subject, "\r\n") {
		return Mail{}, certibloc.Errorf(certibloc.EINVALID, "a message needs one recipient and a one-line subject")
	}
	m.CreatedAt = db.now().UTC().Truncate(time.Microsecond)
	m.SentAt, m.Error = nil, ""
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO outbox (recipient, subject, body, school, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, m.To, m.Subject, m.Body, m.School, m.CreatedAt).Scan(&m.ID); err != nil {
			return err
		}
		// Neither the address nor the text: the body may hold a password link.
		return db.audit(ctx, tx, "outbox.enqueue", "outbox", fmt.Sprint(m.ID), m.School, nil)
	})
	if err != nil {
		return Mail{}, fmt.Errorf("enqueue mail: %w", err)
	}
	return m, nil
}

// OutboxFilter chooses messages: those of some schools, or all.
type OutboxFilter struct {
	All     bool     // every message, whatever its school
	Schools []string // otherwise, the messages about these schools
	Limit   int      // newest first; 0 means 100
}

// Outbox lists messages, newest first.
func (db *DB) Outbox(ctx context.Context, f OutboxFilter) ([]Mail, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	where, args := "1 = 1", []any{}
	if !f.All {
		marks := make([]string, len(f.Schools))
		for i, s := range f.Schools {
			args = append(args, s)
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		where = "1 = 0"
		if len(marks) > 0 {
			where = "school IN (" + strings.Join(marks, ", ") + ")"
		}
	}
	args = append(args, f.Limit)
	rows, err := db.read.QueryContext(ctx, `SELECT id, recipient, subject, body, school, created_at, sent_at, error
		FROM outbox WHERE `+where+fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	list := []Mail{}
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// OutboxMail returns one message.
func (db *DB) OutboxMail(ctx context.Context, id int64) (Mail, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, recipient, subject, body, school, created_at, sent_at, error
		FROM outbox WHERE id = $1`, id)
	if err != nil {
		return Mail{}, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Mail{}, err
		}
		return Mail{}, certibloc.Errorf(certibloc.ENOTFOUND, "no message %d in the outbox", id)
	}
	return scanMail(rows)
}

func scanMail(rows *sql.Rows) (Mail, error) {
	var m Mail
	var sent sql.NullTime
	err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.School, &m.CreatedAt, &sent, &m.Error)
	m.CreatedAt = m.CreatedAt.UTC()
	if sent.Valid {
		t := sent.Time.UTC()
		m.SentAt = &t
	}
	return m, err
}

// MarkSent records that SMTP accepted the message.
func (db *DB) MarkSent(ctx context.Context, id int64) error {
	return db.markMail(ctx, id, "outbox.sent", `UPDATE outbox SET sent_at = $1, error = '' WHERE id = $2`,
		db.now().UTC().Truncate(time.Microsecond), id)
}

// MarkFailed records why delivering the message failed; it stays unsent.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string) error {
	return db.markMail(ctx, id, "outbox.failed", `UPDATE outbox SET error = $1 WHERE id = $2`, reason, id)
}

// markMail updates a message and audits it, without the reason of a
// failure: SMTP errors often quote the recipient's address.
func (db *DB) markMail(ctx context.Context, id int64, action, query string, args ...any) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var school string
		err := tx.QueryRowContext(ctx, `SELECT school FROM outbox WHERE id = $1`, id).Scan(&school)
		if errors.Is(err, sql.ErrNoRows) {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no message %d in the outbox", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		return db.audit(ctx, tx, action, "outbox", fmt.Sprint(id), school, nil)
	})
}
