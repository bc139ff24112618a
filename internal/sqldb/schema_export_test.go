package sqldb

import "context"

// MigrationVersionsForTest lists the versions schema_migrations records.
func (db *DB) MigrationVersionsForTest(ctx context.Context) ([]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}
