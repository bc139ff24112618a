package sqldb

import "time"

// SetClockForJobTest sets the store's clock.
func (db *DB) SetClockForJobTest(now func() time.Time) { db.now = now }
