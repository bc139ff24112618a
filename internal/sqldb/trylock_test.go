package sqldb_test

import (
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestTryLockAcrossProcesses: on PostgreSQL, a lock taken by one handle
// (one instance) is refused to another until it is released (or its
// holder's connection closes, when its process dies); another name is
// free meanwhile. SQLite's database has one server: the lock is always
// granted, the process keeps its own.
func TestTryLockAcrossProcesses(t *testing.T) {
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		a, b := open(), open()
		release, ok, err := a.TryLock(t.Context(), "rncp-import")
		if err != nil || !ok {
			t.Fatalf("first lock: %v %v", ok, err)
		}
		_, ok, err = b.TryLock(t.Context(), "rncp-import")
		if err != nil || ok != (a.Engine() == sqldb.SQLite) {
			t.Fatalf("the lock held elsewhere: granted %v, %v", ok, err)
		}
		other, ok, err := b.TryLock(t.Context(), "another")
		if err != nil || !ok {
			t.Fatalf("another lock: %v %v", ok, err)
		}
		other()
		release()
		release2, ok, err := b.TryLock(t.Context(), "rncp-import")
		if err != nil || !ok {
			t.Fatalf("the lock once released: %v %v", ok, err)
		}
		release2()
	})
}
