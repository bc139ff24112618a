package sqldb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// Issued documents (migration 0009): certificates, block attestations and
// transcripts, with the PDF as handed out. They are written once, never
// deleted; a revocation adds its date and reason.

// documentContent is what the content column holds: what the document
// says, as printed.
type documentContent struct {
	Holder        certibloc.DocumentHolder        `json:"holder"`
	Certification certibloc.DocumentCertification `json:"certification"`
	Blocks        []certibloc.DocumentBlock       `json:"blocks"`
}

// IssueDocuments records documents and their PDFs in one transaction:
// all of them, or none when one is refused. Each is checked (Validate),
// must be about a person of its school who has not been erased, on a
// version of the certification that exists, and carry a number no other
// document has; its digest is the SHA-256 of its PDF, and its issuing time
// is the one the PDF prints (IssuedAt). Each issue is in the audit trail.
func (db *DB) IssueDocuments(ctx context.Context, docs []*certibloc.IssuedDocument, pdfs [][]byte) error {
	if err := checkIssue(docs, pdfs); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error { return db.issueInTx(ctx, tx, docs, pdfs) })
	if err != nil {
		return fmt.Errorf("issue documents: %w", err)
	}
	return nil
}

// checkIssue checks documents and their files before a transaction.
func checkIssue(docs []*certibloc.IssuedDocument, pdfs [][]byte) error {
	if len(docs) != len(pdfs) {
		return fmt.Errorf("issue documents: %d documents and %d files", len(docs), len(pdfs))
	}
	for i, d := range docs {
		if err := d.Validate(); err != nil {
			return err
		}
		if !bytes.HasPrefix(pdfs[i], []byte("%PDF-")) {
			return certibloc.Errorf(certibloc.EINVALID, "the file of document %s is not a PDF", d.Number)
		}
		if d.IssuedAt.IsZero() {
			return certibloc.Errorf(certibloc.EINVALID, "document %s has no issuing time", d.Number)
		}
	}
	return nil
}

