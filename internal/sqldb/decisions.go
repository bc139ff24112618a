package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// MaxBulkDecision bounds how many applications one decision is taken on.
const MaxBulkDecision = 5000

// Decide takes decision d on the applications ids, all or nothing: every
// application must be in a state the decision may be taken from, and of
// a school where the principal of ctx manages admissions (a candidate may
// only withdraw their own), or nothing is written and the error names
// the first application that cannot take it. An admission needs a place
// left on the application's track and mode, when the campaign counts
// them. Each application gets its decision, filled with who decided
// (the principal), when, and the states from and to, returned in the
// order of ids. Each candidate to be told (AdmissionDecision.Notifies)
// gets their notice in the outbox, in the same transaction (notices.go).
// Enrolment is not a decision taken here: see Enrol.
func (db *DB) Decide(ctx context.Context, ids []int64, d certibloc.AdmissionDecision) ([]certibloc.AdmissionDecision, error) {
	if err := normalizeDecision(&d, ids); err != nil {
		return nil, err
	}
	p := certibloc.PrincipalFrom(ctx)
	d.DecidedBy, d.DecidedAt = actorLabel(p), db.now().UTC().Truncate(time.Microsecond)
	members, _ := json.Marshal(d.Members)
	named := func(id int64, err error) error {
		msg := certibloc.ErrorMessage(err)
		if len(ids) > 1 {
			msg += fmt.Sprintf(" (no decision was taken on any of the %d applications)", len(ids))
		}
		if name := fmt.Sprintf("application %d ", id); strings.HasPrefix(msg, name) {
			return certibloc.Errorf(certibloc.ErrorCode(err), "%s", msg) // names it already
		}
		return certibloc.Errorf(certibloc.ErrorCode(err), "application %d: %s", id, msg)
	}
	var out []certibloc.AdmissionDecision
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		apps, err := findApplicationStates(ctx, tx, ids)
		if err != nil {
			return err
		}
		out = make([]certibloc.AdmissionDecision, 0, len(ids))
		for _, id := range ids {
			a, ok := apps[id]
			if !ok {
				return named(id, certibloc.Errorf(certibloc.ENOTFOUND, "no such application"))
			}
			if err := p.AuthorizeDecision(a, d.Kind); err != nil {
				return named(id, err)
			}
			to, err := certibloc.Next(a.State, d.Kind)
			if err != nil {
				return named(id, err)
			}
			one := d
			one.ApplicationID, one.From, one.To = id, a.State, to
			out = append(out, one)
		}
		if d.Kind == certibloc.DecideAdmitted {
			if err := checkPlaces(ctx, tx, apps, ids, named); err != nil {
				return err
			}
		}
		// Applications and decisions are written by batches (insertBatch).
		batch := db.insertBatch()
		for start := 0; start < len(out); start += batch {
			if err := writeDecisions(ctx, tx, out[start:min(start+batch, len(out))], string(members)); err != nil {
				return err
			}
		}
		if err := db.writeNotices(ctx, tx, out); err != nil {
			return err
		}
		if d.Kind == certibloc.Withdraw {
			// A candidate who withdraws frees their interview slot (agenda.go).
			marks, args := idMarks(ids, 0)
			if _, err := tx.ExecContext(ctx, `UPDATE interview_slots SET application_id = NULL WHERE application_id IN (`+marks+`)`, args...); err != nil {
				return err
			}
		}
		items := make([]auditItem, len(out))
		for i, o := range out {
			// Neither the reason nor the scores: they are about the person.
			items[i] = auditItem{"application.decide", "application", fmt.Sprint(o.ApplicationID), apps[o.ApplicationID].School,
				map[string]any{"decision": o.ID, "kind": o.Kind, "from": o.From, "to": o.To}}
		}
		return db.auditMany(ctx, tx, items)
	})
	if err != nil {
		return nil, fmt.Errorf("decide %s: %w", d.Kind, err)
	}
	return out, nil
}

