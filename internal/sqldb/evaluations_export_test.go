package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// BenchLoad is what SeedEvaluationsForBench stored.
type BenchLoad struct {
	Learners, Cohorts, Sessions, Results int
}

// SeedEvaluationsForBench stores, for the benchmarks of evaluations, n
// learners of school in cohorts of 25 on the current version of cert
// (whose grids are stored), with the sessions of every evaluation their
// cohort has reached and realistic results: over five intakes, one-year
// and three-year cohorts, each with its option block; most pass at the
// first sitting, some at the resit three months later, some fail twice or
// have not resat yet; the cohorts of the latest intake are part way
// through their year, their latest results still drafts; BC02's second
// evaluation has double marking. Benchmark data, not records: one
// transaction, no audit trail. The seed is fixed so that runs compare.
func (db *DB) SeedEvaluationsForBench(ctx context.Context, cert *certibloc.Certification, school string, n int) (BenchLoad, error) {
	var load BenchLoad
	grids, err := db.Grids(ctx, cert.Code, cert.Version)
	if err != nil {
		return load, err
	}
	type evalKey struct {
		block string
		num   int
		comp  string
	}
	gridOf := map[evalKey]*certibloc.Grid{}
	for i := range grids {
		g := &grids[i]
		gridOf[evalKey{g.Block, g.Evaluation, g.Complementary}] = g
	}
	var optional []string
	for _, b := range cert.Blocks {
		if b.Kind == certibloc.Optional {
			optional = append(optional, b.Code)
		}
	}
	rng := rand.New(rand.NewPCG(38478, 8))
	now := db.now().UTC().Truncate(time.Microsecond)
	start := certibloc.DateOf(2022, time.September, 1)
	batch := db.insertBatch()

	// insert writes rows of cols values each, batch by batch.
	insert := func(tx *sql.Tx, head string, cols int, rows [][]any) error {
		for from := 0; from < len(rows); from += batch {
			part := rows[from:min(from+batch, len(rows))]
			var sb strings.Builder
			sb.WriteString(head + " VALUES ")
			args := make([]any, 0, len(part)*cols)
			for i, r := range part {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("(")
				for c := range cols {
					if c > 0 {
						sb.WriteString(", ")
					}
					fmt.Fprintf(&sb, "$%d", i*cols+c+1)
				}
				sb.WriteString(")")
				args = append(args, r...)
			}
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				return err
			}
		}
		return nil
	}
	// marksFor grades every criterion of g: passed or not.
	marksFor := func(g *certibloc.Grid, pass bool) ([]byte, certibloc.Outcome) {
		marks := make([]certibloc.Mark, len(g.Criteria))
		failed := rng.IntN(len(g.Criteria))
		for i, c := range g.Criteria {
			var v certibloc.Score
			if len(c.Scale.Levels) > 0 {
				v = certibloc.Score(300 + 100*rng.IntN(2))
				if !pass && i == failed {
					v = certibloc.Score(100 + 100*rng.IntN(2))
				}
			} else {
				v = c.Scale.Pass + certibloc.Score(rng.IntN(int(c.Scale.Max-c.Scale.Pass)/50+1)*50)
				if !pass {
					v = certibloc.Score(rng.IntN(int(c.Scale.Pass)/50)) * 50
				}
			}
			marks[i] = certibloc.Mark{Criterion: c.Key, Value: v}
		}
		out, _ := g.Grade(marks)
		b, _ := json.Marshal(marks)
		return b, out
	}

	err = db.tx(ctx, func(tx *sql.Tx) error {
		for c := 0; c*25 < n; c++ {
			load.Cohorts++
			track := certibloc.OneYear
			if c%4 == 0 {
				track = certibloc.ThreeYear
			}
			intake := start.AddDate(0, 0, 365*(c%5)+14*(c/5%6))
			option := optional[c%len(optional)]
			var cohortID int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO cohorts (school_code, name, certification_code, certification_version,
					track, starts_on, ends_on, planned_hours, weekly_hours, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 600, 35, $8) RETURNING id`,
				school, fmt.Sprintf("Promotion %d", c+1), cert.Code, cert.Version, track, certibloc.Date{Time: intake},
				certibloc.Date{Time: intake.AddDate(1, 0, 0)}, now).Scan(&cohortID); err != nil {
				return err
			}
			size := min(25, n-c*25)
			var people []int64
			for i := range size {
				k := c*25 + i
				name := benchNames[k%len(benchNames)]
				p := certibloc.Person{BirthName: fmt.Sprintf("%s%d", name[0], k), FirstNames: name[1]}
				var id int64
				if err := tx.QueryRowContext(ctx, `INSERT INTO people (school_code, birth_name, first_names, created_at, updated_at,
						search_name) VALUES ($1, $2, $3, $4, $4, $5) RETURNING id`,
					school, p.BirthName, p.FirstNames, now, searchName(&p)).Scan(&id); err != nil {
					return err
				}
				people = append(people, id)
			}
			load.Learners += size
			var enrol [][]any
			for _, id := range people {
				enrol = append(enrol, []any{cohortID, id, school, track, certibloc.Apprenticeship, option, cert.Version, now})
			}
			if err := insert(tx, `INSERT INTO enrolments (cohort_id, person_id, school_code, track, mode, option_block,
				certification_version, created_at)`, 8, enrol); err != nil {
				return err
			}

			// The cohort's evaluations, in order; the latest intake is part way.
			var evals []evalKey
			for _, b := range cert.Blocks {
				if b.Kind == certibloc.Optional && b.Code != option {
					continue
				}
				for _, e := range b.Evaluations {
					evals = append(evals, evalKey{block: b.Code, num: e.Number})
				}
			}
			if cert.Validation != nil {
				for _, comp := range cert.Validation.Complementary {
					evals = append(evals, evalKey{comp: comp.Code})
				}
			}
			recent := c%5 == 4
			if recent {
				evals = evals[:1+c%len(evals)]
			}
			var learners, results [][]any
			for i, e := range evals {
				g := gridOf[e]
				form, double := certibloc.Individual, e.num == 2 && strings.HasSuffix(e.block, "BC02")
				if e.block != "" {
					if ev := cert.Block(e.block).Evaluations[e.num-1]; ev.Form == certibloc.Team {
						form = certibloc.Team
					}
				}
				held := certibloc.Date{Time: intake.AddDate(0, 0, 30*(i+1))}
				var failed []int64
				for sitting := 0; sitting < 2; sitting++ {
					sitters := people
					if sitting == 1 {
						if len(failed) == 0 || recent && i == len(evals)-1 {
							break
						}
						sitters, held = failed, certibloc.Date{Time: held.AddDate(0, 3, 0)}
					}
					var sessionID int64
					if err := tx.QueryRowContext(ctx, `INSERT INTO eval_sessions (school_code, certification_code,
							certification_version, block_code, evaluation_number, complementary_code, form, grid_id, cohort_id,
							title, held_on, place, double_marking, created_at)
						VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'Campus', $12, $13) RETURNING id`,
						school, cert.Code, cert.Version, e.block, e.num, e.comp, form, g.ID, cohortID, g.Title, held, double,
						now).Scan(&sessionID); err != nil {
						return err
					}
					load.Sessions++
					failed = nil
					for j, id := range sitters {
						team := ""
						if form == certibloc.Team {
							team = fmt.Sprintf("Équipe %d", j/5+1)
						}
						learners = append(learners, []any{sessionID, id, team})
						// The latest session of a cohort under way is being graded.
						state := certibloc.ResultSubmitted
						if recent && i == len(evals)-1 && j%3 == 0 {
							state = certibloc.ResultDraft
						}
						pass := rng.IntN(100) < 85-5*sitting
						rounds := 1
						if double {
							rounds = 2
						}
						for round := 1; round <= rounds; round++ {
							marks, out := marksFor(g, pass)
							results = append(results, []any{sessionID, id, round, team, string(marks), out.Total, out.Max,
								out.Passed, state, now, now, now})
						}
						if !pass {
							failed = append(failed, id)
						}
					}
				}
			}
			if err := insert(tx, `INSERT INTO eval_session_learners (session_id, person_id, team)`, 3, learners); err != nil {
				return err
			}
			if err := insert(tx, `INSERT INTO results (session_id, person_id, round, team, marks, total, max_total, passed,
				state, submitted_at, created_at, updated_at)`, 12, results); err != nil {
				return err
			}
			load.Results += len(results)
		}
		return nil
	})
	if err == nil && db.engine == Postgres {
		// What autovacuum does a minute after a bulk load.
		_, err = db.write.ExecContext(ctx, `ANALYZE`)
	}
	return load, err
}
