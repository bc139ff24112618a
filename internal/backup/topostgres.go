package backup

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc/internal/sqldb"
)

// Copied is what ToPostgres copied: rows by table, in the order written.
type Copied struct {
	Tables []TableCount
}

// TableCount is the number of rows of a table.
type TableCount struct {
	Table string
	Rows  int64
}

// ToPostgres copies the SQLite database at sqlitePath into the PostgreSQL
// database of pgURL, which must be empty: no table at all (its schema is
// then made by certibloc's migrations), or certibloc's tables, migrated
// and holding no row — what a copy that failed leaves.
//
// Both sides must be at the same migration version (migrate the SQLite
// database first). The SQLite side is read in one read transaction, a
// snapshot; stop the server first, or what it writes meanwhile is not
// copied. The PostgreSQL side is written in one transaction: parent tables
// before the tables whose foreign keys name them, ids kept (OVERRIDING
// SYSTEM VALUE), the append-only triggers of the audit trail set aside
// while it is copied as it is, identity sequences set past the largest id,
// and the row counts of every table compared with the source before the
// commit. On any error nothing is committed.
func ToPostgres(ctx context.Context, sqlitePath, pgURL string) (Copied, error) {
	var out Copied
	if !strings.HasPrefix(pgURL, "postgres://") && !strings.HasPrefix(pgURL, "postgresql://") {
		return out, fmt.Errorf("--to-postgres %q: expected a postgres:// URL", pgURL)
	}
	c, err := CheckSQLite(ctx, sqlitePath)
	if err != nil {
		return out, err
	}
	if len(c.Missing) > 0 {
		return out, fmt.Errorf("the SQLite database lacks migrations %v: run certibloc migrate on it first", c.Missing)
	}

	src, err := sql.Open("sqlite", "file:"+sqlitePath+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return out, err
	}
	defer src.Close()
	srcTx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return out, err
	}
	defer srcTx.Rollback()

	if err := preparePostgres(ctx, pgURL); err != nil {
		return out, err
	}
	dst, err := sql.Open("pgx", pgURL)
	if err != nil {
		return out, err
	}
	defer dst.Close()
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer tx.Rollback()

	tables, err := sqliteTables(ctx, srcTx)
	if err != nil {
		return out, err
	}
	pgCols, err := postgresColumns(ctx, tx)
	if err != nil {
		return out, err
	}
	for _, t := range tables {
		if pgCols[t.name] == nil {
			return out, fmt.Errorf("table %s of SQLite is not in PostgreSQL: are both at the same migration?", t.name)
		}
	}
	for name := range pgCols {
		if name != "schema_migrations" && !slices.ContainsFunc(tables, func(t table) bool { return t.name == name }) {
			return out, fmt.Errorf("table %s of PostgreSQL is not in SQLite: are both at the same migration?", name)
		}
	}
	if err := checkEmpty(ctx, tx, pgCols); err != nil {
		return out, err
	}
	for _, t := range tables {
		n, err := copyTable(ctx, srcTx, tx, t, pgCols[t.name])
		if err != nil {
			return out, fmt.Errorf("copy %s: %w", t.name, err)
		}
		var got int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+quote(t.name)).Scan(&got); err != nil {
			return out, err
		}
		if got != n {
			return out, fmt.Errorf("copy %s: %d rows read, %d in PostgreSQL", t.name, n, got)
		}
		out.Tables = append(out.Tables, TableCount{t.name, n})
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("commit the copy: %w", err)
	}
	return out, nil
}

