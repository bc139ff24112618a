package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// The candidate's side of an application once it is written: the
// documents its campaign requires, adding and replacing documents after
// submission, staff asking for one, and the e-mails that go with them.

// MissingDocuments returns the kinds of the documents the campaign of
// application id requires (its checklist) that the application does not
// carry yet: empty when nothing is missing.
func (db *DB) MissingDocuments(ctx context.Context, id int64) ([]string, error) {
	missing, err := missingDocuments(ctx, db.read, id)
	if err != nil {
		return nil, fmt.Errorf("missing documents of application %d: %w", id, err)
	}
	return missing, nil
}

func missingDocuments(ctx context.Context, q querier, id int64) ([]string, error) {
	a, err := findApplication(ctx, q, id)
	if err != nil {
		return nil, err
	}
	c, err := findCampaign(ctx, q, a.CampaignID)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT kind FROM application_documents WHERE application_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []certibloc.Document
	for rows.Next() {
		var d certibloc.Document
		if err := rows.Scan(&d.Kind); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return certibloc.MissingDocuments(c.RequiredDocuments, docs), nil
}

// SubmitApplicationFrom is SubmitApplication on a site reached at base
// (the address links in e-mails start with): a draft that carries every
// document its campaign requires is judged by the entry rules and
// submitted, and its candidate gets an acknowledgement in the outbox, in
// their language, in the same transaction.
func (db *DB) SubmitApplicationFrom(ctx context.Context, id int64, today certibloc.Date, base string) (*certibloc.Application, error) {
	return db.submitApplication(ctx, id, today, base)
}

// checkComplete refuses, in tx, to submit an application missing a
// document its campaign requires, naming them.
func checkComplete(ctx context.Context, tx *sql.Tx, id int64) error {
	missing, err := missingDocuments(ctx, tx, id)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return certibloc.Errorf(certibloc.EINVALID, "application %d cannot be submitted: documents required by the campaign are missing: %s",
			id, strings.Join(missing, ", "))
	}
	return nil
}

// mailContext is what the e-mails about an application need: its
// candidate, their language, the campaign's title, the school's name.
type mailContext struct {
	person           *certibloc.Person
	lang             string
	campaign, school string
}

func findMailContext(ctx context.Context, tx *sql.Tx, a *certibloc.Application) (*mailContext, error) {
	m := &mailContext{}
	var err error
	if m.person, err = findPerson(ctx, tx, a.PersonID); err != nil {
		return nil, err
	}
	c, err := findCampaign(ctx, tx, a.CampaignID)
	if err != nil {
		return nil, err
	}
	m.campaign = c.Title
	s, err := findSchool(ctx, tx, a.School)
	if err != nil {
		return nil, err
	}
	m.school = s.Name
	err = tx.QueryRowContext(ctx, `SELECT lang FROM accounts WHERE person_id = $1 ORDER BY id LIMIT 1`, a.PersonID).Scan(&m.lang)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	return m, nil
}

// acknowledge writes to the outbox in tx the acknowledgement of
// application a, just submitted.
func (db *DB) acknowledge(ctx context.Context, tx *sql.Tx, a *certibloc.Application, base string) error {
	m, err := findMailContext(ctx, tx, a)
	if err != nil {
		return err
	}
	link := strings.TrimRight(base, "/") + fmt.Sprintf("/app/applications/%d", a.ID)
	if mail, ok := certibloc.Acknowledgement(a, m.campaign, m.school, m.person, m.lang, link); ok {
		return db.enqueue(ctx, tx, []certibloc.Mail{mail})
	}
	return nil
}

