package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/binarytest"
)

// cli runs certibloc with args against its own data directory and
// environment, and returns stdout, stderr and the error.
func cli(t *testing.T, environ map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), args, &stdout, &stderr, func(k string) string { return environ[k] })
	return stdout.String(), stderr.String(), err
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range [][]string{{"serve"}, {"migrate"}, {"backup"}, {"restore"}, {"import"}, {"token"}, {"token", "create"}} {
		_, stderr, err := cli(t, nil, append(cmd, "--help")...)
		if err != nil || !strings.Contains(stderr, "Usage: certibloc") {
			t.Errorf("certibloc %s --help: err %v, output %q", strings.Join(cmd, " "), err, stderr)
		}
	}
	if _, _, err := cli(t, nil, "frobnicate"); err == nil {
		t.Error("an unknown command succeeded")
	}
}

func TestTokenLifecycle(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	out, _, err := cli(t, env, "token", "create", "--role", "admin")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	secret := lines[len(lines)-1]
	if !strings.HasPrefix(secret, "cb_") || strings.Contains(secret, " ") {
		t.Fatalf("last line %q is not the token alone", secret)
	}
	db, err := os.ReadFile(filepath.Join(env["CERTIBLOC_DATA"], "certibloc.db"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(db, []byte(secret)) {
		t.Error("the token itself is stored in the database")
	}
	out, _, err = cli(t, env, "token", "list")
	if err != nil || !strings.Contains(out, "admin") {
		t.Fatalf("token list: %v\n%s", err, out)
	}
	if _, _, err := cli(t, env, "token", "revoke", "1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, env, "token", "revoke", "1"); err == nil || !strings.Contains(err.Error(), "no live token") {
		t.Errorf("revoking twice: %v", err)
	}
	if _, _, err := cli(t, env, "token", "create", "--role", "root"); err == nil || !strings.Contains(err.Error(), `role "root"`) {
		t.Errorf("unknown role: %v", err)
	}
}

func TestImportCommand(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	fixture := filepath.Join("..", "..", "internal", "rncp", "testdata", "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
	out, _, err := cli(t, env, "import", "rncp", fixture)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "created  RNCP34762") || !strings.Contains(out, "10 created") {
		t.Errorf("report:\n%s", out)
	}
	out, _, err = cli(t, env, "import", "rncp", fixture)
	if err != nil || !strings.Contains(out, "10 unchanged") {
		t.Errorf("second import: %v\n%s", err, out)
	}

	bad := filepath.Join(t.TempDir(), "bad.xml")
	os.WriteFile(bad, []byte("<FICHES><FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE>"), 0o600)
	if _, _, err := cli(t, env, "import", "rncp", bad); err == nil {
		t.Error("a truncated export was accepted")
	}
	if _, _, err := cli(t, env, "import", "rncp", filepath.Join(t.TempDir(), "missing.xml")); err == nil {
		t.Error("a missing file was accepted")
	}
	if _, _, err := cli(t, env, "import", "rncp"); err == nil {
		t.Error("import without a file succeeded")
	}
}

func TestServeComesUpAndStops(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir(), "CERTIBLOC_ADDR": "127.0.0.1:0"}
	ctx, cancel := context.WithCancel(t.Context())
	var stderr binarytest.Log
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &bytes.Buffer{}, &stderr, func(k string) string { return env[k] })
	}()
	// The address is in the "listening" log line.
	var url string
	for i := 0; i < 100 && url == ""; i++ {
		time.Sleep(50 * time.Millisecond)
		if _, rest, ok := strings.Cut(stderr.String(), "url="); ok {
			url, _, _ = strings.Cut(rest, " ")
		}
	}
	if url == "" {
		t.Fatalf("serve did not start:\n%s", stderr.String())
	}
	resp, err := http.Get(url + "/api/v1/certifications/RNCP38478")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET RNCP38478: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
}
