package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Accommodations: what the disability referent grants a learner for
// evaluations (extra time, a separate room…), apart from the needs behind
// them (disabilities.go). Session sheets show them; results record them.

// SetAccommodations replaces the accommodations of a person
// (WriteDisability, in the person's school): an empty list removes them.
// The sessions the person sits from today on show the new ones; results
// already saved keep those they were graded with. The audit trail says,
// under the entity "disability" like SetDisability, that they changed,
// never what they are.
func (db *DB) SetAccommodations(ctx context.Context, p *certibloc.Principal, personID int64, as []certibloc.Accommodation) error {
	if err := p.Authorize(certibloc.WriteDisability, ""); err != nil {
		return err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	as = slices.Clone(as)
	for i := range as {
		as[i].Kind, as[i].Detail = strings.TrimSpace(as[i].Kind), strings.TrimSpace(as[i].Detail)
	}
	if err := certibloc.CheckAccommodations(as); err != nil {
		return err
	}
	slices.SortFunc(as, func(a, b certibloc.Accommodation) int { return strings.Compare(a.Kind, b.Kind) })
	now := db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		person, err := findPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		if err := p.Authorize(certibloc.WriteDisability, person.School); err != nil {
			return err
		}
		if person.ErasedAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "person %d was erased and cannot be edited", personID)
		}
		before, err := findAccommodations(ctx, tx, personID)
		if err != nil {
			return err
		}
		if slices.Equal(before, as) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM accommodations WHERE person_id = $1`, personID); err != nil {
			return err
		}
		for _, a := range as {
			if _, err := tx.ExecContext(ctx, `INSERT INTO accommodations (person_id, kind, detail, updated_at) VALUES ($1, $2, $3, $4)`,
				personID, a.Kind, a.Detail, now); err != nil {
				return err
			}
		}
		aj, _ := json.Marshal(nonNil(as))
		if _, err := tx.ExecContext(ctx, `UPDATE eval_session_learners SET accommodations = $1
			WHERE person_id = $2 AND session_id IN (SELECT id FROM eval_sessions WHERE held_on >= $3)`,
			string(aj), personID, db.Today()); err != nil {
			return err
		}
		action := "accommodations.set"
		if len(as) == 0 {
			action = "accommodations.delete"
		}
		return db.audit(ctx, tx, action, "disability", fmt.Sprint(personID), person.School,
			map[string]any{"fields": []string{"accommodations"}})
	})
	if err != nil {
		return fmt.Errorf("accommodations of person %d: %w", personID, err)
	}
	return nil
}

// Accommodations returns the accommodations of a person, by kind. The
// person, the disability referent, and staff and the admin (who put them
// on session sheets) may read them.
func (db *DB) Accommodations(ctx context.Context, p *certibloc.Principal, personID int64) ([]certibloc.Accommodation, error) {
	if p.Anonymous() {
		return nil, certibloc.Errorf(certibloc.EUNAUTHORIZED, "sign in first")
	}
	person, err := db.Person(ctx, personID)
	if err != nil {
		return nil, err
	}
	own := p.PersonID != 0 && p.PersonID == personID
	if !own && !(p.Can(certibloc.ReadDisability) || p.Can(certibloc.ManageEvaluations)) {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "the %s role may not read accommodations", p.Role)
	}
	if !own && !p.InSchool(person.School) {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "this record belongs to another school")
	}
	list, err := findAccommodations(ctx, db.read, personID)
	if err != nil {
		return nil, fmt.Errorf("accommodations of person %d: %w", personID, err)
	}
	return list, nil
}

func findAccommodations(ctx context.Context, q querier, personID int64) ([]certibloc.Accommodation, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, detail FROM accommodations WHERE person_id = $1 ORDER BY kind`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []certibloc.Accommodation{}
	for rows.Next() {
		var a certibloc.Accommodation
		if err := rows.Scan(&a.Kind, &a.Detail); err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}
