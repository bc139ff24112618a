package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// School is a school that trains for the certifier's certifications: the
// DIIAGE is one. Every person belongs to one school, and staff roles are
// scoped to schools by their code.
type School struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Certifier string    `json:"certifier"`
	CreatedAt time.Time `json:"created_at"`
}

var schoolCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{1,31}$`)

// Validate checks a school's fields, naming the first wrong one; the code
// is brought to upper case.
func (s *School) Validate() error {
	s.Code = strings.ToUpper(strings.TrimSpace(s.Code))
	s.Name = strings.TrimSpace(s.Name)
	s.Certifier = strings.TrimSpace(s.Certifier)
	switch {
	case !schoolCodeRE.MatchString(s.Code):
		return certibloc.Errorf(certibloc.EINVALID,
			"code %q must be 2 to 32 capital letters, digits, - or _, such as DIIAGE", s.Code)
	case s.Name == "":
		return certibloc.Errorf(certibloc.EINVALID, "name is required")
	case len(s.Name) > 300:
		return certibloc.Errorf(certibloc.EINVALID, "name is longer than 300 characters")
	case len(s.Certifier) > 300:
		return certibloc.Errorf(certibloc.EINVALID, "certifier is longer than 300 characters")
	}
	return nil
}

// CreateSchool stores a new school; a school with the same code is a conflict.
func (db *DB) CreateSchool(ctx context.Context, s *School) error {
	if err := s.Validate(); err != nil {
		return err
	}
	s.CreatedAt = db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := findSchool(ctx, tx, s.Code); err == nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "a school with code %s exists already", s.Code)
		} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schools (code, name, certifier, created_at) VALUES ($1, $2, $3, $4)`,
			s.Code, s.Name, s.Certifier, s.CreatedAt); err != nil {
			return err
		}
		return db.audit(ctx, tx, "school.create", "school", s.Code, s.Code,
			map[string]any{"name": s.Name, "certifier": s.Certifier})
	})
	if err != nil {
		return fmt.Errorf("create school %s: %w", s.Code, err)
	}
	return nil
}

// School returns the school with a code.
func (db *DB) School(ctx context.Context, code string) (*School, error) {
	return findSchool(ctx, db.read, strings.ToUpper(code))
}

// Schools lists every school by code.
func (db *DB) Schools(ctx context.Context) ([]School, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT code, name, certifier, created_at FROM schools ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list schools: %w", err)
	}
	defer rows.Close()
	list := []School{}
	for rows.Next() {
		var s School
		if err := rows.Scan(&s.Code, &s.Name, &s.Certifier, &s.CreatedAt); err != nil {
			return nil, err
		}
		s.CreatedAt = s.CreatedAt.UTC()
		list = append(list, s)
	}
	return list, rows.Err()
}

func findSchool(ctx context.Context, q querier, code string) (*School, error) {
	var s School
	err := q.QueryRowContext(ctx, `SELECT code, name, certifier, created_at FROM schools WHERE code = $1`, code).
		Scan(&s.Code, &s.Name, &s.Certifier, &s.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no school with code %q", code)
	}
	if err != nil {
		return nil, fmt.Errorf("school %s: %w", code, err)
	}
	s.CreatedAt = s.CreatedAt.UTC()
	return &s, nil
}
