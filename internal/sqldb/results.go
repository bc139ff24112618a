package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/certibloc/certibloc"
)

// Results: one marker's grading of one learner at one session. A draft
// changes as its marker records it; submitting locks it; a correction by
// staff keeps the locked row as superseded and adds the new one.

// ResultInput is one row of a batch of grades: a learner's (PersonID) or,
// on a team evaluation, a team's (Team), for round 1 or, with double
// marking, 2. Marks replace the grades of their criteria and leave the
// others of the draft as they are; on a team evaluation, a criterion that
// is not individual is the team's, copied to every member. Submit locks
// the results the row writes, which must then grade every criterion.
type ResultInput struct {
	PersonID int64            `json:"person_id,omitempty"`
	Team     string           `json:"team,omitempty"`
	Round    int              `json:"round,omitempty"` // 1 when 0
	Marks    []certibloc.Mark `json:"marks"`
	Submit   bool             `json:"submit,omitempty"`
}

// The state of a result replaced by a correction.
const resultSuperseded = "superseded"

const resultColumns = `r.id, r.session_id, r.person_id, r.round, r.marker_account_id, r.team, r.marks, r.total,
	r.max_total, r.passed, r.state, r.accommodations, r.supersedes, r.reason, r.submitted_at, r.updated_at,
	p.first_names, p.birth_name, p.usage_name`

const resultFrom = ` FROM results r JOIN people p ON p.id = r.person_id`

func scanResult(row interface{ Scan(...any) error }) (certibloc.Result, error) {
	var (
		r                   certibloc.Result
		marker, supersedes  sql.NullInt64
		marks, acc          string
		submitted           sql.NullTime
		first, birth, usage string
	)
	if err := row.Scan(&r.ID, &r.SessionID, &r.PersonID, &r.Round, &marker, &r.Team, &marks, &r.Total, &r.Max,
		&r.Passed, &r.State, &acc, &supersedes, &r.Reason, &submitted, &r.UpdatedAt, &first, &birth, &usage); err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(marks), &r.Marks); err != nil {
		return r, fmt.Errorf("marks of result %d: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(acc), &r.Accommodations); err != nil {
		return r, fmt.Errorf("accommodations of result %d: %w", r.ID, err)
	}
	r.Marker, r.Supersedes, r.UpdatedAt = marker.Int64, supersedes.Int64, r.UpdatedAt.UTC()
	if submitted.Valid {
		t := submitted.Time.UTC()
		r.SubmittedAt = &t
	}
	r.Name = displayName(first, birth, usage)
	return r, nil
}

