// Package sqldb is certibloc's store: readable SQL over SQLite (the embedded
// default) or PostgreSQL. Public methods own their transaction. The SQL is
// the same on both engines ($1 placeholders, RETURNING, ON CONFLICT); where
// they differ is in this file:
//
//   - connections: Open, openSQLite (one writer, a read pool), openPostgres;
//   - migrations: a directory per engine (migrations/), whose schemas
//     TestSchemasAgree proves equal column by column; PostgreSQL migrates
//     under an advisory lock (Migrate);
//   - serialising writers: lockWriters; one-snapshot reads: snapshot;
//   - rows per multi-row insert: insertBatch; unique violations:
//     conflictOnDuplicate.
//
// One algorithm differs and stays with its subject: auditMany
// (audit_batch.go) inserts the audit entries of a bulk decision by
// hundreds on PostgreSQL, where each statement is a round trip, and one by
// one on SQLite.
package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"modernc.org/sqlite"               // SQLite driver "sqlite", no cgo

	"github.com/certibloc/certibloc"
)

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// SQLite's lower() folds ASCII only (« ÉLODIE » stays « ÉLODIE »), so
// its connections get unicode_lower(), Go's strings.ToLower, which
// (*DB).lower uses in its place: a search finds what PostgreSQL's lower()
// finds.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("unicode_lower", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case string:
				return strings.ToLower(v), nil
			case []byte:
				return strings.ToLower(string(v)), nil
			}
			return args[0], nil // NULL, and numbers, which have no case
		})
}

// lower is the SQL that writes the text expr in lower case, on either
// engine.
func (db *DB) lower(expr string) string {
	if db.engine == SQLite {
		return "unicode_lower(" + expr + ")"
	}
	return "lower(" + expr + ")"
}

//go:embed migrations
var migrations embed.FS

// DB is a connection to the store. On SQLite, writes go through one
// connection (SQLite has one writer) and reads through a pool; on
// PostgreSQL both are the same pool.
type DB struct {
	engine string
	write  *sql.DB
	read   *sql.DB
	now    func() time.Time
	rules  rulesCache  // compiled rules per certification version (rules.go)
	key    totpKey     // encrypts TOTP secrets (credentials.go)
	stmts  sync.Map    // query text → *sql.Stmt on read, see prepared
	tokens tokenCache  // see tokencache.go
	grids  sync.Map    // grid id → *certibloc.Grid, see gridCached
	group  groupWriter // saves that share a transaction, see eval_api_group.go
	site   string      // the site's address, which e-mails link to (outbox.go)
}

// Open connects to the database named by url: "" means the SQLite file
// certibloc.db in dataDir; "postgres://…" or "postgresql://…" PostgreSQL;
// "sqlite:PATH" or a path ending in .db an SQLite file. It does not migrate.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return openPostgres(ctx, url)
	case url == "":
		if dataDir == "" {
			dataDir = "."
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		return openSQLite(ctx, filepath.Join(dataDir, "certibloc.db"))
	case strings.HasPrefix(url, "sqlite:"):
		return openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
	case strings.HasSuffix(url, ".db") || strings.HasSuffix(url, ".sqlite"):
		return openSQLite(ctx, url)
	}
	return nil, fmt.Errorf("database %q: expected postgres://…, sqlite:PATH or a .db file", url)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// WAL lets readers work while the writer writes; busy_timeout makes a
	// second writer wait instead of failing; foreign keys are off by default;
	// secure_delete overwrites deleted content with zeros, so that an
	// erased person leaves no byte in the file's free space (gdpr.go).
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(ON)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(ON)"
	// The writer takes the write lock when its transaction begins, so that
	// two transactions never deadlock upgrading a read lock.
	write, err := sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn)
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(8)
	db := &DB{engine: SQLite, write: write, read: read, now: time.Now}
	if err := write.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(20)
	pool.SetMaxIdleConns(10)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &DB{engine: Postgres, write: pool, read: pool, now: time.Now}, nil
}

// Engine returns SQLite or Postgres.
func (db *DB) Engine() string { return db.engine }

// Close closes the connections.
func (db *DB) Close() error {
	db.stmts.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers (/readyz also checks the
// migrations: Ready).
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// TryLock takes the lock called name for the work of one process among
// every instance on the database, and returns the function that frees it;
// ok is false when another holder has it. On PostgreSQL it is a session
// advisory lock, held on a connection of its own until release (or until
// the process dies: the server frees it with the connection). SQLite's
// database belongs to one server: ok is always true, and the caller keeps
// its own lock for the goroutines of the process.
func (db *DB) TryLock(ctx context.Context, name string) (release func(), ok bool, err error) {
	return db.lock(ctx, name, `SELECT pg_try_advisory_lock(hashtextextended($1, 0))`)
}

// Lock is TryLock that waits for the lock instead of giving up.
func (db *DB) Lock(ctx context.Context, name string) (release func(), err error) {
	release, _, err = db.lock(ctx, name, `SELECT true FROM (SELECT pg_advisory_lock(hashtextextended($1, 0))) AS l`)
	return release, err
}

func (db *DB) lock(ctx context.Context, name, take string) (release func(), ok bool, err error) {
	if db.engine != Postgres {
		return func() {}, true, nil
	}
	c, err := db.write.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", name, err)
	}
	if err := c.QueryRowContext(ctx, take, "lock:"+name).Scan(&ok); err != nil || !ok {
		c.Close()
		if err != nil {
			return nil, false, fmt.Errorf("lock %s: %w", name, err)
		}
		return nil, false, nil
	}
	return func() {
		if _, err := c.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, "lock:"+name); err != nil {
			// Never give the pool back a connection that holds the lock.
			c.Raw(func(any) error { return driver.ErrBadConn })
		}
		c.Close()
	}, true, nil
}

