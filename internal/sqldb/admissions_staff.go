package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// What the admissions office needs beside the workflow (issue 11): the
// documents an application lacks, the places filled per offer, the
// candidates' contacts and scores for the exports, the next and previous
// files, internal notes, and the correction of a commission's decision.

// RequiredDocuments are the kinds of documents the applications to a
// campaign must carry: a CV and the last diploma. It is the one place
// that says so, read by DocumentsMissing, so that a list set per campaign
// replaces it alone.
func (db *DB) RequiredDocuments(ctx context.Context, campaignID int64) ([]string, error) {
	return []string{certibloc.DocCV, certibloc.DocDiploma}, nil
}

// DocumentsMissing returns, for applications ids, the kinds of required
// documents (RequiredDocuments of their campaign) each does not carry;
// an application that carries them all is absent from the map.
func (db *DB) DocumentsMissing(ctx context.Context, ids []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	has := map[int64]map[string]bool{}
	campaign := map[int64]int64{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks, args := idMarks(chunk, 0)
		rows, err := db.read.QueryContext(ctx, `SELECT a.id, a.campaign_id, d.kind FROM applications a
			LEFT JOIN application_documents d ON d.application_id = a.id
			WHERE a.id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("documents of applications: %w", err)
		}
		for rows.Next() {
			var id, c int64
			var kind sql.NullString
			if err := rows.Scan(&id, &c, &kind); err != nil {
				rows.Close()
				return nil, err
			}
			campaign[id] = c
			if has[id] == nil {
				has[id] = map[string]bool{}
			}
			has[id][kind.String] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	required := map[int64][]string{}
	for _, id := range ids {
		c, ok := campaign[id]
		if !ok {
			continue
		}
		if _, ok := required[c]; !ok {
			kinds, err := db.RequiredDocuments(ctx, c)
			if err != nil {
				return nil, err
			}
			required[c] = kinds
		}
		for _, k := range required[c] {
			if !has[id][k] {
				out[id] = append(out[id], k)
			}
		}
	}
	return out, nil
}

// idMarks are the placeholders of ids after n parameters, and the ids as
// arguments.
func idMarks(ids []int64, n int) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = fmt.Sprintf("$%d", n+i+1), id
	}
	return strings.Join(marks, ", "), args
}

// OfferKey names an offer of a campaign.
type OfferKey struct {
	Track certibloc.Track
	Mode  certibloc.Mode
}

// PlacesFilled counts, per offer of a campaign, the candidates who hold a
// place: admitted or enrolled (as checkPlaces counts them).
func (db *DB) PlacesFilled(ctx context.Context, campaignID int64) (map[OfferKey]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT track, mode, count(*) FROM applications
		WHERE campaign_id = $1 AND state IN ('admitted', 'enrolled') GROUP BY track, mode`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("places filled of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	out := map[OfferKey]int{}
	for rows.Next() {
		var k OfferKey
		var n int
		if err := rows.Scan(&k.Track, &k.Mode, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// ApplicationExtra is what an export adds to an application: how to reach
// the candidate and the scores of their interview, when recorded.
type ApplicationExtra struct {
	Email, Phone     string
	Score, TestScore *float64
}

// ApplicationExtras reads the candidates' contacts and their latest
// interview scores for applications ids.
func (db *DB) ApplicationExtras(ctx context.Context, ids []int64) (map[int64]ApplicationExtra, error) {
	out := map[int64]ApplicationExtra{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		marks, args := idMarks(chunk, 0)
		rows, err := db.read.QueryContext(ctx, `SELECT a.id, p.email, p.phone, d.interview_score, d.test_score
			FROM applications a JOIN people p ON p.id = a.person_id
			LEFT JOIN admission_decisions d ON d.id = (SELECT max(x.id) FROM admission_decisions x
				WHERE x.application_id = a.id AND x.kind = 'interview')
			WHERE a.id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("contacts of applications: %w", err)
		}
		for rows.Next() {
			var id int64
			var x ApplicationExtra
			var score, test sql.NullFloat64
			if err := rows.Scan(&id, &x.Email, &x.Phone, &score, &test); err != nil {
				rows.Close()
				return nil, err
			}
			if score.Valid {
				x.Score = &score.Float64
			}
			if test.Valid {
				x.TestScore = &test.Float64
			}
			out[id] = x
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Neighbours returns the applications before and after application id in
// its campaign's list as the pipeline orders it by default (by name),
// drafts left out; 0 when there is none.
func (db *DB) Neighbours(ctx context.Context, id int64) (prev, next int64, err error) {
	rows, err := db.read.QueryContext(ctx, `SELECT a.id FROM applications a JOIN people p ON p.id = a.person_id
		WHERE a.campaign_id = (SELECT campaign_id FROM applications WHERE id = $1) AND (a.state <> 'draft' OR a.id = $1)
		ORDER BY p.search_name, a.id`, id)
	if err != nil {
		return 0, 0, fmt.Errorf("neighbours of application %d: %w", id, err)
	}
	defer rows.Close()
	var before int64
	found := false
	for rows.Next() {
		var x int64
		if err := rows.Scan(&x); err != nil {
			return 0, 0, err
		}
		if found {
			return before, x, nil
		}
		if x == id {
			found = true
			continue
		}
		before = x
	}
	if !found {
		before = 0
	}
	return before, 0, rows.Err()
}

// AddNote adds staff's internal note to an application, audited without
// its text (it is about the person).
func (db *DB) AddNote(ctx context.Context, n *certibloc.ApplicationNote) error {
	if err := n.Check(); err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(ctx)
	n.Author, n.CreatedAt = actorLabel(p), db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		a, err := findApplication(ctx, tx, n.ApplicationID)
		if err != nil {
			return err
		}
		if err := p.Authorize(certibloc.ManageAdmission, a.School); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO application_notes (application_id, body, author, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, n.ApplicationID, n.Body, n.Author, n.CreatedAt).Scan(&n.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "application.note", "application", fmt.Sprint(a.ID), a.School, map[string]any{"note": n.ID})
	})
	if err != nil {
		return fmt.Errorf("note on application %d: %w", n.ApplicationID, err)
	}
	return nil
}

// Notes lists staff's internal notes on an application, oldest first.
func (db *DB) Notes(ctx context.Context, applicationID int64) ([]certibloc.ApplicationNote, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, application_id, body, author, created_at FROM application_notes
		WHERE application_id = $1 ORDER BY id`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("notes of application %d: %w", applicationID, err)
	}
	defer rows.Close()
	list := []certibloc.ApplicationNote{}
	for rows.Next() {
		var n certibloc.ApplicationNote
		if err := rows.Scan(&n.ID, &n.ApplicationID, &n.Body, &n.Author, &n.CreatedAt); err != nil {
			return nil, err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		list = append(list, n)
	}
	return list, rows.Err()
}

// candidateLang is the language the candidate of an application chose on
// the site ("fr", "en"), "" when they chose none.
func candidateLang(ctx context.Context, q querier, applicationID int64) (string, error) {
	var lang string
	err := q.QueryRowContext(ctx, `SELECT c.lang FROM accounts c JOIN applications a ON a.person_id = c.person_id
		WHERE a.id = $1 AND c.lang <> '' ORDER BY c.id LIMIT 1`, applicationID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return lang, err
}

// CorrectDecision corrects decision correctedID, the last taken on its
// application, into d (see AdmissionDecision.CheckCorrection): the
// application goes to the state d leads to, d is stored naming the
// decision it corrects, which stays in the history, and the candidate is
// told of the correction by e-mail in their language, all in one
// transaction. Only staff who manage admissions in the application's
// school correct; an admission needs a place left, as in Decide.
func (db *DB) CorrectDecision(ctx context.Context, correctedID int64, d certibloc.AdmissionDecision) (certibloc.AdmissionDecision, error) {
	p := certibloc.PrincipalFrom(ctx)
	d.Reason = strings.TrimSpace(d.Reason)
	d.DecidedBy, d.DecidedAt = actorLabel(p), db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		old, err := findDecision(ctx, tx, correctedID)
		if err != nil {
			return err
		}
		apps, err := findApplicationStates(ctx, tx, []int64{old.ApplicationID})
		if err != nil {
			return err
		}
		a := apps[old.ApplicationID]
		if err := p.Authorize(certibloc.ManageAdmission, a.School); err != nil {
			return err
		}
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM admission_decisions WHERE application_id = $1`, a.ID).Scan(&last); err != nil {
			return err
		}
		if last != old.ID || a.State != old.To {
			return certibloc.Errorf(certibloc.ECONFLICT, "decision %d is no longer the last on application %d: only the last decision can be corrected", old.ID, a.ID)
		}
		// A correction corrected again is judged from where the first
		// decision was taken.
		base := *old
		for base.Corrects != 0 {
			first, err := findDecision(ctx, tx, base.Corrects)
			if err != nil {
				return err
			}
			base.From, base.Corrects = first.From, first.Corrects
		}
		if err := d.CheckCorrection(&base); err != nil {
			return err
		}
		d.ApplicationID, d.Corrects = a.ID, old.ID
		if d.Kind == certibloc.DecideAdmitted {
			named := func(id int64, err error) error { return err }
			if err := checkPlaces(ctx, tx, apps, []int64{a.ID}, named); err != nil {
				return err
			}
		}
		members, _ := json.Marshal(d.Members)
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, updated_at = $2 WHERE id = $3`,
			d.To, d.DecidedAt, a.ID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO admission_decisions (application_id, kind, from_state, to_state,
				reason, members, decided_by, decided_at, corrects)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			a.ID, d.Kind, d.From, d.To, d.Reason, string(members), d.DecidedBy, d.DecidedAt, d.Corrects).Scan(&d.ID); err != nil {
			return err
		}
		to, err := candidatesOf(ctx, tx, []int64{a.ID})
		if err != nil {
			return err
		}
		lang, err := candidateLang(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if c, ok := to[a.ID]; ok {
			if m, ok := d.CorrectionMail(old, c.campaign, c.school, &c.person, lang); ok {
				if err := db.enqueue(ctx, tx, []certibloc.Mail{m}); err != nil {
					return err
				}
			}
		}
		return db.audit(ctx, tx, "application.correct", "application", fmt.Sprint(a.ID), a.School,
			map[string]any{"decision": d.ID, "corrects": old.ID, "kind": d.Kind, "from": d.From, "to": d.To})
	})
	if err != nil {
		return certibloc.AdmissionDecision{}, fmt.Errorf("correct decision %d: %w", correctedID, err)
	}
	return d, nil
}

// findDecision reads one decision.
func findDecision(ctx context.Context, q querier, id int64) (*certibloc.AdmissionDecision, error) {
	var d certibloc.AdmissionDecision
	var members string
	var corrects sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, application_id, kind, from_state, to_state, reason, members, corrects
		FROM admission_decisions WHERE id = $1`, id).Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.From, &d.To, &d.Reason, &members, &corrects)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no decision %d", id)
	} else if err != nil {
		return nil, err
	}
	d.Corrects = corrects.Int64
	return &d, json.Unmarshal([]byte(members), &d.Members)
}

// CommissionDecision is a decision of a commission on an application of
// a campaign, with the candidate's name, for the commission's record.
type CommissionDecision struct {
	certibloc.AdmissionDecision
	Name string
}

// CommissionDecisions lists the commissions' decisions (admissibility and
// admission, corrections included) on the applications of a campaign, in
// the order they were taken.
func (db *DB) CommissionDecisions(ctx context.Context, campaignID int64) ([]CommissionDecision, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT d.id, d.application_id, d.kind, d.from_state, d.to_state, d.reason,
			d.members, d.decided_at, d.corrects, p.first_names, p.birth_name, p.usage_name,
			(SELECT i.interview_score FROM admission_decisions i WHERE i.application_id = a.id AND i.kind = 'interview' ORDER BY i.id DESC LIMIT 1),
			(SELECT i.test_score FROM admission_decisions i WHERE i.application_id = a.id AND i.kind = 'interview' ORDER BY i.id DESC LIMIT 1)
		FROM admission_decisions d JOIN applications a ON a.id = d.application_id JOIN people p ON p.id = a.person_id
		WHERE a.campaign_id = $1 AND d.kind IN ('admissible', 'not_admissible', 'admitted', 'waiting_list', 'refused')
		ORDER BY d.decided_at, p.search_name, d.id`, campaignID)
	if err != nil {
		return nil, fmt.Errorf("commission decisions of campaign %d: %w", campaignID, err)
	}
	defer rows.Close()
	var list []CommissionDecision
	for rows.Next() {
		var c CommissionDecision
		var members, first, birth, use string
		var corrects sql.NullInt64
		var score, test sql.NullFloat64
		if err := rows.Scan(&c.ID, &c.ApplicationID, &c.Kind, &c.From, &c.To, &c.Reason, &members, &c.DecidedAt,
			&corrects, &first, &birth, &use, &score, &test); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(members), &c.Members); err != nil {
			return nil, err
		}
		if score.Valid && test.Valid && slices.Contains([]certibloc.DecisionKind{certibloc.DecideAdmitted,
			certibloc.DecideWaitingList, certibloc.DecideRefused}, c.Kind) {
			c.Score, c.TestScore = &score.Float64, &test.Float64
		}
		c.Corrects, c.DecidedAt = corrects.Int64, c.DecidedAt.UTC()
		c.Name = (&certibloc.Person{FirstNames: first, BirthName: birth, UsageName: use}).DisplayName()
		list = append(list, c)
	}
	return list, rows.Err()
}