func findResults(ctx context.Context, q querier, where string, args ...any) ([]certibloc.Result, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+resultColumns+resultFrom+` WHERE `+where+
		` ORDER BY r.team, p.search_name, r.person_id, r.round, r.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []certibloc.Result{}
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// Results returns the current results of a session (not those a
// correction replaced), by team, name and round. A learner sees only
// their own submitted results; an evaluator of a double-marked session
// sees the other markers' sealed (sealOthers).
func (db *DB) Results(ctx context.Context, p *certibloc.Principal, sessionID int64) ([]certibloc.Result, error) {
	var list []certibloc.Result
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		s, a, err := readableSession(ctx, tx, p, sessionID)
		if err != nil {
			return err
		}
		if a.learner {
			list, err = findResults(ctx, tx, `r.session_id = $1 AND r.person_id = $2 AND r.state = 'submitted'`, sessionID, p.PersonID)
			return err
		}
		list, err = findResults(ctx, tx, `r.session_id = $1 AND r.state <> 'superseded'`, sessionID)
		if err == nil && !a.manage {
			sealOthers(list, p.AccountID, func(int64) bool { return s.DoubleMarking })
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("results of session %d: %w", sessionID, err)
	}
	return list, nil
}

// sealOthers makes double marking blind: in list, an evaluator's view
// (account) of results, the results another marker gave a learner at a
// session with double marking are sealed — their grades, total, verdict
// and reason removed — until both rounds of that learner are submitted.
// What is left says that the round is taken, by whom, and its state.
func sealOthers(list []certibloc.Result, account int64, double func(session int64) bool) {
	type sitting struct{ session, person int64 }
	submitted := map[sitting]int{} // bit r-1 for round r
	for _, r := range list {
		if r.State == certibloc.ResultSubmitted && (r.Round == 1 || r.Round == 2) {
			submitted[sitting{r.SessionID, r.PersonID}] |= r.Round
		}
	}
	for i := range list {
		r := &list[i]
		if r.Marker == account || !double(r.SessionID) || submitted[sitting{r.SessionID, r.PersonID}] == 3 {
			continue
		}
		r.Marks, r.Outcome, r.Reason, r.Sealed = []certibloc.Mark{}, certibloc.Outcome{Max: r.Max}, "", true
	}
}

// resultKey is a learner's result at one round of the session.
type resultKey struct {
	person int64
	round  int
}

// pendingResult is what a batch writes to one result.
type pendingResult struct {
	marks     map[string]pendingMark
	submit    bool
	submitRow int
}

// pendingMark is a grade and the row that gave it.
type pendingMark struct {
	mark certibloc.Mark
	row  int
}

// scaleText is a scale's range as a problem shows it, in any language.
func scaleText(sc *certibloc.Scale) string {
	if len(sc.Levels) > 0 {
		return fmt.Sprintf("1–%d", len(sc.Levels))
	}
	return "0–" + sc.Max.String()
}

// checkMarks finds what is wrong with the marks of one row: unknown
// criteria, a criterion twice, a grade off the scale, a refused comment,
// and for a team's row an individual criterion.
func checkMarks(g *certibloc.Grid, marks []certibloc.Mark, row int, teamRow bool) certibloc.Problems {
	var ps certibloc.Problems
	seen := map[string]bool{}
	for _, m := range marks {
		c := g.Criterion(m.Criterion)
		switch {
		case c == nil:
			ps = append(ps, certibloc.Problem{Row: row, Column: certibloc.Cut(m.Criterion), Code: "unknown_column", Value: certibloc.Cut(m.Criterion)})
			continue
		case seen[m.Criterion]:
			ps = append(ps, certibloc.Problem{Row: row, Column: m.Criterion, Code: "duplicate_grade", Value: m.Criterion})
			continue
		case teamRow && c.Individual:
			ps = append(ps, certibloc.Problem{Row: row, Column: m.Criterion, Code: "individual_criterion", Value: m.Criterion})
		}
		seen[m.Criterion] = true
		if err := c.Scale.Check(m.Value); err != nil {
			ps = append(ps, certibloc.Problem{Row: row, Column: m.Criterion, Code: "outside_scale", Value: m.Value.String(), Detail: scaleText(&c.Scale)})
		}
		if err := certibloc.CheckText("comment", m.Comment, certibloc.MaxComment, true); err != nil {
			ps = append(ps, certibloc.Problem{Row: row, Column: m.Criterion, Code: "bad_text", Detail: certibloc.ErrorMessage(err)})
		}
	}
	return ps
}

// outcome grades marks, in the grid's order: a complete set by the grid's
// rule; an incomplete one (a draft) with its total so far, not passed.
func outcome(g *certibloc.Grid, byKey map[string]certibloc.Mark) ([]certibloc.Mark, certibloc.Outcome, bool) {
	marks := make([]certibloc.Mark, 0, len(byKey))
	for _, c := range g.Criteria {
		if m, ok := byKey[c.Key]; ok {
			marks = append(marks, m)
		}
	}
	if len(marks) == len(g.Criteria) {
		if out, err := g.Grade(marks); err == nil {
			return marks, out, true
		}
	}
	out := certibloc.Outcome{Max: g.MaxTotal()}
	for _, m := range marks {
		out.Total += m.Value
	}
	return marks, out, false
}

// currentRow is a stored result as a batch reads it.
type currentRow struct {
	id     int64
	state  string
	marker int64
	marks  []certibloc.Mark
}

// RecordResults records a batch of grades at a session, all or nothing,
// in one transaction: one learner's save from the API or a page, or a
// grade sheet of a whole session. Evaluators grade the sessions they are
// assigned to; staff and the admin those of their schools. Every problem
// is reported at once as certibloc.Problems, the row being the input's
// index from 1: unknown learner or team, a row twice, a round 2 without
// double marking, an unknown criterion, a grade off its scale, a comment
// refused, a result already submitted (locked), a submitted result
// missing a grade, a team given two grades for one criterion. Writers of
// one session take turns, so that two markers grading the same learner
// at once both see the other's result: the last one wins whole, and
// nothing is half written. A result first saved copies the learner's
// accommodations at the session. The batch's submissions are one entry
// of the audit trail. It returns the results written.
//
// A batch of one learner's row reads only that learner (and their
// teammates on a team evaluation) instead of the whole session. On
// SQLite, batches arriving together share one transaction (groupCommit),
// each in its savepoint.
func (db *DB) RecordResults(ctx context.Context, p *certibloc.Principal, sessionID int64, in []ResultInput) ([]certibloc.Result, error) {
	if err := p.Authorize(certibloc.GradeEvaluations, ""); err != nil {
		return nil, err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	if len(in) == 0 {
		return nil, certibloc.Problems{{Code: "empty_sheet"}}
	}
	if err := db.prepareWrites(ctx, db.lockSessionSQL(), learnerAndTeamSQL, currentOfTeamSQL, learnerSQL, currentOfLearnerSQL,
		db.upsertResults(1), db.upsertResults(db.upsertBatch())); err != nil {
		return nil, fmt.Errorf("record results of session %d: %w", sessionID, err)
	}
	work := func(ctx context.Context, tx *sql.Tx) ([]certibloc.Result, error) {
		return db.recordResults(ctx, tx, p, sessionID, in)
	}
	var written []certibloc.Result
	var err error
	if db.engine == Postgres {
		err = db.tx(ctx, func(tx *sql.Tx) error {
			written, err = work(ctx, tx)
			return err
		})
	} else {
		written, err = db.groupCommit(ctx, work)
	}
	if err != nil {
		return nil, fmt.Errorf("record results of session %d: %w", sessionID, err)
	}
	return written, nil
}

// recordResults checks and writes a batch in tx, and audits it.
func (db *DB) recordResults(ctx context.Context, tx *sql.Tx, p *certibloc.Principal, sessionID int64, in []ResultInput) ([]certibloc.Result, error) {
	s, err := db.sessionForWrite(ctx, tx, sessionID)
	if err != nil {
		return nil, err
	}
	a, err := accessTo(ctx, tx, p, s)
	if err != nil {
		return nil, err
	}
	if !a.grade {
		return nil, certibloc.Problems{{Code: "not_assigned"}}
	}
	g, err := db.gridCached(ctx, tx, s.GridID)
	if err != nil {
		return nil, err
	}
	var learners []certibloc.Learner
	var current map[resultKey]*currentRow
	if len(in) == 1 && in[0].PersonID != 0 && in[0].Team == "" {
		learners, current, err = db.learnerAndTeam(ctx, tx, s, in[0].PersonID)
	} else if learners, err = sessionLearners(ctx, tx, sessionID); err == nil {
		current, err = currentResults(ctx, tx, sessionID)
	}
	if err != nil {
		return nil, err
	}
	blindTo := int64(0)
	if s.DoubleMarking && !a.manage {
		blindTo = p.AccountID
	}
	pending, problems := planResults(s, g, learners, current, in, blindTo)
	if len(problems) > 0 {
		return nil, problems
	}
	keys := make([]resultKey, 0, len(pending))
	for k := range pending {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b resultKey) int {
		return cmp.Or(cmp.Compare(a.person, b.person), cmp.Compare(a.round, b.round))
	})
	written, err := db.writeResults(ctx, tx, p, s, g, learners, current, pending, keys)
	if err != nil {
		return nil, err
	}
	return written, db.auditSubmitted(ctx, tx, s, written)
}

// lockSession reads a session for a write of its results, making the
// writers of one session take turns until they commit: SQLite has one
// writer already; PostgreSQL locks the session's row.
func lockSession(ctx context.Context, q querier, engine string, id int64) (*certibloc.EvalSession, error) {
	lock := ""
	if engine == Postgres {
		lock = " FOR UPDATE"
	}
	s, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM eval_sessions s WHERE s.id = $1`+lock, id))
	if err == sql.ErrNoRows {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session with id %d", id)
	}
	return s, err
}

