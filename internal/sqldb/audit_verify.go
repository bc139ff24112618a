package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// AuditHead is where the audit trail ends: how many entries it holds, the
// id of the last one, and one hash that stands for the whole trail: the
// hash of its latest seal, or of the seal that would be made now when the
// trail has moved since. An operator who records it (certibloc audit
// verify seals and prints it) can later check that the trail still holds
// what it held, even against someone who could rewrite the database,
// heads included.
type AuditHead struct {
	Entries int64  `json:"entries"`
	LastID  int64  `json:"last_id"`
	Hash    string `json:"hash"`
}

// laneHead is the head of one lane: its number of entries and the hash of
// its last entry.
type laneHead struct {
	lane, entries int64
	hash          string
}

// readHeads returns the head of every lane that holds entries, the id of
// the last entry, and the hash of the latest seal (genesis when none).
func readHeads(ctx context.Context, q querier) (heads []laneHead, lastID int64, lastSeal string, err error) {
	rows, err := q.QueryContext(ctx, `SELECT lane, entries, last_id, hash FROM audit_lanes WHERE entries > 0 ORDER BY lane`)
	if err != nil {
		return nil, 0, "", fmt.Errorf("audit lanes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h laneHead
		var last int64
		if err := rows.Scan(&h.lane, &h.entries, &last, &h.hash); err != nil {
			return nil, 0, "", err
		}
		heads, lastID = append(heads, h), max(lastID, last)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, "", err
	}
	lastSeal = genesis
	err = q.QueryRowContext(ctx, `SELECT hash FROM audit_seals ORDER BY id DESC LIMIT 1`).Scan(&lastSeal)
	if err != nil && err != sql.ErrNoRows {
		return nil, 0, "", fmt.Errorf("audit seals: %w", err)
	}
	return heads, lastID, lastSeal, nil
}

// headsText is how a seal writes the heads: one line per lane that holds
// entries, "lane entries hash".
func headsText(heads []laneHead) string {
	var b strings.Builder
	for _, h := range heads {
		fmt.Fprintf(&b, "%d %d %s\n", h.lane, h.entries, h.hash)
	}
	return b.String()
}

// sealHash chains a seal to the one before it.
func sealHash(prev, heads string) string {
	sum := sha256.Sum256([]byte(prev + "\n" + heads))
	return hex.EncodeToString(sum[:])
}

// headOf is the AuditHead of heads, given the latest seal and its text.
func headOf(heads []laneHead, lastID int64, lastSeal, lastSealHeads string) AuditHead {
	h := AuditHead{LastID: lastID, Hash: lastSeal}
	for _, l := range heads {
		h.Entries += l.entries
	}
	if text := headsText(heads); text != lastSealHeads || lastSeal == genesis {
		h.Hash = sealHash(lastSeal, text)
	}
	return h
}

// ReadAuditHead returns the head of the trail of a database that q reads,
// without walking it: what a backup records.
func ReadAuditHead(ctx context.Context, q querier) (AuditHead, error) {
	heads, lastID, lastSeal, err := readHeads(ctx, q)
	if err != nil {
		return AuditHead{}, err
	}
	var text string
	if lastSeal != genesis {
		if err := q.QueryRowContext(ctx, `SELECT heads FROM audit_seals WHERE hash = $1`, lastSeal).Scan(&text); err != nil {
			return AuditHead{}, fmt.Errorf("audit seals: %w", err)
		}
	}
	return headOf(heads, lastID, lastSeal, text), nil
}

// SealAudit records the head of every lane in a new seal, chained to the
// one before, unless nothing moved since; it returns the trail's head,
// whose hash is then the latest seal's. Writers of the trail go on
// meanwhile: the seal holds the heads as committed when it reads them.
func (db *DB) SealAudit(ctx context.Context) (AuditHead, error) {
	var head AuditHead
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockSeals(ctx, tx); err != nil {
			return err
		}
		heads, lastID, lastSeal, err := readHeads(ctx, tx)
		if err != nil {
			return err
		}
		var lastText string
		if lastSeal != genesis {
			if err := tx.QueryRowContext(ctx, `SELECT heads FROM audit_seals WHERE hash = $1`, lastSeal).Scan(&lastText); err != nil {
				return fmt.Errorf("audit seals: %w", err)
			}
		}
		head = headOf(heads, lastID, lastSeal, lastText)
		if head.Hash == lastSeal {
			return nil
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_seals (at, heads, prev_hash, hash) VALUES ($1, $2, $3, $4)`,
			db.now().UTC().Truncate(time.Microsecond), headsText(heads), lastSeal, head.Hash)
		return err
	})
	return head, err
}

// sealLock is the PostgreSQL advisory lock that makes seals take turns.
const sealLock = 0x7365616c // "seal"

func (db *DB) lockSeals(ctx context.Context, tx *sql.Tx) error {
	if db.engine != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, sealLock)
	return err
}

// VerifyAudit walks every lane of the trail and checks it against its
// head, and every seal against the lanes. It returns the head, or an
// error naming the first entry that was edited, that follows deleted or
// rewritten entries, telling that entries were deleted from the end of a
// lane, or naming a seal the lanes no longer agree with. Each of anchors,
// a hash recorded earlier, must be the hash of an entry, of a seal, or of
// the head now.
//
// The heads, the seals and the entries are read in one snapshot, so that
// writers appending meanwhile do not make a sound trail look broken.
func (db *DB) VerifyAudit(ctx context.Context, anchors ...string) (AuditHead, error) {
	tx, err := db.read.BeginTx(ctx, db.snapshot())
	if err != nil {
		return AuditHead{}, err
	}
	defer tx.Rollback()
	heads, lastID, _, err := readHeads(ctx, tx)
	if err != nil {
		return AuditHead{}, err
	}
	missing := slices.Clone(anchors)
	seen := func(hash string) {
		missing = slices.DeleteFunc(missing, func(h string) bool { return h == hash })
	}
	seals, lastSeal, lastText, err := verifySeals(ctx, tx, seen)
	if err != nil {
		return AuditHead{}, err
	}
	byLane := map[int64]laneHead{}
	for _, h := range heads {
		byLane[h.lane] = h
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+`, lane FROM audit_log ORDER BY lane, id`)
	if err != nil {
		return AuditHead{}, err
	}
	defer rows.Close()
	var last certibloc.AuditEntry
	lane, n := int64(-1), int64(0)
	// endLane checks that the lane just walked ends where its head says.
	endLane := func() error {
		if lane < 0 {
			return nil
		}
		return checkLaneEnd(lane, n, last, byLane[lane])
	}
	for rows.Next() {
		var l int64
		e, err := scanAudit(rows, &l)
		if err != nil {
			return AuditHead{}, err
		}
		if l != lane {
			if err := endLane(); err != nil {
				return AuditHead{}, err
			}
			delete(byLane, lane)
			lane, n, last = l, 0, certibloc.AuditEntry{Hash: genesis}
		}
		if e.ComputeHash() != e.Hash {
			return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
				"audit entry %d (%s) was edited: its content no longer matches its hash", e.ID, describeEntry(e))
		}
		if e.PrevHash != last.Hash {
			return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
				"audit entry %d (%s) does not follow the entry before it in lane %d (%s): %s",
				e.ID, describeEntry(e), lane, entryName(last), brokenLink(last, e))
		}
		n++
		if want, ok := seals[laneEntry{lane, n}]; ok && want.hash != e.Hash {
			return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
				"seal %d records entry %d of lane %d with another hash than entry %d's: the lane was rewritten",
				want.seal, n, lane, e.ID)
		}
		delete(seals, laneEntry{lane, n})
		seen(e.Hash)
		last = e
	}
	if err := rows.Err(); err != nil {
		return AuditHead{}, err
	}
	if err := endLane(); err != nil {
		return AuditHead{}, err
	}
	delete(byLane, lane)
	for _, h := range byLane { // lanes whose every entry is gone
		if err := checkLaneEnd(h.lane, 0, certibloc.AuditEntry{}, h); err != nil {
			return AuditHead{}, err
		}
	}
	for at, s := range seals {
		return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
			"seal %d records %d entries in lane %d, which holds fewer: entries were deleted", s.seal, at.entry, at.lane)
	}
	head := headOf(heads, lastID, lastSeal, lastText)
	seen(head.Hash)
	if len(missing) > 0 {
		return AuditHead{}, certibloc.Errorf(certibloc.ECONFLICT,
			"no audit entry or seal has the recorded hash %s: the trail was rewritten or cut before it", missing[0])
	}
	return head, nil
}

// laneEntry is the n-th entry of a lane, counted from 1.
type laneEntry struct{ lane, entry int64 }

type sealed struct {
	seal int64
	hash string
}

// verifySeals checks the chain of seals and returns what the latest one
// records: the hash of the last entry of each lane then, to be found again
// in the lanes. The latest suffices: an entry's hash stands for every
// entry before it in its lane, and each seal's for the seals before it.
// seen is told every seal's hash.
func verifySeals(ctx context.Context, tx *sql.Tx, seen func(string)) (map[laneEntry]sealed, string, string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, heads, prev_hash, hash FROM audit_seals ORDER BY id`)
	if err != nil {
		return nil, "", "", fmt.Errorf("audit seals: %w", err)
	}
	defer rows.Close()
	prev, text, last := genesis, "", int64(0)
	for rows.Next() {
		var p, hash string
		if err := rows.Scan(&last, &text, &p, &hash); err != nil {
			return nil, "", "", err
		}
		if p != prev || sealHash(p, text) != hash {
			return nil, "", "", certibloc.Errorf(certibloc.ECONFLICT,
				"audit seal %d was edited, or seals before it deleted: it does not follow the seal before it", last)
		}
		seen(hash)
		prev = hash
	}
	if err := rows.Err(); err != nil {
		return nil, "", "", err
	}
	out := map[laneEntry]sealed{}
	for line := range strings.Lines(text) {
		f := strings.Fields(line)
		if len(f) != 3 {
			f = []string{"", "", ""}
		}
		lane, err1 := strconv.ParseInt(f[0], 10, 64)
		entries, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, "", "", certibloc.Errorf(certibloc.ECONFLICT, "audit seal %d: unreadable head %q", last, line)
		}
		out[laneEntry{lane, entries}] = sealed{last, f[2]}
	}
	return out, prev, text, nil
}

// checkLaneEnd compares the end of a lane, its n entries up to last, with
// the lane's head.
func checkLaneEnd(lane, n int64, last certibloc.AuditEntry, head laneHead) error {
	switch {
	case n < head.entries || (n == head.entries && n > 0 && last.Hash != head.hash):
		return certibloc.Errorf(certibloc.ECONFLICT,
			"lane %d of the audit trail ends at %s (%d entries) but its head records %d entries: "+
				"the last entries were deleted", lane, entryName(last), n, head.entries)
	case n > head.entries:
		return certibloc.Errorf(certibloc.ECONFLICT,
			"lane %d of the audit trail ends at %s (%d entries) but its head records %d entries: "+
				"entries were added outside certibloc", lane, entryName(last), n, head.entries)
	}
	return nil
}

// brokenLink says why an entry does not follow the one read before it in
// its lane. Identifiers are given in order without reuse, but a lane's
// entries are not consecutive: a gap alone says nothing.
func brokenLink(before, e certibloc.AuditEntry) string {
	if before.ID == 0 {
		return "the entries before it were deleted"
	}
	return fmt.Sprintf("entry %d was rewritten, or entries after it deleted", before.ID)
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
