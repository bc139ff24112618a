package sqldb_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// documentWorld stores the schools, the seed certification and a person
// of DIIAGE, and returns them.
func documentWorld(t *testing.T, db *sqldb.DB) (*certibloc.Person, *certibloc.Certification) {
	t.Helper()
	withSchools(t, db)
	cert, err := seed.Certification()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveCertification(t.Context(), cert); err != nil {
		t.Fatal(err)
	}
	p := mustCreate(t, db, samplePerson("DIIAGE", "Lefèvre", "Hélène"))
	return p, cert
}

// newDocument prepares a document of kind about p from verdicts on the
// first blocks of cert, numbered afresh.
func newDocument(t *testing.T, kind certibloc.DocumentKind, p *certibloc.Person, cert *certibloc.Certification, blocks int) *certibloc.IssuedDocument {
	t.Helper()
	n, err := certibloc.NewDocumentNumber(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var verdicts []certibloc.BlockVerdict
	for _, b := range cert.Blocks[:blocks] {
		verdicts = append(verdicts, certibloc.BlockVerdict{Block: b.Code, Proposed: true, Validated: true,
			Route: certibloc.Training, Date: certibloc.DateOf(2026, 6, 15)})
	}
	d, err := certibloc.NewIssuedDocument(kind, n, p, cert, verdicts, 0, certibloc.DateOf(2026, 7, 2),
		time.Date(2026, 7, 3, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fakePDF is a file the store takes for a PDF: each its own.
func fakePDF(d *certibloc.IssuedDocument) []byte {
	return []byte("%PDF-1.3\n% " + d.Number + "\n%%EOF\n")
}

func TestIssueDocuments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		p, cert := documentWorld(t, db)
		att := newDocument(t, certibloc.Attestation, p, cert, 1)
		tr := newDocument(t, certibloc.Transcript, p, cert, 3)
		if err := db.IssueDocuments(ctx, []*certibloc.IssuedDocument{att, tr}, [][]byte{fakePDF(att), fakePDF(tr)}); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(fakePDF(tr))
		got, err := db.DocumentByNumber(ctx, tr.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.Digest != hex.EncodeToString(sum[:]) || got.Kind != certibloc.Transcript || len(got.Blocks) != 3 ||
			got.Holder.Name() != "Hélène Lefèvre" || got.Certification.Level != 6 || got.Certification.Certifier != "SUP DE VINCI" ||
			!got.IssuedAt.Equal(tr.IssuedAt) || got.JuryDate != tr.JuryDate || got.School != "DIIAGE" || got.RevokedAt != nil {
			t.Errorf("read back %+v", got)
		}
		if pdf, err := db.DocumentPDF(ctx, att.Number); err != nil || string(pdf) != string(fakePDF(att)) {
			t.Errorf("PDF %q, %v", pdf, err)
		}
		list, err := db.PersonDocuments(ctx, p.ID)
		if err != nil || len(list) != 2 || list[0].Number != att.Number || list[1].Number != tr.Number {
			t.Fatalf("PersonDocuments = %+v, %v", list, err)
		}
		if _, err := db.DocumentByNumber(ctx, newDocument(t, certibloc.Certificate, p, cert, 6).Number); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown number: %v", err)
		}
		trail, err := db.AuditTrail(ctx, "document", tr.Number)
		if err != nil || len(trail) != 1 || trail[0].Action != "document.issue" || !strings.Contains(string(trail[0].Data), got.Digest) {
			t.Errorf("audit %+v, %v", trail, err)
		}
	})
}

// A batch with one refused document writes nothing.
func TestIssueDocumentsAllOrNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		p, cert := documentWorld(t, db)
		other := mustCreate(t, db, samplePerson("OTHER", "Martin", "Léa"))
		good := newDocument(t, certibloc.Certificate, p, cert, 6)
		for _, c := range []struct {
			name   string
			change func(d *certibloc.IssuedDocument, pdf *[]byte)
			code   string
		}{
			{"a number taken", func(d *certibloc.IssuedDocument, _ *[]byte) { d.Number = good.Number }, certibloc.ECONFLICT},
			{"another school", func(d *certibloc.IssuedDocument, _ *[]byte) { d.School = "OTHER" }, certibloc.EINVALID},
			{"an unknown version", func(d *certibloc.IssuedDocument, _ *[]byte) { d.Certification.Version = 99 }, certibloc.EINVALID},
			{"an unknown person", func(d *certibloc.IssuedDocument, _ *[]byte) { d.PersonID = other.ID + 100 }, certibloc.ENOTFOUND},
			{"not a PDF", func(_ *certibloc.IssuedDocument, pdf *[]byte) { *pdf = []byte("<html>") }, certibloc.EINVALID},
			{"an invalid document", func(d *certibloc.IssuedDocument, _ *[]byte) { d.Blocks = nil; d.Kind = certibloc.Attestation }, certibloc.EINVALID},
		} {
			first := newDocument(t, certibloc.Attestation, p, cert, 1)
			bad := newDocument(t, certibloc.Transcript, p, cert, 2)
			pdf := fakePDF(bad)
			c.change(bad, &pdf)
			docs := []*certibloc.IssuedDocument{first, bad}
			if c.name == "a number taken" {
				if err := db.IssueDocument(ctx, good, fakePDF(good)); err != nil {
					t.Fatal(err)
				}
			}
			err := db.IssueDocuments(ctx, docs, [][]byte{fakePDF(first), pdf})
			if certibloc.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
			}
			if _, err := db.DocumentByNumber(ctx, first.Number); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
				t.Errorf("%s: the batch's first document was written: %v", c.name, err)
			}
		}
	})
}

