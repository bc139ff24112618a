package sqldb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// closedJury closes a jury of the seed certification that validated the
// first two blocks of each person, and awarded the title to the first.
func closedJury(t *testing.T, db *sqldb.DB, people ...*certibloc.Person) *certibloc.JurySession {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	var members []certibloc.JuryMember
	var asMember []*certibloc.Principal
	for i, role := range []string{certibloc.JuryChair, certibloc.JuryProfessional, certibloc.JuryProfessional} {
		a, err := db.CreateAccount(ctx, certibloc.Account{Email: fmt.Sprintf("jure-vc%d-%d@example.net", people[0].ID, i), Role: certibloc.Jury, Schools: []string{"DIIAGE"}})
		must(t, err)
		members = append(members, certibloc.JuryMember{AccountID: a.ID, Name: "Juré " + string(rune('A'+i)), Role: role, Present: true})
		asMember = append(asMember, &certibloc.Principal{AccountID: a.ID, Role: certibloc.Jury, Label: "jury"})
	}
	var ids []int64
	for _, p := range people {
		ids = append(ids, p.ID)
	}
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2026, 7, 1), Place: "Dijon", Members: members, Candidates: ids}
	must(t, db.CreateJury(ctx, j))
	for i, p := range people {
		for _, m := range asMember {
			must(t, db.DeclareConflict(certibloc.WithPrincipal(ctx, m), j.ID, p.ID, false))
		}
		jd := &certibloc.JuryDecision{PersonID: p.ID, Certified: i == 0, Reason: "Le jury statue au vu de l'ensemble du parcours."}
		for _, b := range []string{"RNCP38478BC01", "RNCP38478BC02"} {
			jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."})
		}
		must(t, db.DecideCandidate(ctx, j.ID, jd))
	}
	must(t, db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }))
	return j
}

// verifier checks credentials against the store's keys and status lists.
func verifier(db *sqldb.DB, base string) *openbadge.Verifier {
	did, _ := openbadge.DIDWeb(base)
	urls := sqldb.CredentialURLs{Base: base}
	return &openbadge.Verifier{
		OwnDID:  did,
		OwnKeys: db.PublicKeys,
		Revoked: func(ctx context.Context, list string, index int) (bool, error) {
			for n := int64(1); n < 4; n++ {
				if list == urls.StatusList(n) {
					revoked, _, err := db.RevokedInList(ctx, n)
					for _, r := range revoked {
						if r == index {
							return true, err
						}
					}
					return false, err
				}
			}
			return false, openbadge.ErrNotOwnList
		},
	}
}

func TestJuryCredentials(t *testing.T) {
	const base = "https://certibloc.test"
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
		p, cert := documentWorld(t, db)
		p2 := mustCreate(t, db, samplePerson("DIIAGE", "Noir", "Hugo"))
		j := closedJury(t, db, p, p2)

		creds, err := db.IssueJuryCredentials(ctx, j.ID, base)
		must(t, err)
		// The title for the first, two blocks each.
		if len(creds) != 5 {
			t.Fatalf("%d credentials issued, want 5", len(creds))
		}
		again, err := db.IssueJuryCredentials(ctx, j.ID, base)
		if err != nil || len(again) != 0 {
			t.Fatalf("issuing twice issues again: %d (%v)", len(again), err)
		}
		mine, err := db.PersonCredentials(ctx, p.ID)
		must(t, err)
		if len(mine) != 3 || mine[0].Name() != "RNCP38478" && mine[0].Name() != "RNCP38478BC01" {
			t.Fatalf("the person's credentials: %+v", mine)
		}
		v := verifier(db, base)
		for _, c := range creds {
			if r := v.Verify(ctx, c.Document, certibloc.English); !r.Valid {
				t.Fatalf("credential %s does not verify: %+v", c.Name(), r.Checks)
			}
			var doc map[string]any
			must(t, json.Unmarshal(c.Document, &doc))
			if doc["validFrom"] != "2026-07-01T00:00:00Z" || !strings.Contains(string(c.Document), `"name":"SUP DE VINCI"`) {
				t.Errorf("validFrom %v, issuer %v", doc["validFrom"], doc["issuer"])
			}
			if strings.Contains(string(c.Document), p.Email) || strings.Contains(string(c.Document), "birth") {
				t.Errorf("the credential names the holder: %s", c.Document)
			}
		}

		// The referential's title and competencies in French and English.
		for _, c := range creds {
			doc := string(c.Document)
			var want []string
			switch c.Block {
			case "RNCP38478BC01":
				want = []string{"Piloter un projet informatique", "Manage an IT project",
					"Analyser les besoins du client", "Analyse the client's needs", "IT Project Coordinator (cloud, application or data infrastructures)"}
			case "":
				want = []string{"Coordinateur de projets informatiques", "IT Project Coordinator (cloud, application or data infrastructures)",
					"RNCP38478BC04 — Orchestrer l'infrastructure cloud", "RNCP38478BC04 — Orchestrate the cloud infrastructure"}
			}
			for _, w := range want {
				if !strings.Contains(doc, w) {
					t.Errorf("the credential of %s does not say %q: %s", c.Name(), w, doc)
				}
			}
		}

		// Revoking the attestation of a block revokes that block's credential only.
		att := newDocument(t, certibloc.Attestation, p, cert, 1)
		att.JuryID = j.ID
		must(t, db.IssueDocument(ctx, att, fakePDF(att)))
		_, err = db.RevokeDocument(ctx, att.Number, "erreur de saisie du jury, attestation rééditée")
		must(t, err)
		for _, c := range creds {
			got, err := db.CredentialByID(ctx, c.PublicID)
			must(t, err)
			revoked := c.PersonID == p.ID && c.Block == "RNCP38478BC01"
			if (got.RevokedAt != nil) != revoked {
				t.Errorf("%s of person %d: revoked %v", c.Name(), c.PersonID, got.RevokedAt)
			}
			r := v.Verify(ctx, got.Document, certibloc.French)
			if r.Valid == revoked {
				t.Errorf("%s of person %d: valid %v after the revocation: %+v", c.Name(), c.PersonID, r.Valid, r.Checks)
			}
		}

		// A new key signs from now on; what the old one signed still verifies.
		keys, err := db.CredentialKeys(ctx)
		must(t, err)
		if len(keys) != 1 {
			t.Fatalf("%d keys", len(keys))
		}
		k2, err := db.RotateCredentialKey(ctx)
		must(t, err)
		p3 := mustCreate(t, db, samplePerson("DIIAGE", "Blanc", "Léa"))
		j2 := closedJury(t, db, p3)
		later, err := db.IssueJuryCredentials(ctx, j2.ID, base)
		must(t, err)
		if len(later) == 0 || !strings.Contains(string(later[0].Document), "#"+k2.PublicKey) {
			t.Fatalf("the new key does not sign: %s", later[0].Document)
		}
		for _, c := range []sqldb.Credential{later[0], creds[len(creds)-1]} {
			if r := v.Verify(ctx, c.Document, certibloc.English); !r.Valid {
				t.Errorf("after rotation, %s: %+v", c.Name(), r.Checks)
			}
		}

		// Export, then import into a fresh store: the same keys, the same signing key.
		exported, err := db.ExportCredentialKeys(ctx)
		must(t, err)
		if len(exported) != 2 || exported[0].RetiredAt == nil || exported[1].RetiredAt != nil {
			t.Fatalf("exported %+v", exported)
		}
		n, err := db.ImportCredentialKeys(ctx, exported)
		if err != nil || n != 0 {
			t.Fatalf("importing keys already there: %d, %v", n, err)
		}
		bad := exported[1]
		bad.PublicKey = exported[0].PublicKey + "x"
		if _, err := db.ImportCredentialKeys(ctx, []sqldb.ExportedKey{bad}); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a key whose secret is not its own: %v", err)
		}
	})
}

