package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/certibloc/certibloc"
)

// Evaluator fairness: the grades each evaluator gave, read for
// certibloc.AssessFairness. Only submitted results count (a draft may still
// change; a superseded result was corrected), each under the account that
// marked it; with double marking both rounds count, each for its marker.

// FairnessFilter chooses the grades: those of one session, or those of a
// cohort (its sessions, and the sessions of its school and certification
// its learners sat). With a session, Criterion narrows them to one
// criterion of the session's grid, as a percentage of that criterion's
// best value.
type FairnessFilter struct {
	SessionID int64
	CohortID  int64
	Criterion string
}

// FairnessGrades returns the grades of f, each as a percentage of its
// grid's maximum. p must manage the evaluations of the session's or the
// cohort's school.
func (db *DB) FairnessGrades(ctx context.Context, p *certibloc.Principal, f FairnessFilter) (grades []certibloc.Grade, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("fairness grades: %w", err)
		}
	}()
	if (f.SessionID == 0) == (f.CohortID == 0) {
		return nil, certibloc.Errorf(certibloc.EINVALID, "choose one session or one cohort")
	}
	if f.Criterion != "" && f.SessionID == 0 {
		return nil, certibloc.Errorf(certibloc.EINVALID, "a criterion is chosen within one session: a cohort's sessions have different grids")
	}
	tx, err := db.read.BeginTx(ctx, db.snapshot())
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback() }()

	var (
		school   string
		criteria string // the grid's criteria, JSON
		rows     *sql.Rows
	)
	const columns = `SELECT r.marker_account_id, r.total, r.max_total, r.marks, a.email,
		coalesce(pe.first_names, ''), coalesce(pe.birth_name, ''), coalesce(pe.usage_name, '')
		FROM results r JOIN accounts a ON a.id = r.marker_account_id LEFT JOIN people pe ON pe.id = a.person_id`
	if f.SessionID != 0 {
		err = tx.QueryRowContext(ctx, `SELECT s.school_code, g.criteria FROM eval_sessions s JOIN grids g ON g.id = s.grid_id
			WHERE s.id = $1`, f.SessionID).Scan(&school, &criteria)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session with id %d", f.SessionID)
		} else if err != nil {
			return nil, err
		}
		if err := p.Authorize(certibloc.ManageEvaluations, school); err != nil {
			return nil, err
		}
		rows, err = tx.QueryContext(ctx, columns+` WHERE r.session_id = $1 AND r.state = 'submitted'
			ORDER BY r.marker_account_id, r.id`, f.SessionID)
	} else {
		co, cerr := findCohort(ctx, tx, f.CohortID)
		if cerr != nil {
			return nil, cerr
		}
		if err := p.Authorize(certibloc.ManageEvaluations, co.School); err != nil {
			return nil, err
		}
		rows, err = tx.QueryContext(ctx, columns+` JOIN eval_sessions s ON s.id = r.session_id
			WHERE r.state = 'submitted' AND s.school_code = $2 AND s.certification_code = $3
			AND (s.cohort_id = $1 OR r.person_id IN (SELECT person_id FROM enrolments WHERE cohort_id = $1))
			ORDER BY r.marker_account_id, r.id`, co.ID, co.School, co.CertificationCode)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var best certibloc.Score // with a criterion: its best value
	if f.Criterion != "" {
		var cs []certibloc.Criterion
		if err := json.Unmarshal([]byte(criteria), &cs); err != nil {
			return nil, fmt.Errorf("grid of session %d: %w", f.SessionID, err)
		}
		g := certibloc.Grid{Criteria: cs}
		c := g.Criterion(f.Criterion)
		if c == nil {
			return nil, certibloc.Errorf(certibloc.EINVALID, "criterion %q is not in the grid of session %d", f.Criterion, f.SessionID)
		}
		best = c.Scale.MaxValue()
	}
	grades = []certibloc.Grade{}
	for rows.Next() {
		var (
			g                   certibloc.Grade
			total, max          certibloc.Score
			marks, email        string
			first, birth, usage string
		)
		if err := rows.Scan(&g.Evaluator, &total, &max, &marks, &email, &first, &birth, &usage); err != nil {
			return nil, err
		}
		g.Name = email
		if birth != "" {
			g.Name = (&certibloc.Person{FirstNames: first, BirthName: birth, UsageName: usage}).DisplayName()
		}
		g.Percent = certibloc.Percent(total, max)
		if f.Criterion != "" {
			var ms []certibloc.Mark
			if err := json.Unmarshal([]byte(marks), &ms); err != nil {
				return nil, fmt.Errorf("marks of a result of session %d: %w", f.SessionID, err)
			}
			found := false
			for _, m := range ms {
				if m.Criterion == f.Criterion {
					g.Percent, found = certibloc.Percent(m.Value, best), true
				}
			}
			if !found {
				continue
			}
		}
		grades = append(grades, g)
	}
	return grades, rows.Err()
}
