package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/certibloc/certibloc"
)

// genesis is the previous hash of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// auditLanes is how many chains the trail is made of (migration 0018):
// writers on different lanes do not wait for each other.
const auditLanes = 16

// laneOf is the lane of the entries about a record.
func laneOf(entity, entityID string) int {
	h := fnv.New32a()
	h.Write([]byte(entity))
	h.Write([]byte{0})
	h.Write([]byte(entityID))
	return int(h.Sum32() % auditLanes)
}

// takeLane returns the lane the next entry of tx goes to, with the hash of
// that lane's last entry, and holds the lane until tx ends. SQLite has one
// writer: the lane is the record's. On PostgreSQL the row lock of the
// lane's head makes its writers take turns, and a transaction keeps the
// lane it first wrote to (the head whose row version it made: xmin is its
// own transaction), so that it holds one lane and two transactions never
// wait for each other's.
func (db *DB) takeLane(ctx context.Context, tx *sql.Tx, want int) (lane int, prev string, err error) {
	q := `SELECT lane, hash FROM audit_lanes WHERE lane = $1`
	if db.engine == Postgres {
		q = `SELECT lane, hash FROM audit_lanes WHERE lane = coalesce(
			(SELECT lane FROM audit_lanes WHERE xmin = pg_current_xact_id()::xid LIMIT 1), $1) FOR UPDATE`
	}
	if err := tx.QueryRowContext(ctx, q, want).Scan(&lane, &prev); err != nil {
		return 0, "", fmt.Errorf("audit lane %d: %w", want, err)
	}
	return lane, prev, nil
}

// audit appends an entry to the trail in tx, as the principal of ctx: the
// change and its record commit or roll back together.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, action, entity, entityID, school string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	e := certibloc.AuditEntry{
		At:       db.now().UTC().Truncate(time.Microsecond),
		Actor:    actorLabel(certibloc.PrincipalFrom(ctx)),
		Action:   action,
		Entity:   entity,
		EntityID: entityID,
		School:   school,
		Data:     raw,
	}
	// The lane's head (migration 0018) holds the hash of its last entry; it
	// moves forward in this transaction, so that deleting the last entries
	// later shows as a head that no longer matches the end of the lane.
	lane, prev, err := db.takeLane(ctx, tx, laneOf(entity, entityID))
	if err != nil {
		return err
	}
	e.PrevHash = prev
	e.Hash = e.ComputeHash()
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO audit_log (at, actor, action, entity, entity_id, school, data, prev_hash, hash, lane)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.School, string(e.Data), e.PrevHash, e.Hash, lane).Scan(&e.ID); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_lanes SET entries = entries + 1, last_id = $1, hash = $2 WHERE lane = $3`,
		e.ID, e.Hash, lane)
	return err
}

func actorLabel(p *certibloc.Principal) string {
	if p.Label != "" {
		return p.Label
	}
	if p.Anonymous() {
		return "anonymous"
	}
	return string(p.Role)
}

const auditColumns = `id, at, actor, action, entity, entity_id, school, data, prev_hash, hash`

func scanAudit(rows *sql.Rows, more ...any) (certibloc.AuditEntry, error) {
	var e certibloc.AuditEntry
	var data string
	err := rows.Scan(append([]any{&e.ID, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.School, &data, &e.PrevHash, &e.Hash}, more...)...)
	e.Data = json.RawMessage(data)
	e.At = e.At.UTC()
	return e, err
}

// AuditTrail returns the entries about one record, oldest first.
func (db *DB) AuditTrail(ctx context.Context, entity, entityID string) ([]certibloc.AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log
		WHERE entity = $1 AND entity_id = $2 ORDER BY id`, entity, entityID)
	if err != nil {
		return nil, fmt.Errorf("audit trail of %s %s: %w", entity, entityID, err)
	}
	defer rows.Close()
	list := []certibloc.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// Trail is the history of one record: its entries in the audit trail,
// oldest first, and the school the record belongs to, which decides who
// may read it (certibloc.Principal.AuthorizeTrail).
type Trail struct {
	Entity  string                 `json:"entity"`
	ID      string                 `json:"id"`
	School  string                 `json:"school,omitempty"`
	Entries []certibloc.AuditEntry `json:"entries"`
}

// RecordTrail returns the history of a record. Every change to a record is
// audited, so a record without entries is unknown: not found. The record's
// school is the one named by its latest entry that names one (a person who
// changed school belongs to the new one), "" when none does.
func (db *DB) RecordTrail(ctx context.Context, entity, id string) (*Trail, error) {
	if entity == "" || id == "" {
		return nil, certibloc.Errorf(certibloc.EINVALID, "say which record: an entity (person, programme, token…) and its id")
	}
	entries, err := db.AuditTrail(ctx, entity, id)
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no history of %s %s: no such record", entity, id)
	}
	t := &Trail{Entity: entity, ID: id, Entries: entries}
	for _, e := range entries {
		if e.School != "" {
			t.School = e.School
		}
	}
	return t, nil
}

// changedFields lists the JSON fields that differ between two values: what
// the audit trail records of an edit to personal data.
func changedFields(before, after any) []string {
	var a, b map[string]any
	ja, _ := json.Marshal(before)
	jb, _ := json.Marshal(after)
	json.Unmarshal(ja, &a)
	json.Unmarshal(jb, &b)
	var out []string
	for k, v := range b {
		if k == "updated_at" || k == "created_at" {
			continue
		}
		if fmt.Sprint(a[k]) != fmt.Sprint(v) {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
