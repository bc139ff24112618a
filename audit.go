package certibloc

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// AuditEntry is one line of the audit trail: who did what, when, to which
// record. Entries are chained: each hash covers the entry and the hash of
// the one before, so that editing or deleting one breaks the chain.
type AuditEntry struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	Actor    string          `json:"actor"`  // "account 12", "token 3", "cli", "system"
	Action   string          `json:"action"` // "certification.save", "person.update"…
	Entity   string          `json:"entity"` // "certification", "person"…
	EntityID string          `json:"entity_id"`
	School   string          `json:"school,omitempty"`
	Data     json.RawMessage `json:"data"` // what changed; never personal values
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// ComputeHash is the SHA-256 of the previous hash and every field, one per
// line, the time in RFC 3339 with microseconds.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s", e.PrevHash, e.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		e.Actor, e.Action, e.Entity, e.EntityID, e.School, compactJSON(e.Data))
	return hex.EncodeToString(h.Sum(nil))
}

// compactJSON normalises JSON text, which PostgreSQL's jsonb re-spaces.
func compactJSON(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// AuthorizeTrail checks that p may read the history of a record in the
// audit trail: entity is the kind of record ("person", "token"…), school
// the school it belongs to, "" for a record of the certifier itself (a
// certification, an admin token).
//
// The admin reads every history, staff the histories of their schools'
// records, but not the certifier's, whose entries name the certifier's own
// people and tokens. Accounts and tokens are for whoever manages them. No
// history of a disability record is shown: even that one exists is for
// the disability referent and the person alone, and neither reads the
// audit trail.
func (p *Principal) AuthorizeTrail(entity, school string) error {
	if err := p.Authorize(ReadAudit, school); err != nil {
		return err
	}
	switch {
	case entity == "disability":
		return Errorf(EFORBIDDEN, "the history of a disability record is not shown: it is for the disability referent and the person")
	case (entity == "account" || entity == "token") && !p.Can(ManageAccounts):
		return Errorf(EFORBIDDEN, "the history of accounts and tokens is for the certifier admin, who manages them")
	case school == "" && p.Role != Admin:
		return Errorf(EFORBIDDEN, "only the certifier admin reads the history of a record that belongs to no school")
	}
	return nil
}
