package sqldb

import "time"

// SetClockForAuthTest makes the store read the time from now, so that the
// tests of sessions and password links can let hours pass.
func (db *DB) SetClockForAuthTest(now func() time.Time) { db.now = now }
