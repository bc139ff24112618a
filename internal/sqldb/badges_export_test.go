package sqldb

import "time"

// SetClockForBadgeTest replaces the store's clock.
func (db *DB) SetClockForBadgeTest(now func() time.Time) { db.now = now }
