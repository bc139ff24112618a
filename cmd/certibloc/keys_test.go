package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeysBackup: rotate, export to a file only its owner reads, import
// into another installation (with its own secret key): the same keys;
// the secrets are never in the database in clear.
func TestKeysBackup(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	for range 2 {
		if _, _, err := cli(t, env, "keys", "rotate"); err != nil {
			t.Fatal(err)
		}
	}
	list, _, err := cli(t, env, "keys", "list")
	if err != nil || strings.Count(list, "\n") != 2 || !strings.Contains(list, "retired") || !strings.HasSuffix(strings.TrimSpace(list), "signing") {
		t.Fatalf("keys list: %v\n%s", err, list)
	}
	file := filepath.Join(t.TempDir(), "keys.json")
	if _, _, err := cli(t, env, "keys", "export", file); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the export's mode: %v (%v)", st.Mode(), err)
	}
	exported, _ := os.ReadFile(file)
	db, _ := os.ReadFile(filepath.Join(env["CERTIBLOC_DATA"], "certibloc.db"))
	i := bytes.Index(exported, []byte(`"secretKeyMultibase": "`))
	secret := exported[i+len(`"secretKeyMultibase": "`):]
	secret = secret[:bytes.IndexByte(secret, '"')]
	if len(secret) < 40 || bytes.Contains(db, secret) {
		t.Fatalf("the secret key %q is in the database in clear", secret)
	}
	if _, _, err := cli(t, env, "keys", "export", file); err == nil {
		t.Error("export overwrote an existing file")
	}

	other := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	out, _, err := cli(t, other, "keys", "import", file)
	if err != nil || !strings.Contains(out, "2 key pairs added") {
		t.Fatalf("keys import: %v %s", err, out)
	}
	if got, _, _ := cli(t, other, "keys", "list"); got != list {
		t.Errorf("imported keys:\n%s\nwant\n%s", got, list)
	}
	if out, _, err := cli(t, other, "keys", "import", file); err != nil || !strings.Contains(out, "0 key pairs added, 2 there already") {
		t.Errorf("imported again: %v %s", err, out)
	}
	if _, stderr, err := cli(t, env, "keys", "--help"); err != nil || !strings.Contains(stderr, "Usage: certibloc keys") {
		t.Errorf("keys --help: %v %q", err, stderr)
	}
}
