package sqldb

// What RecordResults (results.go) reads and writes through statements
// prepared once: the session, a learner with their teammates, and the
// upserts.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/certibloc/certibloc"
)

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
	lockSessionSQLite = `SELECT ` + sessionColumns + ` FROM eval_sessions s WHERE s.id = $1`
	lockSessionPg     = lockSessionSQLite + ` FOR UPDATE`
)

// lockSessionSQL is lockSession's query on db's engine.
func (db *DB) lockSessionSQL() string {
	if db.engine == Postgres {
		return lockSessionPg
	}
	return lockSessionSQLite
}

// lockSessionPrepared is lockSession through a prepared statement.
func (db *DB) lockSessionPrepared(ctx context.Context, tx *sql.Tx, id int64) (*certibloc.EvalSession, error) {
	st, err := db.writeStmt(ctx, tx, db.lockSessionSQL())
	if err != nil {
		return nil, err
	}
	s, err := scanSession(st.QueryRowContext(ctx, id))
	if err == sql.ErrNoRows {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session with id %d", id)
	}
	return s, err
}

// sessionForWrite reads a session for a write of its results. On SQLite,
// whose one writer already makes writers take turns, the row is read once
// and kept: a session's row never changes once stored. PostgreSQL locks
// it (lockSession).
func (db *DB) sessionForWrite(ctx context.Context, tx *sql.Tx, id int64) (*certibloc.EvalSession, error) {
	if db.engine == Postgres {
		return db.lockSessionPrepared(ctx, tx, id)
	}
	gw := db.groupWriter()
	if s, ok := gw.sessions.Load(id); ok {
		return s.(*certibloc.EvalSession), nil
	}
	s, err := db.lockSessionPrepared(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	gw.sessions.Store(id, s)
	return s, nil
}

// The learner of a session and their teammates, and their current results;
// on an individual evaluation, the learner alone.
const (
	learnerSQL = `SELECT l.person_id, l.team, l.accommodations, p.first_names, p.birth_name, p.usage_name
		FROM eval_session_learners l JOIN people p ON p.id = l.person_id
		WHERE l.session_id = $1 AND l.person_id = $2`
	currentOfLearnerSQL = `SELECT ` + currentColumns + ` FROM results
		WHERE session_id = $1 AND person_id = $2 AND state <> 'superseded'`
	teamOfSQL = `(SELECT l.person_id FROM eval_session_learners l WHERE l.session_id = $1 AND (l.person_id = $2
		OR l.team <> '' AND l.team = (SELECT t.team FROM eval_session_learners t WHERE t.session_id = $1 AND t.person_id = $2)))`
	learnerAndTeamSQL = `SELECT l.person_id, l.team, l.accommodations, p.first_names, p.birth_name, p.usage_name
		FROM eval_session_learners l JOIN people p ON p.id = l.person_id
		WHERE l.session_id = $1 AND l.person_id IN ` + teamOfSQL
	currentOfTeamSQL = `SELECT ` + currentColumns + ` FROM results
		WHERE session_id = $1 AND state <> 'superseded' AND person_id IN ` + teamOfSQL
)

// learnerAndTeam reads a learner of a session with their teammates (none
// on an individual evaluation) and their current results: all a row of
// that learner can write to.
func (db *DB) learnerAndTeam(ctx context.Context, tx *sql.Tx, s *certibloc.EvalSession, person int64) ([]certibloc.Learner, map[resultKey]*currentRow, error) {
	sessionID := s.ID
	learnersQ, currentQ := learnerSQL, currentOfLearnerSQL
	if s.Form == certibloc.Team {
		learnersQ, currentQ = learnerAndTeamSQL, currentOfTeamSQL
	}
	st, err := db.writeStmt(ctx, tx, learnersQ)
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
	if st, err = db.writeStmt(ctx, tx, currentQ); err != nil {
		return nil, nil, err
	}
	if rows, err = st.QueryContext(ctx, sessionID, person); err != nil {
		return nil, nil, err
	}
	current, err = scanCurrent(rows)
	return learners, current, err
}
