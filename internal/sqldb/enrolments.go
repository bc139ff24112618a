package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Enrol makes the candidate of an admitted application a learner of a
// cohort of the same school, certification and track. The enrolment takes
// the application's person, track, mode and option and the referential
// version of its campaign (whatever e says of them); the mode's own
// fields (internship, or employer, contract and tutor) come from e. In
// the same transaction the application becomes enrolled, with a decision
// of kind enrol in its history, and the candidate's notice is written to
// the outbox. e gets its id and the learner's name.
func (db *DB) Enrol(ctx context.Context, e *certibloc.Enrolment) error {
	if e.ApplicationID == 0 {
		return certibloc.Errorf(certibloc.EINVALID, "application_id is required: a learner is enrolled through their admitted application")
	}
	e.Employer, e.EmployerSIRET = strings.TrimSpace(e.Employer), strings.TrimSpace(e.EmployerSIRET)
	e.Tutor, e.TutorEmail = strings.TrimSpace(e.Tutor), strings.TrimSpace(strings.ToLower(e.TutorEmail))
	now := db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		a, cohort, to, err := checkEnrolment(ctx, tx, e, now)
		if err != nil {
			return err
		}
		return db.writeEnrolment(ctx, tx, e, a, cohort, to, now)
	})
	if err != nil {
		return fmt.Errorf("enrol: %w", err)
	}
	return nil
}

// checkEnrolment reads and checks what enrolment e needs, in tx: its
// admitted application, its cohort and the state the application goes
// to; it fills e from the application (see Enrol) and checks it.
func checkEnrolment(ctx context.Context, tx *sql.Tx, e *certibloc.Enrolment, now time.Time) (*certibloc.Application, *certibloc.Cohort, certibloc.State, error) {
	a, err := findApplication(ctx, tx, e.ApplicationID)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return nil, nil, "", certibloc.Errorf(certibloc.EINVALID, "application %d does not exist", e.ApplicationID)
	} else if err != nil {
		return nil, nil, "", err
	}
	cohort, err := findCohort(ctx, tx, e.CohortID)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return nil, nil, "", certibloc.Errorf(certibloc.EINVALID, "cohort %d does not exist", e.CohortID)
	} else if err != nil {
		return nil, nil, "", err
	}
	campaign, err := findCampaign(ctx, tx, a.CampaignID)
	if err != nil {
		return nil, nil, "", err
	}
	switch {
	case cohort.School != a.School:
		return nil, nil, "", certibloc.Errorf(certibloc.EINVALID, "cohort %d is of school %s, application %d of %s", cohort.ID, cohort.School, a.ID, a.School)
	case cohort.CertificationCode != campaign.CertificationCode:
		return nil, nil, "", certibloc.Errorf(certibloc.EINVALID, "cohort %d prepares for %s, application %d for %s",
			cohort.ID, cohort.CertificationCode, a.ID, campaign.CertificationCode)
	case cohort.Track != a.Track:
		return nil, nil, "", certibloc.Errorf(certibloc.EINVALID, "cohort %d follows track %s, application %d was admitted on track %s",
			cohort.ID, cohort.Track, a.ID, a.Track)
	}
	to, err := certibloc.Next(a.State, certibloc.Enrol)
	if err != nil {
		return nil, nil, "", certibloc.Errorf(certibloc.ErrorCode(err), "application %d: %s", a.ID, certibloc.ErrorMessage(err))
	}
	e.PersonID, e.School, e.Track, e.Mode, e.Option = a.PersonID, a.School, a.Track, a.Mode, a.Option
	e.Version, e.CreatedAt, e.Name = campaign.Version, now, a.Name
	if err := e.Check(); err != nil {
		return nil, nil, "", err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM enrolments WHERE cohort_id = $1 AND person_id = $2`,
		cohort.ID, a.PersonID).Scan(&n); err != nil {
		return nil, nil, "", err
	}
	if n > 0 {
		return nil, nil, "", certibloc.Errorf(certibloc.ECONFLICT, "person %d is a learner of cohort %d already", a.PersonID, cohort.ID)
	}
	return a, cohort, to, nil
}

// writeEnrolment writes enrolment e, checked by checkEnrolment, in tx:
// the learner, the application's new state and its decision, the
// candidate's notice and the audit entries.
func (db *DB) writeEnrolment(ctx context.Context, tx *sql.Tx, e *certibloc.Enrolment, a *certibloc.Application,
	cohort *certibloc.Cohort, to certibloc.State, now time.Time) error {
	if err := tx.QueryRowContext(ctx, `INSERT INTO enrolments (cohort_id, person_id, application_id, school_code,
			track, mode, option_block, certification_version, internship_months, employer, employer_siret,
			contract_start, contract_end, tutor, tutor_email, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		cohort.ID, e.PersonID, a.ID, e.School, e.Track, e.Mode, e.Option, e.Version, e.InternshipMonths,
		e.Employer, e.EmployerSIRET, e.ContractStart, e.ContractEnd, e.Tutor, e.TutorEmail, now).Scan(&e.ID); err != nil {
		return conflictOnDuplicate(err, fmt.Sprintf("application %d is enrolled already", a.ID))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, updated_at = $2 WHERE id = $3`,
		to, now, a.ID); err != nil {
		return err
	}
	var decision int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO admission_decisions (application_id, kind, from_state, to_state,
			members, decided_by, decided_at)
		VALUES ($1, $2, $3, $4, '[]', $5, $6) RETURNING id`,
		a.ID, certibloc.Enrol, a.State, to, actorLabel(certibloc.PrincipalFrom(ctx)), now).Scan(&decision); err != nil {
		return err
	}
	if err := db.writeNotices(ctx, tx, []certibloc.AdmissionDecision{{ApplicationID: a.ID, Kind: certibloc.Enrol,
		From: a.State, To: to}}); err != nil {
		return err
	}
	if err := db.audit(ctx, tx, "enrolment.create", "enrolment", fmt.Sprint(e.ID), e.School, map[string]any{
		"cohort": cohort.ID, "application": a.ID, "person": e.PersonID, "mode": e.Mode, "version": e.Version}); err != nil {
		return err
	}
	return db.audit(ctx, tx, "application.decide", "application", fmt.Sprint(a.ID), a.School,
		map[string]any{"decision": decision, "kind": certibloc.Enrol, "from": a.State, "to": to, "enrolment": e.ID})
}

