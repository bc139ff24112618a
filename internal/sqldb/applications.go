package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// Applications to campaigns: created as drafts, edited while they are,
// then submitted, when the entry rules give their verdict. The decisions
// that follow are in decisions.go, the lists in applications_list.go.

// applicationSelect reads applications with the names of their candidates.
const (
	applicationColumns = `a.id, a.campaign_id, a.person_id, a.school_code, a.track, a.mode, a.option_block,
	a.state, a.eligibility, a.submitted_at, a.created_at, a.updated_at, p.first_names, p.birth_name, p.usage_name`
	applicationFrom   = ` FROM applications a JOIN people p ON p.id = a.person_id`
	applicationSelect = `SELECT ` + applicationColumns + applicationFrom
)

// CreateApplication stores a draft application of a person to a campaign
// that is open today: one per person and campaign, of a person of the
// campaign's school, for a track, mode and option the campaign offers. a
// gets its id, school, state and dates.
func (db *DB) CreateApplication(ctx context.Context, a *certibloc.Application) error {
	today := db.Today()
	now := db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		c, err := findCampaign(ctx, tx, a.CampaignID)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "campaign %d does not exist", a.CampaignID)
		} else if err != nil {
			return err
		}
		p, err := findPerson(ctx, tx, a.PersonID)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "person %d does not exist", a.PersonID)
		} else if err != nil {
			return err
		}
		switch {
		case p.ErasedAt != nil:
			return certibloc.Errorf(certibloc.EINVALID, "person %d was erased and cannot apply", p.ID)
		case p.School != c.School:
			return certibloc.Errorf(certibloc.EINVALID, "person %d belongs to school %s, and campaign %d recruits for %s",
				p.ID, p.School, c.ID, c.School)
		}
		if err := checkOpen(c, today); err != nil {
			return err
		}
		if err := a.CheckChoice(c); err != nil {
			return err
		}
		var other int64
		// A withdrawn application does not count: its candidate may apply
		// again while the campaign is open.
		err = tx.QueryRowContext(ctx, `SELECT id FROM applications WHERE campaign_id = $1 AND person_id = $2
			AND state <> 'withdrawn'`, c.ID, p.ID).Scan(&other)
		if err == nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "already applied: person %d has application %d to this campaign", p.ID, other)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		a.School, a.State, a.Eligibility, a.SubmittedAt = c.School, certibloc.Draft, nil, nil
		a.CreatedAt, a.UpdatedAt, a.Name = now, now, p.DisplayName()
		if err := tx.QueryRowContext(ctx, `INSERT INTO applications (campaign_id, person_id, school_code, track, mode,
				option_block, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			a.CampaignID, a.PersonID, a.School, a.Track, a.Mode, a.Option, a.State, now).Scan(&a.ID); err != nil {
			return conflictOnDuplicate(err, fmt.Sprintf("already applied: person %d has an application to this campaign", p.ID))
		}
		return db.audit(ctx, tx, "application.create", "application", fmt.Sprint(a.ID), a.School,
			map[string]any{"campaign": a.CampaignID, "person": a.PersonID, "state": a.State})
	})
	if err != nil {
		return fmt.Errorf("create application: %w", err)
	}
	return nil
}

// checkOpen refuses a campaign that does not take applications today,
// naming the date that decides.
func checkOpen(c *certibloc.Campaign, today certibloc.Date) error {
	switch {
	case today.Before(c.OpensOn):
		return certibloc.Errorf(certibloc.EINVALID, "applications to %q open on %s", c.Title, c.OpensOn)
	case c.ClosesOn.Before(today):
		return certibloc.Errorf(certibloc.EINVALID, "applications to %q closed on %s", c.Title, c.ClosesOn)
	}
	return nil
}

// UpdateApplication changes the track, mode and option of a draft: a
// submitted application keeps the choice it was judged on. a is then the
// application as stored.
func (db *DB) UpdateApplication(ctx context.Context, a *certibloc.Application) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		before, err := findApplication(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if before.State != certibloc.Draft {
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d is %s: only a draft's choice can be changed", a.ID, before.State)
		}
		c, err := findCampaign(ctx, tx, before.CampaignID)
		if err != nil {
			return err
		}
		if err := a.CheckChoice(c); err != nil {
			return err
		}
		after := *before
		after.Track, after.Mode, after.Option = a.Track, a.Mode, a.Option
		fields := changedFields(before, &after)
		if len(fields) > 0 {
			after.UpdatedAt = db.now().UTC().Truncate(time.Microsecond)
			if _, err := tx.ExecContext(ctx, `UPDATE applications SET track = $1, mode = $2, option_block = $3, updated_at = $4
				WHERE id = $5`, after.Track, after.Mode, after.Option, after.UpdatedAt, a.ID); err != nil {
				return err
			}
			if err := db.audit(ctx, tx, "application.update", "application", fmt.Sprint(a.ID), after.School,
				map[string]any{"fields": fields}); err != nil {
				return err
			}
		}
		*a = after
		return nil
	})
	if err != nil {
		return fmt.Errorf("update application %d: %w", a.ID, err)
	}
	return nil
}

// SubmitApplication submits a draft on day today, until the campaign's
// closing date included: the entry rules of the campaign's certification
// version judge the person's level, ECTS and experience for the track
// chosen, and their verdict, reasons and all, is stored with it. A draft
// missing a document its campaign requires is refused, naming them; the
// candidate's acknowledgement goes to the outbox (SubmitApplicationFrom
// gives its link the site's address).
func (db *DB) SubmitApplication(ctx context.Context, id int64, today certibloc.Date) (*certibloc.Application, error) {
	return db.submitApplication(ctx, id, today, "")
}

func (db *DB) submitApplication(ctx context.Context, id int64, today certibloc.Date, base string) (*certibloc.Application, error) {
	var a *certibloc.Application
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		var err error
		if a, err = findApplication(ctx, tx, id); err != nil {
			return err
		}
		if a.State != certibloc.Draft {
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d is %s already: only a draft is submitted", id, a.State)
		}
		c, err := findCampaign(ctx, tx, a.CampaignID)
		if err != nil {
			return err
		}
		if err := checkOpen(c, today); err != nil {
			return certibloc.Errorf(certibloc.EINVALID, "%s: application %d can no longer be submitted", certibloc.ErrorMessage(err), id)
		}
		if err := checkComplete(ctx, tx, id); err != nil {
			return err
		}
		p, err := findPerson(ctx, tx, a.PersonID)
		if err != nil {
			return err
		}
		cert, err := findCertification(ctx, tx, c.CertificationCode, c.Version)
		if err != nil {
			return err
		}
		el, err := db.rules.Rules(cert).Eligibility(certibloc.Applicant{Track: a.Track, Level: p.Level,
			ExperienceMonths: p.ExperienceMonths, ECTS: p.ECTS})
		if err != nil {
			return err
		}
		verdict, _ := json.Marshal(el)
		now := db.now().UTC().Truncate(time.Microsecond)
		a.State, a.Eligibility, a.SubmittedAt, a.UpdatedAt = certibloc.Submitted, &el, &now, now
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, eligible = $2, committee_review = $3,
				eligibility = $4, submitted_at = $5, updated_at = $5 WHERE id = $6`,
			a.State, el.Eligible, el.CommitteeReview, string(verdict), now, id); err != nil {
			return err
		}
		if err := db.acknowledge(ctx, tx, a, base); err != nil {
			return err
		}
		// The verdict is the person's qualifications in other words: not here.
		return db.audit(ctx, tx, "application.submit", "application", fmt.Sprint(id), a.School,
			map[string]any{"from": certibloc.Draft, "to": certibloc.Submitted})
	})
	if err != nil {
		return nil, fmt.Errorf("submit application %d: %w", id, err)
	}
	return a, nil
}