// migrateLock is the PostgreSQL advisory lock that Migrate holds, so that
// two instances starting at once on a fresh database do not both create
// the same tables (SQLite's migrations take its single write lock).
const migrateLock = 0x6d696772 // "migr"

// Migrate applies, in order and each in its own transaction, the embedded
// migrations of the engine that are not applied yet. It returns the versions
// it applied. Instances that start together each call it: one applies, the
// others wait and find nothing left to do.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	var conn migrator = db.write
	if db.engine == Postgres {
		c, err := db.write.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		defer c.Close()
		if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer func() {
			if _, err := c.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrateLock); err != nil {
				// Never give the pool back a connection that holds the lock.
				c.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
		conn = c
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	files, err := fs.Glob(migrations, "migrations/"+db.engine+"/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var applied []int
	for _, f := range files {
		version, err := strconv.Atoi(strings.SplitN(filepath.Base(f), "_", 2)[0])
		if err != nil {
			return applied, fmt.Errorf("migration %s: name must start with its number", f)
		}
		script, err := migrations.ReadFile(f)
		if err != nil {
			return applied, err
		}
		done, err := db.migrateOne(ctx, conn, version, filepath.Base(f), string(script))
		if err != nil {
			return applied, err
		}
		if !done {
			applied = append(applied, version)
		}
	}
	if err := db.backfillGrids(ctx, conn); err != nil {
		return applied, fmt.Errorf("migrate: default grids: %w", err)
	}
	return applied, nil
}

// scrub leaves no trace on disk of what was deleted or overwritten: on
// SQLite, whose deleted content secure_delete has zeroed in the database
// pages, it copies the write-ahead log into the database and truncates
// it to nothing, since the log still holds the pages as they were
// (PRAGMA wal_checkpoint(TRUNCATE)). It waits for readers to leave the
// log (busy_timeout), and tries again a few times before it gives up.
// PostgreSQL keeps dead row versions until VACUUM: see README.md.
func (db *DB) scrub(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	var busy, frames, done int
	for try := 0; try < 5; try++ {
		if err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			return fmt.Errorf("checkpoint the write-ahead log: %w", err)
		}
		if busy == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("checkpoint the write-ahead log: readers kept it busy (%d of %d pages copied)", done, frames)
}

// migrator is where migrations run: the SQLite writer, or the PostgreSQL
// connection that holds migrateLock.
type migrator interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// migrateOne applies one migration unless it was already; done tells
// which.
func (db *DB) migrateOne(ctx context.Context, conn migrator, version int, name, script string) (done bool, err error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, script); err != nil {
		return false, fmt.Errorf("migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
		version, db.now().UTC().Format(time.RFC3339)); err != nil {
		return false, err
	}
	return false, tx.Commit()
}

// prepared returns the read pool's prepared statement of query, preparing
// it the first time. The hot reads (a token, a person, the version of a
// referential) use it: SQLite's driver would otherwise parse and plan the
// SQL on every call, which was a quarter of the time of a person read.
// PostgreSQL's driver caches statements by itself; this costs it nothing.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.read.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// tx runs fn in a write transaction, committed when fn returns nil and
// rolled back otherwise.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// What follows is where the engines differ, beside the connections and
// migrations above.

// writersLock is the PostgreSQL advisory lock of lockWriters.
const writersLock = 0x63657274 // "cert"

// lockWriters makes the rest of tx run alone among the writers that take
// it too, so that what it reads (states, places taken) stays true until it
// commits: admissions, enrolments, sessions and documents take it first.
// SQLite has one writer already; PostgreSQL takes a transaction advisory
// lock. Other audited writes do not: the audit trail has its own lanes
// (takeLane).
func (db *DB) lockWriters(ctx context.Context, tx *sql.Tx) error {
	if db.engine != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writersLock)
	return err
}

// snapshot returns the options of a read-only transaction that sees one
// snapshot throughout: SQLite's read transactions are snapshots already,
// PostgreSQL's need REPEATABLE READ.
func (db *DB) snapshot() *sql.TxOptions {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.engine == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return opts
}

// insertBatch is how many rows one multi-row INSERT writes. SQLite reads
// parameters in a time that grows with the square of their number: its
// batches are smaller.
func (db *DB) insertBatch() int {
	if db.engine == SQLite {
		return 40
	}
	return 500
}

// conflictOnDuplicate turns the error of an insert that a UNIQUE
// constraint refused, when two requests raced past the check before it,
// into a conflict that says so. Each engine words it its own way.
func conflictOnDuplicate(err error, msg string) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" || err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", msg)
	}
	return err
}
