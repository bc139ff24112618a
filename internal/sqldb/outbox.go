package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// The outbox is transactional: a message is written in the transaction of
// what it announces (Decide, Enrol) or in one of its own (Enqueue), and
// stays there; the mail package's worker claims the messages due, delivers
// them and records the outcome (outbox_delivery.go).

// Enqueue stores a message in the outbox, pending.
func (db *DB) Enqueue(ctx context.Context, m certibloc.Mail) (certibloc.Mail, error) {
	list := []certibloc.Mail{m}
	err := db.tx(ctx, func(tx *sql.Tx) error { return db.enqueue(ctx, tx, list) })
	if err != nil {
		return certibloc.Mail{}, fmt.Errorf("enqueue mail: %w", err)
	}
	return list[0], nil
}

// enqueue writes messages to the outbox in tx, pending and due now, and
// gives them their ids and times. The audit trail gets neither the
// address nor the text: a body may hold a password link.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, list []certibloc.Mail) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	for i := range list {
		m := &list[i]
		if m.To == "" || strings.ContainsAny(m.To+m.Subject, "\r\n") {
			return certibloc.Errorf(certibloc.EINVALID, "a message needs one recipient and a one-line subject")
		}
		m.CreatedAt, m.State, m.Attempts, m.NextTry, m.SentAt, m.LastError = now, certibloc.MailPending, 0, &now, nil, ""
	}
	batch := 500
	if db.engine == SQLite {
		batch = 40 // see Decide
	}
	items := make([]auditItem, 0, len(list))
	for start := 0; start < len(list); start += batch {
		chunk := list[start:min(start+batch, len(list))]
		var args []any
		marks := make([]string, len(chunk))
		for i, m := range chunk {
			n := len(args)
			args = append(args, m.To, m.Subject, m.Body, m.School, now, sql.NullInt64{Int64: m.PersonID, Valid: m.PersonID != 0})
			marks[i] = fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, 'pending', $%d)", n+1, n+2, n+3, n+4, n+5, n+5, n+6)
		}
		rows, err := tx.QueryContext(ctx, `INSERT INTO outbox (recipient, subject, body, school, created_at, next_attempt_at, state, person_id)
			VALUES `+strings.Join(marks, ", ")+` RETURNING id`, args...)
		if err != nil {
			return err
		}
		// The ids are given in the order of the VALUES, though RETURNING
		// may list them in another.
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) != len(chunk) {
			return fmt.Errorf("outbox: %d ids returned for %d messages", len(ids), len(chunk))
		}
		slices.Sort(ids)
		for i := range chunk {
			chunk[i].ID = ids[i]
			items = append(items, auditItem{"outbox.enqueue", "outbox", fmt.Sprint(ids[i]), chunk[i].School, nil})
			if err := writeAttachments(ctx, tx, &chunk[i]); err != nil {
				return err
			}
		}
	}
	return db.auditMany(ctx, tx, items)
}

// OutboxFilter chooses messages: those of some schools, or all.
type OutboxFilter struct {
	All     bool     // every message, whatever its school
	Schools []string // otherwise, the messages about these schools
	Limit   int      // newest first; 0 means 100
}

// mailColumns are the columns scanMail reads.
const mailColumns = `id, recipient, subject, body, school, person_id, created_at, state, attempts, next_attempt_at, sent_at, last_error`

// Outbox lists messages, newest first.
func (db *DB) Outbox(ctx context.Context, f OutboxFilter) ([]certibloc.Mail, error) {
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
	rows, err := db.read.QueryContext(ctx, `SELECT `+mailColumns+`
		FROM outbox WHERE `+where+fmt.Sprintf(` ORDER BY id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return scanMails(rows)
}

// OutboxMail returns one message.
func (db *DB) OutboxMail(ctx context.Context, id int64) (certibloc.Mail, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+mailColumns+` FROM outbox WHERE id = $1`, id)
	if err != nil {
		return certibloc.Mail{}, err
	}
	list, err := scanMails(rows)
	if err != nil {
		return certibloc.Mail{}, err
	}
	if len(list) == 0 {
		return certibloc.Mail{}, certibloc.Errorf(certibloc.ENOTFOUND, "no message %d in the outbox", id)
	}
	return list[0], readAttachments(ctx, db.read, list)
}

// scanMails reads the rows of a query of mailColumns, and closes them.
func scanMails(rows *sql.Rows) ([]certibloc.Mail, error) {
	defer rows.Close()
	list := []certibloc.Mail{}
	for rows.Next() {
		var m certibloc.Mail
		var next, sent sql.NullTime
		var person sql.NullInt64
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.School, &person, &m.CreatedAt, &m.State, &m.Attempts,
			&next, &sent, &m.LastError); err != nil {
			return nil, err
		}
		m.CreatedAt, m.PersonID = m.CreatedAt.UTC(), person.Int64
		if next.Valid && m.State == certibloc.MailPending {
			t := next.Time.UTC()
			m.NextTry = &t
		}
		if sent.Valid {
			t := sent.Time.UTC()
			m.SentAt = &t
		}
		list = append(list, m)
	}
	return list, rows.Err()
}
