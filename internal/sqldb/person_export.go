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

// The GDPR export: everything held about a person, read through
// personalTables (gdpr.go).

// Export is everything certibloc holds about a person: their record, their
// disability record when the requester may read it, and the rows of every
// other table about them, by table name.
type Export struct {
	ExportedAt time.Time             `json:"exported_at"`
	Person     *certibloc.Person     `json:"person"`
	Disability *certibloc.Disability `json:"disability,omitempty"`
	// DisabilityWithheld is true when the requester may not read disability
	// records, whether or not the person has one.
	DisabilityWithheld bool                        `json:"disability_withheld,omitempty"`
	Tables             map[string][]map[string]any `json:"tables"`
}

// ExportScope says what an export holds beyond the person's ordinary data,
// by who asks for it.
type ExportScope struct {
	// Disability: the disability record, for the person and the referent.
	Disability bool
	// MailText: the text of the e-mails sent to the person, for the person
	// alone, since it may hold a password link still valid.
	MailText bool
}

// ExportPerson gathers everything held about a person, within scope. The
// export is read in one transaction, and recorded in the audit trail: who
// took a copy of someone's data is worth knowing.
func (db *DB) ExportPerson(ctx context.Context, id int64, scope ExportScope) (*Export, error) {
	x := &Export{ExportedAt: db.now().UTC().Truncate(time.Microsecond), Tables: map[string][]map[string]any{},
		DisabilityWithheld: !scope.Disability}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if x.Person, err = findPerson(ctx, tx, id); err != nil {
			return err
		}
		if scope.Disability {
			x.Disability, err = findDisability(ctx, tx, id)
			if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
				err = nil
			}
			if err != nil {
				return err
			}
		}
		for _, t := range personalTables {
			if t.export == "" {
				continue
			}
			rows, err := tx.QueryContext(ctx, db.personSQL(t.export), id)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			if x.Tables[t.name], err = scanMaps(rows); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		if !scope.MailText {
			for _, m := range x.Tables["outbox"] {
				m["body"] = "" // withheld: see ExportScope
			}
		}
		if !scope.Disability {
			// What the referent granted is theirs and the person's, like
			// the disability record.
			delete(x.Tables, "accommodations")
			// Even that a disability record exists is not for this requester.
			x.Tables["audit_log"] = slices.DeleteFunc(x.Tables["audit_log"], func(m map[string]any) bool {
				return m["entity"] == "disability"
			})
		}
		return db.audit(ctx, tx, "person.export", "person", fmt.Sprint(id), x.Person.School,
			map[string]any{"disability": scope.Disability, "mail_text": scope.MailText})
	})
	if err != nil {
		return nil, fmt.Errorf("export person %d: %w", id, err)
	}
	return x, nil
}

// scanMaps reads rows as maps of column to value, the same on both
// engines: text as strings, times in UTC, booleans as booleans.
func scanMaps(rows *sql.Rows) ([]map[string]any, error) {
	defer rows.Close()
	cols, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			m[c.Name()] = exportValue(c.DatabaseTypeName(), vals[i])
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

func exportValue(typ string, v any) any {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case time.Time:
		return v.UTC()
	case int64:
		if t := strings.ToUpper(typ); t == "BOOLEAN" || t == "BOOL" {
			return v != 0
		}
	}
	return v
}
