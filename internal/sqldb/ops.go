package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// What operations need of the store: readiness, the figures of /metrics,
// the schema version, and an online backup of SQLite.

// Migrations returns the versions of the migrations embedded for engine,
// in order: a database has all of them applied when it is up to date.
func Migrations(engine string) ([]int, error) {
	files, err := fs.Glob(migrations, "migrations/"+engine+"/*.sql")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no migrations for engine %q", engine)
	}
	var versions []int
	for _, f := range files {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(f), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", f)
		}
		versions = append(versions, v)
	}
	sort.Ints(versions)
	return versions, nil
}

// ErrNotMigrated is the error of Ready when the database answers but
// lacks migrations of this version of certibloc.
var ErrNotMigrated = errors.New("database not migrated")

// Ready reports whether the database answers and holds every migration
// this build knows (newer ones, applied by a newer instance, are fine):
// the meaning of /readyz.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return err
	}
	known, err := Migrations(db.engine)
	if err != nil {
		return err
	}
	applied, err := appliedVersions(ctx, db.read)
	if err != nil {
		return err
	}
	var missing []string
	for _, v := range known {
		if !applied[v] {
			missing = append(missing, strconv.Itoa(v))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: versions %s missing", ErrNotMigrated, strings.Join(missing, ", "))
	}
	return nil
}

// appliedVersions reads schema_migrations; a database without it has none.
func appliedVersions(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[int]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "does not exist") {
			return map[int]bool{}, nil
		}
		return nil, err
	}
	defer rows.Close()
	applied := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}

// PoolStats are the connection pools' figures, by pool: "write" and
// "read" on SQLite, "main" on PostgreSQL.
func (db *DB) PoolStats() map[string]sql.DBStats {
	if db.read == db.write {
		return map[string]sql.DBStats{"main": db.write.Stats()}
	}
	return map[string]sql.DBStats{"write": db.write.Stats(), "read": db.read.Stats()}
}

// OpsFigures are the counts /metrics reads from the database.
type OpsFigures struct {
	Outbox       map[string]int64 // messages by state: pending, sending, sent, dead
	AuditEntries int64            // length of the audit chain (its head)
}

// Figures counts the outbox by state and reads the length of the audit
// chain, in one snapshot; both are indexed or one row.
func (db *DB) Figures(ctx context.Context) (OpsFigures, error) {
	f := OpsFigures{Outbox: map[string]int64{}}
	tx, err := db.read.BeginTx(ctx, db.snapshot())
	if err != nil {
		return f, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT state, count(*) FROM outbox GROUP BY state`)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var state string
		var n int64
		if err := rows.Scan(&state, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.Outbox[state] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(entries), 0) FROM audit_lanes`).Scan(&f.AuditEntries); err != nil {
		return f, fmt.Errorf("audit head: %w", err)
	}
	return f, nil
}

// BackupTo writes a consistent copy of an SQLite database to the new file
// path while others keep reading and writing it: VACUUM INTO reads the
// database in one read transaction (a snapshot, which writers in WAL mode
// do not block) and writes a compact file without free pages, so that no
// erased content lingers in it. The file is made with mode 0600 (it holds
// personal data) and must not exist. PostgreSQL has its own tools
// (pg_dump, base backups): see internal/backup.
func (db *DB) BackupTo(ctx context.Context, path string) error {
	if db.engine != SQLite {
		return fmt.Errorf("backup: VACUUM INTO is for SQLite, this is %s", db.engine)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	if _, err := db.read.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
