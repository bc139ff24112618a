package sqldb

import (
	"context"
	"database/sql"
	"errors"
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

// DefaultSiteURL is the site's address in e-mails until SetSiteURL says
// another, as the web pages' default.
const DefaultSiteURL = "http://localhost:8080"

// SetSiteURL sets the address people reach the site at, which every
// e-mail links back to (certibloc.Mail.Signed). The server sets it once,
// before it serves.
func (db *DB) SetSiteURL(u string) { db.site = strings.TrimRight(u, "/") }

// siteURL is the address e-mails link to.
func (db *DB) siteURL() string {
	if db.site == "" {
		return DefaultSiteURL
	}
	return db.site
}

// sign ends each message with its signature (certibloc.Mail.Signed): the
// name of its school, or for a message of no school (an admin's password
// link) the certifier's, and the site's address.
func (db *DB) sign(ctx context.Context, tx *sql.Tx, list []certibloc.Mail) error {
	names := map[string]string{}
	for i, m := range list {
		name, ok := names[m.School]
		if !ok {
			var err error
			if m.School != "" {
				err = tx.QueryRowContext(ctx, `SELECT name FROM schools WHERE code = $1`, m.School).Scan(&name)
			} else {
				err = tx.QueryRowContext(ctx, `SELECT certifier FROM schools WHERE certifier <> '' ORDER BY code LIMIT 1`).Scan(&name)
			}
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("sign mail: %w", err)
			}
			names[m.School] = name
		}
		list[i] = m.Signed(name, db.siteURL())
	}
	return nil
}

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
	if err := db.sign(ctx, tx, list); err != nil {
		return err
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
		if err := db.queueMailJobs(ctx, tx, ids, now); err != nil {
			return err
		}
	}
	return db.auditMany(ctx, tx, items)
}

// queueMailJobs queues, in tx, the job that delivers each message ids
// (certibloc.SendMailJob): a message and its job commit together.
func (db *DB) queueMailJobs(ctx context.Context, tx *sql.Tx, ids []int64, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{certibloc.SendMailJob, certibloc.MailJobAttempts, now}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, certibloc.MailJobKey(id), fmt.Sprintf(`{"outbox":%d}`, id))
		marks[i] = fmt.Sprintf("($1, $%d, $%d, 'queued', $2, $3, $3)", len(args)-1, len(args))
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, job_key, payload, state, max_attempts, run_after, created_at)
		VALUES `+strings.Join(marks, ", "), args...)
	return err
}

// OutboxFilter chooses messages: those of some schools, or all, whose
// recipient or subject holds some text, a page of them at a time.
type OutboxFilter struct {
	All     bool     // every message, whatever its school
	Schools []string // otherwise, the messages about these schools
	// Search, when not empty, keeps the messages whose recipient or
	// subject contains it, whatever the case.
	Search string
	Limit  int // newest first; 0 means 100
	Offset int // messages skipped, newest first: the pages before
}

// mailColumns are the columns scanMail reads.
const mailColumns = `id, recipient, subject, body, school, person_id, created_at, state, attempts, next_attempt_at, sent_at, last_error`

// Outbox lists messages, newest first.
func (db *DB) Outbox(ctx context.Context, f OutboxFilter) ([]certibloc.Mail, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if !f.All {
		marks := make([]string, len(f.Schools))
		for i, s := range f.Schools {
			marks[i] = arg(s)
		}
		if len(marks) == 0 {
			where = append(where, "1 = 0")
		} else {
			where = append(where, "school IN ("+strings.Join(marks, ", ")+")")
		}
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		// Lower case on both sides: LIKE ignores case on SQLite only, and
		// ASCII's only.
		like := arg("%" + escapeLike(strings.ToLower(q)) + "%")
		where = append(where, `(`+db.lower("recipient")+` LIKE `+like+` ESCAPE '\' OR `+db.lower("subject")+` LIKE `+like+` ESCAPE '\')`)
	}
	if len(where) == 0 {
		where = append(where, "1 = 1")
	}
	limit, offset := arg(f.Limit), arg(max(f.Offset, 0))
	rows, err := db.read.QueryContext(ctx, `SELECT `+mailColumns+`
		FROM outbox WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT `+limit+` OFFSET `+offset, args...)
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
