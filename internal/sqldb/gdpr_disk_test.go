package sqldb_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
)

// TestEraseLeavesNothingOnDisk reads the raw bytes of the SQLite file and
// of its write-ahead log, as a backup would copy them, after a person is
// erased: none of their values may be left, not in a free page, not in
// an old page of the log. The person has a value in every table about
// people: record, disability record, accounts, sessions, sign-in failures
// keyed by their address, applications with documents and decisions
// (the commission's names, a refusal's reason), their notices in the
// outbox, and the export of a campaign they applied to, kept with its job
// (job_files: their name, e-mail address and phone).
func TestEraseLeavesNothingOnDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "erase.db")
	db, err := sqldb.Open(t.Context(), "sqlite:"+path, "")
	must(t, err)
	defer db.Close()
	_, err = db.Migrate(t.Context())
	must(t, err)
	s := seedEverything(t, db)
	needles := append(s.needles, "Bonjour Zéphyrine", "zephyrine.quatremare") // the decision notices
	raw := func() []byte {
		var all []byte
		for _, f := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return bytes.ToLower(all)
	}
	// The scan sees what is there: before erasure, and the witness after.
	// The TOTP secret alone is never on disk in clear: it is encrypted at rest.
	var plain []string
	for _, n := range needles {
		if n != s.totpSecret {
			plain = append(plain, n)
		}
	}
	if found := onDisk(raw(), plain); len(found) != len(plain) {
		t.Fatalf("before erasure, only %q of %q found on disk", found, plain)
	}
	if found := onDisk(raw(), []string{s.totpSecret}); len(found) > 0 {
		t.Fatalf("the TOTP secret is on disk in clear before erasure")
	}
	must(t, db.ErasePerson(t.Context(), s.person.ID, "request"))
	// The documents issued keep the name and birth date they print: the
	// proof of certification. Nothing else of the person stays.
	var gone []string
	for _, n := range needles {
		if !slices.Contains(s.printed, n) {
			gone = append(gone, n)
		}
	}
	needles = gone
	if found := onDisk(raw(), needles); len(found) > 0 {
		t.Errorf("after erasure, the database files still hold %q", found)
	}
	if found := onDisk(raw(), s.printed); len(found) != len(s.printed) {
		t.Errorf("after erasure, only %q of the printed %q are kept", found, s.printed)
	}
	if found := onDisk(raw(), []string{"zq.1991@diiage.example", "Témoin"}); len(found) != 2 {
		t.Errorf("the witness is not found on disk (%q): the scan sees nothing", found)
	}
	must(t, db.Close())
	if found := onDisk(raw(), needles); len(found) > 0 {
		t.Errorf("after erasure and close, the database file still holds %q", found)
	}
}

// onDisk returns the needles found in raw (in lower case), as they are
// or without their accents.
func onDisk(raw []byte, needles []string) []string {
	var found []string
	for _, n := range needles {
		if bytes.Contains(raw, []byte(strings.ToLower(n))) || bytes.Contains(raw, []byte(foldForTest(n))) {
			found = append(found, n)
		}
	}
	return found
}
