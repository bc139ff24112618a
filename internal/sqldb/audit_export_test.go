package sqldb

import (
	"context"
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
