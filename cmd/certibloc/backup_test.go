package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/binarytest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// startServe runs certibloc serve and returns its address, its log, and
// a function that stops it (at the latest when the test ends) and returns
// what serve returned.
func startServe(t *testing.T, env map[string]string) (string, *binarytest.Log, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stderr := &binarytest.Log{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &bytes.Buffer{}, stderr, func(k string) string { return env[k] })
	}()
	var once sync.Once
	var result error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(30 * time.Second):
				result = errors.New("serve did not stop within 30 s")
			}
		})
		return result
	}
	t.Cleanup(func() { stop() })
	for i := 0; i < 200; i++ {
		time.Sleep(25 * time.Millisecond)
		// The address is in the "listening" line, as text or JSON.
		if _, rest, ok := strings.Cut(stderr.String(), "url="); ok {
			url, _, _ := strings.Cut(rest, " ")
			return url, stderr, stop
		}
		if _, rest, ok := strings.Cut(stderr.String(), `"url":"`); ok {
			url, _, _ := strings.Cut(rest, `"`)
			return url, stderr, stop
		}
	}
	t.Fatalf("serve did not start:\n%s", stderr.String())
	return "", nil, nil
}

// TestBackupAndRestoreCommands: backup runs while the server serves;
// restore refuses the database the server has open, and once the server
// is stopped puts the backup back (a token made after the backup is gone)
// and verifies the audit chain.
func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CERTIBLOC_DATA": dir, "CERTIBLOC_ADDR": "127.0.0.1:0"}
	if _, _, err := cli(t, env, "token", "create", "--role", "admin", "--name", "before"); err != nil {
		t.Fatal(err)
	}
	url, _, stop := startServe(t, env)
	file := filepath.Join(t.TempDir(), "saved.db")
	out, _, err := cli(t, env, "backup", file)
	if err != nil || !strings.Contains(out, "saved to "+file) || !strings.Contains(out, "audit chain of") {
		t.Fatalf("backup while serving: %v\n%s", err, out)
	}
	if _, _, err := cli(t, env, "token", "create", "--role", "admin", "--name", "after"); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(url + "/readyz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/readyz while serving: %v %v", resp, err)
	}
	if _, _, err := cli(t, env, "restore", file); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore under a running server: %v, want a refusal naming --force", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	out, _, err = cli(t, env, "restore", file)
	if err != nil || !strings.Contains(out, "audit chain verified") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	out, _, _ = cli(t, env, "token", "list")
	if !strings.Contains(out, "before") || strings.Contains(out, "after") {
		t.Errorf("tokens after the restore:\n%s", out)
	}
	for _, args := range [][]string{{"backup"}, {"restore"}, {"restore", filepath.Join(dir, "missing.db")}, {"backup", file}} {
		if _, _, err := cli(t, env, args...); err == nil {
			t.Errorf("certibloc %s succeeded", strings.Join(args, " "))
		}
	}
	if _, _, err := cli(t, map[string]string{"CERTIBLOC_DATA": t.TempDir()}, "backup", filepath.Join(t.TempDir(), "x.db")); err == nil {
		t.Error("a backup of no database succeeded")
	}
	if _, _, err := cli(t, map[string]string{"CERTIBLOC_DATABASE": "postgres://nobody@127.0.0.1:1/x"}, "restore", file); err == nil ||
		!strings.Contains(err.Error(), "pg_restore") {
		t.Errorf("restore on PostgreSQL: %v, want the pg_restore route", err)
	}
}

// TestMigrateToPostgresCommand: migrate --to-postgres moves an SQLite
// installation; the commands then work on PostgreSQL with its data.
func TestMigrateToPostgresCommand(t *testing.T) {
	pgURL := sqldbtest.PostgresSchema(t)
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	if _, _, err := cli(t, env, "token", "create", "--role", "admin", "--name", "moved"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, env, "account", "create", "--email", "admin@example.org", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli(t, env, "migrate", "--to-postgres", pgURL)
	if err != nil || !strings.Contains(out, "audit chain verified in PostgreSQL") || !strings.Contains(out, "api_tokens") {
		t.Fatalf("migrate --to-postgres: %v\n%s", err, out)
	}
	pgEnv := map[string]string{"CERTIBLOC_DATABASE": pgURL}
	if out, _, err := cli(t, pgEnv, "token", "list"); err != nil || !strings.Contains(out, "moved") {
		t.Errorf("token list on PostgreSQL: %v\n%s", err, out)
	}
	if out, _, err := cli(t, pgEnv, "audit", "verify"); err != nil {
		t.Errorf("audit verify on PostgreSQL: %v\n%s", err, out)
	}
	if _, _, err := cli(t, env, "migrate", "--to-postgres", pgURL); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second move: %v", err)
	}
	if _, _, err := cli(t, pgEnv, "migrate", "--to-postgres", pgURL); err == nil {
		t.Error("a move from PostgreSQL succeeded")
	}
	if _, err := os.Stat(filepath.Join(env["CERTIBLOC_DATA"], "certibloc.db")); err != nil {
		t.Errorf("the SQLite database is gone after the move: %v", err)
	}
}
