package sqldb

import "context"

// QueryRowForFairnessTest runs a statement returning one value on the write
// connection: the fairness tests write results as the store writes them.
func (db *DB) QueryRowForFairnessTest(ctx context.Context, dest any, query string, args ...any) error {
	return db.write.QueryRowContext(ctx, query, args...).Scan(dest)
}