// RequestDocument records a staff member's request for a document of
// application r.ApplicationID, which reopens its documents until the
// candidate sends one of that kind, and e-mails the candidate in their
// language with a link from base. The caller checks who may (staff who
// manage admissions in the application's school).
func (db *DB) RequestDocument(ctx context.Context, r *certibloc.DocumentRequest, base string) error {
	if err := r.Check(); err != nil {
		return err
	}
	r.RequestedBy = actorLabel(certibloc.PrincipalFrom(ctx))
	r.RequestedAt, r.FulfilledAt = db.now().UTC().Truncate(time.Microsecond), nil
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		a, err := findApplication(ctx, tx, r.ApplicationID)
		if err != nil {
			return err
		}
		if a.State == certibloc.Draft || !certibloc.DocumentsOpen(a.State, true) {
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d is %s: no document is asked for any more", a.ID, a.State)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO document_requests (application_id, kind, message, requested_by, requested_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, a.ID, r.Kind, r.Message, r.RequestedBy, r.RequestedAt).Scan(&r.ID); err != nil {
			return err
		}
		m, err := findMailContext(ctx, tx, a)
		if err != nil {
			return err
		}
		link := strings.TrimRight(base, "/") + fmt.Sprintf("/app/applications/%d", a.ID)
		if mail, ok := certibloc.DocumentRequestMail(r, a, m.campaign, m.school, m.person, m.lang, link); ok {
			if err := db.enqueue(ctx, tx, []certibloc.Mail{mail}); err != nil {
				return err
			}
		}
		// Not the message: it is about the person.
		return db.audit(ctx, tx, "application.request_document", "application", fmt.Sprint(a.ID), a.School,
			map[string]any{"request": r.ID, "kind": r.Kind})
	})
	if err != nil {
		return fmt.Errorf("ask for a document of application %d: %w", r.ApplicationID, err)
	}
	return nil
}

// DocumentRequests lists the requests for documents of an application,
// in the order they were made.
func (db *DB) DocumentRequests(ctx context.Context, applicationID int64) ([]certibloc.DocumentRequest, error) {
	list, err := documentRequests(ctx, db.read, applicationID)
	if err != nil {
		return nil, fmt.Errorf("document requests of application %d: %w", applicationID, err)
	}
	return list, nil
}

func documentRequests(ctx context.Context, q querier, applicationID int64) ([]certibloc.DocumentRequest, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, application_id, kind, message, requested_by, requested_at, fulfilled_at
		FROM document_requests WHERE application_id = $1 ORDER BY id`, applicationID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []certibloc.DocumentRequest{}
	for rows.Next() {
		var r certibloc.DocumentRequest
		var done sql.NullTime
		if err := rows.Scan(&r.ID, &r.ApplicationID, &r.Kind, &r.Message, &r.RequestedBy, &r.RequestedAt, &done); err != nil {
			return nil, err
		}
		r.RequestedAt = r.RequestedAt.UTC()
		if done.Valid {
			t := done.Time.UTC()
			r.FulfilledAt = &t
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// openRequest reports whether application id has a request for a
// document not sent yet.
func openRequest(ctx context.Context, q querier, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM document_requests WHERE application_id = $1 AND fulfilled_at IS NULL`, id).Scan(&n)
	return n > 0, err
}

// DocumentsOpen reports whether the candidate of application a may add or
// replace its documents now (certibloc.DocumentsOpen).
func (db *DB) DocumentsOpen(ctx context.Context, a *certibloc.Application) (bool, error) {
	requested, err := openRequest(ctx, db.read, a.ID)
	if err != nil {
		return false, fmt.Errorf("documents of application %d: %w", a.ID, err)
	}
	return certibloc.DocumentsOpen(a.State, requested), nil
}

// ReplaceDocument puts a new file in the place of document replaces of
// the application, in one transaction: the old one is deleted, the new
// one added, as AddDocument does.
func (db *DB) ReplaceDocument(ctx context.Context, applicationID, replaces int64, kind, filename string, data []byte) (*certibloc.Document, error) {
	return db.addDocument(ctx, applicationID, replaces, kind, filename, data)
}

// addDocument attaches a file to an application whose documents are open
// (certibloc.DocumentsOpen), deleting document replaces (when not 0) of
// the same application; the requests for a document of its kind are
// fulfilled.
func (db *DB) addDocument(ctx context.Context, applicationID, replaces int64, kind, filename string, data []byte) (*certibloc.Document, error) {
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
		requested, err := openRequest(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if !certibloc.DocumentsOpen(a.State, requested) {
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d is %s: its documents can no longer be added or replaced", a.ID, a.State)
		}
		if replaces != 0 {
			res, err := tx.ExecContext(ctx, `DELETE FROM application_documents WHERE id = $1 AND application_id = $2`, replaces, a.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 {
				return certibloc.Errorf(certibloc.EINVALID, "document %d is not a document of application %d", replaces, a.ID)
			}
			if err := db.audit(ctx, tx, "application.document_replace", "application", fmt.Sprint(a.ID), a.School,
				map[string]any{"document": replaces}); err != nil {
				return err
			}
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
		if _, err := tx.ExecContext(ctx, `UPDATE document_requests SET fulfilled_at = $1
			WHERE application_id = $2 AND kind = $3 AND fulfilled_at IS NULL`, doc.CreatedAt, a.ID, doc.Kind); err != nil {
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
