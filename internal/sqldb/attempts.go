package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// What results mean: the official outcome of each learner at each
// session, a person's results with their sessions (the learner's view),
// and the rules engine's decision for many learners at once, read from
// the database in two queries.

// sessionInfo is what an official outcome needs of its session.
type sessionInfo struct {
	ID            int64
	Certification string
	Version       int
	Block         string
	Evaluation    int
	Complementary string
	Date          certibloc.Date
	Double        bool
	GridID        int64
}

// official is the official outcome of one learner at one session: their
// submitted result; with double marking, both rounds combined once both
// are submitted.
type official struct {
	PersonID int64
	Session  *sessionInfo
	certibloc.Outcome
	Marks       []certibloc.Mark // combined, with double marking
	Discrepancy certibloc.Score
}

// resultRow is a submitted result as officialOutcomes reads it.
type resultRow struct {
	id, session, person int64
	total, max          certibloc.Score
	round               int8
	passed              bool
}

// officialOutcomes reads the official outcomes of the submitted results
// that cond selects (a condition on results r), by person, date and
// session. Three queries whatever the number of results: the results
// (numbers only), their sessions, and the marks of double markings.
func (db *DB) officialOutcomes(ctx context.Context, q querier, cond string, args ...any) ([]official, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.session_id, r.person_id, r.round, r.total, r.max_total, r.passed
		FROM results r WHERE r.state = 'submitted' AND `+cond, args...)
	if err != nil {
		return nil, err
	}
	var list []resultRow
	sessions := map[int64]*sessionInfo{}
	for rows.Next() {
		var r resultRow
		if err := rows.Scan(&r.id, &r.session, &r.person, &r.round, &r.total, &r.max, &r.passed); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, r)
		sessions[r.session] = nil
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(list) == 0 {
		return nil, err
	}
	ids := make([]int64, 0, len(sessions))
	for id := range sessions {
		ids = append(ids, id)
	}
	err = inIDs(ids, func(in string) error {
		rows, err := q.QueryContext(ctx, `SELECT id, certification_code, certification_version, block_code, evaluation_number,
			complementary_code, held_on, double_marking, grid_id FROM eval_sessions WHERE id IN (`+in+`)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s sessionInfo
			if err := rows.Scan(&s.ID, &s.Certification, &s.Version, &s.Block, &s.Evaluation, &s.Complementary, &s.Date,
				&s.Double, &s.GridID); err != nil {
				return err
			}
			sessions[s.ID] = &s
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b resultRow) int {
		if a.person != b.person {
			return cmp.Compare(a.person, b.person)
		}
		sa, sb := sessions[a.session], sessions[b.session]
		if c := sa.Date.Compare(sb.Date.Time); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.session, b.session), cmp.Compare(a.round, b.round))
	})
	out := make([]official, 0, len(list))
	// A double marking counts once both rounds are submitted: its marks
	// are read for the pairs, and combined.
	type pair struct {
		at            int // its place in out
		first, second int64
	}
	var pairs []pair
	for i, r := range list {
		s := sessions[r.session]
		switch {
		case !s.Double && r.round == 1:
			out = append(out, official{PersonID: r.person, Session: s, Outcome: certibloc.Outcome{Total: r.total, Max: r.max, Passed: r.passed}})
		case s.Double && r.round == 2 && i > 0 && list[i-1].round == 1 && list[i-1].session == r.session && list[i-1].person == r.person:
			pairs = append(pairs, pair{len(out), list[i-1].id, r.id})
			out = append(out, official{PersonID: r.person, Session: s})
		}
	}
	if len(pairs) == 0 {
		return out, nil
	}
	marks := make(map[int64][]certibloc.Mark, 2*len(pairs))
	ids = ids[:0]
	for _, p := range pairs {
		ids = append(ids, p.first, p.second)
	}
	err = inIDs(ids, func(in string) error {
		rows, err := q.QueryContext(ctx, `SELECT id, marks FROM results WHERE id IN (`+in+`)`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var raw []byte
			if err := rows.Scan(&id, &raw); err != nil {
				return err
			}
			var ms []certibloc.Mark
			if err := json.Unmarshal(raw, &ms); err != nil {
				return fmt.Errorf("marks of result %d: %w", id, err)
			}
			marks[id] = ms
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		o := &out[p.at]
		g, err := db.gridCached(ctx, q, o.Session.GridID)
		if err != nil {
			return nil, err
		}
		combined, outc, disc, err := certibloc.Combine(g, marks[p.first], marks[p.second])
		if err != nil {
			return nil, fmt.Errorf("session %d, person %d: %w", o.Session.ID, o.PersonID, err)
		}
		o.Outcome, o.Marks, o.Discrepancy = outc, combined, disc
	}
	return out, nil
}

// inIDs calls fn with the ids written out as a list for IN (…), a
// thousand at a time: ids are numbers the store read, safe to write into
// the query, and SQLite binds many parameters slowly.
func inIDs(ids []int64, fn func(in string) error) error {
	for from := 0; from < len(ids); from += 1000 {
		part := ids[from:min(from+1000, len(ids))]
		b := make([]byte, 0, 8*len(part))
		for i, id := range part {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, id, 10)
		}
		if err := fn(string(b)); err != nil {
			return err
		}
	}
	return nil
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
// sessions they are assigned to, the other markers' sealed until both
// rounds of a double marking are submitted (sealOthers).
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
		if p.Role == certibloc.Evaluator {
			sealOthers(results, p.AccountID, func(session int64) bool {
				i, ok := index[session]
				return ok && list[i].Session.DoubleMarking
			})
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
			if i, ok := index[o.Session.ID]; ok {
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
		type enrolled struct {
			person, cohort      int64
			school, code, track string
			version             int
			first, birth, usage string
		}
		var found []enrolled
		for rows.Next() {
			var e enrolled
			if err := rows.Scan(&e.person, &e.school, &e.cohort, &e.code, &e.version, &e.track, &e.first, &e.birth, &e.usage); err != nil {
				rows.Close()
				return err
			}
			// The latest enrolment on a certification is the one that counts.
			if n := len(found); n > 0 && found[n-1].person == e.person && found[n-1].code == e.code {
				found[n-1] = e
				continue
			}
			found = append(found, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(found) == 0 {
			return err
		}
		list = make([]LearnerStatus, len(found))
		for i, e := range found {
			list[i] = LearnerStatus{PersonID: e.person, Name: displayName(e.first, e.birth, e.usage), School: e.school,
				CohortID: e.cohort, Certification: e.code, Version: e.version, Track: certibloc.Track(e.track)}
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
		end := j
		for end < len(outcomes) && outcomes[end].PersonID == l.PersonID {
			end++
		}
		l.Attempts = make([]certibloc.Attempt, 0, end-j)
		for k := j; k < end; k++ {
			o := &outcomes[k]
			if s := o.Session; s.Certification == l.Certification && s.Version == l.Version {
				l.Attempts = append(l.Attempts, certibloc.Attempt{Block: s.Block, Evaluation: s.Evaluation,
					Complementary: s.Complementary, Passed: o.Passed, Date: s.Date})
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
