package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func TestGDPRPurgeCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CERTIBLOC_DATA": dir}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, name := range []string{"Ancien", "Récent"} {
		p := &certibloc.Person{School: "DIIAGE", BirthName: name, FirstNames: "Test"}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	db.Close()
	// The first person was last touched three years ago.
	raw, err := sql.Open("sqlite", filepath.Join(dir, "certibloc.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE people SET updated_at = $1 WHERE id = $2`, time.Now().UTC().AddDate(-3, 0, 0), ids[0]); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	out, _, err := cli(t, env, "gdpr", "purge", "--dry-run")
	if err != nil || !strings.Contains(out, "would erase 1 people") || !strings.Contains(out, "retention of 24 months") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	env["CERTIBLOC_RETENTION_MONTHS"] = "48"
	if out, _, err := cli(t, env, "gdpr", "purge"); err != nil || !strings.Contains(out, "erased 0 people") {
		t.Errorf("48 months from the environment: %v\n%s", err, out)
	}
	out, _, err = cli(t, env, "gdpr", "purge", "--months", "24")
	if err != nil || !strings.Contains(out, "erased 1 people") || !strings.Contains(out, "person 1\n") {
		t.Fatalf("purge: %v\n%s", err, out)
	}
	if out, _, err := cli(t, env, "audit", "show", "person", "1"); err != nil || !strings.Contains(out, "person.erase") || !strings.Contains(out, "cli") {
		t.Errorf("the erasure is not in the trail as done by the command line: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"gdpr", "purge", "--months", "-1"}, {"gdpr", "forget"}, {"gdpr"}} {
		if _, _, err := cli(t, env, args...); err == nil {
			t.Errorf("certibloc %s succeeded", strings.Join(args, " "))
		}
	}
	env["CERTIBLOC_RETENTION_MONTHS"] = "soon"
	if _, _, err := cli(t, env, "gdpr", "purge"); err == nil || !strings.Contains(err.Error(), "CERTIBLOC_RETENTION_MONTHS") {
		t.Errorf("a bad environment: %v", err)
	}
	if _, stderr, err := cli(t, env, "gdpr", "--help"); err != nil || !strings.Contains(stderr, "Usage: certibloc gdpr") {
		t.Errorf("help: %v %s", err, stderr)
	}
}
