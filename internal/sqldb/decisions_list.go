package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/certibloc/certibloc"
)

// Decisions lists the decisions taken on an application, oldest first.
func (db *DB) Decisions(ctx context.Context, applicationID int64) ([]certibloc.AdmissionDecision, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, application_id, kind, from_state, to_state, reason, members,
			interview_at, place, interview_score, test_score, decided_by, decided_at, corrects
		FROM admission_decisions WHERE application_id = $1 ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("decisions of application %d: %w", applicationID, err)
	}
	defer rows.Close()
	list := []certibloc.AdmissionDecision{}
	for rows.Next() {
		var (
			d          certibloc.AdmissionDecision
			members    string
			at         sql.NullTime
			score, tst sql.NullFloat64
			corrects   sql.NullInt64
		)
		if err := rows.Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.From, &d.To, &d.Reason, &members, &at, &d.Place,
			&score, &tst, &d.DecidedBy, &d.DecidedAt, &corrects); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(members), &d.Members); err != nil {
			return nil, fmt.Errorf("members of decision %d: %w", d.ID, err)
		}
		if at.Valid {
			t := at.Time.UTC()
			d.InterviewAt = &t
		}
		if score.Valid {
			d.Score = &score.Float64
		}
		if tst.Valid {
			d.TestScore = &tst.Float64
		}
		d.DecidedAt, d.Corrects = d.DecidedAt.UTC(), corrects.Int64
		list = append(list, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		// No decision yet, or no such application: tell them apart.
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM applications WHERE id = $1`, applicationID).Scan(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no application with id %d", applicationID)
		}
	}
	return list, nil
}

// checkPlaces refuses an admission that would admit more candidates on a
// track and mode than the campaign offers places, when it counts them
// (places 0: not counted). Enrolled candidates hold their place.
func checkPlaces(ctx context.Context, tx *sql.Tx, apps map[int64]*certibloc.Application, ids []int64,
	named func(int64, error) error) error {
	type offer struct {
		campaign int64
		track    certibloc.Track
		mode     certibloc.Mode
	}
	campaigns := map[int64]*certibloc.Campaign{}
	taken := map[offer]int{}
	for _, id := range ids {
		a := apps[id]
		c, ok := campaigns[a.CampaignID]
		if !ok {
			var err error
			if c, err = findCampaign(ctx, tx, a.CampaignID); err != nil {
				return err
			}
			campaigns[a.CampaignID] = c
		}
		o := c.Offer(a.Track, a.Mode)
		if o == nil || o.Places == 0 {
			continue
		}
		k := offer{c.ID, a.Track, a.Mode}
		n, ok := taken[k]
		if !ok {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM applications WHERE campaign_id = $1 AND track = $2
				AND mode = $3 AND state IN ('admitted', 'enrolled')`, c.ID, a.Track, a.Mode).Scan(&n); err != nil {
				return err
			}
		}
		if n >= o.Places {
			return named(id, certibloc.Errorf(certibloc.ECONFLICT,
				"no place left on track %s in mode %s: the campaign offers %d and %d are taken; put the application on the waiting list",
				a.Track, a.Mode, o.Places, n))
		}
		taken[k] = n + 1
	}
	return nil
}

// findApplicationStates reads what a decision needs of applications: their
// state, school, person, campaign and choice; 500 at a time.
func findApplicationStates(ctx context.Context, q querier, ids []int64) (map[int64]*certibloc.Application, error) {
	apps := make(map[int64]*certibloc.Application, len(ids))
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), id
		}
		rows, err := q.QueryContext(ctx, `SELECT id, campaign_id, person_id, school_code, track, mode, state
			FROM applications WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a certibloc.Application
			if err := rows.Scan(&a.ID, &a.CampaignID, &a.PersonID, &a.School, &a.Track, &a.Mode, &a.State); err != nil {
				rows.Close()
				return nil, err
			}
			apps[a.ID] = &a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return apps, nil
}
