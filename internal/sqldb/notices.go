package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/certibloc/certibloc"
)

// Decision notices: the e-mail that tells a candidate of a decision on
// their application is written to the outbox in the transaction that
// stores the decision (Decide, Enrol). A commit stores both, a rollback
// neither; the mail package's worker delivers it later, after a crash
// too. The domain writes the text (AdmissionDecision.NoticeMail).

// noticeHook, when set (by tests), runs after the decisions and their
// notices are written, before the transaction commits; an error it
// returns rolls the transaction back.
var noticeHook func() error

// writeNotices writes to the outbox in tx the notices of decisions that
// their candidates are to be told of.
func (db *DB) writeNotices(ctx context.Context, tx *sql.Tx, decisions []certibloc.AdmissionDecision) error {
	var ids []int64
	for _, d := range decisions {
		if d.Notifies() {
			ids = append(ids, d.ApplicationID)
		}
	}
	to, err := candidatesOf(ctx, tx, ids)
	if err != nil {
		return fmt.Errorf("decision notices: %w", err)
	}
	var mails []certibloc.Mail
	for _, d := range decisions {
		c, ok := to[d.ApplicationID]
		if !ok {
			continue
		}
		if m, ok := d.NoticeMail(c.campaign, c.school, &c.person); ok {
			mails = append(mails, m)
		}
	}
	if len(mails) > 0 {
		if err := db.enqueue(ctx, tx, mails); err != nil {
			return fmt.Errorf("decision notices: %w", err)
		}
	}
	if noticeHook != nil {
		return noticeHook()
	}
	return nil
}

// candidate is whom a notice about an application goes to.
type candidate struct {
	person           certibloc.Person
	campaign, school string
}

// candidatesOf reads, for applications ids, their candidate's name and
// address and their campaign's title.
func candidatesOf(ctx context.Context, tx *sql.Tx, ids []int64) (map[int64]candidate, error) {
	out := make(map[int64]candidate, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		rows, err := tx.QueryContext(ctx, `SELECT a.id, a.school_code, c.title, p.id, p.email, p.first_names, p.birth_name,
				p.usage_name, p.erased_at IS NOT NULL
			FROM applications a JOIN people p ON p.id = a.person_id JOIN campaigns c ON c.id = a.campaign_id
			WHERE a.id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var c candidate
			var erased bool
			if err := rows.Scan(&id, &c.school, &c.campaign, &c.person.ID, &c.person.Email, &c.person.FirstNames, &c.person.BirthName,
				&c.person.UsageName, &erased); err != nil {
				rows.Close()
				return nil, err
			}
			if erased {
				c.person.Email = ""
			}
			out[id] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
