package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/sqldb"
)

const keysUsage = `keys list | rotate | export FILE | import FILE`

// keysCmd manages the Ed25519 keys that sign the Open Badges credentials
// (certibloc's did:web). They are kept in the database sealed with the
// secret key (secret.key or CERTIBLOC_SECRET_KEY), which this command
// reads as serve does. export writes every key pair, secrets in clear, to
// a new file readable by its owner only (mode 0600), for a backup kept
// apart; import adds those of such a file that are missing.
func keysCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fmt.Fprintf(stderr, "Usage: certibloc %s\n\n"+
			"list    the public keys of the did:web, the signing one last\n"+
			"rotate  make a new signing key; the old ones stay published, so what they signed still verifies\n"+
			"export  write every key pair, secrets in clear, to a new file of mode 0600: keep it apart\n"+
			"import  add the key pairs of an exported file that are not there yet\n", keysUsage)
		if len(args) == 0 {
			return errors.New("keys: say list, rotate, export or import")
		}
		return nil
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("keys "+sub, keysUsage, stderr)
	cfg := commonFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	file := fs.Arg(0)
	switch sub {
	case "list", "rotate":
	case "export", "import":
		if file == "" || fs.NArg() != 1 {
			return fmt.Errorf("keys %s: give one FILE", sub)
		}
	default:
		return fmt.Errorf("keys: unknown subcommand %q (list, rotate, export, import)", sub)
	}
	db, err := cfg.open(ctx, logger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	key, _, err := secret.LoadKey(cfg.data, getenv)
	if err != nil {
		return err
	}
	if _, err := db.SetSecretKey(ctx, key); err != nil {
		return err
	}
	ctx = certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	switch sub {
	case "list":
		keys, err := db.CredentialKeys(ctx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			state := "signing"
			if k.RetiredAt != nil {
				state = "retired " + k.RetiredAt.Format("2006-01-02")
			}
			fmt.Fprintf(stdout, "%s\tcreated %s\t%s\n", k.PublicKey, k.CreatedAt.Format("2006-01-02"), state)
		}
	case "rotate":
		k, err := db.RotateCredentialKey(ctx)
		if err != nil {
			return errors.New(errorText(err))
		}
		fmt.Fprintf(stdout, "new signing key %s\n", k.PublicKey)
	case "export":
		keys, err := db.ExportCredentialKeys(ctx)
		if err != nil {
			return err
		}
		b, _ := json.MarshalIndent(keys, "", "  ")
		f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("keys export: %w (the file must not exist)", err)
		}
		if _, err := f.Write(append(b, '\n')); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d key pairs written to %s (mode 0600): keep it apart from the database\n", len(keys), file)
	case "import":
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var keys []sqldb.ExportedKey
		if err := json.Unmarshal(b, &keys); err != nil {
			return fmt.Errorf("keys import: %s is not an export of keys: %v", file, err)
		}
		n, err := db.ImportCredentialKeys(ctx, keys)
		if err != nil {
			return errors.New(errorText(err))
		}
		fmt.Fprintf(stdout, "%d key pairs added, %d there already\n", n, len(keys)-n)
	}
	return nil
}
