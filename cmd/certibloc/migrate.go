package main

import (
	"context"
	"fmt"
	"io"
)

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("migrate", "migrate [--data DIR] [--database URL]", stderr)
	cfg := commonFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "%s database is up to date\n", db.Engine())
	return nil
}
