package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

const gdprUsage = `gdpr purge [--months N] [--dry-run]`

// gdprCmd applies the retention policy: it erases the people whose record
// led nowhere (no account activity, no certification record) and that were
// not touched for --months (env CERTIBLOC_RETENTION_MONTHS, 24 by default).
// Run it from cron, say once a month; --dry-run lists who would go.
func gdprCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintf(stderr, "Usage: certibloc %s\n\n"+
			"purge erases, keeping only their id and school, the people whose record led nowhere: not\n"+
			"changed and without account activity for the retention period, not staff, with no\n"+
			"certification record. Each erasure is recorded in the audit trail.\n", gdprUsage)
		if len(args) == 0 {
			return errors.New("gdpr: say purge")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	if sub != "purge" {
		return fmt.Errorf("gdpr: unknown subcommand %q (purge)", sub)
	}
	fs := newFlagSet("gdpr purge", gdprUsage, stderr)
	cfg := commonFlags(fs, getenv)
	months := fs.Int("months", 0, "retention period in months (env CERTIBLOC_RETENTION_MONTHS, default 24)")
	dryRun := fs.Bool("dry-run", false, "list who would be erased, erase nobody")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *months == 0 {
		n, err := sqldb.RetentionMonths(getenv)
		if err != nil {
			return err
		}
		*months = n
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	// The audit trail names the command line as the author.
	ctx = certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	res, err := db.PurgeRetention(ctx, *months, *dryRun)
	if err != nil {
		return errors.New(errorText(err))
	}
	verb := "erased"
	if res.DryRun {
		verb = "would erase"
	}
	fmt.Fprintf(stdout, "retention of %d months (untouched since %s): %s %d people\n",
		res.Months, res.Before.Format("2006-01-02"), verb, res.Erased)
	for _, id := range res.IDs {
		fmt.Fprintf(stdout, "person %d\n", id)
	}
	fmt.Fprintf(stdout, "e-mails sent or given up more than %d days ago: %s %d\n", sqldb.OutboxKeepDays, verb, res.Mails)
	return nil
}
