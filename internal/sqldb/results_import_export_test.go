package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// SeedGradingSessionForBench stores n people of school and a session of
// grid g (individual, on today's date) with those people as its learners
// and evaluator assigned, in one transaction and without the audit trail
// or the enrolment checks (benchmark data, not records): the import of a
// grade sheet of n lines measures the sheet and RecordResults alone.
func (db *DB) SeedGradingSessionForBench(ctx context.Context, school string, g *certibloc.Grid, evaluator int64, n int) (int64, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	var sessionID int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO eval_sessions (school_code, certification_code, certification_version,
			block_code, evaluation_number, complementary_code, form, grid_id, title, held_on, place, double_marking, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'individual', $7, 'Banc d''essai', $8, 'Dijon', FALSE, $9) RETURNING id`,
			school, g.Certification, g.Version, g.Block, g.Evaluation, g.Complementary, g.ID, certibloc.Date{Time: now}, now).Scan(&sessionID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO eval_session_evaluators (session_id, account_id) VALUES ($1, $2)`, sessionID, evaluator); err != nil {
			return err
		}
		for start := 0; start < n; start += 1000 {
			end := min(start+1000, n)
			var people []string
			var vals []any
			for i := start; i < end; i++ {
				name := benchNames[i%len(benchNames)]
				p := certibloc.Person{BirthName: fmt.Sprintf("%s%d", name[0], i), FirstNames: name[1]}
				k := len(vals)
				people = append(people, fmt.Sprintf("($%d, $%d, $%d, 5, 0, 0, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6))
				vals = append(vals, school, p.BirthName, p.FirstNames, now, now, searchName(&p))
			}
			rows, err := tx.QueryContext(ctx, `INSERT INTO people (school_code, birth_name, first_names, level, ects,
				experience_months, created_at, updated_at, search_name) VALUES `+strings.Join(people, ", ")+` RETURNING id`, vals...)
			if err != nil {
				return err
			}
			var learners []string
			vals = vals[:0]
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				learners = append(learners, fmt.Sprintf("($%d, $%d)", len(vals)+1, len(vals)+2))
				vals = append(vals, sessionID, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO eval_session_learners (session_id, person_id) VALUES `+
				strings.Join(learners, ", "), vals...); err != nil {
				return err
			}
		}
		return nil
	})
	return sessionID, err
}
