package sqldb

import (
	"context"
	"database/sql"
	"time"
)

// ExecForAuditTest runs a statement on the write connection as someone
// with direct access to the database would: the audit tests tamper with
// the trail through it.
func (db *DB) ExecForAuditTest(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}

// SetClockForAuditTest makes the store read the time from now.
func (db *DB) SetClockForAuditTest(now func() time.Time) { db.now = now }

// AuditForTest writes one entry about each record, in one transaction, as
// a change touching several records does.
func (db *DB) AuditForTest(ctx context.Context, records ...[2]string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range records {
			if err := db.audit(ctx, tx, "test.touch", r[0], r[1], "", nil); err != nil {
				return err
			}
		}
		return nil
	})
}
