package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// The documents of applications (CV, diplomas, transcripts) live in the
// database, never under the web root: PDF, PNG or JPEG files, recognised
// by their content, with their SHA-256 and size.

const documentColumns = `id, application_id, kind, filename, content_type, size, sha256, created_at`

// AddDocument attaches a file to a draft application: a PDF, PNG or JPEG
// whose content agrees with its name, at most certibloc.MaxDocumentSize
// bytes, and at most certibloc.MaxDocuments per application.
func (db *DB) AddDocument(ctx context.Context, applicationID int64, kind, filename string, data []byte) (*certibloc.Document, error) {
	name, contentType, err := certibloc.CheckDocument(kind, filename, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	doc := &certibloc.Document{ApplicationID: applicationID, Kind: kind, Filename: name, ContentType: contentType,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: db.now().UTC().Truncate(time.Microsecond)}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		a, err := findApplication(ctx, tx, applicationID)
		if err != nil {
			return err
		}
		if a.State != certibloc.Draft {
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d is %s: documents are added to a draft only", a.ID, a.State)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM application_documents WHERE application_id = $1`,
			applicationID).Scan(&n); err != nil {
			return err
		}
		if n >= certibloc.MaxDocuments {
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d has %d documents already, the most it may have", a.ID, n)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO application_documents (application_id, kind, filename,
				content_type, size, sha256, data, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			applicationID, doc.Kind, doc.Filename, doc.ContentType, doc.Size, doc.SHA256, data, doc.CreatedAt).Scan(&doc.ID); err != nil {
			return err
		}
		// Not the file name: it often holds the person's name.
		return db.audit(ctx, tx, "application.document", "application", fmt.Sprint(a.ID), a.School, map[string]any{
			"document": doc.ID, "kind": doc.Kind, "content_type": doc.ContentType, "size": doc.Size, "sha256": doc.SHA256})
	})
	if err != nil {
		return nil, fmt.Errorf("add document to application %d: %w", applicationID, err)
	}
	return doc, nil
}

// Documents lists the documents of an application, without their
// content, in the order they were added.
func (db *DB) Documents(ctx context.Context, applicationID int64) ([]certibloc.Document, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+documentColumns+` FROM application_documents
		WHERE application_id = $1 ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("documents of application %d: %w", applicationID, err)
	}
	defer rows.Close()
	list := []certibloc.Document{}
	for rows.Next() {
		var d certibloc.Document
		if err := rows.Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256,
			&d.CreatedAt); err != nil {
			return nil, err
		}
		d.CreatedAt = d.CreatedAt.UTC()
		list = append(list, d)
	}
	return list, rows.Err()
}

// DocumentData returns a document and its content.
func (db *DB) DocumentData(ctx context.Context, id int64) (*certibloc.Document, []byte, error) {
	var d certibloc.Document
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT `+documentColumns+`, data FROM application_documents WHERE id = $1`, id).
		Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.CreatedAt, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "no document with id %d", id)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("document %d: %w", id, err)
	}
	d.CreatedAt = d.CreatedAt.UTC()
	return &d, data, nil
}