// normalizeDecision checks a decision and the list of applications it is
// taken on, and keeps of it only the fields of its kind.
func normalizeDecision(d *certibloc.AdmissionDecision, ids []int64) error {
	switch {
	case len(ids) == 0:
		return certibloc.Errorf(certibloc.EINVALID, "no application to decide on")
	case len(ids) > MaxBulkDecision:
		return certibloc.Errorf(certibloc.EINVALID, "%d applications: a decision is taken on at most %d at once", len(ids), MaxBulkDecision)
	case d.Kind == certibloc.Enrol:
		return certibloc.Errorf(certibloc.EINVALID, "an enrolment is not a decision: enrol the candidate in a cohort (POST /api/v1/enrolments)")
	case !d.Kind.Valid():
		_, err := certibloc.Next(certibloc.Draft, d.Kind)
		return err
	}
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return certibloc.Errorf(certibloc.EINVALID, "application %d is listed twice", id)
		}
		seen[id] = true
	}
	members := []string{}
	for _, m := range d.Members {
		if m = strings.TrimSpace(m); m != "" {
			members = append(members, m)
		}
	}
	d.Members, d.Reason, d.Place = members, strings.TrimSpace(d.Reason), strings.TrimSpace(d.Place)
	if d.Kind != certibloc.ScheduleInterview {
		d.InterviewAt, d.Place = nil, ""
	}
	if d.Kind != certibloc.RecordInterview {
		d.Score, d.TestScore = nil, nil
	}
	switch {
	case len(d.Members) > 30:
		return certibloc.Errorf(certibloc.EINVALID, "members: a commission of more than 30 members is not plausible")
	case len(d.Reason) > 4000:
		return certibloc.Errorf(certibloc.EINVALID, "reason is longer than 4000 characters")
	case len(d.Place) > 300:
		return certibloc.Errorf(certibloc.EINVALID, "place is longer than 300 characters")
	}
	for _, m := range d.Members {
		if len(m) > 200 {
			return certibloc.Errorf(certibloc.EINVALID, "members: %.40s… is longer than 200 characters", m)
		}
	}
	return d.Check()
}

// writeDecisions moves applications to the state their decisions lead to
// (all the same) and stores the decisions, giving them their ids: two
// statements for the lot. The writer lock taken first (lockWriters) keeps
// the states read as they were; the count of rows changed checks it.
func writeDecisions(ctx context.Context, tx *sql.Tx, list []certibloc.AdmissionDecision, members string) error {
	args := []any{list[0].To, list[0].DecidedAt}
	marks := make([]string, len(list))
	for i, d := range list {
		args = append(args, d.ApplicationID)
		marks[i] = fmt.Sprintf("$%d", len(args))
	}
	res, err := tx.ExecContext(ctx, `UPDATE applications SET state = $1, updated_at = $2 WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != int64(len(list)) {
		return certibloc.Errorf(certibloc.ECONFLICT, "applications changed while the decision was taken: try again")
	}
	args, marks = args[:0], marks[:0]
	for _, d := range list {
		row := make([]string, 12)
		for j, v := range []any{d.ApplicationID, d.Kind, d.From, d.To, d.Reason, members, d.InterviewAt, d.Place,
			d.Score, d.TestScore, d.DecidedBy, d.DecidedAt} {
			args = append(args, v)
			row[j] = fmt.Sprintf("$%d", len(args))
		}
		marks = append(marks, "("+strings.Join(row, ", ")+")")
	}
	rows, err := tx.QueryContext(ctx, `INSERT INTO admission_decisions (application_id, kind, from_state, to_state,
			reason, members, interview_at, place, interview_score, test_score, decided_by, decided_at)
		VALUES `+strings.Join(marks, ", ")+` RETURNING id, application_id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	ids := make(map[int64]int64, len(list))
	for rows.Next() {
		var id, app int64
		if err := rows.Scan(&id, &app); err != nil {
			return err
		}
		ids[app] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range list {
		list[i].ID = ids[list[i].ApplicationID]
	}
	return nil
}
