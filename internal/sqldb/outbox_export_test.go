package sqldb

import (
	"context"
	"database/sql"

	"github.com/certibloc/certibloc"
)

// EnqueueManyForBench writes messages to the outbox in one transaction, as
// a bulk decision does, to fill it quickly.
func (db *DB) EnqueueManyForBench(ctx context.Context, list []certibloc.Mail) error {
	return db.tx(ctx, func(tx *sql.Tx) error { return db.enqueue(ctx, tx, list) })
}
