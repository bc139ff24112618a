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

// maxDisabilityText bounds each text of a disability record.
const maxDisabilityText = 10000

// SetDisability records a person's disability needs and the accommodations
// granted, replacing the record they had; with both texts empty it deletes
// the record. The audit trail names the fields that changed under the
// entity "disability", never their content, and never under "person": even
// the existence of a record is for the referent and the person only.
func (db *DB) SetDisability(ctx context.Context, d *certibloc.Disability) error {
	d.Needs, d.Accommodations = strings.TrimSpace(d.Needs), strings.TrimSpace(d.Accommodations)
	switch {
	case len(d.Needs) > maxDisabilityText:
		return certibloc.Errorf(certibloc.EINVALID, "needs is longer than %d characters", maxDisabilityText)
	case len(d.Accommodations) > maxDisabilityText:
		return certibloc.Errorf(certibloc.EINVALID, "accommodations is longer than %d characters", maxDisabilityText)
	}
	d.UpdatedAt = db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		p, err := findPerson(ctx, tx, d.PersonID)
		if err != nil {
			return err
		}
		if p.ErasedAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "person %d was erased and cannot be edited", p.ID)
		}
		before, err := findDisability(ctx, tx, d.PersonID)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			before, err = &certibloc.Disability{PersonID: d.PersonID}, nil
		}
		if err != nil {
			return err
		}
		action := "disability.set"
		if d.Needs == "" && d.Accommodations == "" {
			action = "disability.delete"
			_, err = tx.ExecContext(ctx, `DELETE FROM disabilities WHERE person_id = $1`, d.PersonID)
		} else {
			_, err = tx.ExecContext(ctx, `
				INSERT INTO disabilities (person_id, needs, accommodations, updated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (person_id) DO UPDATE
				SET needs = excluded.needs, accommodations = excluded.accommodations, updated_at = excluded.updated_at`,
				d.PersonID, d.Needs, d.Accommodations, d.UpdatedAt)
		}
		if err != nil {
			return err
		}
		fields := changedFields(before, d)
		if len(fields) == 0 {
			return nil
		}
		return db.audit(ctx, tx, action, "disability", fmt.Sprint(d.PersonID), p.School,
			map[string]any{"fields": fields})
	})
	if err != nil {
		return fmt.Errorf("disability record of person %d: %w", d.PersonID, err)
	}
	return nil
}

// Disability returns the disability record of a person, not found when the
// person has none.
func (db *DB) Disability(ctx context.Context, personID int64) (*certibloc.Disability, error) {
	return findDisability(ctx, db.read, personID)
}

func findDisability(ctx context.Context, q querier, personID int64) (*certibloc.Disability, error) {
	d := certibloc.Disability{PersonID: personID}
	err := q.QueryRowContext(ctx, `SELECT needs, accommodations, updated_at FROM disabilities WHERE person_id = $1`,
		personID).Scan(&d.Needs, &d.Accommodations, &d.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "person %d has no disability record", personID)
	}
	if err != nil {
		return nil, err
	}
	d.UpdatedAt = d.UpdatedAt.UTC()
	return &d, nil
}
