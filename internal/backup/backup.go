// Package backup saves and restores certibloc's database, and moves an
// SQLite installation to PostgreSQL.
//
//   - SQLite: the backup is sqldb.DB.BackupTo (VACUUM INTO, online and
//     consistent while the server runs); RestoreSQLite checks a backup
//     (integrity, migration version) and copies it into the database with
//     SQLite's backup API, refusing a database another process has open
//     unless forced.
//   - PostgreSQL: PGDump runs pg_dump (custom format, for pg_restore);
//     point-in-time recovery is PostgreSQL's own (base backups and WAL
//     archiving), described in README.md.
//   - ToPostgres copies every table of an SQLite database into an empty
//     PostgreSQL one, in one transaction (topostgres.go).
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"modernc.org/sqlite"

	"github.com/certibloc/certibloc/internal/sqldb"
)

// Check is what CheckSQLite found in a backup.
type Check struct {
	Versions []int // migrations applied, in order
	Missing  []int // migrations of this build the backup lacks: applied at the next start
	// The head of the audit chain as the backup holds it (0 and "" before
	// migration 5): keep the hash to check the restored chain against.
	AuditEntries int64
	AuditHash    string
}

// Latest is the last migration applied, 0 for none.
func (c Check) Latest() int {
	if len(c.Versions) == 0 {
		return 0
	}
	return c.Versions[len(c.Versions)-1]
}

// CheckSQLite opens the SQLite file path read-only and checks that it is
// sound (PRAGMA integrity_check), that it is a certibloc database, and
// that this build knows every migration it holds: a backup made by a newer
// certibloc is refused, an older one is fine (its missing migrations are
// applied when the server next starts).
func CheckSQLite(ctx context.Context, path string) (Check, error) {
	var c Check
	if _, err := os.Stat(path); err != nil {
		return c, fmt.Errorf("backup file: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return c, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return c, fmt.Errorf("%s is not a readable SQLite database: %w", path, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return c, err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("%s is not a readable SQLite database: %w", path, err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], "…")
		}
		return c, fmt.Errorf("%s is damaged (integrity_check): %s", path, strings.Join(problems, "; "))
	}
	vrows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return c, fmt.Errorf("%s is not a certibloc database (no schema_migrations): %w", path, err)
	}
	defer vrows.Close()
	for vrows.Next() {
		var v int
		if err := vrows.Scan(&v); err != nil {
			return c, err
		}
		c.Versions = append(c.Versions, v)
	}
	if err := vrows.Err(); err != nil {
		return c, err
	}
	if len(c.Versions) == 0 {
		return c, fmt.Errorf("%s is not a certibloc database (no migration applied)", path)
	}
	known, err := sqldb.Migrations(sqldb.SQLite)
	if err != nil {
		return c, err
	}
	has := map[int]bool{}
	for _, v := range known {
		has[v] = true
	}
	for _, v := range c.Versions {
		if !has[v] {
			return c, fmt.Errorf("%s holds migration %d, which this certibloc does not know (it knows up to %d): restore it with the version that made it",
				path, v, known[len(known)-1])
		}
		delete(has, v)
	}
	for _, v := range known {
		if has[v] {
			c.Missing = append(c.Missing, v)
		}
	}
	// The trail's head: its lanes and seals since migration 0018, its one
	// chain's head before (then the hash of its last entry).
	head, err := sqldb.ReadAuditHead(ctx, db)
	if err != nil && strings.Contains(err.Error(), "no such table") {
		err = db.QueryRowContext(ctx, `SELECT entries, hash FROM audit_head WHERE id = 1`).Scan(&head.Entries, &head.Hash)
	}
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		return c, fmt.Errorf("%s: audit head: %w", path, err)
	}
	c.AuditEntries, c.AuditHash = head.Entries, head.Hash
	return c, nil
}

// ErrInUse is the error of RestoreSQLite when another process has the
// database open.
var ErrInUse = errors.New("the database is open in another process (a running certibloc serve?): stop it first, or force")