// Application returns the application with an id, with its candidate's name.
func (db *DB) Application(ctx context.Context, id int64) (*certibloc.Application, error) {
	return findApplication(ctx, db.read, id)
}

func findApplication(ctx context.Context, q querier, id int64) (*certibloc.Application, error) {
	rows, err := q.QueryContext(ctx, applicationSelect+` WHERE a.id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("application %d: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no application with id %d", id)
	}
	return scanApplication(rows)
}

// scanApplication reads a row of applicationSelect, and into extra the
// columns a query adds after them.
func scanApplication(rows *sql.Rows, extra ...any) (*certibloc.Application, error) {
	var (
		a                 certibloc.Application
		verdict           sql.NullString
		submitted         sql.NullTime
		first, birth, use string
	)
	dest := []any{&a.ID, &a.CampaignID, &a.PersonID, &a.School, &a.Track, &a.Mode, &a.Option, &a.State,
		&verdict, &submitted, &a.CreatedAt, &a.UpdatedAt, &first, &birth, &use}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	if verdict.Valid && verdict.String != "" {
		a.Eligibility = &certibloc.Eligibility{}
		if err := json.Unmarshal([]byte(verdict.String), a.Eligibility); err != nil {
			return nil, fmt.Errorf("eligibility of application %d: %w", a.ID, err)
		}
	}
	if submitted.Valid {
		t := submitted.Time.UTC()
		a.SubmittedAt = &t
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.Name = (&certibloc.Person{FirstNames: first, BirthName: birth, UsageName: use}).DisplayName()
	return &a, nil
}

// DeleteDraft deletes a draft application with its documents: never
// submitted, it leaves nothing behind but the audit entry saying it was
// deleted. A submitted application is withdrawn instead (Decide), which
// keeps it and its history.
func (db *DB) DeleteDraft(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var state, school string
		var person int64
		err := tx.QueryRowContext(ctx, `SELECT state, school_code, person_id FROM applications WHERE id = $1`, id).
			Scan(&state, &school, &person)
		if errors.Is(err, sql.ErrNoRows) {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no application %d", id)
		} else if err != nil {
			return err
		}
		if certibloc.State(state) != certibloc.Draft {
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d is %s, not a draft: withdraw it instead", id, state)
		}
		for _, q := range []string{`DELETE FROM application_documents WHERE application_id = $1`,
			`DELETE FROM application_notes WHERE application_id = $1`,
			`DELETE FROM document_requests WHERE application_id = $1`,
			`DELETE FROM admission_decisions WHERE application_id = $1`, `DELETE FROM applications WHERE id = $1`} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "application.delete", "application", fmt.Sprint(id), school,
			map[string]any{"person": person})
	})
}
