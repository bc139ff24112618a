package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/certibloc/certibloc/internal/backup"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// isPostgres tells a PostgreSQL URL from SQLite's.
func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// sqlitePath is the file of the SQLite database the config names, as
// sqldb.Open finds it.
func (c *config) sqlitePath() (string, error) {
	switch {
	case c.database == "":
		return filepath.Join(or(c.data, "."), "certibloc.db"), nil
	case strings.HasPrefix(c.database, "sqlite:"):
		return strings.TrimPrefix(c.database, "sqlite:"), nil
	case strings.HasSuffix(c.database, ".db") || strings.HasSuffix(c.database, ".sqlite"):
		return c.database, nil
	}
	return "", fmt.Errorf("database %q: expected postgres://…, sqlite:PATH or a .db file", c.database)
}

// backupCmd saves the database to a new file while the server may run.
func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("backup", "backup FILE [--data DIR] [--database URL]", stderr)
	cfg := commonFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("backup: give the file to write, e.g. certibloc backup certibloc-2026-12-03.db")
	}
	file := fs.Arg(0)
	if isPostgres(cfg.database) {
		if err := backup.PGDump(ctx, cfg.database, file, stderr); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "PostgreSQL database saved to %s by pg_dump (custom format; pg_restore brings it back: see README, Operations)\n", file)
		return nil
	}
	path, err := cfg.sqlitePath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	// Not migrated: the server that runs may be of another version.
	db, err := sqldb.Open(ctx, cfg.database, cfg.data)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.BackupTo(ctx, file); err != nil {
		return err
	}
	c, err := backup.CheckSQLite(ctx, file)
	if err != nil {
		return fmt.Errorf("the backup written fails its check: %w", err)
	}
	fi, _ := os.Stat(file)
	fmt.Fprintf(stdout, "SQLite database %s saved to %s (%d KB, migration %d, audit chain of %d entries, last hash %s)\n",
		path, file, fi.Size()>>10, c.Latest(), c.AuditEntries, c.AuditHash)
	return nil
}

// restoreCmd puts a backup of the SQLite database back.
func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("restore", "restore FILE [--force] [--data DIR] [--database URL]", stderr)
	cfg := commonFlags(fs, getenv)
	force := fs.Bool("force", false, "restore even when another process (a running server) has the database open; restart it afterwards")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("restore: give the backup file, e.g. certibloc restore certibloc-2026-12-03.db")
	}
	file := fs.Arg(0)
	if isPostgres(cfg.database) {
		return errors.New("restore: " + backup.PGRestoreHint(file))
	}
	path, err := cfg.sqlitePath()
	if err != nil {
		return err
	}
	c, err := backup.RestoreSQLite(ctx, file, path, *force)
	if errors.Is(err, backup.ErrInUse) {
		return fmt.Errorf("restore into %s: %w (--force)", path, err)
	}
	if err != nil {
		return err
	}
	db, err := cfg.open(ctx, logger(stderr)) // applies what the backup lacks
	if err != nil {
		return err
	}
	defer db.Close()
	head, err := db.VerifyAudit(ctx, c.AuditHash)
	if err != nil {
		return fmt.Errorf("restored %s into %s, but its audit chain does not verify: %s", file, path, errorText(err))
	}
	fmt.Fprintf(stdout, "%s restored into %s (migration %d", file, path, c.Latest())
	if len(c.Missing) > 0 {
		fmt.Fprintf(stdout, ", then migrations %v applied", c.Missing)
	}
	fmt.Fprintf(stdout, "); audit chain verified: %d entries, last hash %s\n", head.Entries, head.Hash)
	return nil
}