// currentColumns are what a batch reads of a stored result (scanCurrent).
const currentColumns = `id, person_id, round, state, coalesce(marker_account_id, 0), marks`

// currentResults reads the results of a session that are not superseded.
func currentResults(ctx context.Context, q querier, sessionID int64) (map[resultKey]*currentRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+currentColumns+` FROM results
		WHERE session_id = $1 AND state <> 'superseded'`, sessionID)
	if err != nil {
		return nil, err
	}
	return scanCurrent(rows)
}

// scanCurrent reads rows of currentColumns, and closes them.
func scanCurrent(rows *sql.Rows) (map[resultKey]*currentRow, error) {
	defer rows.Close()
	out := map[resultKey]*currentRow{}
	for rows.Next() {
		var k resultKey
		var r currentRow
		var marks string
		if err := rows.Scan(&r.id, &k.person, &k.round, &r.state, &r.marker, &marks); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(marks), &r.marks); err != nil {
			return nil, fmt.Errorf("marks of result %d: %w", r.id, err)
		}
		out[k] = &r
	}
	return out, rows.Err()
}

// planResults checks a batch and works out what it writes to each result.
// With blind double marking, blindTo is the evaluator's account, who may
// not write to another marker's draft (its grades would come back in the
// answer); 0 for staff.
func planResults(s *certibloc.EvalSession, g *certibloc.Grid, learners []certibloc.Learner, current map[resultKey]*currentRow,
	in []ResultInput, blindTo int64) (map[resultKey]*pendingResult, certibloc.Problems) {
	byPerson := make(map[int64]*certibloc.Learner, len(learners))
	teams := map[string][]int64{}
	for i := range learners {
		l := &learners[i]
		byPerson[l.PersonID] = l
		if l.Team != "" {
			teams[l.Team] = append(teams[l.Team], l.PersonID)
		}
	}
	isTeam := s.Form == certibloc.Team
	var problems certibloc.Problems
	add := func(ps ...certibloc.Problem) {
		for _, p := range ps {
			if len(problems) < certibloc.MaxProblems {
				problems = append(problems, p)
			}
		}
	}
	pending := map[resultKey]*pendingResult{}
	get := func(k resultKey) *pendingResult {
		r := pending[k]
		if r == nil {
			r = &pendingResult{marks: map[string]pendingMark{}}
			pending[k] = r
		}
		return r
	}
	seenPerson := map[resultKey]int{}
	seenTeam := map[string]int{}
	lockedSeen := map[resultKey]bool{}
	closed := func(row int, k resultKey) bool {
		c := current[k]
		code := "locked"
		switch {
		case c == nil:
			return false
		case c.state == certibloc.ResultDraft && (blindTo == 0 || c.marker == blindTo):
			return false
		case c.state == certibloc.ResultDraft:
			code = "other_marker"
		}
		if !lockedSeen[k] {
			lockedSeen[k] = true
			add(certibloc.Problem{Row: row, Code: code, Value: byPerson[k.person].Name})
		}
		return true
	}
	for i, r := range in {
		row := i + 1
		round := r.Round
		if round == 0 {
			round = 1
		}
		if round != 1 && (round != 2 || !s.DoubleMarking) {
			add(certibloc.Problem{Row: row, Column: "round", Code: "bad_round", Value: fmt.Sprint(round)})
			continue
		}
		team := strings.TrimSpace(r.Team)
		var targets []int64
		teamRow := false
		switch {
		case r.PersonID != 0:
			l := byPerson[r.PersonID]
			if l == nil {
				add(certibloc.Problem{Row: row, Code: "unknown_learner", Value: fmt.Sprint(r.PersonID)})
				continue
			}
			if team != "" && team != l.Team {
				add(certibloc.Problem{Row: row, Column: "team", Code: "unknown_team", Value: certibloc.Cut(team)})
				continue
			}
			k := resultKey{r.PersonID, round}
			if prev, ok := seenPerson[k]; ok {
				add(certibloc.Problem{Row: row, Code: "duplicate_row", Value: l.Name, Detail: fmt.Sprint(prev)})
				continue
			}
			seenPerson[k] = row
			targets = []int64{r.PersonID}
		case team != "" && isTeam && teams[team] != nil:
			tk := fmt.Sprintf("%d\x00%s", round, team)
			if prev, ok := seenTeam[tk]; ok {
				add(certibloc.Problem{Row: row, Column: "team", Code: "duplicate_row", Value: certibloc.Cut(team), Detail: fmt.Sprint(prev)})
				continue
			}
			seenTeam[tk] = row
			targets, teamRow = teams[team], true
		case team != "":
			add(certibloc.Problem{Row: row, Column: "team", Code: "unknown_team", Value: certibloc.Cut(team)})
			continue
		default:
			add(certibloc.Problem{Row: row, Code: "unknown_learner", Value: "0"})
			continue
		}
		// Double marking needs two markers: an evaluator who graded a
		// learner at one round may not grade them at the other.
		if blindTo != 0 && s.DoubleMarking && slices.ContainsFunc(targets, func(p int64) bool {
			c := current[resultKey{p, 3 - round}]
			return c != nil && c.marker == blindTo
		}) {
			add(certibloc.Problem{Row: row, Column: "round", Code: "same_marker", Value: fmt.Sprint(round)})
			continue
		}
		if ps := checkMarks(g, r.Marks, row, teamRow); len(ps) > 0 {
			add(ps...)
			continue
		}
		skip := false
		for _, t := range targets {
			skip = closed(row, resultKey{t, round}) || skip
		}
		if skip {
			continue
		}
		for _, m := range r.Marks {
			c := g.Criterion(m.Criterion)
			to := targets
			if isTeam && !c.Individual {
				// The team's criterion: the same grade for every member.
				to = teams[byPerson[targets[0]].Team]
			}
			for _, t := range to {
				k := resultKey{t, round}
				if closed(row, k) {
					continue
				}
				pr := get(k)
				if prev, ok := pr.marks[m.Criterion]; ok && prev.row != row && prev.mark.Value != m.Value {
					add(certibloc.Problem{Row: row, Column: m.Criterion, Code: "team_disagrees",
						Value: certibloc.Cut(byPerson[t].Team), Detail: m.Criterion})
					break
				}
				pr.marks[m.Criterion] = pendingMark{m, row}
			}
		}
		for _, t := range targets {
			pr := get(resultKey{t, round})
			if r.Submit {
				pr.submit, pr.submitRow = true, row
			}
		}
	}
	// What is submitted must grade every criterion.
	for k, pr := range pending {
		if !pr.submit {
			continue
		}
		have := map[string]bool{}
		if c := current[k]; c != nil {
			for _, m := range c.marks {
				have[m.Criterion] = true
			}
		}
		for key := range pr.marks {
			have[key] = true
		}
		for _, c := range g.Criteria {
			if !have[c.Key] {
				add(certibloc.Problem{Row: pr.submitRow, Column: c.Key, Code: "missing_grade", Value: byPerson[k.person].Name})
				break
			}
		}
	}
	slices.SortStableFunc(problems, func(a, b certibloc.Problem) int { return cmp.Compare(a.Row, b.Row) })
	return pending, problems
}

