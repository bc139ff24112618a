package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/api"
	"github.com/certibloc/certibloc/internal/rncp"
)

const importUsage = `import rncp FILE [--data DIR] [--database URL]
       certibloc import accrochage FILE         (a flux another tool wrote: the passages it holds)
       certibloc import accrochage-report FILE  (the Caisse des Dépôts' processing report of a file sent)`

// importCmd imports a France Compétences export (XML flux v4.1 or CSV zip):
// each fiche in its own transaction, a report of what was created, updated,
// unchanged or rejected, and a non-zero exit when anything was rejected.
// A file that stops on an error still prints what was done before it.
func importCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("import", importUsage, stderr)
	cfg := commonFlags(fs, getenv)
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "rncp":
		case "accrochage", "accrochage-report":
			return importAccrochage(ctx, args[0], args[1:], stdout, stderr, getenv)
		default:
			return fmt.Errorf("import: unknown source %q (rncp, accrochage or accrochage-report)", args[0])
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
	// One import at a time, a server's included (on PostgreSQL).
	release, ok, err := db.TryLock(ctx, rncp.ImportLock)
	if err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("import %s: %s", fs.Arg(0), errorText(rncp.ErrBusy))
	}
	defer release()
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

// importAccrochage reads a flux another tool wrote and prints its
// passages, or applies the Caisse's processing report of a file sent.
func importAccrochage(ctx context.Context, source string, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("import", importUsage, stderr)
	cfg := commonFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("import %s: give one FILE", source)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	if source == "accrochage" {
		read, err := api.ReadFlux(f)
		if err != nil {
			return fmt.Errorf("import %s: %s", fs.Arg(0), errorText(err))
		}
		fmt.Fprintf(stdout, "flux %s of %s: emitter %s, certifier %s, contract %s\n", read.IDFlux, read.Horodatage, read.Emitter, read.Client, read.Contract)
		for _, c := range read.Certifications {
			for _, p := range c.Passages {
				fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\t%s\n", c.Code, p.IDTechnique, p.Holder, p.ValidFrom, p.ModaliteAcces)
			}
		}
		fmt.Fprintf(stdout, "%d passage(s) read\n", read.Passages)
		return nil
	}
	rep, err := api.ReadReport(f)
	if err != nil {
		return fmt.Errorf("import %s: %s", fs.Arg(0), errorText(err))
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.ApplyAccrochageReport(certibloc.WithPrincipal(ctx, cliPrincipal), rep)
	if err != nil {
		return fmt.Errorf("import %s: %s", fs.Arg(0), errorText(err))
	}
	fmt.Fprintf(stdout, "file %s: %d accepted, %d rejected, %d sent again since\n", applied.IDFlux, applied.Accepted, applied.Rejected, applied.Superseded)
	return nil
}
