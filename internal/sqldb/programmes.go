package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/certibloc/certibloc"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// SaveProgramme creates or replaces a programme sheet. Its certification
// must exist.
func (db *DB) SaveProgramme(ctx context.Context, p *certibloc.Programme) error {
	if !slugRE.MatchString(p.Slug) {
		return certibloc.Errorf(certibloc.EINVALID, "programme slug %q must be lower-case words joined by hyphens", p.Slug)
	}
	if p.Title == "" || p.School.Code == "" {
		return certibloc.Errorf(certibloc.EINVALID, "programme %s needs a title and a school code", p.Slug)
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM certifications WHERE code = $1`, p.CertificationCode).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return certibloc.Errorf(certibloc.EINVALID, "programme %s: no certification with code %q", p.Slug, p.CertificationCode)
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO programmes (slug, school_code, certification_code, title, document, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (slug) DO UPDATE SET school_code = excluded.school_code,
				certification_code = excluded.certification_code, title = excluded.title,
				document = excluded.document, updated_at = excluded.updated_at`,
			p.Slug, p.School.Code, p.CertificationCode, p.Title, string(doc), db.now().UTC())
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "programme.save", "programme", p.Slug, p.School.Code,
			map[string]any{"certification": p.CertificationCode, "title": p.Title})
	})
	if err != nil {
		return fmt.Errorf("save programme %s: %w", p.Slug, err)
	}
	return nil
}

// Programme returns the programme sheet with the given slug.
func (db *DB) Programme(ctx context.Context, slug string) (*certibloc.Programme, error) {
	var doc string
	err := db.read.QueryRowContext(ctx, `SELECT document FROM programmes WHERE slug = $1`, slug).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no programme %q", slug)
	}
	if err != nil {
		return nil, fmt.Errorf("programme %s: %w", slug, err)
	}
	var p certibloc.Programme
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("programme %s: %w", slug, err)
	}
	return &p, nil
}

// ProgrammeSummary is a line of the list of programmes.
type ProgrammeSummary struct {
	Slug              string `json:"slug"`
	Title             string `json:"title"`
	School            string `json:"school"`
	CertificationCode string `json:"certification_code"`
}

// Programmes lists the programme sheets by slug.
func (db *DB) Programmes(ctx context.Context) ([]ProgrammeSummary, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT slug, title, school_code, certification_code FROM programmes ORDER BY slug`)
	if err != nil {
		return nil, fmt.Errorf("list programmes: %w", err)
	}
	defer rows.Close()
	list := []ProgrammeSummary{}
	for rows.Next() {
		var p ProgrammeSummary
		if err := rows.Scan(&p.Slug, &p.Title, &p.School, &p.CertificationCode); err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, rows.Err()
}
