package sqldb

import (
	"context"
	"fmt"
	"slices"

	"github.com/certibloc/certibloc"
)

// AuditHead is where the audit trail ends: how many entries it holds, the
// id and the hash of the last one. The hash stands for the whole trail up to
// it: an operator who records it (certibloc audit verify prints it) can
// later check that the trail still contains it, even against someone who
// could rewrite the database, head included.
type AuditHead struct {
	Entries int64  `json:"entries"`
	LastID  int64  `json:"last_id"`
	Hash    string `json:"hash"`
}

// VerifyAudit walks the whole chain and checks it against its head. It
// returns the head, or an error naming the first entry that was edited,
// that follows deleted or rewritten entries, or telling that entries were
// deleted from the end. Each of anchors, a hash recorded earlier, must be
// the hash of an entry of the chain.
//
// The head and the entries are read in one snapshot, so that writers
// appending meanwhile do not make a sound trail look broken.
func (db *DB) VerifyAudit(ctx context.Context, anchors ...string) (AuditHead, error) {
	tx, err := db.read.BeginTx(ctx, db.snapshot())
	if err != nil {
		return AuditHead{}, err
	}
	defer tx.Rollback()
	var head AuditHead
	if err := tx.QueryRowContext(ctx, `SELECT entries, last_id, hash FROM audit_head WHERE id = 1`).
		Scan(&head.Entries, &head.LastID, &head.Hash); err != nil {
		return AuditHead{}, fmt.Errorf("audit head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY id`)
	if err != nil {
		return AuditHead{}, err
	}
	defer rows.Close()
	var last certibloc.AuditEntry
	last.Hash = genesis
	var n int64
	missing := slices.Clone(anchors)
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return AuditHead{}, err
		}
		if e.ComputeHash() != e.Hash {
			return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
				"audit entry %d (%s) was edited: its content no longer matches its hash", e.ID, describeEntry(e))
		}
		if e.PrevHash != last.Hash {
			return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
				"audit entry %d (%s) does not follow the entry before it (%s): %s",
				e.ID, describeEntry(e), entryName(last), brokenLink(last, e))
		}
		missing = slices.DeleteFunc(missing, func(h string) bool { return h == e.Hash })
		last = e
		n++
	}
	if err := rows.Err(); err != nil {
		return AuditHead{}, err
	}
	switch {
	case n < head.Entries || (n == head.Entries && last.Hash != head.Hash):
		return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
			"the audit trail ends at %s (%d entries) but its head records entry %d (%d entries): "+
				"the last entries were deleted", entryName(last), n, head.LastID, head.Entries)
	case n > head.Entries:
		return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
			"the audit trail ends at %s (%d entries) but its head records entry %d (%d entries): "+
				"entries were added outside certibloc", entryName(last), n, head.LastID, head.Entries)
	}
	if len(missing) > 0 {
		return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
			"no audit entry has the recorded hash %s: the trail was rewritten or cut before it", missing[0])
	}
	return head, nil
}

// brokenLink says why an entry does not follow the one read before it.
// Identifiers are given in order without reuse, so a gap hints at a
// deletion; a gap alone is normal (a PostgreSQL transaction rolled back).
func brokenLink(before, e certibloc.AuditEntry) string {
	switch {
	case before.ID == 0 && e.PrevHash != genesis:
		return "the entries before it were deleted"
	case e.ID > before.ID+1:
		return fmt.Sprintf("entries between %d and %d were deleted", before.ID, e.ID)
	}
	return fmt.Sprintf("entry %d was rewritten, or deleted and replaced", before.ID)
}

// describeEntry is an entry in words, for messages.
func describeEntry(e certibloc.AuditEntry) string {
	return fmt.Sprintf("%s of %s %s by %s at %s", e.Action, e.Entity, e.EntityID, e.Actor,
		e.At.Format("2006-01-02 15:04:05Z"))
}

// entryName is "entry 16", or "the start" before the first entry.
func entryName(e certibloc.AuditEntry) string {
	if e.ID == 0 {
		return "the start"
	}
	return fmt.Sprintf("entry %d", e.ID)
}
