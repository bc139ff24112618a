package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/certibloc/certibloc"
)

const tokenUsage = `token create --role ROLE [--school SCHOOL] [--name NAME] | token list | token revoke ID`

func token(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintf(stderr, "Usage: certibloc %s\n\nCreate prints the token alone on its last line; only its hash is stored.\n", tokenUsage)
		if len(args) == 0 {
			return errors.New("token: say create, list or revoke")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	ctx = certibloc.WithPrincipal(ctx, cliPrincipal)
	fs := newFlagSet("token "+sub, tokenUsage, stderr)
	cfg := commonFlags(fs, getenv)
	role := fs.String("role", "", "role of the token: admin, staff, evaluator, jury, referent, candidate (create)")
	school := fs.String("school", "", "code of the school the token is scoped to: required for every role but admin (create)")
	name := fs.String("name", "", "what the token is for (create)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "create":
		if *role == "" {
			return errors.New("token create: --role is required")
		}
		if *name == "" {
			*name = *role + " token of " + time.Now().Format(time.DateOnly)
		}
		secret, t, err := db.CreateToken(ctx, *name, *role, *school)
		if err != nil {
			return errors.New(errorText(err))
		}
		fmt.Fprintf(stdout, "token %d (%s, role %s) created; it is shown once, keep it safe:\n%s\n", t.ID, t.Name, t.Role, secret)
	case "list":
		list, err := db.Tokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tROLE\tSCHOOL\tCREATED\tLAST USED\tREVOKED")
		for _, t := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.School,
				t.CreatedAt.Format(time.DateTime), orNever(t.LastUsedAt), orNever(t.RevokedAt))
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("token revoke: give the ID of the token")
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("token revoke: %q is not a token ID", fs.Arg(0))
		}
		if err := db.RevokeToken(ctx, id); err != nil {
			return errors.New(errorText(err))
		}
		fmt.Fprintf(stdout, "token %d revoked\n", id)
	default:
		return fmt.Errorf("token: unknown subcommand %q (create, list or revoke)", sub)
	}
	return nil
}

// orNever writes an optional time of the token list, in UTC.
func orNever(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.DateTime)
}
