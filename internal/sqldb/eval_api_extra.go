package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/certibloc/certibloc"
)

// RecordLearnerResults is RecordResults for the API's most frequent
// request: one learner's grades, saved as the evaluator types them. It
// checks and writes exactly as RecordResults does (planResults), but reads
// only what the row touches — the learner, their teammates on a team
// evaluation, and their current results — instead of the whole session,
// through statements prepared once, with the grid cached, and answers the
// result it wrote without reading it back. Any other batch goes to
// RecordResults.
func (db *DB) RecordLearnerResults(ctx context.Context, p *certibloc.Principal, sessionID int64, in []ResultInput) ([]certibloc.Result, error) {
	if len(in) != 1 || in[0].PersonID == 0 || in[0].Team != "" {
		return db.RecordResults(ctx, p, sessionID, in)
	}
	if err := p.Authorize(certibloc.GradeEvaluations, ""); err != nil {
		return nil, err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	person := in[0].PersonID
	lock := lockSessionSQL
	if db.engine == Postgres {
		lock = lockSessionPgSQL
	}
	if err := db.prepareWrites(ctx, lock, learnerAndTeamSQL, currentOfTeamSQL, upsertResultSQL); err != nil {
		return nil, fmt.Errorf("record results of session %d: %w", sessionID, err)
	}
	var written []certibloc.Result
	err := db.tx(ctx, func(tx *sql.Tx) error {
		s, err := db.lockSessionPrepared(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		a, err := accessTo(ctx, tx, p, s)
		if err != nil {
			return err
		}
		if !a.grade {
			return certibloc.Problems{{Code: "not_assigned"}}
		}
		g, err := db.gridCached(ctx, tx, s.GridID)
		if err != nil {
			return err
		}
		learners, current, err := db.learnerAndTeam(ctx, tx, sessionID, person)
		if err != nil {
			return err
		}
		pending, problems := planResults(s, g, learners, current, in)
		if len(problems) > 0 {
			return problems
		}
		keys := make([]resultKey, 0, len(pending))
		for k := range pending {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b resultKey) int {
			return cmp.Or(cmp.Compare(a.person, b.person), cmp.Compare(a.round, b.round))
		})
		written, err = db.upsertResults(ctx, tx, p, s, g, learners, current, pending, keys)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record results of session %d: %w", sessionID, err)
	}
	return written, nil
}

// prepareWrites prepares queries once on the write connections, before
// a transaction that uses them through writeStmt: SQLite would parse
// every statement anew otherwise, inside the one writer's turn (and its
// one connection cannot prepare while a transaction holds it).
func (db *DB) prepareWrites(ctx context.Context, queries ...string) error {
	for _, q := range queries {
		key := "write\x00" + q
		if _, ok := db.stmts.Load(key); ok {
			continue
		}
		st, err := db.write.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		if _, loaded := db.stmts.LoadOrStore(key, st); loaded {
			st.Close()
		}
	}
	return nil
}

// writeStmt returns a query that prepareWrites prepared, for use in tx.
func (db *DB) writeStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s, ok := db.stmts.Load("write\x00" + query)
	if !ok {
		return nil, fmt.Errorf("statement not prepared: %.60s", query)
	}
	return tx.StmtContext(ctx, s.(*sql.Stmt)), nil
}

var (
	lockSessionSQL   = `SELECT ` + sessionColumns + ` FROM eval_sessions s WHERE s.id = $1`
	lockSessionPgSQL = lockSessionSQL + ` FOR UPDATE`
)

// lockSessionPrepared is lockSession through a prepared statement.
func (db *DB) lockSessionPrepared(ctx context.Context, tx *sql.Tx, id int64) (*certibloc.EvalSession, error) {
	q := lockSessionSQL
	if db.engine == Postgres {
		q = lockSessionPgSQL
	}
	st, err := db.writeStmt(ctx, tx, q)
	if err != nil {
		return nil, err
	}
	s, err := scanSession(st.QueryRowContext(ctx, id))
	if err == sql.ErrNoRows {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session with id %d", id)
	}
	return s, err
}

// The learner of a session and their teammates, and their current results.
const (
	teamOfSQL = `(SELECT l.person_id FROM eval_session_learners l WHERE l.session_id = $1 AND (l.person_id = $2
		OR l.team <> '' AND l.team = (SELECT t.team FROM eval_session_learners t WHERE t.session_id = $1 AND t.person_id = $2)))`
	learnerAndTeamSQL = `SELECT l.person_id, l.team, l.accommodations, p.first_names, p.birth_name, p.usage_name
		FROM eval_session_learners l JOIN people p ON p.id = l.person_id
		WHERE l.session_id = $1 AND l.person_id IN ` + teamOfSQL
	currentOfTeamSQL = `SELECT id, person_id, round, state, marks FROM results
		WHERE session_id = $1 AND state <> 'superseded' AND person_id IN ` + teamOfSQL
)

// learnerAndTeam reads a learner of a session with their teammates (none
// on an individual evaluation) and their current results: all a row of
// that learner can write to.
func (db *DB) learnerAndTeam(ctx context.Context, tx *sql.Tx, sessionID, person int64) ([]certibloc.Learner, map[resultKey]*currentRow, error) {
	st, err := db.writeStmt(ctx, tx, learnerAndTeamSQL)
	if err != nil {
		return nil, nil, err
	}
	rows, err := st.QueryContext(ctx, sessionID, person)
	if err != nil {
		return nil, nil, err
	}
	var learners []certibloc.Learner
	for rows.Next() {
		var l certibloc.Learner
		var acc, first, birth, usage string
		if err := rows.Scan(&l.PersonID, &l.Team, &acc, &first, &birth, &usage); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if acc != "[]" {
			if err := json.Unmarshal([]byte(acc), &l.Accommodations); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("accommodations of learner %d: %w", l.PersonID, err)
			}
		}
		l.Name = displayName(first, birth, usage)
		learners = append(learners, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	current := map[resultKey]*currentRow{}
	if len(learners) == 0 {
		return learners, current, nil
	}
	if st, err = db.writeStmt(ctx, tx, currentOfTeamSQL); err != nil {
		return nil, nil, err
	}
	if rows, err = st.QueryContext(ctx, sessionID, person); err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k resultKey
		var r currentRow
		var marks string
		if err := rows.Scan(&r.id, &k.person, &k.round, &r.state, &marks); err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal([]byte(marks), &r.marks); err != nil {
			return nil, nil, fmt.Errorf("marks of result %d: %w", r.id, err)
		}
		current[k] = &r
	}
	return learners, current, rows.Err()
}

// upsertResultSQL writes one result as writeResults does, and returns
// what the answer needs that the row keeps: its id and the accommodations
// it was first saved with.
const upsertResultSQL = `INSERT INTO results (session_id, person_id, round, marker_account_id, team, marks, total,
		max_total, passed, state, accommodations, submitted_at, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
	ON CONFLICT (session_id, person_id, round) WHERE state <> 'superseded' DO UPDATE SET
		marker_account_id = excluded.marker_account_id, team = excluded.team, marks = excluded.marks,
		total = excluded.total, max_total = excluded.max_total, passed = excluded.passed, state = excluded.state,
		submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
		WHERE results.state = 'draft'
	RETURNING id, accommodations`

// upsertResults writes the planned results one statement each, audits
// the submitted ones, and returns them as written.
func (db *DB) upsertResults(ctx context.Context, tx *sql.Tx, p *certibloc.Principal, s *certibloc.EvalSession, g *certibloc.Grid,
	learners []certibloc.Learner, current map[resultKey]*currentRow, pending map[resultKey]*pendingResult, keys []resultKey) ([]certibloc.Result, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	var marker any
	if p.AccountID != 0 {
		marker = p.AccountID
	}
	st, err := db.writeStmt(ctx, tx, upsertResultSQL)
	if err != nil {
		return nil, err
	}
	written := make([]certibloc.Result, 0, len(keys))
	var items []auditItem
	for _, k := range keys {
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
		marks, out, _ := outcome(g, byKey)
		r := certibloc.Result{SessionID: s.ID, PersonID: k.person, Round: k.round, Marker: p.AccountID, Marks: nonNil(marks),
			Outcome: out, State: certibloc.ResultDraft, UpdatedAt: now}
		var submitted any
		if pr.submit {
			r.State, submitted, r.SubmittedAt = certibloc.ResultSubmitted, now, &now
		}
		i := slices.IndexFunc(learners, func(l certibloc.Learner) bool { return l.PersonID == k.person })
		l := &learners[i]
		r.Name, r.Team = l.Name, l.Team
		mj, err := json.Marshal(r.Marks)
		if err != nil {
			return nil, err
		}
		aj, _ := json.Marshal(nonNil(l.Accommodations))
		var acc string
		err = st.QueryRowContext(ctx, s.ID, k.person, k.round, marker, l.Team, string(mj), out.Total, out.Max, out.Passed,
			r.State, string(aj), submitted, now, now).Scan(&r.ID, &acc)
		if err == sql.ErrNoRows {
			return nil, certibloc.Errorf(certibloc.ECONFLICT, "some results were submitted meanwhile: nothing was recorded, try again")
		} else if err != nil {
			return nil, err
		}
		if acc != "[]" {
			if err := json.Unmarshal([]byte(acc), &r.Accommodations); err != nil {
				return nil, fmt.Errorf("accommodations of result %d: %w", r.ID, err)
			}
		}
		written = append(written, r)
		if pr.submit {
			items = append(items, auditItem{action: "result.submit", entity: "result", entityID: fmt.Sprint(r.ID), school: s.School,
				data: map[string]any{"session": s.ID, "person": r.PersonID, "round": r.Round, "total": r.Total, "max": r.Max, "passed": r.Passed}})
		}
	}
	return written, db.auditMany(ctx, tx, items)
}