func TestRevokeDocument(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		p, cert := documentWorld(t, db)
		d := newDocument(t, certibloc.Certificate, p, cert, 6)
		if err := db.IssueDocument(ctx, d, fakePDF(d)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RevokeDocument(ctx, d.Number, "short"); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a reason too short: %v", err)
		}
		r, err := db.RevokeDocument(ctx, d.Number, "erreur matérielle du jury, certificat réédité")
		if err != nil || r.RevokedAt == nil {
			t.Fatalf("%+v, %v", r, err)
		}
		got, _ := db.DocumentByNumber(ctx, d.Number)
		if got.RevokedAt == nil || got.RevokeReason != "erreur matérielle du jury, certificat réédité" || got.Verify().Status != certibloc.DocumentRevoked {
			t.Errorf("%+v", got)
		}
		if _, err := db.RevokeDocument(ctx, d.Number, "une seconde fois, pour voir"); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("revoked twice: %v", err)
		}
		trail, _ := db.AuditTrail(ctx, "document", d.Number)
		if len(trail) != 2 || trail[1].Action != "document.revoke" {
			t.Errorf("audit %+v", trail)
		}
	})
}

// Erasure leaves the documents whole, and the export shows them.
func TestErasureKeepsDocuments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		p, cert := documentWorld(t, db)
		d := newDocument(t, certibloc.Certificate, p, cert, 6)
		if err := db.IssueDocument(ctx, d, fakePDF(d)); err != nil {
			t.Fatal(err)
		}
		export, err := db.ExportPerson(ctx, p.ID, sqldb.ExportScope{})
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(export.Tables["issued_documents"]); !strings.Contains(s, d.Number) {
			t.Errorf("the export does not list the document: %s", s)
		}
		if err := db.ErasePerson(ctx, p.ID, "demande de la personne"); err != nil {
			t.Fatal(err)
		}
		got, err := db.DocumentByNumber(ctx, d.Number)
		if err != nil || got.Holder.Name() != "Hélène Lefèvre" || got.Holder.BirthDate != p.BirthDate || got.Digest != d.Digest {
			t.Errorf("after erasure: %+v, %v", got, err)
		}
		if pdf, err := db.DocumentPDF(ctx, d.Number); err != nil || len(pdf) == 0 {
			t.Errorf("the PDF is gone: %v", err)
		}
		again := newDocument(t, certibloc.Attestation, p, cert, 1)
		if err := db.IssueDocument(ctx, again, fakePDF(again)); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("a document issued to an erased person: %v", err)
		}
	})
}

// Lookups are throttled per client: of many at once from one address,
// exactly the limit pass; a malformed number is refused before counting.
func TestVerifyDocumentThrottle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		p, cert := documentWorld(t, db)
		d := newDocument(t, certibloc.Certificate, p, cert, 6)
		if err := db.IssueDocument(ctx, d, fakePDF(d)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.VerifyDocument(ctx, "192.0.2.9", strings.ToLower(d.Number)); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a number not canonical: %v", err)
		}
		n := certibloc.VerifyLimit + 20
		codes := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := db.VerifyDocument(ctx, "192.0.2.1", d.Number)
				codes[i] = certibloc.ErrorCode(err)
			})
		}
		wg.Wait()
		count := map[string]int{}
		for _, c := range codes {
			count[c]++
		}
		if count[""] != certibloc.VerifyLimit || count[certibloc.ETOOMANY] != 20 {
			t.Errorf("%d lookups at once: %v", n, count)
		}
		if v, err := db.VerifyDocument(ctx, "192.0.2.2", d.Number); err != nil || v.Number != d.Number {
			t.Errorf("another address is throttled too: %v", err)
		}
	})
}

// seedDocuments issues a certificate to the seeded person (seedEverything).
func seedDocuments(t *testing.T, db *sqldb.DB, s *seeded) {
	t.Helper()
	cert, err := seed.Certification()
	must(t, err)
	d := newDocument(t, certibloc.Certificate, s.person, cert, 6)
	must(t, db.IssueDocument(t.Context(), d, fakePDF(d)))
	s.printed = []string{"Quatremare", "Vauclair", "Lysandre", "Zéphyrine", "Ondine", "1991-07-23"}
}
