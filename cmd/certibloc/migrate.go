package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/certibloc/certibloc/internal/backup"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("migrate", "migrate [--to-postgres URL] [--data DIR] [--database URL]", stderr)
	cfg := commonFlags(fs, getenv)
	to := fs.String("to-postgres", "", "copy the SQLite database, migrated first, into this empty PostgreSQL database (postgres://…); stop the server first")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to != "" {
		return toPostgres(ctx, cfg, *to, stdout, stderr)
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "%s database is up to date\n", db.Engine())
	return nil
}

// toPostgres moves an SQLite installation to PostgreSQL: it migrates the
// SQLite database, checks its audit chain, copies it (backup.ToPostgres)
// and checks that the chain in PostgreSQL ends at the same head.
func toPostgres(ctx context.Context, cfg *config, to string, stdout, stderr io.Writer) error {
	if isPostgres(cfg.database) {
		return errors.New("migrate --to-postgres: the source must be SQLite, --database names PostgreSQL")
	}
	if !isPostgres(to) {
		return fmt.Errorf("migrate --to-postgres %q: expected a postgres:// URL", to)
	}
	path, err := cfg.sqlitePath()
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no SQLite database to move: %w", err)
	}
	src, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	_, err = src.VerifyAudit(ctx)
	if err != nil {
		src.Close()
		return fmt.Errorf("the audit chain of %s does not verify, nothing copied: %s", path, errorText(err))
	}
	head, err := src.SealAudit(ctx) // the hash then names a seal, checkable in PostgreSQL for good
	src.Close()
	if err != nil {
		return err
	}
	copied, err := backup.ToPostgres(ctx, path, to)
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range copied.Tables {
		fmt.Fprintf(stdout, "%-24s %8d rows\n", t.Table, t.Rows)
		rows += t.Rows
	}
	dst, err := sqldb.Open(ctx, to, "")
	if err != nil {
		return err
	}
	defer dst.Close()
	got, err := dst.VerifyAudit(ctx, head.Hash)
	if err != nil {
		return fmt.Errorf("copied, but the audit chain in PostgreSQL does not verify: %s", errorText(err))
	}
	if got != head {
		return fmt.Errorf("copied, but the audit head in PostgreSQL %+v differs from SQLite's %+v", got, head)
	}
	fmt.Fprintf(stdout, "%d tables, %d rows copied from %s; audit chain verified in PostgreSQL: %d entries, last hash %s\n"+
		"serve with --database set to the PostgreSQL URL (env CERTIBLOC_DATABASE) from now on\n",
		len(copied.Tables), rows, path, got.Entries, got.Hash)
	return nil
}
