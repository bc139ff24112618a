package sqldb

import (
	"context"
	"database/sql"
	"time"
)

// PersonalTablesForTest returns the tables the GDPR export and erasure know
// of, and among them those whose rows erasure keeps as they are.
func PersonalTablesForTest() (known, kept []string) {
	for _, t := range personalTables {
		known = append(known, t.name)
		if len(t.erase) == 0 {
			kept = append(kept, t.name)
		}
	}
	return known, kept
}

// QueryForGDPRTest runs a query on the read pool: the GDPR tests read the
// schema and scan every table through it.
func (db *DB) QueryForGDPRTest(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return db.read.QueryContext(ctx, query, args...)
}

// SetClockForGDPRTest makes the store read the time from now, so that the
// retention tests can let months pass.
func (db *DB) SetClockForGDPRTest(now func() time.Time) { db.now = now }

// SetNoticeHookForTest makes every transaction that writes decision
// notices run fn after writing them, before it commits; nil removes it.
func SetNoticeHookForTest(fn func() error) { noticeHook = fn }
