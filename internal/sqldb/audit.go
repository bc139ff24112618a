package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/certibloc/certibloc"
)

// genesis is the previous hash of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// auditLock serialises writers of the chain on PostgreSQL (SQLite has a
// single writer already): two transactions must not chain to the same entry.
const auditLock = 0x63657274 // "cert"

// audit appends an entry to the trail in tx, as the principal of ctx: the
// change and its record commit or roll back together.
func (db *DB) audit(ctx context.Context, tx *sql.Tx, action, entity, entityID, school string, data any) error {
	if err := db.lockWriters(ctx, tx); err != nil {
		return err
	}
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
	// The head (migration 0005) holds the hash of the last entry; it moves
	// forward in this transaction, so that deleting the last entries later
	// shows as a head that no longer matches the end of the chain.
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM audit_head WHERE id = 1`).Scan(&e.PrevHash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e.Hash = e.ComputeHash()
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO audit_log (at, actor, action, entity, entity_id, school, data, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.School, string(e.Data), e.PrevHash, e.Hash).Scan(&e.ID); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_head SET entries = entries + 1, last_id = $1, hash = $2 WHERE id = 1`,
		e.ID, e.Hash)
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

func scanAudit(rows *sql.Rows) (certibloc.AuditEntry, error) {
	var e certibloc.AuditEntry
	var data string
	err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.School, &data, &e.PrevHash, &e.Hash)
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
