package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/certibloc/certibloc"
)

// What results mean: the official outcome of each learner at each
// session, a person's results with their sessions (the learner's view),
// and the rules engine's decision for many learners at once, read from
// the database in two queries.

// official is the official outcome of one learner at one session: their
// submitted result; with double marking, both rounds combined once both
// are submitted.
type official struct {
	SessionID, PersonID int64
	Certification       string
	Version             int
	Block               string
	Evaluation          int
	Complementary       string
	Date                certibloc.Date
	certibloc.Outcome
	Marks       []certibloc.Mark // combined, with double marking
	Discrepancy certibloc.Score
}

// officialOutcomes reads the official outcomes of the submitted results
// that cond selects (a condition on results r and eval_sessions s), by
// person, date and session. Only double marking reads the marks.
func (db *DB) officialOutcomes(ctx context.Context, q querier, cond string, args ...any) ([]official, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.session_id, r.person_id, r.round, r.total, r.max_total, r.passed,
			CASE WHEN s.double_marking THEN r.marks END, s.double_marking, s.grid_id, s.certification_code,
			s.certification_version, s.block_code, s.evaluation_number, s.complementary_code, s.held_on
		FROM results r JOIN eval_sessions s ON s.id = r.session_id
		WHERE r.state = 'submitted' AND `+cond+`
		ORDER BY r.person_id, s.held_on, r.session_id, r.round`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type pendingDouble struct {
		official
		grid  int64
		marks string
	}
	var (
		out     []official
		doubles []pendingDouble // first rounds waiting for their second
	)
	var last struct {
		session, person int64
		code            string
		version         int
		block, comp     string
	}
	for rows.Next() {
		var (
			o      official
			round  int
			marks  sql.NullString
			double bool
			grid   int64
		)
		if err := rows.Scan(&o.SessionID, &o.PersonID, &round, &o.Total, &o.Max, &o.Passed, &marks, &double, &grid,
			&o.Certification, &o.Version, &o.Block, &o.Evaluation, &o.Complementary, &o.Date); err != nil {
			return nil, err
		}
		// Share the strings of consecutive rows of one session.
		if o.SessionID == last.session {
			o.Certification, o.Block, o.Complementary = last.code, last.block, last.comp
		} else {
			last.session, last.code, last.block, last.comp = o.SessionID, o.Certification, o.Block, o.Complementary
		}
		if !double {
			if round == 1 {
				out = append(out, o)
			}
			continue
		}
		if round == 1 {
			doubles = append(doubles, pendingDouble{official: o, grid: grid, marks: marks.String})
			continue
		}
		if n := len(doubles); n > 0 && doubles[n-1].SessionID == o.SessionID && doubles[n-1].PersonID == o.PersonID {
			first := doubles[n-1]
			doubles = doubles[:n-1]
			g, err := db.gridCached(ctx, q, grid)
			if err != nil {
				return nil, err
			}
			var a, b []certibloc.Mark
			if err := json.Unmarshal([]byte(first.marks), &a); err != nil {
				return nil, err
			}
			if err := json.Unmarshal([]byte(marks.String), &b); err != nil {
				return nil, err
			}
			combined, outc, disc, err := certibloc.Combine(g, a, b)
			if err != nil {
				return nil, fmt.Errorf("session %d, person %d: %w", o.SessionID, o.PersonID, err)
			}
			first.official.Outcome, first.Marks, first.Discrepancy = outc, combined, disc
			out = append(out, first.official)
		}
	}
	return out, rows.Err()
}

// gridCached reads a grid once: a grid never changes once stored (an
// edit is a new revision), so the copy stays true.
func (db *DB) gridCached(ctx context.Context, q querier, id int64) (*certibloc.Grid, error) {
	if g, ok := db.grids.Load(id); ok {
		return g.(*certibloc.Grid), nil
	}
	g, err := findGrid(ctx, q, id)
	if err != nil {
		return nil, err
	}
	db.grids.Store(id, g)
	return g, nil
}

// PersonResult is one session a person sits, with their results there:
// an attempt at an evaluation, or one to come.
type PersonResult struct {
	Session certibloc.EvalSession `json:"session"` // without its learners and evaluators
	// Results are the current results, round 1 then 2; a learner sees
	// only those submitted.
	Results []certibloc.Result `json:"results"`
	// Official is the outcome once every round is submitted: the result,
	// or both rounds combined (OfficialMarks), with their discrepancy.
	Official       *certibloc.Outcome        `json:"official,omitempty"`
	OfficialMarks  []certibloc.Mark          `json:"official_marks,omitempty"`
	Discrepancy    certibloc.Score           `json:"discrepancy,omitempty"`
	Accommodations []certibloc.Accommodation `json:"accommodations,omitempty"` // at this session
}

// PersonResults lists the sessions a person sits, by date, with their
// results. A learner reads their own (submitted results only); staff and
// the admin those of sessions of their schools; an evaluator those of the
// sessions they are assigned to.
func (db *DB) PersonResults(ctx context.Context, p *certibloc.Principal, personID int64) ([]PersonResult, error) {
	scope := ""
	var args []any
	switch {
	case p.Anonymous():
		return nil, certibloc.Errorf(certibloc.EUNAUTHORIZED, "sign in first")
	case p.Role == certibloc.Candidate:
		if p.PersonID == 0 || p.PersonID != personID {
			return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "a learner sees only their own results")
		}
	case p.Role == certibloc.Admin:
	case p.Role == certibloc.Staff:
		if len(p.Schools) == 0 {
			return []PersonResult{}, nil
		}
		in := make([]string, len(p.Schools))
		for i, sc := range p.Schools {
			args = append(args, sc)
			in[i] = fmt.Sprintf("$%d", len(args)+1)
		}
		scope = ` AND s.school_code IN (` + strings.Join(in, ", ") + `)`
	case p.Role == certibloc.Evaluator:
		args = append(args, p.AccountID)
		scope = ` AND s.id IN (SELECT session_id FROM eval_session_evaluators WHERE account_id = $2)`
	default:
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "the %s role does not see results", p.Role)
	}
	args = append([]any{personID}, args...)
	own := p.Role == certibloc.Candidate
	var list []PersonResult
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		if _, err := findPerson(ctx, tx, personID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+sessionColumns+`, l.accommodations
			FROM eval_sessions s JOIN eval_session_learners l ON l.session_id = s.id
			WHERE l.person_id = $1`+scope+` ORDER BY s.held_on, s.id`, args...)
		if err != nil {
			return err
		}
		index := map[int64]int{}
		for rows.Next() {
			var pr PersonResult
			var cohort sql.NullInt64
			var acc string
			s := &pr.Session
			if err := rows.Scan(&s.ID, &s.School, &s.Certification, &s.Version, &s.Block, &s.Evaluation, &s.Complementary,
				&s.Form, &s.GridID, &cohort, &s.Title, &s.Date, &s.Place, &s.DoubleMarking, &s.CreatedAt, &acc); err != nil {
				rows.Close()
				return err
			}
			s.CohortID, s.CreatedAt = cohort.Int64, s.CreatedAt.UTC()
			if err := json.Unmarshal([]byte(acc), &pr.Accommodations); err != nil {
				rows.Close()
				return err
			}
			pr.Results = []certibloc.Result{}
			index[s.ID] = len(list)
			list = append(list, pr)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(list) == 0 {
			return err
		}
		cond := `r.person_id = $1 AND r.state <> 'superseded'`
		if own {
			cond = `r.person_id = $1 AND r.state = 'submitted'`
		}
		results, err := findResults(ctx, tx, cond, personID)
		if err != nil {
			return err
		}
		for _, r := range results {
			if i, ok := index[r.SessionID]; ok {
				list[i].Results = append(list[i].Results, r)
			}
		}
		outcomes, err := db.officialOutcomes(ctx, tx, `r.person_id = $1`, personID)
		if err != nil {
			return err
		}
		for _, o := range outcomes {
			if i, ok := index[o.SessionID]; ok {
				outc := o.Outcome
				list[i].Official, list[i].OfficialMarks, list[i].Discrepancy = &outc, o.Marks, o.Discrepancy
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("results of person %d: %w", personID, err)
	}
	return list, nil
}

// StatusFilter chooses the learners of BlockStatuses; zero fields do not
// filter.
type StatusFilter struct {
	School        string `json:"school,omitempty"`
	CohortID      int64  `json:"cohort_id,omitempty"`
	PersonID      int64  `json:"person_id,omitempty"`
	Certification string `json:"certification,omitempty"`
}

// LearnerStatus is what the rules engine says of one learner's path to a
// certification, from their enrolment (track, referential version) and
// their official results.
type LearnerStatus struct {
	PersonID      int64               `json:"person_id"`
	Name          string              `json:"name"`
	School        string              `json:"school"`
	CohortID      int64               `json:"cohort_id"`
	Certification string              `json:"certification"`
	Version       int                 `json:"version"`
	Track         certibloc.Track     `json:"track"`
	Attempts      []certibloc.Attempt `json:"attempts"`
	Decision      certibloc.Decision  `json:"-"`               // Explain words it
	Error         string              `json:"error,omitempty"` // when the rules could not decide
}

// BlockStatuses decides, for every learner the filter chooses, what their
// official results are worth: each learner's latest enrolment on a
// certification gives the track and version; their submitted official
// results at sessions of that version are the attempts (dated by the
// session); the version's compiled rules decide. Two queries, whatever
// the number of learners. Staff and juries see the learners of their
// schools, the admin every learner, a learner themselves.
func (db *DB) BlockStatuses(ctx context.Context, p *certibloc.Principal, f StatusFilter) ([]LearnerStatus, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	switch {
	case p.Anonymous():
		return nil, certibloc.Errorf(certibloc.EUNAUTHORIZED, "sign in first")
	case p.Role == certibloc.Admin:
	case p.Role == certibloc.Staff || p.Role == certibloc.Jury:
		if len(p.Schools) == 0 {
			return []LearnerStatus{}, nil
		}
		in := make([]string, len(p.Schools))
		for i, sc := range p.Schools {
			in[i] = arg(sc)
		}
		where = append(where, `e.school_code IN (`+strings.Join(in, ", ")+`)`)
	case p.Role == certibloc.Candidate && p.PersonID != 0:
		where = append(where, `e.person_id = `+arg(p.PersonID))
	default:
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "the %s role does not see learners' blocks", p.Role)
	}
	if f.School != "" {
		where = append(where, `e.school_code = `+arg(strings.ToUpper(f.School)))
	}
	if f.CohortID != 0 {
		where = append(where, `e.cohort_id = `+arg(f.CohortID))
	}
	if f.PersonID != 0 {
		where = append(where, `e.person_id = `+arg(f.PersonID))
	}
	if f.Certification != "" {
		where = append(where, `c.certification_code = `+arg(f.Certification))
	}
	cond := "TRUE"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var list []LearnerStatus
	var outcomes []official
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT e.person_id, e.school_code, e.cohort_id, c.certification_code,
				e.certification_version, e.track, p.first_names, p.birth_name, p.usage_name
			FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id JOIN people p ON p.id = e.person_id
			WHERE `+cond+` ORDER BY e.person_id, c.certification_code, e.id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var l LearnerStatus
			var first, birth, usage string
			if err := rows.Scan(&l.PersonID, &l.School, &l.CohortID, &l.Certification, &l.Version, &l.Track,
				&first, &birth, &usage); err != nil {
				rows.Close()
				return err
			}
			l.Name = displayName(first, birth, usage)
			// The latest enrolment on a certification is the one that counts.
			if n := len(list); n > 0 && list[n-1].PersonID == l.PersonID && list[n-1].Certification == l.Certification {
				list[n-1] = l
				continue
			}
			list = append(list, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(list) == 0 {
			return err
		}
		outcomes, err = db.officialOutcomes(ctx, tx, `r.person_id IN (SELECT e.person_id FROM enrolments e
			JOIN cohorts c ON c.id = e.cohort_id WHERE `+cond+`)`, args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("block statuses: %w", err)
	}
	// Both lists are by person: walk them together.
	type versionKey struct {
		code    string
		version int
	}
	rules := map[versionKey]*certibloc.Rules{}
	j := 0
	for i := range list {
		l := &list[i]
		for j < len(outcomes) && outcomes[j].PersonID < l.PersonID {
			j++
		}
		l.Attempts = []certibloc.Attempt{}
		for k := j; k < len(outcomes) && outcomes[k].PersonID == l.PersonID; k++ {
			o := &outcomes[k]
			if o.Certification == l.Certification && o.Version == l.Version {
				l.Attempts = append(l.Attempts, certibloc.Attempt{Block: o.Block, Evaluation: o.Evaluation,
					Complementary: o.Complementary, Passed: o.Passed, Date: o.Date})
			}
		}
		vk := versionKey{l.Certification, l.Version}
		r, ok := rules[vk]
		if !ok {
			c, err := findCertification(ctx, db.read, vk.code, vk.version)
			if err != nil {
				return nil, fmt.Errorf("block statuses: %w", err)
			}
			r = db.CompiledRules(c)
			rules[vk] = r
		}
		rec := certibloc.Record{Track: l.Track}
		rec.AddAttempts(l.Attempts)
		d, err := r.Decide(rec)
		if err != nil {
			l.Error = certibloc.ErrorMessage(err)
			continue
		}
		l.Decision = d
	}
	return list, nil
}
