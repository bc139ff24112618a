package backup_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/backup"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// openSQLite opens and migrates the SQLite database at path, with the
// default data loaded.
func openSQLite(t *testing.T, path string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(t.Context(), "sqlite:"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := server.LoadDefaults(t.Context(), db, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	return db
}

func person(i int) *certibloc.Person {
	return &certibloc.Person{
		School: "DIIAGE", BirthName: fmt.Sprintf("Lovelace%d", i), FirstNames: "Ada",
		BirthDate: certibloc.DateOf(1994, 3, 12), Sex: "F", BirthPlace: "21231", Nationality: "FR",
		Email: fmt.Sprintf("ada%d@example.org", i), Level: 5, ECTS: 120, ExperienceMonths: 14,
	}
}

// dump reads every table of an SQLite file as text, table by table.
func dump(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tb + `" ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[tb] = append(out[tb], fmt.Sprintf("%q", vals))
		}
		rows.Close()
	}
	return out
}

// TestBackupDuringWritesAndRestore: a backup taken while people are being
// created is a consistent snapshot (its audit chain verifies, its people
// and audit entries agree); restored into a new data directory it holds
// the very same rows, and the chain still verifies.
func TestBackupDuringWritesAndRestore(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "certibloc.db")
	db := openSQLite(t, live)

	ctx, stop := context.WithCancel(t.Context())
	var written atomic.Int64
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			if err := db.CreatePerson(ctx, person(i)); err != nil {
				if ctx.Err() == nil {
					writeErr = err
				}
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	file := filepath.Join(dir, "backup.db")
	if err := db.BackupTo(t.Context(), file); err != nil {
		t.Fatal(err)
	}
	before := written.Load()
	for written.Load() < before+20 {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("a write failed during the backup: %v", writeErr)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v, want mode 0600", fi, err)
	}
	if err := db.BackupTo(t.Context(), file); err == nil {
		t.Error("a backup overwrote an existing file")
	}

	// Restored into a new directory: the same rows as the backup, some
	// people but not all of those written, and a chain that verifies.
	restored := filepath.Join(t.TempDir(), "data", "certibloc.db")
	c, err := backup.RestoreSQLite(t.Context(), file, restored, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Missing) != 0 || c.Latest() == 0 {
		t.Errorf("check of the backup: %+v", c)
	}
	want, got := dump(t, file), dump(t, restored)
	if len(got["people"]) == 0 || len(got["people"]) >= int(written.Load()) {
		t.Errorf("%d people in the backup, %d written in all: not a snapshot taken during the writes", len(got["people"]), written.Load())
	}
	for tb, rows := range want {
		if strings.Join(got[tb], "\n") != strings.Join(rows, "\n") {
			t.Errorf("table %s: %d rows restored, %d in the backup, or different", tb, len(got[tb]), len(rows))
		}
	}
	rdb, err := sqldb.Open(t.Context(), "sqlite:"+restored, "")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	head, err := rdb.VerifyAudit(t.Context())
	if err != nil {
		t.Fatalf("the restored audit chain: %v", err)
	}
	var people int64
	for _, r := range got["audit_log"] {
		if strings.Contains(r, `"person"`) {
			people++
		}
	}
	if head.Entries != int64(len(got["audit_log"])) || people != int64(len(got["people"])) {
		t.Errorf("head %+v, %d audit rows, %d person entries for %d people", head, len(got["audit_log"]), people, len(got["people"]))
	}
	p, err := rdb.Person(t.Context(), 1)
	if err != nil || p.BirthName != "Lovelace0" {
		t.Errorf("person 1 restored: %+v %v", p, err)
	}
}

// TestRestoreRefusesAnOpenDatabase: restoring over a database that another
// process (here, another handle) has open is refused, unless forced; once
// it is closed, the restore replaces its content.
func TestRestoreRefusesAnOpenDatabase(t *testing.T) {
	dir := t.TempDir()
	live := filepath.Join(dir, "certibloc.db")
	db := openSQLite(t, live)
	if err := db.CreatePerson(t.Context(), person(1)); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "backup.db")
	if err := db.BackupTo(t.Context(), file); err != nil {
		t.Fatal(err)
	}
	if err := db.CreatePerson(t.Context(), person(2)); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.RestoreSQLite(t.Context(), file, live, false); !errors.Is(err, backup.ErrInUse) {
		t.Fatalf("restore over an open database: %v, want ErrInUse", err)
	}
	if n := len(dump(t, live)["people"]); n != 2 {
		t.Fatalf("the refused restore changed the database: %d people", n)
	}
	// Forced: the handle still open sees the restored content.
	if _, err := backup.RestoreSQLite(t.Context(), file, live, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Person(t.Context(), 2); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		t.Errorf("person 2 after the forced restore: %v, want not found", err)
	}
	if err := db.CreatePerson(t.Context(), person(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(t.Context()); err != nil {
		t.Errorf("audit chain after a forced restore and a write: %v", err)
	}
	db.Close()
	if _, err := backup.RestoreSQLite(t.Context(), file, live, false); err != nil {
		t.Fatalf("restore over a closed database: %v", err)
	}
	if n := len(dump(t, live)["people"]); n != 1 {
		t.Errorf("%d people after the restore, want the backup's 1", n)
	}
	if _, err := os.Stat(live + "-wal"); err != nil {
		t.Errorf("the restored database is not in WAL mode: %v", err)
	}
}

// TestRestoreChecksTheBackup: a damaged file, a file that is not a
// database, a database that is not certibloc's and one made by a newer
// certibloc are refused before anything is written.
func TestRestoreChecksTheBackup(t *testing.T) {
	dir := t.TempDir()
	db := openSQLite(t, filepath.Join(dir, "certibloc.db"))
	for i := range 50 {
		if err := db.CreatePerson(t.Context(), person(i)); err != nil {
			t.Fatal(err)
		}
	}
	good := filepath.Join(dir, "good.db")
	if err := db.BackupTo(t.Context(), good); err != nil {
		t.Fatal(err)
	}
	content, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	damaged := append([]byte(nil), content...)
	// Scribble over the middle of the pages, past the header and schema.
	for i := len(damaged) / 2; i < len(damaged)/2+3000 && i < len(damaged); i++ {
		damaged[i] = byte(i * 7)
	}
	newer := write("newer.db", content)
	if nd, err := sql.Open("sqlite", "file:"+newer); err != nil {
		t.Fatal(err)
	} else {
		if _, err := nd.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 'x')`); err != nil {
			t.Fatal(err)
		}
		nd.Close()
	}
	other := filepath.Join(dir, "other.db")
	if od, err := sql.Open("sqlite", "file:"+other); err != nil {
		t.Fatal(err)
	} else {
		od.Exec(`CREATE TABLE notes (x TEXT)`)
		od.Close()
	}
	target := filepath.Join(dir, "target", "certibloc.db")
	for _, c := range []struct {
		file, want string
	}{
		{write("damaged.db", damaged), "damaged"},
		{write("text.db", []byte("this is not a database, just some text that is long enough to matter")), "not a readable SQLite database"},
		{other, "not a certibloc database"},
		{newer, "migration 9999"},
		{filepath.Join(dir, "missing.db"), "no such file"},
	} {
		_, err := backup.RestoreSQLite(t.Context(), c.file, target, false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", filepath.Base(c.file), err, c.want)
		}
		if _, err := os.Stat(target); err == nil {
			t.Fatalf("%s: the refused restore made the target", filepath.Base(c.file))
		}
	}
	if _, err := backup.RestoreSQLite(t.Context(), good, target, false); err != nil {
		t.Errorf("the good backup: %v", err)
	}
}
