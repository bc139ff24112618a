package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

const accountUsage = `account create --email ADDRESS --role ROLE [--school CODE ...] [--person ID] [--base-url URL] | account list
       | account disable --email ADDRESS | account reset-totp --email ADDRESS`

// schoolList is a flag that may be given several times.
type schoolList []string

func (l *schoolList) String() string { return strings.Join(*l, ",") }

func (l *schoolList) Set(v string) error {
	*l = append(*l, strings.ToUpper(strings.TrimSpace(v)))
	return nil
}

// account creates, lists, disables web accounts and resets their second
// factor. create prints a link that sets the account's first password,
// good for a day: this is how the first admin of a new installation gets
// in. disable closes the account of someone who leaves; reset-totp is for
// a lost authenticator: staff set TOTP up again at their next sign-in.
// Both end every session of the account.
func account(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintf(stderr, "Usage: certibloc %s\n\nCreate prints a one-time link that sets the account's password.\n"+
			"Disable closes an account; reset-totp clears its TOTP secret, set up again at the next sign-in.\n"+
			"Both sign the account out everywhere.\n", accountUsage)
		if len(args) == 0 {
			return errors.New("account: say create, list, disable or reset-totp")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("account "+sub, accountUsage, stderr)
	cfg := commonFlags(fs, getenv)
	email := fs.String("email", "", "e-mail address the account signs in with (create, disable, reset-totp)")
	role := fs.String("role", "", "admin, staff, evaluator, jury, referent or candidate (create)")
	var schools schoolList
	fs.Var(&schools, "school", "code of a school the account works for; repeat for several; every role but admin and candidate needs one (create)")
	person := fs.Int64("person", 0, "id of the person the account belongs to; required for a candidate (create)")
	baseURL := fs.String("base-url", or(getenv("CERTIBLOC_BASE_URL"), "http://localhost:8080"),
		"address of the site, which the password link starts with (create; env CERTIBLOC_BASE_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	// The trail names the command line as the author of what it does.
	ctx = certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	switch sub {
	case "create":
		if *email == "" || *role == "" {
			return errors.New("account create: --email and --role are required")
		}
		a, err := db.CreateAccount(ctx, certibloc.Account{Email: *email, Role: certibloc.Role(*role), Schools: schools, PersonID: *person})
		if err != nil {
			return errors.New(errorText(err))
		}
		token, err := db.CreatePasswordReset(ctx, a.ID, sqldb.SetupTTL)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "account %d (%s, role %s) created. To set its password, open this link within %s; it works once:\n%s\n",
			a.ID, a.Email, a.Role, sqldb.SetupTTL, strings.TrimRight(*baseURL, "/")+"/password/reset?token="+url.QueryEscape(token))
	case "list":
		list, err := db.Accounts(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tSCHOOLS\tPERSON\tPASSWORD\tTOTP\tCREATED\tDISABLED")
		for _, a := range list {
			person, disabled := "", ""
			if a.PersonID != 0 {
				person = fmt.Sprint(a.PersonID)
			}
			if a.DisabledAt != nil {
				disabled = a.DisabledAt.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Email, a.Role, strings.Join(a.Schools, ","),
				person, yesNo(a.PasswordHash != ""), yesNo(a.TOTPEnabled), a.CreatedAt.Format(time.DateTime), disabled)
		}
		return tw.Flush()
	case "disable", "reset-totp":
		if *email == "" {
			return fmt.Errorf("account %s: --email is required", sub)
		}
		a, err := db.AccountByEmail(ctx, *email)
		if err != nil {
			return fmt.Errorf("account %s: %s: %s", sub, sqldb.NormalizeEmail(*email), errorText(err))
		}
		if sub == "disable" {
			if err := db.DisableAccount(ctx, a.ID); err != nil {
				return fmt.Errorf("account disable: %s", errorText(err))
			}
			fmt.Fprintf(stdout, "account %d (%s) disabled and signed out everywhere.\n", a.ID, a.Email)
			return nil
		}
		if err := db.ResetTOTP(ctx, a.ID); err != nil {
			return fmt.Errorf("account reset-totp: %s", errorText(err))
		}
		next := "it is set up again at the next sign-in"
		if a.Role == certibloc.Candidate {
			next = "the candidate signs in without it until they turn it on again"
		}
		fmt.Fprintf(stdout, "account %d (%s): TOTP cleared and signed out everywhere; %s.\n", a.ID, a.Email, next)
	default:
		return fmt.Errorf("account: unknown subcommand %q (create, list, disable or reset-totp)", sub)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