// preparePostgres makes certibloc's schema in an empty database, and
// refuses one that holds other tables. Migrations run each in their own
// transaction; a database left migrated but empty by a failed copy is
// accepted again (checkEmpty).
func preparePostgres(ctx context.Context, pgURL string) error {
	db, err := sqldb.Open(ctx, pgURL, "")
	if err != nil {
		return err
	}
	defer db.Close()
	probe, err := sql.Open("pgx", pgURL)
	if err != nil {
		return err
	}
	defer probe.Close()
	var tables, ours int
	if err := probe.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE table_name = 'schema_migrations')
		FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`).Scan(&tables, &ours); err != nil {
		return fmt.Errorf("read the PostgreSQL schema: %w", err)
	}
	if tables > 0 && ours == 0 {
		return fmt.Errorf("the PostgreSQL database holds %d tables that are not certibloc's: give an empty database", tables)
	}
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	return nil
}

// checkEmpty refuses a PostgreSQL database that holds any row beside its
// migrations and the empty heads of the audit trail's lanes.
func checkEmpty(ctx context.Context, tx *sql.Tx, cols map[string][]pgColumn) error {
	names := make([]string, 0, len(cols))
	for name := range cols {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		q := `SELECT count(*) FROM ` + quote(name)
		switch name {
		case "schema_migrations":
			continue
		case "audit_lanes":
			q += ` WHERE entries > 0`
		}
		var n int64
		if err := tx.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("the PostgreSQL database is not empty: table %s holds %d rows", name, n)
		}
	}
	return nil
}

type table struct {
	name    string
	columns []string
}

// sqliteTables lists the tables to copy, each after the tables its foreign
// keys name; schema_migrations is not copied (the target has its own).
func sqliteTables(ctx context.Context, q *sql.Tx) ([]table, error) {
	rows, err := q.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	parents := map[string][]string{}
	columns := map[string][]string{}
	for _, n := range names {
		ps, err := strings1(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`, n)
		if err != nil {
			return nil, err
		}
		parents[n] = ps
		cs, err := strings1(ctx, q, `SELECT name FROM pragma_table_info($1) ORDER BY cid`, n)
		if err != nil {
			return nil, err
		}
		columns[n] = cs
	}
	// Depth-first: a table comes after its parents; a cycle is an error.
	var order []table
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(n string, path []string) error
	visit = func(n string, path []string) error {
		switch state[n] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("foreign keys go round: %s", strings.Join(append(path, n), " → "))
		}
		state[n] = 1
		for _, p := range parents[n] {
			if p != n { // a table that names itself: its rows are copied in id order
				if err := visit(p, append(path, n)); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		order = append(order, table{n, columns[n]})
		return nil
	}
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func strings1(ctx context.Context, q *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

type pgColumn struct {
	name, dataType string
	identity       bool // GENERATED … AS IDENTITY or serial
}

// postgresColumns reads the columns of every table of the current schema.
func postgresColumns(ctx context.Context, tx *sql.Tx) (map[string][]pgColumn, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.data_type,
			c.is_identity = 'YES' OR coalesce(c.column_default, '') LIKE 'nextval(%'
		FROM information_schema.columns c
		JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
		ORDER BY c.table_name, c.ordinal_position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]pgColumn{}
	for rows.Next() {
		var t string
		var c pgColumn
		if err := rows.Scan(&t, &c.name, &c.dataType, &c.identity); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	return out, rows.Err()
}

// copyTable copies the rows of t by multi-row INSERTs of at most 500 rows
// or about 8 MB, with the triggers of the table (the audit trail's
// append-only guards) disabled meanwhile, then sets its sequences.
func copyTable(ctx context.Context, src, dst *sql.Tx, t table, pgCols []pgColumn) (int64, error) {
	byName := map[string]pgColumn{}
	for _, c := range pgCols {
		byName[c.name] = c
	}
	cols := make([]pgColumn, len(t.columns))
	names := make([]string, len(t.columns))
	identity := false
	for i, n := range t.columns {
		c, ok := byName[n]
		if !ok {
			return 0, fmt.Errorf("column %s is not in PostgreSQL", n)
		}
		cols[i] = c
		names[i] = quote(n)
		identity = identity || c.identity
	}
	if len(pgCols) != len(t.columns) {
		return 0, fmt.Errorf("%d columns in SQLite, %d in PostgreSQL", len(t.columns), len(pgCols))
	}
	q := quote(t.name)
	for _, stmt := range []string{`ALTER TABLE ` + q + ` DISABLE TRIGGER USER`, `DELETE FROM ` + q} {
		if _, err := dst.ExecContext(ctx, stmt); err != nil {
			return 0, err
		}
	}
	order := "rowid"
	if slices.Contains(t.columns, "id") {
		order = "id"
	}
	rows, err := src.QueryContext(ctx, `SELECT `+strings.Join(names, ", ")+` FROM `+q+` ORDER BY `+order)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	head := `INSERT INTO ` + q + ` (` + strings.Join(names, ", ") + `)`
	if identity {
		head += ` OVERRIDING SYSTEM VALUE`
	}
	perBatch := min(500, 60000/len(cols))
	var args []any
	var size, n int64
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		for r := 0; r < len(args)/len(cols); r++ {
			if r > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for i := range cols {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("$" + strconv.Itoa(r*len(cols)+i+1))
			}
			b.WriteByte(')')
		}
		_, err := dst.ExecContext(ctx, b.String(), args...)
		args, size = args[:0], 0
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			cv, err := convert(v, cols[i].dataType)
			if err != nil {
				return n, fmt.Errorf("row %d, column %s: %w", n+1, cols[i].name, err)
			}
			if b, ok := cv.([]byte); ok {
				size += int64(len(b))
			} else if s, ok := cv.(string); ok {
				size += int64(len(s))
			}
			args = append(args, cv)
		}
		n++
		if len(args)/len(cols) >= perBatch || size > 8<<20 {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if err := flush(); err != nil {
		return n, err
	}
	if _, err := dst.ExecContext(ctx, `ALTER TABLE `+q+` ENABLE TRIGGER USER`); err != nil {
		return n, err
	}
	for _, c := range cols {
		if !c.identity {
			continue
		}
		if _, err := dst.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(`+quote(c.name)+`), 0) + 1, false) FROM `+q,
			t.name, c.name); err != nil {
			return n, fmt.Errorf("sequence of %s: %w", c.name, err)
		}
	}
	return n, nil
}

// convert turns a value read from SQLite into one for a PostgreSQL column
// of type dataType: SQLite keeps booleans as integers, and times as text
// when their column is not declared as a time.
func convert(v any, dataType string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch dataType {
	case "boolean":
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case string:
			return strconv.ParseBool(x)
		}
	case "timestamp with time zone", "timestamp without time zone", "date":
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			return parseTime(x)
		}
	case "bytea":
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	case "json", "jsonb", "text", "character varying":
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("a %T (%v) does not go in a %s column", v, v, dataType)
}

// timeLayouts are the texts SQLite's driver writes times as (time.String,
// its default) and those it reads.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999 -0700 MST",
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

func parseTime(s string) (time.Time, error) {
	if i := strings.Index(s, " m="); i >= 0 {
		s = s[:i]
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// quote quotes an SQL identifier; the names come from the schemas.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
