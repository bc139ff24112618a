package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

const usage = `certibloc runs a French professional certification built from blocs de compétences.

Usage: certibloc COMMAND [flags]

Commands:
  serve      run the web server and API (SQLite in --data by default)
  migrate    apply the database migrations; --to-postgres URL moves SQLite to PostgreSQL
  backup     save the database to a file while the server runs: certibloc backup FILE
  restore    put an SQLite backup back: certibloc restore FILE [--force]
  import     import certifications: certibloc import rncp FILE; a CDC flux or report: import accrochage[-report] FILE
  export     declare holders to the Caisse des Dépôts: certibloc export accrochage --jury ID
  token      manage API tokens: create, list, revoke
  account    manage web accounts: create (prints a password link), list
  audit      check the audit trail (verify) or print a record's history (show)
  gdpr       apply the retention policy: certibloc gdpr purge [--months N]
  keys       the keys that sign Open Badges: list, rotate, export FILE, import FILE
  documents  issue a closed jury's documents: certibloc documents generate --jury ID

Every command takes --data DIR and --database URL; run "certibloc COMMAND --help" for its flags.
`

// env reads the environment; tests pass their own.
type env func(string) string

// config is what every command needs: where the data lives.
type config struct {
	data     string
	database string
}

// commonFlags declares --data and --database on fs, with their defaults
// from the environment.
func commonFlags(fs *flag.FlagSet, getenv env) *config {
	c := &config{}
	fs.StringVar(&c.data, "data", or(getenv("CERTIBLOC_DATA"), "data"),
		"data directory: the SQLite database and uploaded files (env CERTIBLOC_DATA)")
	fs.StringVar(&c.database, "database", or(getenv("CERTIBLOC_DATABASE"), getenv("DATABASE_URL")),
		"database URL: empty for SQLite in --data, postgres://… for PostgreSQL (env CERTIBLOC_DATABASE or DATABASE_URL)")
	return c
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// run dispatches to the command named by args[0].
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, rest, stdout, stderr, getenv)
	case "migrate":
		err = migrate(ctx, rest, stdout, stderr, getenv)
	case "backup":
		err = backupCmd(ctx, rest, stdout, stderr, getenv)
	case "restore":
		err = restoreCmd(ctx, rest, stdout, stderr, getenv)
	case "import":
		err = importCmd(ctx, rest, stdout, stderr, getenv)
	case "export":
		err = exportCmd(ctx, rest, stdout, stderr, getenv)
	case "token":
		err = token(ctx, rest, stdout, stderr, getenv)
	case "account":
		err = account(ctx, rest, stdout, stderr, getenv)
	case "audit":
		err = auditCmd(ctx, rest, stdout, stderr, getenv)
	case "gdpr":
		err = gdprCmd(ctx, rest, stdout, stderr, getenv)
	case "keys":
		err = keysCmd(ctx, rest, stdout, stderr, getenv)
	case "documents":
		err = documentsCmd(ctx, rest, stdout, stderr, getenv)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// newFlagSet makes a flag set that prints its usage on --help and reports
// parse errors as errors rather than exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: certibloc %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// open connects to the configured database and brings its schema up to date.
func (c *config) open(ctx context.Context, log *slog.Logger) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, c.database, c.data)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated", "engine", db.Engine(), "versions", applied)
	}
	return db, nil
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// errorText gives the user-facing message of a domain error, and the
// whole chain of anything else.
func errorText(err error) string {
	if certibloc.ErrorCode(err) != certibloc.EINTERNAL {
		return certibloc.ErrorMessage(err)
	}
	return strings.TrimSpace(err.Error())
}
