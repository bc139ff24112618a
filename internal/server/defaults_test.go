package server_test

import (
	"log/slog"
	"sync"
	"testing"

	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestLoadDefaultsFromInstancesStartingAtOnce: instances started at the
// same moment on a fresh database all come up, and the defaults are
// stored once. Before they took turns, the second failed on PostgreSQL
// with a duplicate school (seen starting two instances for a benchmark).
func TestLoadDefaultsFromInstancesStartingAtOnce(t *testing.T) {
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		const n = 4
		dbs := make([]*sqldb.DB, n)
		for i := range dbs {
			dbs[i] = open()
		}
		if _, err := dbs[0].Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, db := range dbs {
			wg.Go(func() {
				<-start
				errs[i] = server.LoadDefaults(t.Context(), db, slog.New(slog.DiscardHandler))
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
		}
		schools, err := dbs[0].Schools(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(schools) != 1 {
			t.Errorf("%d schools stored, want the default one", len(schools))
		}
	})
}
