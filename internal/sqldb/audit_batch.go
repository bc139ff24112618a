package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// auditItem is one entry for auditMany: what audit takes, less the time
// and the actor, which the entries of one change share.
type auditItem struct {
	action, entity, entityID, school string
	data                             any
}

// auditMany appends entries to the trail in tx, in order, as many calls
// of audit would. A decision on a thousand applications writes a thousand
// entries; on PostgreSQL one call of audit is three round trips to the
// server, so the entries go to one lane (the transaction's, see takeLane),
// inserted 500 at a time, and the lane's head moves forward, one entry per
// statement as its trigger demands, in one round trip. SQLite, in process,
// takes them one by one.
func (db *DB) auditMany(ctx context.Context, tx *sql.Tx, items []auditItem) error {
	if db.engine != Postgres {
		for _, it := range items {
			if err := db.audit(ctx, tx, it.action, it.entity, it.entityID, it.school, it.data); err != nil {
				return err
			}
		}
		return nil
	}
	if len(items) == 0 {
		return nil
	}
	lane, prev, err := db.takeLane(ctx, tx, laneOf(items[0].entity, items[0].entityID))
	if err != nil {
		return err
	}
	at, actor := db.now().UTC().Truncate(time.Microsecond), actorLabel(certibloc.PrincipalFrom(ctx))
	entries := make([]certibloc.AuditEntry, len(items))
	for i, it := range items {
		raw, err := json.Marshal(it.data)
		if err != nil {
			return err
		}
		e := certibloc.AuditEntry{At: at, Actor: actor, Action: it.action, Entity: it.entity, EntityID: it.entityID,
			School: it.school, Data: raw, PrevHash: prev}
		e.Hash = e.ComputeHash()
		entries[i], prev = e, e.Hash
	}
	for start := 0; start < len(entries); start += 500 {
		if err := insertAudit(ctx, tx, lane, entries[start:min(start+500, len(entries))]); err != nil {
			return err
		}
	}
	// Ids and hashes are numbers and hexadecimal digits, safe to write out;
	// a statement without parameters may hold many.
	var moves strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&moves, "UPDATE audit_lanes SET entries = entries + 1, last_id = %d, hash = '%s' WHERE lane = %d;\n",
			e.ID, e.Hash, lane)
	}
	_, err = tx.ExecContext(ctx, moves.String())
	return err
}

// insertAudit inserts entries of lane in one statement and gives them
// their ids, which must follow their order, as the chain does.
func insertAudit(ctx context.Context, tx *sql.Tx, lane int, entries []certibloc.AuditEntry) error {
	var args []any
	rows := make([]string, len(entries))
	for i, e := range entries {
		marks := make([]string, 10)
		for j, v := range []any{e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.School, string(e.Data), e.PrevHash, e.Hash, lane} {
			args = append(args, v)
			marks[j] = fmt.Sprintf("$%d", len(args))
		}
		rows[i] = "(" + strings.Join(marks, ", ") + ")"
	}
	res, err := tx.QueryContext(ctx, `INSERT INTO audit_log (at, actor, action, entity, entity_id, school, data, prev_hash, hash, lane)
		VALUES `+strings.Join(rows, ", ")+` RETURNING id, hash`, args...)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	defer res.Close()
	ids := make(map[string]int64, len(entries))
	for res.Next() {
		var id int64
		var hash string
		if err := res.Scan(&id, &hash); err != nil {
			return err
		}
		ids[hash] = id
	}
	if err := res.Err(); err != nil {
		return err
	}
	for i := range entries {
		entries[i].ID = ids[entries[i].Hash]
		if i > 0 && entries[i].ID <= entries[i-1].ID {
			return fmt.Errorf("audit: entries were numbered out of order")
		}
	}
	return nil
}
