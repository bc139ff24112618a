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

// Cohorts (promotions) and their learners. Enrolments are in enrolments.go.

const cohortSelect = `SELECT c.id, c.school_code, c.campaign_id, c.name, c.certification_code, c.certification_version,
	c.track, c.starts_on, c.ends_on, c.planned_hours, c.weekly_hours, c.created_at,
	(SELECT count(*) FROM enrolments e WHERE e.cohort_id = c.id)
	FROM cohorts c`

// CreateCohort validates a cohort and stores it. When it names a
// campaign, the campaign must be of the same school, and gives the
// certification and its version when the cohort names none; otherwise
// version 0 is the current version. Two cohorts of a school may not
// share a name. c gets its id.
func (db *DB) CreateCohort(ctx context.Context, c *certibloc.Cohort) error {
	c.School = strings.ToUpper(strings.TrimSpace(c.School))
	c.CreatedAt, c.Learners = db.now().UTC().Truncate(time.Microsecond), 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if c.CampaignID != 0 {
			camp, err := findCampaign(ctx, tx, c.CampaignID)
			if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
				return certibloc.Errorf(certibloc.EINVALID, "campaign %d does not exist", c.CampaignID)
			} else if err != nil {
				return err
			}
			if c.CertificationCode == "" {
				c.CertificationCode = camp.CertificationCode
				if c.Version == 0 {
					c.Version = camp.Version
				}
			}
			switch {
			case camp.School != c.School:
				return certibloc.Errorf(certibloc.EINVALID, "campaign %d recruits for %s, not %s", camp.ID, camp.School, c.School)
			case camp.CertificationCode != c.CertificationCode:
				return certibloc.Errorf(certibloc.EINVALID, "campaign %d recruits for %s, not %s", camp.ID, camp.CertificationCode, c.CertificationCode)
			}
		}
		if c.CertificationCode == "" {
			return certibloc.Errorf(certibloc.EINVALID, "certification_code is required (or a campaign)")
		}
		cert, err := findCertification(ctx, tx, c.CertificationCode, c.Version)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "%s", certibloc.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		c.Version = cert.Version
		if err := c.Validate(cert); err != nil {
			return err
		}
		if err := schoolExists(ctx, tx, c.School); err != nil {
			return err
		}
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM cohorts WHERE school_code = $1 AND name = $2`, c.School, c.Name).Scan(&other)
		if err == nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "school %s has a cohort named %q already (cohort %d)", c.School, c.Name, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var campaign any
		if c.CampaignID != 0 {
			campaign = c.CampaignID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO cohorts (school_code, campaign_id, name, certification_code,
				certification_version, track, starts_on, ends_on, planned_hours, weekly_hours, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			c.School, campaign, c.Name, c.CertificationCode, c.Version, c.Track, c.StartsOn, c.EndsOn,
			c.PlannedHours, c.WeeklyHours, c.CreatedAt).Scan(&c.ID); err != nil {
			return conflictOnDuplicate(err, fmt.Sprintf("school %s has a cohort named %q already", c.School, c.Name))
		}
		return db.audit(ctx, tx, "cohort.create", "cohort", fmt.Sprint(c.ID), c.School, map[string]any{
			"name": c.Name, "campaign": c.CampaignID, "certification": c.CertificationCode, "version": c.Version,
			"track": c.Track, "starts_on": c.StartsOn, "ends_on": c.EndsOn, "planned_hours": c.PlannedHours})
	})
	if err != nil {
		return fmt.Errorf("create cohort: %w", err)
	}
	return nil
}

// Cohort returns the cohort with an id, its learners counted.
func (db *DB) Cohort(ctx context.Context, id int64) (*certibloc.Cohort, error) {
	return findCohort(ctx, db.read, id)
}

func findCohort(ctx context.Context, q querier, id int64) (*certibloc.Cohort, error) {
	list, err := findCohorts(ctx, q, ` WHERE c.id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("cohort %d: %w", id, err)
	}
	if len(list) == 0 {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no cohort with id %d", id)
	}
	return &list[0], nil
}

// Cohorts lists the cohorts of a school, "" for every school, the latest
// first, their learners counted.
func (db *DB) Cohorts(ctx context.Context, school string) ([]certibloc.Cohort, error) {
	list, err := findCohorts(ctx, db.read, ` WHERE $1 = '' OR c.school_code = $1`, strings.ToUpper(school))
	if err != nil {
		return nil, fmt.Errorf("list cohorts: %w", err)
	}
	return list, nil
}

func findCohorts(ctx context.Context, q querier, where string, args ...any) ([]certibloc.Cohort, error) {
	rows, err := q.QueryContext(ctx, cohortSelect+where+` ORDER BY c.starts_on DESC, c.name, c.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []certibloc.Cohort{}
	for rows.Next() {
		var c certibloc.Cohort
		var campaign sql.NullInt64
		if err := rows.Scan(&c.ID, &c.School, &campaign, &c.Name, &c.CertificationCode, &c.Version, &c.Track,
			&c.StartsOn, &c.EndsOn, &c.PlannedHours, &c.WeeklyHours, &c.CreatedAt, &c.Learners); err != nil {
			return nil, err
		}
		c.CampaignID, c.CreatedAt = campaign.Int64, c.CreatedAt.UTC()
		list = append(list, c)
	}
	return list, rows.Err()
}
