package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// The two engines have a migration file each per step, written by hand.
// TestSchemasAgree migrates both and compares what they made, column by
// column: table, column, type class, nullability, default, primary key,
// and the indexes (columns and uniqueness). Checks and triggers are not
// compared: they are written in each engine's dialect on purpose.
func TestSchemasAgree(t *testing.T) {
	ctx := t.Context()
	pgSchema := sqldbtest.PostgresSchema(t) // skips (or fails in CI) without PostgreSQL
	litePath := filepath.Join(t.TempDir(), "schema.db")
	for _, url := range []string{"sqlite:" + litePath, pgSchema} {
		db, err := sqldb.Open(ctx, url, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	lite, err := sql.Open("sqlite", "file:"+litePath)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := sql.Open("pgx", pgSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	a, b := sqliteSchema(t, lite), postgresSchema(t, pg)
	if len(a) < 20 {
		t.Fatalf("SQLite has %d columns: the introspection is broken", len(a))
	}
	for _, line := range a {
		if !slices.Contains(b, line) {
			t.Errorf("SQLite only: %s", line)
		}
	}
	for _, line := range b {
		if !slices.Contains(a, line) {
			t.Errorf("PostgreSQL only: %s", line)
		}
	}
}

// TestConcurrentMigrations: two instances starting at once on a fresh
// database both migrate without error, and each migration is applied once.
func TestConcurrentMigrations(t *testing.T) {
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		dbs := []*sqldb.DB{open(), open(), open()}
		applied := make([][]int, len(dbs))
		errs := make([]error, len(dbs))
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() { applied[i], errs[i] = db.Migrate(context.Background()) })
		}
		wg.Wait()
		total := 0
		for i, err := range errs {
			if err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
			total += len(applied[i])
		}
		again, err := dbs[0].Migrate(t.Context())
		if err != nil || len(again) != 0 {
			t.Errorf("migrating once more applied %v, %v", again, err)
		}
		if all := len(appliedVersions(t, dbs[0])); total != all {
			t.Errorf("the instances applied %d migrations in all, the database has %d", total, all)
		}
	})
}

func appliedVersions(t *testing.T, db *sqldb.DB) []int {
	t.Helper()
	v, err := db.MigrationVersionsForTest(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// typeClass reduces a declared type to what both engines mean by it. JSON
// documents are text in SQLite and jsonb in PostgreSQL.
func typeClass(declared string) string {
	d := strings.ToLower(declared)
	switch {
	case strings.Contains(d, "int"):
		return "integer"
	case strings.Contains(d, "char"), d == "text", strings.HasPrefix(d, "json"):
		return "text"
	case strings.HasPrefix(d, "timestamp"), d == "date":
		return "timestamp"
	case d == "boolean":
		return "boolean"
	case d == "blob", d == "bytea":
		return "bytes"
	case d == "real", strings.HasPrefix(d, "double"), d == "numeric":
		return "real"
	}
	return "? " + d
}

var castRE = regexp.MustCompile(`::[a-z ]+$`)

// normDefault writes a default the same way for both engines.
func normDefault(d sql.NullString) string {
	if !d.Valid {
		return "none"
	}
	s := strings.ToLower(strings.Trim(d.String, "()"))
	return castRE.ReplaceAllString(s, "")
}

func sqliteSchema(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out []string
	for _, table := range strings1(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		rows, err := db.Query(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name, typ string
			var notNull, pk int
			var dflt sql.NullString
			if err := rows.Scan(&name, &typ, &notNull, &dflt, &pk); err != nil {
				t.Fatal(err)
			}
			// A primary key is never null, whether SQLite says so or not.
			out = append(out, fmt.Sprintf("%s.%s %s null=%v default=%s pk=%d",
				table, name, typeClass(typ), notNull == 0 && pk == 0, normDefault(dflt), pk))
		}
		rows.Close()
		rows, err = db.Query(`SELECT l.name, l."unique", group_concat(i.name, ',') FROM pragma_index_list(?) l,
			pragma_index_info(l.name) i WHERE l.origin <> 'pk' GROUP BY l.name, l."unique"`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name, cols string
			var unique int
			if err := rows.Scan(&name, &unique, &cols); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s index (%s) unique=%v", table, cols, unique == 1))
		}
		rows.Close()
	}
	slices.Sort(out)
	return out
}

func postgresSchema(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out []string
	rows, err := db.Query(`
		SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES', c.column_default,
			COALESCE((SELECT k.ordinal_position FROM information_schema.table_constraints tc
				JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name
					AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
				WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
					AND tc.table_name = c.table_name AND k.column_name = c.column_name), 0)
		FROM information_schema.columns c WHERE c.table_schema = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, name, typ string
		var null bool
		var dflt sql.NullString
		var pk int
		if err := rows.Scan(&table, &name, &typ, &null, &dflt, &pk); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s.%s %s null=%v default=%s pk=%d", table, name, typeClass(typ), null, normDefault(dflt), pk))
	}
	rows.Close()
	rows, err = db.Query(`
		SELECT t.relname, i.indisunique, string_agg(a.attname, ',' ORDER BY k.ord)
		FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
		WHERE n.nspname = current_schema() AND NOT i.indisprimary
		GROUP BY t.relname, i.indexrelid, i.indisunique`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, cols string
		var unique bool
		if err := rows.Scan(&table, &unique, &cols); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s index (%s) unique=%v", table, cols, unique))
	}
	rows.Close()
	slices.Sort(out)
	return out
}

func strings1(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
