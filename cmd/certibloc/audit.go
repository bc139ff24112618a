package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/certibloc/certibloc"
)

const auditUsage = `audit verify [--expect HASH]... | audit show ENTITY ID`

// auditCmd checks the audit trail's chain, or prints the history of one
// record.
//
// verify prints the number of entries and the hash of the last one. That
// hash stands for the whole trail: an operator who keeps it outside the
// database (in the operations log, a ticket, an e-mail) and passes it back
// with --expect later detects even a rewrite of the trail by someone who
// could also rewrite the head row that the database keeps.
func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintf(stderr, "Usage: certibloc %s\n\n"+
			"verify walks the hash chain of the audit trail and checks it against its head; it fails,\n"+
			"naming the first bad entry, when an entry was edited or deleted. Keep the hash it prints\n"+
			"and pass it back with --expect: the trail must still contain it.\n"+
			"show prints the history of one record, e.g. certibloc audit show person 12.\n", auditUsage)
		if len(args) == 0 {
			return errors.New("audit: say verify or show")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("audit "+sub, auditUsage, stderr)
	cfg := commonFlags(fs, getenv)
	var expect hashList
	fs.Var(&expect, "expect", "a hash printed by an earlier verify, which the trail must still contain (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if sub != "verify" && sub != "show" {
		return fmt.Errorf("audit: unknown subcommand %q (verify or show)", sub)
	}
	if sub == "show" && fs.NArg() != 2 {
		return errors.New("audit show: give the entity and the id of a record, e.g. person 12")
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "verify" {
		if _, err := db.VerifyAudit(ctx, expect...); err != nil {
			return errors.New(errorText(err))
		}
		// Sealed, the hash printed stays checkable after later writes.
		head, err := db.SealAudit(ctx)
		if err != nil {
			return err
		}
		entries := "entries"
		if head.Entries == 1 {
			entries = "entry"
		}
		fmt.Fprintf(stdout, "audit trail intact: %d %s\nlast entry %d, hash %s\n", head.Entries, entries, head.LastID, head.Hash)
		return nil
	}
	t, err := db.RecordTrail(ctx, fs.Arg(0), fs.Arg(1))
	if err != nil {
		return errors.New(errorText(err))
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENTRY\tAT (UTC)\tACTOR\tACTION\tSCHOOL\tDATA")
	for _, e := range t.Entries {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.Format("2006-01-02 15:04:05"), e.Actor, e.Action,
			e.School, e.Data)
	}
	return tw.Flush()
}

// hashList is a repeatable --expect flag.
type hashList []string

func (h *hashList) String() string { return fmt.Sprint([]string(*h)) }

func (h *hashList) Set(s string) error {
	if _, err := hex.DecodeString(s); err != nil || len(s) != 64 {
		return fmt.Errorf("%q is not an audit hash (64 hexadecimal digits)", s)
	}
	*h = append(*h, s)
	return nil
}

// cliPrincipal is who acts through the command line, in the audit trail:
// whoever runs it can read and write the database, as the admin can.
var cliPrincipal = &certibloc.Principal{Role: certibloc.Admin, Label: "cli"}