// issueInTx writes checked documents in tx, with their audit entries.
func (db *DB) issueInTx(ctx context.Context, tx *sql.Tx, docs []*certibloc.IssuedDocument, pdfs [][]byte) error {
	if err := db.lockWriters(ctx, tx); err != nil {
		return err
	}
	people := map[int64]*certibloc.Person{}
	versions := map[string]bool{}
	items := make([]auditItem, 0, len(docs))
	for i, d := range docs {
		p, ok := people[d.PersonID]
		if !ok {
			var err error
			if p, err = findPerson(ctx, tx, d.PersonID); err != nil {
				return err
			}
			people[d.PersonID] = p
		}
		if p.ErasedAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "person %d was erased: no document can be issued to them", p.ID)
		}
		if d.School != p.School {
			return certibloc.Errorf(certibloc.EINVALID, "document %s names school %q, person %d belongs to %q", d.Number, d.School, p.ID, p.School)
		}
		version := fmt.Sprintf("%s/%d", d.Certification.Code, d.Certification.Version)
		if !versions[version] {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM certification_versions WHERE code = $1 AND version = $2`,
				d.Certification.Code, d.Certification.Version).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return certibloc.Errorf(certibloc.EINVALID, "certification %s has no version %d", d.Certification.Code, d.Certification.Version)
			}
			versions[version] = true
		}
		item, err := db.insertDocument(ctx, tx, d, pdfs[i])
		if err != nil {
			return err
		}
		items = append(items, item)
	}
	return db.auditMany(ctx, tx, items)
}

// IssueDocument records one document and its PDF (IssueDocuments).
func (db *DB) IssueDocument(ctx context.Context, d *certibloc.IssuedDocument, pdf []byte) error {
	return db.IssueDocuments(ctx, []*certibloc.IssuedDocument{d}, [][]byte{pdf})
}

// insertDocument writes one document in tx and returns its audit entry.
// A jury issues each of its documents once (issued_documents_once).
func (db *DB) insertDocument(ctx context.Context, tx *sql.Tx, d *certibloc.IssuedDocument, pdf []byte) (auditItem, error) {
	sum := sha256.Sum256(pdf)
	d.Digest = hex.EncodeToString(sum[:])
	d.IssuedAt = d.IssuedAt.UTC().Truncate(time.Microsecond)
	content, err := json.Marshal(documentContent{d.Holder, d.Certification, d.Blocks})
	if err != nil {
		return auditItem{}, err
	}
	block := ""
	if d.Kind == certibloc.Attestation {
		block = d.Blocks[0].Code
	}
	var jury any
	if d.JuryID != 0 {
		jury = d.JuryID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO issued_documents (number, kind, person_id, school_code, certification_code,
			certification_version, block_code, jury_id, jury_date, content, digest, pdf, issued_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		d.Number, string(d.Kind), d.PersonID, d.School, d.Certification.Code, d.Certification.Version, block, jury,
		d.JuryDate, string(content), d.Digest, pdf, d.IssuedAt).Scan(&d.ID)
	if err != nil {
		return auditItem{}, conflictOnDuplicate(err, fmt.Sprintf("document number %s is taken already, or jury %d issued this %s to person %d already",
			d.Number, d.JuryID, d.Kind, d.PersonID))
	}
	return auditItem{"document.issue", "document", d.Number, d.School, map[string]any{
		"kind": d.Kind, "person_id": d.PersonID, "certification": d.Certification.Code, "version": d.Certification.Version,
		"block": block, "jury_id": d.JuryID, "digest": d.Digest}}, nil
}

const issuedColumns = `id, number, kind, person_id, school_code, jury_id, jury_date, content, digest, issued_at, revoked_at, revoke_reason`

func scanIssued(row interface{ Scan(...any) error }) (*certibloc.IssuedDocument, error) {
	var d certibloc.IssuedDocument
	var kind, content string
	var jury sql.NullInt64
	if err := row.Scan(&d.ID, &d.Number, &kind, &d.PersonID, &d.School, &jury, &d.JuryDate, &content, &d.Digest,
		&d.IssuedAt, &d.RevokedAt, &d.RevokeReason); err != nil {
		return nil, err
	}
	d.Kind, d.JuryID = certibloc.DocumentKind(kind), jury.Int64
	var c documentContent
	if err := json.Unmarshal([]byte(content), &c); err != nil {
		return nil, fmt.Errorf("document %s: content: %w", d.Number, err)
	}
	d.Holder, d.Certification, d.Blocks = c.Holder, c.Certification, c.Blocks
	d.IssuedAt = d.IssuedAt.UTC()
	if d.RevokedAt != nil {
		t := d.RevokedAt.UTC()
		d.RevokedAt = &t
	}
	return &d, nil
}

// DocumentByNumber returns the document of a canonical number, without
// its PDF: not found when there is none.
func (db *DB) DocumentByNumber(ctx context.Context, number string) (*certibloc.IssuedDocument, error) {
	return findIssued(ctx, db.read, number)
}

func findIssued(ctx context.Context, q querier, number string) (*certibloc.IssuedDocument, error) {
	d, err := scanIssued(q.QueryRowContext(ctx, `SELECT `+issuedColumns+` FROM issued_documents WHERE number = $1`, number))
	if err == sql.ErrNoRows {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no document has the number %s", number)
	}
	return d, err
}

// DocumentPDF returns the PDF of a document as it was issued.
func (db *DB) DocumentPDF(ctx context.Context, number string) ([]byte, error) {
	var pdf []byte
	err := db.read.QueryRowContext(ctx, `SELECT pdf FROM issued_documents WHERE number = $1`, number).Scan(&pdf)
	if err == sql.ErrNoRows {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no document has the number %s", number)
	}
	return pdf, err
}

// PersonDocuments lists the documents issued to a person, oldest first,
// without their PDFs.
func (db *DB) PersonDocuments(ctx context.Context, personID int64) ([]certibloc.IssuedDocument, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+issuedColumns+` FROM issued_documents WHERE person_id = $1
		ORDER BY issued_at, id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []certibloc.IssuedDocument{}
	for rows.Next() {
		d, err := scanIssued(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// RevokeDocument revokes a document, with a reason (10 to 500
// characters) kept for the certifier and the holder; the public
// verification shows the date only. A document is revoked once.
func (db *DB) RevokeDocument(ctx context.Context, number, reason string) (*certibloc.IssuedDocument, error) {
	if err := certibloc.CheckRevokeReason(reason); err != nil {
		return nil, err
	}
	var d *certibloc.IssuedDocument
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		var err error
		if d, err = findIssued(ctx, tx, number); err != nil {
			return err
		}
		if d.RevokedAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "document %s was revoked already, on %s", number, d.RevokedAt.Format(time.DateOnly))
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		d.RevokedAt, d.RevokeReason = &now, reason
		if _, err := tx.ExecContext(ctx, `UPDATE issued_documents SET revoked_at = $1, revoke_reason = $2 WHERE id = $3`,
			now, reason, d.ID); err != nil {
			return err
		}
		if err := db.revokeCredentialsOf(ctx, tx, d, now); err != nil {
			return err
		}
		return db.audit(ctx, tx, "document.revoke", "document", number, d.School, map[string]any{"reason": reason})
	})
	if err != nil {
		return nil, fmt.Errorf("revoke document %s: %w", number, err)
	}
	return d, nil
}

// VerifyDocument is the public lookup of a document by its canonical
// number, throttled per client (an address): certibloc.VerifyLimit
// lookups per certibloc.VerifyWindow, counted on both engines with the
// sign-in attempts' counter (TakeAttempt), so the limit holds across
// server processes and restarts. Over the limit it answers ETOOMANY
// without looking the number up.
// ThrottleCredentialCheck counts one verification of a credential from
// client: each costs a JSON-LD expansion and a signature check, so an
// address gets as many as it gets lookups of documents (VerifyLimit per
// VerifyWindow); past them, ETOOMANY.
func (db *DB) ThrottleCredentialCheck(ctx context.Context, client string) error {
	ok, _, err := db.TakeAttempt(ctx, "credential-verify:"+client, certibloc.VerifyWindow, certibloc.VerifyLimit)
	if err != nil {
		return err
	}
	if !ok {
		return certibloc.Errorf(certibloc.ETOOMANY, "more than %d verifications from this address within %s: try again later",
			certibloc.VerifyLimit, certibloc.VerifyWindow)
	}
	return nil
}

func (db *DB) VerifyDocument(ctx context.Context, client, number string) (*certibloc.IssuedDocument, error) {
	if n, err := certibloc.ParseDocumentNumber(number); err != nil || n != number {
		return nil, certibloc.Errorf(certibloc.EINVALID, "%q is not a document number in its canonical form", number)
	}
	ok, _, err := db.TakeAttempt(ctx, "verify:"+client, certibloc.VerifyWindow, certibloc.VerifyLimit)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, certibloc.Errorf(certibloc.ETOOMANY, "more than %d verifications from this address within %s: try again later",
			certibloc.VerifyLimit, certibloc.VerifyWindow)
	}
	return db.DocumentByNumber(ctx, number)
}
