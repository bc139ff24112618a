package server_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestDIDWebWithPath: certibloc served under a path (https://host/certibloc,
// a reverse proxy stripping the path) is did:web:host:certibloc, whose
// document is at /did.json; its credentials verify with certibloc's
// verifier and with the npm one, before and after a key rotation, the old
// key staying in the document.
func TestDIDWebWithPath(t *testing.T) {
	const base = "https://certibloc.example.org/certibloc"
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
		log := slog.New(slog.DiscardHandler)
		must(t, server.LoadDefaults(ctx, db, log))
		h, err := server.New(db, log, server.WithBaseURL(base))
		must(t, err)
		m := &matrix{t: t, db: db, h: h}
		person := m.newPerson(ownSchool)
		j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2026, 7, 1), Place: "Dijon", Candidates: []int64{person},
			Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
				{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
		must(t, db.CreateJury(ctx, j))
		must(t, db.DecideCandidate(ctx, j.ID, &certibloc.JuryDecision{PersonID: person, Blocks: []certibloc.BlockVerdict{{Block: "RNCP38478BC01",
			Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."}}}))
		must(t, db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }))
		old, err := db.IssueJuryCredentials(ctx, j.ID, base)
		must(t, err)

		didDoc := func() map[string]any {
			t.Helper()
			status, body, ctype := fetch(t, h, "GET", "/did.json", nil, "")
			if status != 200 || ctype != "application/did+json" {
				t.Fatalf("GET /did.json: %d %s %s", status, ctype, body)
			}
			var doc map[string]any
			must(t, json.Unmarshal(body, &doc))
			return doc
		}
		doc := didDoc()
		if doc["id"] != "did:web:certibloc.example.org:certibloc" {
			t.Fatalf("the DID under a path: %v", doc["id"])
		}
		if u, err := openbadge.DIDWebURL(doc["id"].(string)); err != nil || u != base+"/did.json" {
			t.Fatalf("did:web resolves to %s (%v), not where certibloc serves it", u, err)
		}
		if !strings.Contains(string(old[0].Document), `"verificationMethod":"did:web:certibloc.example.org:certibloc#z6Mk`) {
			t.Fatalf("the credential's key: %s", old[0].Document)
		}

		// A rotation: a new credential by the new key; the old key stays.
		_, err = db.RotateCredentialKey(ctx)
		must(t, err)
		p2 := m.newPerson(ownSchool)
		j2 := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2026, 7, 2), Place: "Dijon", Candidates: []int64{p2}, Members: j.Members}
		must(t, db.CreateJury(ctx, j2))
		must(t, db.DecideCandidate(ctx, j2.ID, &certibloc.JuryDecision{PersonID: p2, Blocks: []certibloc.BlockVerdict{{Block: "RNCP38478BC02",
			Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."}}}))
		must(t, db.CloseJury(ctx, j2.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }))
		later, err := db.IssueJuryCredentials(ctx, j2.ID, base)
		must(t, err)
		doc = didDoc()
		if n := len(doc["verificationMethod"].([]any)); n != 2 {
			t.Fatalf("after a rotation the DID document has %d keys, want 2", n)
		}
		creds := []sqldb.Credential{old[0], later[0]}
		for _, c := range creds {
			status, body, _ := fetch(t, h, "POST", "/api/v1/credentials/verify?lang=en", c.Document, "")
			var r openbadge.Result
			must(t, json.Unmarshal(body, &r))
			if status != 200 || !r.Valid || !strings.Contains(string(body), "did:web:certibloc.example.org:certibloc#z6Mk") {
				t.Errorf("certibloc's verifier, %s: %d %s", c.Name(), status, body)
			}
		}
		_, list, _ := fetch(t, h, "GET", "/credentials/status/1", nil, "")
		var listDoc map[string]any
		must(t, json.Unmarshal(list, &listDoc))
		if listDoc["id"] != base+"/credentials/status/1" {
			t.Fatalf("the status list's id: %v", listDoc["id"])
		}
		var in []npmCredential
		for _, c := range creds {
			in = append(in, npmCredential{Name: c.Name(), Credential: c.Document})
		}
		for _, r := range npmVerify(t, map[string]any{doc["id"].(string): doc, listDoc["id"].(string): listDoc}, in) {
			if !r.Verified || !r.Schema {
				t.Errorf("npm verifier, %s: verified %v (%s), schema %v %v", r.Name, r.Verified, r.Error, r.Schema, r.SchemaErrors)
			}
		}
	})
}
