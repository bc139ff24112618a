// Package sqldbtest gives tests a fresh, migrated store on every engine:
// SQLite always, PostgreSQL when CERTIBLOC_TEST_POSTGRES names a server
// (and always in CI, where its absence is a failure, not a skip).
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
)

// Each runs fn once per engine, as subtests named "sqlite" and "postgres",
// each with a database of its own.
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	t.Run(sqldb.SQLite, func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run(sqldb.Postgres, func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated SQLite store in a temporary directory.
func SQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	return migrated(t, open(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db")))
}

// PostgresURL returns the server tests use, skipping the test when there is
// none, or failing it when CI=true.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("CERTIBLOC_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but CERTIBLOC_TEST_POSTGRES is not set: run the tests with scripts/test, which starts PostgreSQL")
		}
		t.Skip("no PostgreSQL: set CERTIBLOC_TEST_POSTGRES or run scripts/test")
	}
	return u
}

// Postgres returns a migrated PostgreSQL store in a schema of its own,
// dropped when the test ends.
func Postgres(t testing.TB) *sqldb.DB {
	t.Helper()
	return migrated(t, open(t, PostgresSchema(t)))
}

// EachFresh runs fn once per engine, like Each, with a function that opens
// a new handle, not migrated, on one empty database of that engine: two
// handles are two processes sharing a database.
func EachFresh(t *testing.T, fn func(t *testing.T, open func() *sqldb.DB)) {
	t.Helper()
	t.Run(sqldb.SQLite, func(t *testing.T) {
		url := "sqlite:" + filepath.Join(t.TempDir(), "test.db")
		fn(t, func() *sqldb.DB { return open(t, url) })
	})
	t.Run(sqldb.Postgres, func(t *testing.T) {
		url := PostgresSchema(t)
		fn(t, func() *sqldb.DB { return open(t, url) })
	})
}

// PostgresSchema makes an empty schema of its own for the test, dropped
// when it ends, and returns the URL that uses it.
func PostgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("PostgreSQL at CERTIBLOC_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err == nil {
			admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// open opens a handle on url, closed when the test ends.
func open(t testing.TB, url string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func migrated(t testing.TB, db *sqldb.DB) *sqldb.DB {
	t.Helper()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
