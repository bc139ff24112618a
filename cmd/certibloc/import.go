package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/certibloc/certibloc/internal/rncp"
)

const importUsage = "import rncp FILE [--data DIR] [--database URL]"

// importCmd imports a France Compétences export (XML flux v4.1 or CSV zip):
// each fiche in its own transaction, a report of what was created, updated,
// unchanged or rejected, and a non-zero exit when anything was rejected.
// A file that stops on an error still prints what was done before it.
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("import", importUsage, stderr)
	cfg := commonFlags(fs, getenv)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if args[0] != "rncp" {
			return fmt.Errorf("import: unknown source %q (only rncp)", args[0])
		}
		args = args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import rncp: give one FILE (an RNCP XML export or CSV zip)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	log := logger(stderr)
	db, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	report, err := rncp.Import(ctx, f, db.SaveCertification)
	if report != nil {
		report.Print(stdout)
	}
	if err != nil && report != nil && len(report.Created)+len(report.Updated) > 0 {
		return fmt.Errorf("import %s: %s; the %d fiche(s) created or updated above, before the error, stay saved",
			fs.Arg(0), errorText(err), len(report.Created)+len(report.Updated))
	}
	if err != nil {
		return fmt.Errorf("import %s: %s", fs.Arg(0), errorText(err))
	}
	if n := len(report.Rejected); n > 0 {
		return fmt.Errorf("import %s: %d fiche(s) rejected", fs.Arg(0), n)
	}
	return nil
}
