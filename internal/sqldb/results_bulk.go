package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Large batches of grades: a grade sheet of a whole session, up to a
// hundred thousand lines. ImportResults checks and writes them as
// RecordResults does, in one transaction, but through statements prepared
// once (with positional parameters, which SQLite binds without looking
// names up), and it answers with counts instead of reading every result
// back.

// ImportedResults is what an import recorded.
type ImportedResults struct {
	SessionID int64 `json:"session_id"`
	Recorded  int   `json:"recorded"`  // results written, drafts and submitted
	Submitted int   `json:"submitted"` // of which submitted (locked)
}

// importBatch is how many results one INSERT of an import writes: 14
// parameters each, within both engines' limits on parameters.
const importBatch = 500

// ImportResults records a batch of grades at a session, all or nothing,
// in one transaction, with the access rules, checks and problems of
// RecordResults (certibloc.Problems, the row being the input's index from
// 1). It returns the counts of what it wrote.
func (db *DB) ImportResults(ctx context.Context, p *certibloc.Principal, sessionID int64, in []ResultInput) (ImportedResults, error) {
	out := ImportedResults{SessionID: sessionID}
	if err := p.Authorize(certibloc.GradeEvaluations, ""); err != nil {
		return out, err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	if len(in) == 0 {
		return out, certibloc.Problems{{Code: "empty_sheet"}}
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		s, err := lockSession(ctx, tx, db.engine, sessionID)
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
		g, err := findGrid(ctx, tx, s.GridID)
		if err != nil {
			return err
		}
		learners, err := sessionLearners(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		current, err := currentResults(ctx, tx, sessionID)
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
		out.Recorded, out.Submitted, err = db.bulkWriteResults(ctx, tx, p, s, g, learners, current, pending, keys)
		return err
	})
	if err != nil {
		return ImportedResults{SessionID: sessionID}, fmt.Errorf("import results of session %d: %w", sessionID, err)
	}
	return out, nil
}

// bulkWriteResults writes the planned results as writeResults does (a new
// result with the learner's accommodations, a draft updated in place, a
// result submitted meanwhile a conflict), importBatch at a time through
// one prepared statement, and audits each submitted result.
func (db *DB) bulkWriteResults(ctx context.Context, tx *sql.Tx, p *certibloc.Principal, s *certibloc.EvalSession, g *certibloc.Grid,
	learners []certibloc.Learner, current map[resultKey]*currentRow, pending map[resultKey]*pendingResult, keys []resultKey) (recorded, submitted int, err error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	byPerson := make(map[int64]*certibloc.Learner, len(learners))
	for i := range learners {
		byPerson[learners[i].PersonID] = &learners[i]
	}
	var marker any
	if p.AccountID != 0 {
		marker = p.AccountID
	}
	stmts := map[int]*sql.Stmt{} // by the number of rows
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	var audits []auditItem
	byKey := map[string]certibloc.Mark{}
	args := make([]any, 0, importBatch*14)
	for start := 0; start < len(keys); start += importBatch {
		part := keys[start:min(start+importBatch, len(keys))]
		st := stmts[len(part)]
		if st == nil {
			if st, err = tx.PrepareContext(ctx, db.importStatement(len(part))); err != nil {
				return 0, 0, err
			}
			stmts[len(part)] = st
		}
		args = args[:0]
		outcomes := make(map[resultKey]certibloc.Outcome, len(part))
		for _, k := range part {
			pr := pending[k]
			clear(byKey)
			if c := current[k]; c != nil {
				for _, m := range c.marks {
					byKey[m.Criterion] = m
				}
			}
			for key, pm := range pr.marks {
				byKey[key] = pm.mark
			}
			marks, o, _ := outcome(g, byKey)
			outcomes[k] = o
			state, at := certibloc.ResultDraft, any(nil)
			if pr.submit {
				state, at = certibloc.ResultSubmitted, now
			}
			l := byPerson[k.person]
			mj, err := json.Marshal(nonNil(marks))
			if err != nil {
				return 0, 0, err
			}
			aj, _ := json.Marshal(nonNil(l.Accommodations))
			args = append(args, s.ID, k.person, k.round, marker, l.Team, string(mj), o.Total, o.Max, o.Passed, state,
				string(aj), at, now, now)
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return 0, 0, err
		}
		ids := make(map[resultKey]int64, len(part))
		for rows.Next() {
			var id int64
			var k resultKey
			if err := rows.Scan(&id, &k.person, &k.round); err != nil {
				rows.Close()
				return 0, 0, err
			}
			ids[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, 0, err
		}
		if len(ids) != len(part) {
			return 0, 0, certibloc.Errorf(certibloc.ECONFLICT, "some results were submitted meanwhile: nothing was recorded, try again")
		}
		for _, k := range part { // the trail in the order of the keys, as RecordResults writes it
			if pending[k].submit {
				o := outcomes[k]
				audits = append(audits, auditItem{action: "result.submit", entity: "result", entityID: fmt.Sprint(ids[k]), school: s.School,
					data: map[string]any{"session": s.ID, "person": k.person, "round": k.round, "total": o.Total, "max": o.Max, "passed": o.Passed}})
			}
		}
		recorded += len(ids)
	}
	return recorded, len(audits), db.auditMany(ctx, tx, audits)
}

// importStatement is the upsert of n results, with the placeholders of
// the engine: $1… on PostgreSQL, ? on SQLite (bound by position).
func (db *DB) importStatement(n int) string {
	const cols = 14
	var sb strings.Builder
	sb.WriteString(`INSERT INTO results (session_id, person_id, round, marker_account_id, team, marks, total, max_total,
		passed, state, accommodations, submitted_at, created_at, updated_at) VALUES `)
	for i := range n {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range cols {
			if c > 0 {
				sb.WriteString(", ")
			}
			if db.engine == Postgres {
				fmt.Fprintf(&sb, "$%d", i*cols+c+1)
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	sb.WriteString(` ON CONFLICT (session_id, person_id, round) WHERE state <> 'superseded' DO UPDATE SET
		marker_account_id = excluded.marker_account_id, team = excluded.team, marks = excluded.marks,
		total = excluded.total, max_total = excluded.max_total, passed = excluded.passed, state = excluded.state,
		submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
		WHERE results.state = 'draft'
		RETURNING id, person_id, round`)
	return sb.String()
}
