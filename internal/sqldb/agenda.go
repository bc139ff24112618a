package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/certibloc/certibloc"
)

// The interview agenda of a campaign: staff create slots, and give each to
// an admissible candidate, which schedules their interview (a decision of
// kind schedule_interview) and convenes them by e-mail with the event as
// an .ics attachment, in one transaction. A slot holds one candidate and
// a candidate one slot: the UNIQUE column and the writers' lock keep two
// staff members who give the same slot at once from both succeeding.

// MaxSlots bounds the slots created at once: a long day of short slots.
const MaxSlots = 50

// CreateSlots adds slots to a campaign's agenda, all or none.
func (db *DB) CreateSlots(ctx context.Context, campaignID int64, slots []certibloc.InterviewSlot) error {
	if len(slots) == 0 || len(slots) > MaxSlots {
		return certibloc.Errorf(certibloc.EINVALID, "between 1 and %d slots are created at once, not %d", MaxSlots, len(slots))
	}
	p := certibloc.PrincipalFrom(ctx)
	now := db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		c, err := findCampaign(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if err := p.Authorize(certibloc.ManageAdmission, c.School); err != nil {
			return err
		}
		for i := range slots {
			s := &slots[i]
			s.CampaignID, s.School, s.CreatedBy, s.CreatedAt, s.ApplicationID = c.ID, c.School, actorLabel(p), now, 0
			s.StartsAt = s.StartsAt.UTC().Truncate(time.Second)
			if err := s.Check(now); err != nil {
				return err
			}
			if err := tx.QueryRowContext(ctx, `INSERT INTO interview_slots (campaign_id, school_code, starts_at, minutes,
					place, visio_url, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				s.CampaignID, s.School, s.StartsAt, s.Minutes, s.Place, s.VisioURL, s.CreatedBy, s.CreatedAt).Scan(&s.ID); err != nil {
				return err
			}
			if err := db.audit(ctx, tx, "slot.create", "campaign", fmt.Sprint(c.ID), c.School,
				map[string]any{"slot": s.ID, "starts_at": s.StartsAt, "minutes": s.Minutes}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create slots: %w", err)
	}
	return nil
}

// Slots lists the slots of a campaign that start in [from, to), by start,
// with the candidates' names; every slot when to is zero.
func (db *DB) Slots(ctx context.Context, campaignID int64, from, to time.Time) ([]certibloc.InterviewSlot, error) {
	if to.IsZero() {
		from, to = time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT s.id, s.campaign_id, s.school_code, s.starts_at, s.minutes, s.place,
			s.visio_url, s.application_id, s.created_by, s.created_at, p.first_names, p.birth_name, p.usage_name
		FROM interview_slots s LEFT JOIN applications a ON a.id = s.application_id LEFT JOIN people p ON p.id = a.person_id
		WHERE s.campaign_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 ORDER BY s.starts_at, s.id`,
		campaignID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("slots of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	list := []certibloc.InterviewSlot{}
	for rows.Next() {
		var s certibloc.InterviewSlot
		var app sql.NullInt64
		var first, birth, use sql.NullString
		if err := rows.Scan(&s.ID, &s.CampaignID, &s.School, &s.StartsAt, &s.Minutes, &s.Place, &s.VisioURL, &app,
			&s.CreatedBy, &s.CreatedAt, &first, &birth, &use); err != nil {
			return nil, err
		}
		s.ApplicationID, s.StartsAt, s.CreatedAt = app.Int64, s.StartsAt.UTC(), s.CreatedAt.UTC()
		if app.Valid {
			s.Name = (&certibloc.Person{FirstNames: first.String, BirthName: birth.String, UsageName: use.String}).DisplayName()
		}
		list = append(list, s)
	}
	return list, rows.Err()
}

// findSlot reads one slot.
func findSlot(ctx context.Context, q querier, id int64) (*certibloc.InterviewSlot, error) {
	var s certibloc.InterviewSlot
	var app sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, campaign_id, school_code, starts_at, minutes, place, visio_url, application_id,
			created_by, created_at FROM interview_slots WHERE id = $1`, id).
		Scan(&s.ID, &s.CampaignID, &s.School, &s.StartsAt, &s.Minutes, &s.Place, &s.VisioURL, &app, &s.CreatedBy, &s.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no interview slot %d", id)
	} else if err != nil {
		return nil, err
	}
	s.ApplicationID, s.StartsAt, s.CreatedAt = app.Int64, s.StartsAt.UTC(), s.CreatedAt.UTC()
	return &s, nil
}

// Slot returns one slot.
func (db *DB) Slot(ctx context.Context, id int64) (*certibloc.InterviewSlot, error) {
	return findSlot(ctx, db.read, id)
}

// AssignSlot gives slot slotID to application applicationID of the same
// campaign, admissible (or convened already: it is moved, its former slot
// freed). In one transaction: the slot is taken (ECONFLICT when another
// candidate holds it), the interview is scheduled at the slot's time and
// place (a decision in the history), and the candidate's convocation goes
// to the outbox, in their language, with the event as entretien.ics.
// baseURL names the site in the event's UID.
func (db *DB) AssignSlot(ctx context.Context, slotID, applicationID int64, baseURL string) (certibloc.AdmissionDecision, error) {
	p := certibloc.PrincipalFrom(ctx)
	now := db.now().UTC().Truncate(time.Microsecond)
	var d certibloc.AdmissionDecision
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		s, err := findSlot(ctx, tx, slotID)
		if err != nil {
			return err
		}
		if err := p.Authorize(certibloc.ManageAdmission, s.School); err != nil {
			return err
		}
		apps, err := findApplicationStates(ctx, tx, []int64{applicationID})
		if err != nil {
			return err
		}
		a, ok := apps[applicationID]
		switch {
		case !ok || a.CampaignID != s.CampaignID:
			return certibloc.Errorf(certibloc.EINVALID, "application %d is not an application of this slot's campaign", applicationID)
		case s.ApplicationID == applicationID:
			return certibloc.Errorf(certibloc.ECONFLICT, "application %d holds this slot already", applicationID)
		case s.ApplicationID != 0:
			return certibloc.Errorf(certibloc.ECONFLICT, "slot %d is given to another candidate already", s.ID)
		case !s.StartsAt.After(now):
			return certibloc.Errorf(certibloc.EINVALID, "slot %d has started already: a convocation to a past date reaches nobody in time", s.ID)
		}
		to, err := certibloc.Next(a.State, certibloc.ScheduleInterview)
		if err != nil {
			return certibloc.Errorf(certibloc.ErrorCode(err), "application %d: %s", a.ID, certibloc.ErrorMessage(err))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE interview_slots SET application_id = NULL WHERE application_id = $1`, a.ID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE interview_slots SET application_id = $1 WHERE id = $2 AND application_id IS NULL`, a.ID, s.ID)
		if err != nil {
			return conflictOnDuplicate(err, fmt.Sprintf("slot %d is given to another candidate already", s.ID))
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return certibloc.Errorf(certibloc.ECONFLICT, "slot %d is given to another candidate already", s.ID)
		}
		at := s.StartsAt
		d = certibloc.AdmissionDecision{ApplicationID: a.ID, Kind: certibloc.ScheduleInterview, From: a.State, To: to,
			InterviewAt: &at, Place: s.Where(), DecidedBy: actorLabel(p), DecidedAt: now}
		if err := d.Check(); err != nil {
			return err
		}
		list := []certibloc.AdmissionDecision{d}
		if err := writeDecisions(ctx, tx, list, "[]"); err != nil {
			return err
		}
		d = list[0]
		who, err := candidatesOf(ctx, tx, []int64{a.ID})
		if err != nil {
			return err
		}
		lang, err := candidateLang(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		host := "certibloc"
		if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		if c, ok := who[a.ID]; ok {
			if m, ok := s.ConvocationMail(a.ID, c.campaign, host, &c.person, lang, now); ok {
				if err := db.enqueue(ctx, tx, []certibloc.Mail{m}); err != nil {
					return err
				}
			}
		}
		return db.audit(ctx, tx, "application.decide", "application", fmt.Sprint(a.ID), a.School,
			map[string]any{"decision": d.ID, "kind": d.Kind, "from": d.From, "to": d.To, "slot": s.ID})
	})
	if err != nil {
		return certibloc.AdmissionDecision{}, fmt.Errorf("assign slot %d: %w", slotID, err)
	}
	return d, nil
}

// DeleteSlot removes a slot nobody holds, made by mistake.
func (db *DB) DeleteSlot(ctx context.Context, slotID int64) error {
	p := certibloc.PrincipalFrom(ctx)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		s, err := findSlot(ctx, tx, slotID)
		if err != nil {
			return err
		}
		if err := p.Authorize(certibloc.ManageAdmission, s.School); err != nil {
			return err
		}
		if s.ApplicationID != 0 {
			return certibloc.Errorf(certibloc.ECONFLICT, "slot %d is given to a candidate: convene them to another slot first", s.ID)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM interview_slots WHERE id = $1 AND application_id IS NULL`, s.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "slot.delete", "campaign", fmt.Sprint(s.CampaignID), s.School, map[string]any{"slot": s.ID})
	})
}
