package backup_test

import (
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/backup"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestToPostgres: an SQLite installation (referential, programme, people,
// an account, a token, e-mails, the audit trail) copied into an empty
// PostgreSQL database has the same rows in every table, reads back the
// same, keeps an audit chain that verifies to the same head, and takes new
// writes (its sequences start past the copied ids). A second copy into the
// now full database is refused.
func TestToPostgres(t *testing.T) {
	pgURL := sqldbtest.PostgresSchema(t)
	path := filepath.Join(t.TempDir(), "certibloc.db")
	lite := openSQLite(t, path)
	ctx := t.Context()
	for i := range 30 {
		if err := lite.CreatePerson(ctx, person(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := lite.CreateAccount(ctx, certibloc.Account{Email: "staff@example.org", Role: "staff", Schools: []string{"DIIAGE"}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := lite.CreateToken(ctx, "ci", "admin", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := lite.Enqueue(ctx, certibloc.Mail{To: "ada@example.org", Subject: "Bonjour", Body: "Corps"}); err != nil {
		t.Fatal(err)
	}
	if _, err := lite.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	liteHead, err := lite.SealAudit(ctx) // its hash stays checkable after new writes
	if err != nil {
		t.Fatal(err)
	}

	copied, err := backup.ToPostgres(ctx, path, pgURL)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqldb.Open(ctx, pgURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	// Row counts, table by table, on both sides.
	liteRaw, _ := sql.Open("sqlite", "file:"+path+"?mode=ro")
	defer liteRaw.Close()
	pgRaw, _ := sql.Open("pgx", pgURL)
	defer pgRaw.Close()
	seen := map[string]bool{}
	for _, tc := range copied.Tables {
		seen[tc.Table] = true
		var a, b int64
		if err := liteRaw.QueryRow(`SELECT count(*) FROM "` + tc.Table + `"`).Scan(&a); err != nil {
			t.Fatal(err)
		}
		if err := pgRaw.QueryRow(`SELECT count(*) FROM "` + tc.Table + `"`).Scan(&b); err != nil {
			t.Fatal(err)
		}
		if a != b || a != tc.Rows {
			t.Errorf("table %s: %d rows in SQLite, %d in PostgreSQL, %d reported", tc.Table, a, b, tc.Rows)
		}
	}
	for _, tb := range []string{"certifications", "certification_versions", "blocks", "programmes", "schools", "people", "accounts", "account_schools", "api_tokens", "outbox", "audit_log", "audit_lanes"} {
		if !seen[tb] {
			t.Errorf("table %s not copied", tb)
		}
	}

	// A few rows read back through the store, equal on both engines.
	same := func(what string, a, b any) {
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("%s differs:\nSQLite     %s\nPostgreSQL %s", what, ja, jb)
		}
	}
	for _, id := range []int64{1, 17, 30} {
		a, err1 := lite.Person(ctx, id)
		b, err2 := pg.Person(ctx, id)
		if err1 != nil || err2 != nil {
			t.Fatalf("person %d: %v %v", id, err1, err2)
		}
		same("person", a, b)
	}
	ca, err1 := lite.Certification(ctx, "RNCP38478", 0)
	cb, err2 := pg.Certification(ctx, "RNCP38478", 0)
	if err1 != nil || err2 != nil {
		t.Fatalf("certification: %v %v", err1, err2)
	}
	same("certification", ca, cb)
	ta, _ := lite.AuditTrail(ctx, "person", "17")
	tb, _ := pg.AuditTrail(ctx, "person", "17")
	same("audit trail of person 17", ta, tb)

	pgHead, err := pg.VerifyAudit(ctx, liteHead.Hash)
	if err != nil {
		t.Fatalf("the audit chain in PostgreSQL: %v", err)
	}
	if pgHead != liteHead {
		t.Errorf("audit head in PostgreSQL %+v, in SQLite %+v", pgHead, liteHead)
	}

	// New writes: ids past the copied ones, the chain goes on.
	p := person(99)
	if err := pg.CreatePerson(ctx, p); err != nil {
		t.Fatalf("a new person in PostgreSQL: %v", err)
	}
	if p.ID != 31 {
		t.Errorf("new person id %d, want 31", p.ID)
	}
	if _, err := pg.Enqueue(ctx, certibloc.Mail{To: "b@example.org", Subject: "S", Body: "B"}); err != nil {
		t.Fatal(err)
	}
	if h, err := pg.VerifyAudit(ctx, liteHead.Hash); err != nil || h.Entries <= liteHead.Entries {
		t.Errorf("after a new write: %+v %v", h, err)
	}

	if _, err := backup.ToPostgres(ctx, path, pgURL); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("a second copy into the full database: %v", err)
	}
}

// TestToPostgresRefuses: a database holding other tables, a target that is
// not PostgreSQL and an SQLite database not migrated to the end are
// refused, and nothing is written to PostgreSQL.
func TestToPostgresRefuses(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "certibloc.db")
	openSQLite(t, path)

	foreign := sqldbtest.PostgresSchema(t)
	raw, err := sql.Open("pgx", foreign)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TABLE invoices (id INT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.ToPostgres(ctx, path, foreign); err == nil || !strings.Contains(err.Error(), "not certibloc's") {
		t.Errorf("into a database of something else: %v", err)
	}
	var n int
	raw.QueryRow(`SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n)
	if n != 1 {
		t.Errorf("%d tables after the refusal, want the 1 that was there", n)
	}
	if _, err := backup.ToPostgres(ctx, path, "mysql://x"); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("into mysql: %v", err)
	}

	// An SQLite database that lacks the last migration.
	old := filepath.Join(t.TempDir(), "old.db")
	od, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	known, _ := sqldb.Migrations(sqldb.SQLite)
	od.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`)
	od.Exec(`INSERT INTO schema_migrations VALUES (?, 'x')`, known[0])
	od.Close()
	if _, err := backup.ToPostgres(ctx, old, sqldbtest.PostgresSchema(t)); err == nil || !strings.Contains(err.Error(), "certibloc migrate") {
		t.Errorf("an SQLite database not migrated: %v", err)
	}
}

// TestPGDumpRoundTrip: PGDump saves a PostgreSQL database (here a schema
// of its own, named by the URL's search_path) that pg_restore brings back
// whole after it was dropped: the same people, the same audit head.
func TestPGDumpRoundTrip(t *testing.T) {
	pgURL := sqldbtest.PostgresSchema(t)
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("CI=true but %s is missing", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	ctx := t.Context()
	db, err := sqldb.Open(ctx, pgURL, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := server.LoadDefaults(ctx, db, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		if err := db.CreatePerson(ctx, person(i)); err != nil {
			t.Fatal(err)
		}
	}
	head, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	file := filepath.Join(t.TempDir(), "certibloc.pgdump")
	var out strings.Builder
	if err := backup.PGDump(ctx, pgURL, file, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
		t.Fatalf("dump file: %v %v", fi, err)
	}
	if err := backup.PGDump(ctx, pgURL, file, &out); err == nil {
		t.Error("a dump overwrote an existing file")
	}

	u, _ := url.Parse(pgURL)
	schema := u.Query().Get("search_path")
	base := os.Getenv("CERTIBLOC_TEST_POSTGRES")
	raw, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname="+base, file)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, b)
	}
	back, err := sqldb.Open(ctx, pgURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	got, err := back.VerifyAudit(ctx, head.Hash)
	if err != nil || got != head {
		t.Errorf("audit head after the round trip %+v, %v; want %+v", got, err, head)
	}
	if p, err := back.Person(ctx, 10); err != nil || p.BirthName != "Lovelace9" {
		t.Errorf("person 10 after the round trip: %+v %v", p, err)
	}
	if p := person(11); back.CreatePerson(ctx, p) != nil || p.ID != 11 {
		t.Errorf("a new person after the round trip: id %d", p.ID)
	}
}
