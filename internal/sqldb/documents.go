package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/certibloc/certibloc"
)

// The documents of applications (CV, diplomas, transcripts) live in the
// database, never under the web root: PDF, PNG or JPEG files, recognised
// by their content, with their SHA-256 and size.

const documentColumns = `id, application_id, kind, filename, content_type, size, sha256, created_at`

// AddDocument attaches a file to an application whose documents are
// open (a draft, a submitted application before the admissibility
// commission, or one staff asked a document of): a PDF, PNG or JPEG whose
// content agrees with its name, at most certibloc.MaxDocumentSize bytes,
// and at most certibloc.MaxDocuments per application.
func (db *DB) AddDocument(ctx context.Context, applicationID int64, kind, filename string, data []byte) (*certibloc.Document, error) {
	return db.addDocument(ctx, applicationID, 0, kind, filename, data)
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