func TestImportCredentialKeys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
		exported := []sqldb.ExportedKey{}
		for _, seed := range []string{"z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"} {
			exported = append(exported, sqldb.ExportedKey{PublicKey: "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", SecretKey: seed,
				CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		}
		n, err := db.ImportCredentialKeys(ctx, exported)
		if err != nil || n != 1 {
			t.Fatalf("import: %d, %v", n, err)
		}
		back, err := db.ExportCredentialKeys(ctx)
		must(t, err)
		if len(back) != 1 || back[0].SecretKey != exported[0].SecretKey {
			t.Fatalf("exported back %+v", back)
		}
	})
}

// TestStatusListSignedOncePerChange: a status list is signed when it
// changes, not at each request; a revocation made by one instance shows
// at once in the list another instance serves.
func TestStatusListSignedOncePerChange(t *testing.T) {
	const base = "https://certibloc.test"
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		a, b := open(), open()
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
		if _, err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		key := make([]byte, 32)
		for _, db := range []*sqldb.DB{a, b} {
			if _, err := db.SetSecretKey(ctx, key); err != nil {
				t.Fatal(err)
			}
		}
		now := time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC)
		a.SetClockForBadgeTest(func() time.Time { return now })
		b.SetClockForBadgeTest(func() time.Time { return now })
		p, cert := documentWorld(t, a)
		j := closedJury(t, a, p)
		creds, err := a.IssueJuryCredentials(ctx, j.ID, base)
		must(t, err)
		var block sqldb.Credential
		for _, c := range creds {
			if c.Block == "RNCP38478BC01" {
				block = c
			}
		}
		list := func(db *sqldb.DB) (validFrom string, revoked bool) {
			t.Helper()
			raw, err := db.StatusListCredential(ctx, 1, base)
			must(t, err)
			var doc struct {
				ValidFrom string `json:"validFrom"`
				Subject   struct {
					EncodedList string `json:"encodedList"`
				} `json:"credentialSubject"`
			}
			must(t, json.Unmarshal(raw, &doc))
			bit, err := openbadge.ListBit(doc.Subject.EncodedList, int(block.ID%openbadge.ListSize))
			must(t, err)
			return doc.ValidFrom, bit
		}
		first, revoked := list(a)
		if first != "2026-07-02T09:00:00Z" || revoked {
			t.Fatalf("first list: %s, revoked %v", first, revoked)
		}
		// Later, from either instance: the same document, not signed again.
		now = now.Add(time.Hour)
		for _, db := range []*sqldb.DB{a, b} {
			if got, _ := list(db); got != first {
				t.Fatalf("the list was signed again without a change: validFrom %s", got)
			}
		}
		// B revokes; A serves the new list at once.
		att := newDocument(t, certibloc.Attestation, p, cert, 1)
		att.JuryID = j.ID
		must(t, b.IssueDocument(ctx, att, fakePDF(att)))
		now = now.Add(time.Hour)
		_, err = b.RevokeDocument(ctx, att.Number, "erreur de saisie du jury, attestation rééditée")
		must(t, err)
		got, revoked := list(a)
		if got != "2026-07-02T11:00:00Z" || !revoked {
			t.Fatalf("after B's revocation, A serves validFrom %s, revoked %v", got, revoked)
		}
		if again, revoked := list(b); again != got || !revoked {
			t.Fatalf("B serves validFrom %s, revoked %v", again, revoked)
		}
		if _, err := a.StatusListCredential(ctx, 2, base); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("a list with no credential: %v", err)
		}
	})
}