// Enrolments lists the learners of a cohort, by name.
func (db *DB) Enrolments(ctx context.Context, cohortID int64) ([]certibloc.Enrolment, error) {
	list, err := db.listEnrolments(ctx, `e.cohort_id = $1`, cohortID)
	if err != nil {
		return nil, fmt.Errorf("enrolments of cohort %d: %w", cohortID, err)
	}
	return list, nil
}

// PersonEnrolments lists the enrolments of a person, the latest first:
// what their home shows once they are learners.
func (db *DB) PersonEnrolments(ctx context.Context, personID int64) ([]certibloc.Enrolment, error) {
	list, err := db.listEnrolments(ctx, `e.person_id = $1`, personID)
	if err != nil {
		return nil, fmt.Errorf("enrolments of person %d: %w", personID, err)
	}
	slices.Reverse(list)
	return list, nil
}

// listEnrolments lists the enrolments where selects, by name then id.
func (db *DB) listEnrolments(ctx context.Context, where string, arg any) ([]certibloc.Enrolment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT e.id, e.cohort_id, e.person_id, e.application_id, e.school_code,
			e.track, e.mode, e.option_block, e.certification_version, e.internship_months, e.employer, e.employer_siret,
			e.contract_start, e.contract_end, e.tutor, e.tutor_email, e.created_at, p.first_names, p.birth_name, p.usage_name
		FROM enrolments e JOIN people p ON p.id = e.person_id
		WHERE `+where+` ORDER BY p.search_name, e.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []certibloc.Enrolment{}
	for rows.Next() {
		var (
			e                 certibloc.Enrolment
			application       sql.NullInt64
			first, birth, use string
		)
		if err := rows.Scan(&e.ID, &e.CohortID, &e.PersonID, &application, &e.School, &e.Track, &e.Mode, &e.Option,
			&e.Version, &e.InternshipMonths, &e.Employer, &e.EmployerSIRET, &e.ContractStart, &e.ContractEnd,
			&e.Tutor, &e.TutorEmail, &e.CreatedAt, &first, &birth, &use); err != nil {
			return nil, err
		}
		e.ApplicationID, e.CreatedAt = application.Int64, e.CreatedAt.UTC()
		e.Name = (&certibloc.Person{FirstNames: first, BirthName: birth, UsageName: use}).DisplayName()
		list = append(list, e)
	}
	return list, rows.Err()
}