// RestoreSQLite checks the backup src (CheckSQLite), then copies it over
// the SQLite database dst, made if absent, with SQLite's backup API: the
// copy replaces the whole content in one transaction, and the write-ahead
// log of dst is handled by SQLite, not by file renames. Unless force, it
// first makes sure that no other process has dst open — leaving WAL mode
// needs sole use of the database — and fails with ErrInUse otherwise.
// Forced while a server runs, the server sees the restored content at its
// next transaction, but its caches (tokens, compiled rules) may hold the
// old one for a while: restart it.
func RestoreSQLite(ctx context.Context, src, dst string, force bool) (Check, error) {
	c, err := CheckSQLite(ctx, src)
	if err != nil {
		return c, err
	}
	abs, err := filepath.Abs(src)
	if err != nil {
		return c, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return c, err
	}
	db, err := sql.Open("sqlite", "file:"+dst+"?_pragma=busy_timeout(0)")
	if err != nil {
		return c, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return c, fmt.Errorf("open %s: %w", dst, err)
	}
	defer conn.Close()
	var mode string
	if !force {
		if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode); err != nil {
			if strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "locked") {
				return c, ErrInUse
			}
			return c, fmt.Errorf("open %s: %w", dst, err)
		}
		if mode != "delete" {
			return c, ErrInUse
		}
	} else if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 10000`); err != nil {
		return c, err
	}
	err = conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return fmt.Errorf("the SQLite driver has no backup API (%T)", dc)
		}
		b, err := r.NewRestore("file:" + abs + "?mode=ro")
		if err != nil {
			return err
		}
		if _, err := b.Step(-1); err != nil {
			b.Finish()
			return err
		}
		return b.Finish()
	})
	if err != nil {
		return c, fmt.Errorf("restore %s into %s: %w", src, dst, err)
	}
	if !force {
		// certibloc opens its database in WAL mode anyway; set it now so
		// that the file is as the server left it.
		if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode); err != nil {
			return c, err
		}
	}
	var ok string
	if err := conn.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&ok); err != nil || ok != "ok" {
		return c, fmt.Errorf("restored database %s fails its check: %q %v", dst, ok, err)
	}
	return c, nil
}

// libpqParams are the URL parameters pg_dump understands; pgx passes any
// other (search_path…) to the server as a setting, libpq refuses them.
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "passfile": true,
	"channel_binding": true, "connect_timeout": true, "client_encoding": true, "options": true,
	"application_name": true, "fallback_application_name": true, "keepalives": true,
	"keepalives_idle": true, "keepalives_interval": true, "keepalives_count": true,
	"tcp_user_timeout": true, "sslmode": true, "sslcompression": true, "sslcert": true, "sslkey": true,
	"sslpassword": true, "sslcertmode": true, "sslrootcert": true, "sslcrl": true, "sslcrldir": true,
	"sslsni": true, "requirepeer": true, "ssl_min_protocol_version": true, "ssl_max_protocol_version": true,
	"krbsrvname": true, "gsslib": true, "gssdelegation": true, "gssencmode": true, "service": true,
	"target_session_attrs": true, "load_balance_hosts": true,
}

// pgDumpArgs turns certibloc's database URL into pg_dump's connection: the
// password goes to the environment (PGPASSWORD), not the command line that
// ps shows; a search_path of one schema becomes --schema; other settings
// libpq does not know are dropped and named.
func pgDumpArgs(dbURL string) (conn string, env []string, extra []string, dropped []string, err error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", nil, nil, nil, fmt.Errorf("database URL: %w", err)
	}
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	for k, vs := range q {
		switch {
		case libpqParams[k]:
		case k == "search_path" && len(vs) == 1 && !strings.Contains(vs[0], ","):
			extra = append(extra, "--schema="+vs[0])
			q.Del(k)
		default:
			dropped = append(dropped, k)
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), env, extra, dropped, nil
}

// PGDump saves the PostgreSQL database of dbURL to file with pg_dump, in
// its custom format (compressed; pg_restore reads it). pg_dump must be on
// the PATH, of the server's major version or newer. It writes to a
// temporary file of mode 0600 beside file, renamed when pg_dump succeeds;
// file must not exist.
func PGDump(ctx context.Context, dbURL, file string, stderr io.Writer) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return errors.New("pg_dump is not installed: install PostgreSQL's client tools (Debian: postgresql-client), or back up as README.md says (pg_dump or base backups with WAL archiving)")
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s exists already: choose a new file", file)
	}
	conn, env, extra, dropped, err := pgDumpArgs(dbURL)
	if err != nil {
		return err
	}
	if len(dropped) > 0 {
		fmt.Fprintf(stderr, "pg_dump: settings of the URL left out: %s\n", strings.Join(dropped, ", "))
	}
	tmp := file + ".part"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	args := append([]string{"--format=custom", "--no-owner", "--no-privileges", "--file=" + tmp, "--dbname=" + conn}, extra...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = stderr
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("pg_dump: %w", err)
	}
	return os.Rename(tmp, file)
}

// PGRestoreHint is the route to restore a pg_dump file, which certibloc
// leaves to pg_restore.
func PGRestoreHint(file string) string {
	return "PostgreSQL is restored with its own tool, into an empty database:\n" +
		"  createdb certibloc_restored\n" +
		"  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname=postgres://USER@HOST/certibloc_restored " +
		strconv.Quote(file) + "\n" +
		"then point --database at it and run certibloc audit verify. See README.md, Operations."
}
