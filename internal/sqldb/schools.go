package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// CreateSchool stores a new school; a school with the same code is a conflict.
func (db *DB) CreateSchool(ctx context.Context, s *certibloc.School) error {
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
func (db *DB) School(ctx context.Context, code string) (*certibloc.School, error) {
	return findSchool(ctx, db.read, strings.ToUpper(code))
}

// Schools lists every school by code.
func (db *DB) Schools(ctx context.Context) ([]certibloc.School, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT code, name, certifier, created_at FROM schools ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list schools: %w", err)
	}
	defer rows.Close()
	list := []certibloc.School{}
	for rows.Next() {
		var s certibloc.School
		if err := rows.Scan(&s.Code, &s.Name, &s.Certifier, &s.CreatedAt); err != nil {
			return nil, err
		}
		s.CreatedAt = s.CreatedAt.UTC()
		list = append(list, s)
	}
	return list, rows.Err()
}

func findSchool(ctx context.Context, q querier, code string) (*certibloc.School, error) {
	var s certibloc.School
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
