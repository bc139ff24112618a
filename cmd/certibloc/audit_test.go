package main

import (
	"database/sql"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// cliDatabase gives the CLI a database of its own on an engine, and a
// plain connection to it for what the CLI cannot do: make a school, tamper.
func cliDatabase(t *testing.T, engine string) (map[string]string, *sql.DB) {
	t.Helper()
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	var raw *sql.DB
	var err error
	if engine == sqldb.SQLite {
		raw, err = sql.Open("sqlite", filepath.Join(env["CERTIBLOC_DATA"], "certibloc.db"))
	} else {
		base := sqldbtest.PostgresURL(t)
		schema := "cli_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_")) + time.Now().Format("150405")
		admin, aerr := sql.Open("pgx", base)
		if aerr != nil {
			t.Fatal(aerr)
		}
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE"); admin.Close() })
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		env["CERTIBLOC_DATABASE"] = u.String()
		raw, err = sql.Open("pgx", u.String())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if _, _, err := cli(t, env, "migrate"); err != nil {
		t.Fatal(err)
	}
	return env, raw
}

var headRE = regexp.MustCompile(`hash ([0-9a-f]{64})`)

func TestAuditCommand(t *testing.T) {
	for _, engine := range []string{sqldb.SQLite, sqldb.Postgres} {
		t.Run(engine, func(t *testing.T) {
			env, raw := cliDatabase(t, engine)
			if _, err := raw.Exec(`INSERT INTO schools (code, name, created_at) VALUES ('DIIAGE', 'DIIAGE', $1)`, time.Now()); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{
				{"token", "create", "--role", "admin"},
				{"token", "create", "--role", "staff", "--school", "DIIAGE"},
				{"token", "revoke", "1"},
				{"token", "create", "--role", "jury", "--school", "DIIAGE"},
			} {
				if out, _, err := cli(t, env, args...); err != nil {
					t.Fatalf("%v: %v\n%s", args, err, out)
				}
			}
			out, _, err := cli(t, env, "audit", "verify")
			if err != nil || !strings.Contains(out, "audit trail intact: 4 entries") || !headRE.MatchString(out) {
				t.Fatalf("audit verify: %v\n%s", err, out)
			}
			recorded := headRE.FindStringSubmatch(out)[1]
			if out, _, err := cli(t, env, "audit", "verify", "--expect", recorded); err != nil {
				t.Errorf("audit verify --expect its own head: %v\n%s", err, out)
			}
			out, _, err = cli(t, env, "audit", "show", "token", "1")
			if err != nil || !strings.Contains(out, "token.create") || !strings.Contains(out, "token.revoke") ||
				!strings.Contains(out, " cli ") {
				t.Errorf("audit show token 1: %v\n%s", err, out)
			}
			if _, _, err := cli(t, env, "audit", "show", "token", "99"); err == nil || !strings.Contains(err.Error(), "no history") {
				t.Errorf("audit show of an unknown record: %v", err)
			}

			// The database refuses edits; an attacker drops the triggers first.
			if _, err := raw.Exec(`UPDATE audit_log SET action = 'token.read' WHERE id = 2`); err == nil {
				t.Fatal("the database let an audit entry be edited")
			}
			disable := []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`, `ALTER TABLE audit_lanes DISABLE TRIGGER USER`,
				`ALTER TABLE audit_seals DISABLE TRIGGER USER`}
			if engine == sqldb.SQLite {
				disable = []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`,
					`DROP TRIGGER audit_lanes_forward`, `DROP TRIGGER audit_seals_no_delete`}
			}
			for _, q := range disable {
				if _, err := raw.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			// The last entry (token 3's, alone in lane 15) deleted and its
			// lane's head rewound: the seal that verify made tells.
			for _, q := range []string{`DELETE FROM audit_log WHERE id = 4`,
				`UPDATE audit_lanes SET entries = 0, last_id = 0, hash = '` + strings.Repeat("0", 64) + `' WHERE lane = 15`} {
				if _, err := raw.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := cli(t, env, "audit", "verify"); err == nil || !strings.Contains(err.Error(), "seal 1 records 1 entries in lane 15") {
				t.Errorf("a rewound head under a seal: %v", err)
			}
			// The seals deleted too: only the recorded hash tells.
			if _, err := raw.Exec(`DELETE FROM audit_seals`); err != nil {
				t.Fatal(err)
			}
			if out, _, err := cli(t, env, "audit", "verify"); err != nil || !strings.Contains(out, "3 entries") {
				t.Errorf("a rewound head alone: %v\n%s", err, out)
			}
			if _, _, err := cli(t, env, "audit", "verify", "--expect", recorded); err == nil ||
				!strings.Contains(err.Error(), "no audit entry or seal has the recorded hash "+recorded) {
				t.Errorf("audit verify --expect after the cut: %v", err)
			}
			if _, err := raw.Exec(`UPDATE audit_log SET action = 'token.read' WHERE id = 2`); err != nil {
				t.Fatal(err)
			}
			_, _, err = cli(t, env, "audit", "verify")
			if err == nil || !strings.Contains(err.Error(), "audit entry 2 (token.read of token 2") ||
				!strings.Contains(err.Error(), "was edited") {
				t.Errorf("audit verify after an edit: %v", err)
			}
		})
	}
}

func TestAuditCommandUsage(t *testing.T) {
	for _, args := range [][]string{{"audit", "--help"}, {"audit", "verify", "--help"}, {"audit", "show", "--help"}} {
		if _, stderr, err := cli(t, nil, args...); err != nil || !strings.Contains(stderr, "Usage: certibloc audit") {
			t.Errorf("%v: %v %q", args, err, stderr)
		}
	}
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	for _, args := range [][]string{{"audit"}, {"audit", "frob"}, {"audit", "show", "person"},
		{"audit", "verify", "--expect", "nothex"}} {
		if _, _, err := cli(t, env, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}