// writeResults writes the planned results, by multi-row upserts, and
// returns them: a new result is inserted with the learner's
// accommodations at the session, a draft updated in place.
func (db *DB) writeResults(ctx context.Context, tx *sql.Tx, p *certibloc.Principal, s *certibloc.EvalSession, g *certibloc.Grid,
	learners []certibloc.Learner, current map[resultKey]*currentRow, pending map[resultKey]*pendingResult, keys []resultKey) ([]certibloc.Result, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	byPerson := make(map[int64]*certibloc.Learner, len(learners))
	for i := range learners {
		byPerson[learners[i].PersonID] = &learners[i]
	}
	var marker any
	if p.AccountID != 0 {
		marker = p.AccountID
	}
	out := make([]certibloc.Result, len(keys))
	at := make(map[resultKey]int, len(keys))
	for i, k := range keys {
		pr := pending[k]
		byKey := map[string]certibloc.Mark{}
		if c := current[k]; c != nil {
			for _, m := range c.marks {
				byKey[m.Criterion] = m
			}
		}
		for key, pm := range pr.marks {
			byKey[key] = pm.mark
		}
		marks, o, _ := outcome(g, byKey)
		l := byPerson[k.person]
		r := certibloc.Result{SessionID: s.ID, PersonID: k.person, Name: l.Name, Round: k.round, Marker: p.AccountID, Team: l.Team,
			Marks: nonNil(marks), Outcome: o, State: certibloc.ResultDraft, Accommodations: nonNil(l.Accommodations), UpdatedAt: now}
		if pr.submit {
			r.State, r.SubmittedAt = certibloc.ResultSubmitted, &now
		}
		out[i], at[k] = r, i
	}
	rowsPer := db.upsertBatch()
	stmts := map[int]*sql.Stmt{} // by the number of results
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for start := 0; start < len(keys); start += rowsPer {
		part := out[start:min(start+rowsPer, len(keys))]
		n := len(part)
		if db.engine == Postgres {
			n = 0 // one statement for any number
		}
		stmt := stmts[n]
		if stmt == nil {
			var err error
			if stmt, err = db.upsertStmt(ctx, tx, n); err != nil {
				return nil, err
			}
			stmts[n] = stmt
		}
		args, err := db.upsertArgs(part, marker, now)
		if err != nil {
			return nil, err
		}
		rows, err := stmt.QueryContext(ctx, args...)
		if err != nil {
			return nil, err
		}
		written := 0
		for rows.Next() {
			var k resultKey
			var id int64
			var acc string
			if err := rows.Scan(&id, &k.person, &k.round, &acc); err != nil {
				rows.Close()
				return nil, err
			}
			r := &out[at[k]]
			r.ID = id
			if c := current[k]; c != nil { // a draft keeps the accommodations it was first saved with
				r.Accommodations = nil
				if err := json.Unmarshal([]byte(acc), &r.Accommodations); err != nil {
					rows.Close()
					return nil, err
				}
			}
			written++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if written != len(part) {
			return nil, certibloc.Errorf(certibloc.ECONFLICT, "some results were submitted meanwhile: nothing was recorded, try again")
		}
	}
	return out, nil
}

// upsertArgs are the parameters of the upsert of results: on SQLite
// upsertColumns a result; on PostgreSQL, the session, the marker and the
// time, then an array a column.
func (db *DB) upsertArgs(part []certibloc.Result, marker any, now time.Time) ([]any, error) {
	marks, acc := make([]string, len(part)), make([]string, len(part))
	for i := range part {
		mj, err := json.Marshal(part[i].Marks)
		if err != nil {
			return nil, err
		}
		aj, _ := json.Marshal(part[i].Accommodations)
		marks[i], acc[i] = string(mj), string(aj)
	}
	if db.engine != Postgres {
		args := make([]any, 0, len(part)*upsertColumns)
		for i := range part {
			r := &part[i]
			var submitted any
			if r.SubmittedAt != nil {
				submitted = now
			}
			args = append(args, r.SessionID, r.PersonID, r.Round, marker, r.Team, marks[i], r.Total, r.Max, r.Passed, r.State,
				acc[i], submitted, now, now)
		}
		return args, nil
	}
	n := len(part)
	person, total, max := make([]int64, n), make([]int64, n), make([]int64, n)
	round, team, state := make([]int32, n), make([]string, n), make([]string, n)
	passed, submitted := make([]bool, n), make([]*time.Time, n)
	for i := range part {
		r := &part[i]
		person[i], round[i], team[i], total[i], max[i] = r.PersonID, int32(r.Round), r.Team, int64(r.Total), int64(r.Max)
		passed[i], state[i], submitted[i] = r.Passed, r.State, r.SubmittedAt
	}
	return []any{part[0].SessionID, marker, now, person, round, team, marks, total, max, passed, state, acc, submitted}, nil
}

// upsertColumns is how many values a result's upsert takes.
const upsertColumns = 14

// upsertBatch is how many results one upsert writes: on SQLite, within
// its limit on parameters; on PostgreSQL, whose upsert takes an array a
// column, a bound on the memory of one statement.
func (db *DB) upsertBatch() int {
	if db.engine == SQLite {
		return 400
	}
	return 20000
}

// upsertStmt returns the upsert of n results for tx (on PostgreSQL, n is
// 0: the statement takes any number): prepared once (on the write
// connections, see prepareWrites) for one result, for a full batch and
// on PostgreSQL; prepared in tx for another n. The caller closes it.
func (db *DB) upsertStmt(ctx context.Context, tx *sql.Tx, n int) (*sql.Stmt, error) {
	if n <= 1 || n == db.upsertBatch() {
		return db.writeStmt(ctx, tx, db.upsertResults(n))
	}
	return tx.PrepareContext(ctx, db.upsertResults(n))
}

// upsertResultsPg writes any number of results on PostgreSQL, from
// arrays (upsertArgs): one statement, parsed once, however many rows.
const upsertResultsPg = `INSERT INTO results (session_id, person_id, round, marker_account_id, team, marks, total, max_total,
		passed, state, accommodations, submitted_at, created_at, updated_at)
	SELECT $1::bigint, u.person, u.round, $2::bigint, u.team, u.marks::jsonb, u.total, u.max, u.passed, u.state, u.acc::jsonb,
		u.submitted, $3::timestamptz, $3::timestamptz
	FROM unnest($4::bigint[], $5::integer[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::boolean[], $11::text[],
		$12::text[], $13::timestamptz[]) AS u(person, round, team, marks, total, max, passed, state, acc, submitted)
	ON CONFLICT (session_id, person_id, round) WHERE state <> 'superseded' DO UPDATE SET
		marker_account_id = excluded.marker_account_id, team = excluded.team, marks = excluded.marks,
		total = excluded.total, max_total = excluded.max_total, passed = excluded.passed, state = excluded.state,
		submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
		WHERE results.state = 'draft'
	RETURNING id, person_id, round, accommodations`

// upsertResults is the statement that writes n results: a new result is
// inserted, a draft updated, a submitted one left alone (and not
// returned). On PostgreSQL it is upsertResultsPg, whatever n. SQLite
// binds "$N" parameters by name, in a time that grows with their number:
// this statement of thousands uses positional "?" there. The texts are
// kept, as the key of their prepared statements.
func (db *DB) upsertResults(n int) string {
	if db.engine == Postgres {
		return upsertResultsPg
	}
	if q, ok := upsertTexts.Load(n); ok {
		return q.(string)
	}
	const cols = upsertColumns
	var sb strings.Builder
	sb.WriteString(`INSERT INTO results (session_id, person_id, round, marker_account_id, team, marks, total, max_total,
		passed, state, accommodations, submitted_at, created_at, updated_at) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(")
		for c := range cols {
			if c > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("?")
		}
		sb.WriteString(")")
	}
	sb.WriteString(` ON CONFLICT (session_id, person_id, round) WHERE state <> 'superseded' DO UPDATE SET
		marker_account_id = excluded.marker_account_id, team = excluded.team, marks = excluded.marks,
		total = excluded.total, max_total = excluded.max_total, passed = excluded.passed, state = excluded.state,
		submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
		WHERE results.state = 'draft'
		RETURNING id, person_id, round, accommodations`)
	upsertTexts.Store(n, sb.String())
	return sb.String()
}

var upsertTexts sync.Map // n → the text of upsertResults(n) on SQLite

// auditSubmitted records the results a batch submitted in the audit
// trail: one entry for the batch, under the session, listing each result
// with its learner, round, total and verdict (never the comments).
func (db *DB) auditSubmitted(ctx context.Context, tx *sql.Tx, s *certibloc.EvalSession, written []certibloc.Result) error {
	var list [][]any
	for _, r := range written {
		if r.State == certibloc.ResultSubmitted {
			list = append(list, []any{r.ID, r.PersonID, r.Round, r.Total, r.Passed})
		}
	}
	if len(list) == 0 {
		return nil
	}
	return db.audit(ctx, tx, "results.submit", "eval_session", fmt.Sprint(s.ID), s.School, map[string]any{
		"submitted": len(list), "max": written[0].Max,
		"columns": []string{"result", "person", "round", "total", "passed"}, "results": list})
}

// CorrectResult corrects a submitted result (ManageEvaluations, in the
// session's school), for a reason: marks replace the grades of their
// criteria. The locked result is kept, superseded; the new one points to
// it, with the reason; the audit trail records the old and new totals.
// Bad marks are refused as certibloc.Problems (row 1).
func (db *DB) CorrectResult(ctx context.Context, p *certibloc.Principal, resultID int64, marks []certibloc.Mark, reason string) (*certibloc.Result, error) {
	if err := p.Authorize(certibloc.ManageEvaluations, ""); err != nil {
		return nil, err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, certibloc.Errorf(certibloc.EINVALID, "a correction needs a reason")
	}
	if err := certibloc.CheckText("reason", reason, 1000, true); err != nil {
		return nil, err
	}
	var out *certibloc.Result
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var sessionID int64
		if err := tx.QueryRowContext(ctx, `SELECT session_id FROM results WHERE id = $1`, resultID).Scan(&sessionID); err == sql.ErrNoRows {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no result with id %d", resultID)
		} else if err != nil {
			return err
		}
		s, err := lockSession(ctx, tx, db.engine, sessionID)
		if err != nil {
			return err
		}
		if err := p.Authorize(certibloc.ManageEvaluations, s.School); err != nil {
			return err
		}
		list, err := findResults(ctx, tx, `r.id = $1`, resultID)
		if err != nil {
			return err
		}
		old := list[0]
		switch old.State {
		case resultSuperseded:
			var by int64
			tx.QueryRowContext(ctx, `SELECT id FROM results WHERE supersedes = $1`, resultID).Scan(&by)
			return certibloc.Errorf(certibloc.ECONFLICT, "result %d was corrected already: correct result %d", resultID, by)
		case certibloc.ResultDraft:
			return certibloc.Errorf(certibloc.ECONFLICT, "result %d is a draft: its marker records it; corrections are for submitted results", resultID)
		}
		g, err := findGrid(ctx, tx, s.GridID)
		if err != nil {
			return err
		}
		if ps := checkMarks(g, marks, 1, false); len(ps) > 0 {
			return ps
		}
		byKey := map[string]certibloc.Mark{}
		for _, m := range old.Marks {
			byKey[m.Criterion] = m
		}
		for _, m := range marks {
			byKey[m.Criterion] = m
		}
		newMarks, o, complete := outcome(g, byKey)
		if !complete {
			return certibloc.Problems{{Row: 1, Code: "missing_grade", Value: old.Name}}
		}
		if slices.Equal(newMarks, old.Marks) {
			return certibloc.Errorf(certibloc.EINVALID, "the correction changes no grade of result %d", resultID)
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `UPDATE results SET state = 'superseded', updated_at = $1 WHERE id = $2`, now, resultID); err != nil {
			return err
		}
		mj, _ := json.Marshal(newMarks)
		aj, _ := json.Marshal(nonNil(old.Accommodations))
		var marker any
		if old.Marker != 0 {
			marker = old.Marker
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO results (session_id, person_id, round, marker_account_id, team, marks,
				total, max_total, passed, state, accommodations, supersedes, reason, submitted_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'submitted', $10, $11, $12, $13, $13, $13) RETURNING id`,
			old.SessionID, old.PersonID, old.Round, marker, old.Team, string(mj), o.Total, o.Max, o.Passed, string(aj),
			old.ID, reason, now).Scan(&id); err != nil {
			return conflictOnDuplicate(err, fmt.Sprintf("result %d was corrected at the same time: reload it", resultID))
		}
		list, err = findResults(ctx, tx, `r.id = $1`, id)
		if err != nil {
			return err
		}
		out = &list[0]
		return db.audit(ctx, tx, "result.correct", "result", fmt.Sprint(id), s.School, map[string]any{
			"session": s.ID, "person": old.PersonID, "round": old.Round, "supersedes": old.ID,
			"old_total": old.Total, "new_total": o.Total, "max": o.Max, "old_passed": old.Passed, "new_passed": o.Passed})
	})
	if err != nil {
		return nil, fmt.Errorf("correct result %d: %w", resultID, err)
	}
	return out, nil
}
