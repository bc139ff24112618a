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
	db, err := sqldb.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "test.db"), "")
	if err != nil {
		t.Fatal(err)
	}
	return migrated(t, db)
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
	db, err := sqldb.Open(ctx, u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	return migrated(t, db)
}

func migrated(t testing.TB, db *sqldb.DB) *sqldb.DB {
	t.Helper()
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}
