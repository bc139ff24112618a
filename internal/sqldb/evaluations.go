package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Evaluation sessions: one sitting of one evaluation by learners of one
// school. Who sees a session: the admin, the staff of its school, the
// evaluators assigned to it, and each learner their own place in it.
// Results are in results.go.

// EvalSessionFilter narrows a list of sessions; zero fields do not filter.
type EvalSessionFilter struct {
	School        string `json:"school,omitempty"`
	CohortID      int64  `json:"cohort_id,omitempty"`
	PersonID      int64  `json:"person_id,omitempty"` // sessions this learner sits
	Certification string `json:"certification,omitempty"`
	Block         string `json:"block,omitempty"`
}

const sessionColumns = `s.id, s.school_code, s.certification_code, s.certification_version, s.block_code,
	s.evaluation_number, s.complementary_code, s.form, s.grid_id, s.cohort_id, s.title, s.held_on, s.place,
	s.double_marking, s.created_at`

func scanSession(row interface{ Scan(...any) error }) (*certibloc.EvalSession, error) {
	var s certibloc.EvalSession
	var cohort sql.NullInt64
	if err := row.Scan(&s.ID, &s.School, &s.Certification, &s.Version, &s.Block, &s.Evaluation, &s.Complementary,
		&s.Form, &s.GridID, &cohort, &s.Title, &s.Date, &s.Place, &s.DoubleMarking, &s.CreatedAt); err != nil {
		return nil, err
	}
	s.CohortID, s.CreatedAt = cohort.Int64, s.CreatedAt.UTC()
	s.Evaluators, s.Learners = []int64{}, []certibloc.Learner{}
	return &s, nil
}

// findSession reads a session without its evaluators and learners.
func findSession(ctx context.Context, q querier, id int64) (*certibloc.EvalSession, error) {
	s, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM eval_sessions s WHERE s.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session with id %d", id)
	}
	return s, err
}

// sessionEvaluators lists the accounts assigned to a session.
func sessionEvaluators(ctx context.Context, q querier, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT account_id FROM eval_session_evaluators WHERE session_id = $1 ORDER BY account_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []int64{}
	for rows.Next() {
		var a int64
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// sessionLearners lists the learners of a session by team and name, with
// the accommodations that apply to them there.
func sessionLearners(ctx context.Context, q querier, id int64) ([]certibloc.Learner, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.person_id, l.team, l.accommodations, p.first_names, p.birth_name, p.usage_name
		FROM eval_session_learners l JOIN people p ON p.id = l.person_id
		WHERE l.session_id = $1 ORDER BY l.team, p.search_name, l.person_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []certibloc.Learner{}
	for rows.Next() {
		var l certibloc.Learner
		var acc, first, birth, usage string
		if err := rows.Scan(&l.PersonID, &l.Team, &acc, &first, &birth, &usage); err != nil {
			return nil, err
		}
		if acc != "[]" {
			if err := json.Unmarshal([]byte(acc), &l.Accommodations); err != nil {
				return nil, fmt.Errorf("accommodations of learner %d: %w", l.PersonID, err)
			}
		}
		l.Name = displayName(first, birth, usage)
		list = append(list, l)
	}
	return list, rows.Err()
}

func displayName(first, birth, usage string) string {
	return (&certibloc.Person{FirstNames: first, BirthName: birth, UsageName: usage}).DisplayName()
}

// sessionAccess says how p relates to a session: whether they may read
// it, and whether they may grade it.
type sessionAccess struct {
	read, grade, manage bool
	learner             bool // p sits it (a candidate sees only their own place)
}

func accessTo(ctx context.Context, q querier, p *certibloc.Principal, s *certibloc.EvalSession) (sessionAccess, error) {
	var a sessionAccess
	switch {
	case p.Anonymous():
		return a, certibloc.Errorf(certibloc.EUNAUTHORIZED, "sign in first")
	case p.Role == certibloc.Admin || p.Role == certibloc.Staff && p.InSchool(s.School):
		return sessionAccess{read: true, grade: true, manage: true}, nil
	case p.Role == certibloc.Evaluator && p.AccountID != 0:
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM eval_session_evaluators WHERE session_id = $1 AND account_id = $2`,
			s.ID, p.AccountID).Scan(&n); err != nil {
			return a, err
		}
		a.read, a.grade = n > 0, n > 0
	case p.Role == certibloc.Candidate && p.PersonID != 0:
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM eval_session_learners WHERE session_id = $1 AND person_id = $2`,
			s.ID, p.PersonID).Scan(&n); err != nil {
			return a, err
		}
		a.read, a.learner = n > 0, n > 0
	}
	return a, nil
}

// readableSession reads a session that p may see; a session p may not see
// is forbidden.
func readableSession(ctx context.Context, q querier, p *certibloc.Principal, id int64) (*certibloc.EvalSession, sessionAccess, error) {
	if p.Anonymous() {
		return nil, sessionAccess{}, certibloc.Errorf(certibloc.EUNAUTHORIZED, "sign in first")
	}
	s, err := findSession(ctx, q, id)
	if err != nil {
		return nil, sessionAccess{}, err
	}
	a, err := accessTo(ctx, q, p, s)
	if err != nil {
		return nil, a, err
	}
	if !a.read {
		return nil, a, certibloc.Errorf(certibloc.EFORBIDDEN, "evaluation session %d is not one of yours: evaluators see the sessions they are assigned to, staff those of their school", id)
	}
	return s, a, nil
}

// EvalSession returns a session with its evaluators and its learners
// (names, teams and accommodations). A learner sees only their own line,
// and not the evaluators' accounts.
func (db *DB) EvalSession(ctx context.Context, p *certibloc.Principal, id int64) (*certibloc.EvalSession, error) {
	var s *certibloc.EvalSession
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var a sessionAccess
		var err error
		if s, a, err = readableSession(ctx, tx, p, id); err != nil {
			return err
		}
		if s.Learners, err = sessionLearners(ctx, tx, id); err != nil {
			return err
		}
		if a.learner {
			s.Learners = slices.DeleteFunc(s.Learners, func(l certibloc.Learner) bool { return l.PersonID != p.PersonID })
			return nil
		}
		s.Evaluators, err = sessionEvaluators(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("evaluation session %d: %w", id, err)
	}
	return s, nil
}

// readTx runs fn in a read-only transaction that sees one snapshot.
func (db *DB) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, db.snapshot())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// EvalSessions lists the sessions p may see that match f, the latest
// first, with their evaluators but without their learners (EvalSession
// gives them).
func (db *DB) EvalSessions(ctx context.Context, p *certibloc.Principal, f EvalSessionFilter) ([]certibloc.EvalSession, error) {
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
	case p.Role == certibloc.Staff:
		if len(p.Schools) == 0 {
			return []certibloc.EvalSession{}, nil
		}
		in := make([]string, len(p.Schools))
		for i, sc := range p.Schools {
			in[i] = arg(sc)
		}
		where = append(where, `s.school_code IN (`+strings.Join(in, ", ")+`)`)
	case p.Role == certibloc.Evaluator:
		where = append(where, `s.id IN (SELECT session_id FROM eval_session_evaluators WHERE account_id = `+arg(p.AccountID)+`)`)
	case p.Role == certibloc.Candidate:
		where = append(where, `s.id IN (SELECT session_id FROM eval_session_learners WHERE person_id = `+arg(p.PersonID)+`)`)
	default:
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "the %s role does not see evaluation sessions", p.Role)
	}
	if f.School != "" {
		where = append(where, `s.school_code = `+arg(strings.ToUpper(f.School)))
	}
	if f.CohortID != 0 {
		where = append(where, `s.cohort_id = `+arg(f.CohortID))
	}
	if f.PersonID != 0 {
		where = append(where, `s.id IN (SELECT session_id FROM eval_session_learners WHERE person_id = `+arg(f.PersonID)+`)`)
	}
	if f.Certification != "" {
		where = append(where, `s.certification_code = `+arg(f.Certification))
	}
	if f.Block != "" {
		where = append(where, `s.block_code = `+arg(f.Block))
	}
	q := `SELECT ` + sessionColumns + ` FROM eval_sessions s`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	list := []certibloc.EvalSession{}
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q+` ORDER BY s.held_on DESC, s.id DESC`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		index := map[int64]int{}
		for rows.Next() {
			s, err := scanSession(rows)
			if err != nil {
				return err
			}
			index[s.ID] = len(list)
			list = append(list, *s)
		}
		if err := rows.Err(); err != nil || len(list) == 0 || p.Role == certibloc.Candidate {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT e.session_id, e.account_id FROM eval_session_evaluators e
			WHERE e.session_id IN (SELECT s.id FROM eval_sessions s`+strings.TrimPrefix(q, `SELECT `+sessionColumns+` FROM eval_sessions s`)+`)
			ORDER BY e.account_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sid, acc int64
			if err := rows.Scan(&sid, &acc); err != nil {
				return err
			}
			if i, ok := index[sid]; ok {
				list[i].Evaluators = append(list[i].Evaluators, acc)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list evaluation sessions: %w", err)
	}
	return list, nil
}

// CreateEvalSession stores a session of one evaluation for learners of one
// school (ManageEvaluations: staff of that school, or the admin). The
// referential version is the cohort's when a cohort is named, else the
// current one; the form is the evaluation's; the grid is the latest
// revision of the evaluation's grid unless GridID names another revision
// of it. Without learners, a cohort's learners sit it. It refuses, as
// certibloc.Problems (row = the learner's index from 1): a learner not
// enrolled on the version (or on an optional block other than their
// option), a learner who already passed the evaluation on the version, a
// learner twice.
// It refuses evaluators that are not evaluator, staff (of the school) or
// admin accounts, a grid of another evaluation or version, and a team
// evaluation whose learners have no team. s gets its id, version, form,
// grid and learners.
func (db *DB) CreateEvalSession(ctx context.Context, p *certibloc.Principal, s *certibloc.EvalSession) error {
	s.School = strings.ToUpper(strings.TrimSpace(s.School))
	s.Title, s.Place = strings.TrimSpace(s.Title), strings.TrimSpace(s.Place)
	if err := p.Authorize(certibloc.ManageEvaluations, s.School); err != nil {
		return err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	switch {
	case s.School == "":
		return certibloc.Errorf(certibloc.EINVALID, "school is required")
	case s.Title == "" || certibloc.CheckText("title", s.Title, 300, false) != nil:
		return certibloc.Errorf(certibloc.EINVALID, "the session needs a title of at most 300 characters on one line")
	case certibloc.CheckText("place", s.Place, 300, false) != nil:
		return certibloc.Errorf(certibloc.EINVALID, "the place must be at most 300 characters on one line")
	case s.Date.IsZero():
		return certibloc.Errorf(certibloc.EINVALID, "date is required: the day the session is held")
	case (s.Block == "") == (s.Complementary == "") || s.Block != "" && s.Evaluation < 1:
		return certibloc.Errorf(certibloc.EINVALID, "a session is for one evaluation of a block (block and evaluation number) or for one complementary evaluation")
	case len(s.Evaluators) == 0:
		return certibloc.Errorf(certibloc.EINVALID, "a session needs at least one evaluator")
	case len(s.Learners) > 10000:
		return certibloc.Errorf(certibloc.EINVALID, "a session has at most 10000 learners, not %d", len(s.Learners))
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	orig := *s // s is left as it was when the session is refused
	orig.Learners, orig.Evaluators = slices.Clone(s.Learners), slices.Clone(s.Evaluators)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		if err := schoolExists(ctx, tx, s.School); err != nil {
			return err
		}
		if err := db.sessionReferential(ctx, tx, s); err != nil {
			return err
		}
		if err := db.checkSessionLearners(ctx, tx, s); err != nil {
			return err
		}
		if err := db.checkEvaluators(ctx, tx, s); err != nil {
			return err
		}
		var cohort any
		if s.CohortID != 0 {
			cohort = s.CohortID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO eval_sessions (school_code, certification_code,
				certification_version, block_code, evaluation_number, complementary_code, form, grid_id, cohort_id,
				title, held_on, place, double_marking, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			s.School, s.Certification, s.Version, s.Block, s.Evaluation, s.Complementary, s.Form, s.GridID, cohort,
			s.Title, s.Date, s.Place, s.DoubleMarking, now).Scan(&s.ID); err != nil {
			return err
		}
		s.CreatedAt = now
		for _, a := range s.Evaluators {
			if _, err := tx.ExecContext(ctx, `INSERT INTO eval_session_evaluators (session_id, account_id) VALUES ($1, $2)`,
				s.ID, a); err != nil {
				return err
			}
		}
		for i := range s.Learners {
			l := &s.Learners[i]
			acc, _ := json.Marshal(nonNil(l.Accommodations))
			if _, err := tx.ExecContext(ctx, `INSERT INTO eval_session_learners (session_id, person_id, team, accommodations)
				VALUES ($1, $2, $3, $4)`, s.ID, l.PersonID, l.Team, string(acc)); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "eval_session.create", "eval_session", fmt.Sprint(s.ID), s.School, map[string]any{
			"certification": s.Certification, "version": s.Version,
			"evaluation": evaluationName(s.Block, s.Evaluation, s.Complementary), "grid": s.GridID,
			"date": s.Date, "cohort": s.CohortID, "double_marking": s.DoubleMarking,
			"evaluators": s.Evaluators, "learners": len(s.Learners)})
	})
	if err != nil {
		*s = orig
		return fmt.Errorf("create evaluation session: %w", err)
	}
	return nil
}

// sessionReferential settles the certification version, the form and the
// grid of a new session, from its cohort and the referential.
func (db *DB) sessionReferential(ctx context.Context, tx *sql.Tx, s *certibloc.EvalSession) error {
	if s.CohortID != 0 {
		c, err := findCohort(ctx, tx, s.CohortID)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "cohort %d does not exist", s.CohortID)
		} else if err != nil {
			return err
		}
		switch {
		case c.School != s.School:
			return certibloc.Errorf(certibloc.EINVALID, "cohort %d is of school %s, not %s", c.ID, c.School, s.School)
		case s.Certification != "" && s.Certification != c.CertificationCode:
			return certibloc.Errorf(certibloc.EINVALID, "cohort %d prepares for %s, not %s", c.ID, c.CertificationCode, s.Certification)
		case s.Version != 0 && s.Version != c.Version:
			return certibloc.Errorf(certibloc.EINVALID, "cohort %d is on version %d of %s, not %d", c.ID, c.Version, c.CertificationCode, s.Version)
		}
		s.Certification, s.Version = c.CertificationCode, c.Version
		if len(s.Learners) == 0 {
			rows, err := tx.QueryContext(ctx, `SELECT person_id FROM enrolments WHERE cohort_id = $1 ORDER BY id`, c.ID)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				s.Learners = append(s.Learners, certibloc.Learner{PersonID: id})
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	if s.Certification == "" {
		return certibloc.Errorf(certibloc.EINVALID, "certification is required (or a cohort)")
	}
	if len(s.Learners) == 0 {
		return certibloc.Errorf(certibloc.EINVALID, "a session needs learners: list them, or name a cohort that has some")
	}
	c, err := findCertification(ctx, tx, s.Certification, s.Version)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return certibloc.Errorf(certibloc.EINVALID, "%s", certibloc.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	s.Version = c.Version
	if s.Complementary != "" {
		if c.Validation == nil || !slices.ContainsFunc(c.Validation.Complementary, func(x certibloc.Complementary) bool { return x.Code == s.Complementary }) {
			return certibloc.Errorf(certibloc.EINVALID, "complementary evaluation %q does not exist in %s version %d", s.Complementary, c.Code, c.Version)
		}
		s.Form = certibloc.Individual
	} else {
		b := c.Block(s.Block)
		if b == nil {
			return certibloc.Errorf(certibloc.EINVALID, "block %q does not exist in %s version %d", s.Block, c.Code, c.Version)
		}
		i := slices.IndexFunc(b.Evaluations, func(e certibloc.Evaluation) bool { return e.Number == s.Evaluation })
		if i < 0 {
			return certibloc.Errorf(certibloc.EINVALID, "block %s has no evaluation %d", s.Block, s.Evaluation)
		}
		s.Form = b.Evaluations[i].Form
	}
	var g *certibloc.Grid
	if s.GridID != 0 {
		g, err = findGrid(ctx, tx, s.GridID)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "grid %d does not exist", s.GridID)
		} else if err != nil {
			return err
		}
		if g.Certification != s.Certification || g.Version != s.Version || g.Block != s.Block ||
			g.Evaluation != s.Evaluation || g.Complementary != s.Complementary {
			return certibloc.Errorf(certibloc.EINVALID, "grid %d is for %s of %s version %d, not for %s of %s version %d",
				g.ID, evaluationName(g.Block, g.Evaluation, g.Complementary), g.Certification, g.Version,
				evaluationName(s.Block, s.Evaluation, s.Complementary), s.Certification, s.Version)
		}
	} else if g, err = latestGrid(ctx, tx, s.Certification, s.Version, s.Block, s.Evaluation, s.Complementary); err != nil {
		return err
	}
	s.GridID = g.ID
	if s.Title == "" {
		s.Title = g.Title
	}
	return nil
}

// checkSessionLearners checks each learner of a new session: a person
// enrolled in the school on the session's certification version (and, for
// an optional block, with no other option), who has not passed the
// evaluation already, in a team on a team evaluation, listed once. It
// reads their accommodations, which apply to them at the session.
func (db *DB) checkSessionLearners(ctx context.Context, tx *sql.Tx, s *certibloc.EvalSession) error {
	c, err := findCertification(ctx, tx, s.Certification, s.Version)
	if err != nil {
		return err
	}
	optional := false
	if b := c.Block(s.Block); b != nil {
		optional = b.Kind == certibloc.Optional
	}
	team := s.Form == certibloc.Team
	var problems certibloc.Problems
	add := func(p certibloc.Problem) {
		if len(problems) < certibloc.MaxProblems {
			problems = append(problems, p)
		}
	}
	seen := map[int64]int{}
	for i := range s.Learners {
		l := &s.Learners[i]
		row := i + 1
		l.Team = strings.TrimSpace(l.Team)
		if prev, ok := seen[l.PersonID]; ok {
			add(certibloc.Problem{Row: row, Code: "duplicate_row", Value: fmt.Sprint(l.PersonID), Detail: fmt.Sprint(prev)})
			continue
		}
		seen[l.PersonID] = row
		person, err := findPerson(ctx, tx, l.PersonID)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			add(certibloc.Problem{Row: row, Code: "not_enrolled", Value: fmt.Sprint(l.PersonID), Detail: "no such person"})
			continue
		} else if err != nil {
			return err
		}
		l.Name = person.DisplayName()
		switch {
		case team && l.Team == "":
			return certibloc.Errorf(certibloc.EINVALID, "evaluation %d of block %s is taken as a team: give every learner a team (%s has none)", s.Evaluation, s.Block, l.Name)
		case !team && l.Team != "":
			return certibloc.Errorf(certibloc.EINVALID, "%s is taken alone: learners have no team (%s is in team %q)", evaluationName(s.Block, s.Evaluation, s.Complementary), l.Name, l.Team)
		case certibloc.CheckText("team", l.Team, 100, false) != nil:
			return certibloc.Errorf(certibloc.EINVALID, "the team of %s must be a name of at most 100 characters on one line", l.Name)
		}
		rows, err := tx.QueryContext(ctx, `SELECT e.option_block FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id
			WHERE e.person_id = $1 AND e.school_code = $2 AND c.certification_code = $3 AND e.certification_version = $4`,
			l.PersonID, s.School, s.Certification, s.Version)
		if err != nil {
			return err
		}
		enrolled, onBlock := false, false
		for rows.Next() {
			var option string
			if err := rows.Scan(&option); err != nil {
				rows.Close()
				return err
			}
			enrolled = true
			onBlock = onBlock || !optional || option == "" || option == s.Block
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		switch {
		case person.ErasedAt != nil || !enrolled:
			add(certibloc.Problem{Row: row, Code: "not_enrolled", Value: l.Name,
				Detail: fmt.Sprintf("%s v%d, %s", s.Certification, s.Version, s.School)})
			continue
		case !onBlock:
			add(certibloc.Problem{Row: row, Code: "not_enrolled", Value: l.Name, Detail: "option " + s.Block})
			continue
		}
		outcomes, err := db.officialOutcomes(ctx, tx, `r.person_id = $1`, l.PersonID)
		if err != nil {
			return err
		}
		for _, o := range outcomes {
			// A result counts on its version only (a jury reads the results
			// of its own): an evaluation passed on another version is sat
			// again on this one.
			if x := o.Session; o.Passed && x.Certification == s.Certification && x.Version == s.Version && x.Block == s.Block &&
				x.Evaluation == s.Evaluation && x.Complementary == s.Complementary {
				add(certibloc.Problem{Row: row, Code: "already_passed", Value: l.Name, Detail: x.Date.String()})
				break
			}
		}
		if l.Accommodations, err = findAccommodations(ctx, tx, l.PersonID); err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return problems
	}
	return nil
}

// checkEvaluators refuses an evaluator account that does not exist, is
// disabled, or is not an evaluator or staff of the session's school or
// the admin.
func (db *DB) checkEvaluators(ctx context.Context, tx *sql.Tx, s *certibloc.EvalSession) error {
	seen := map[int64]bool{}
	var list []int64
	for _, id := range s.Evaluators {
		if seen[id] {
			continue
		}
		seen[id] = true
		list = append(list, id)
		a, err := db.findAccount(ctx, tx, `a.id = $1`, id)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "evaluator: account %d does not exist", id)
		} else if err != nil {
			return err
		}
		switch {
		case a.DisabledAt != nil:
			return certibloc.Errorf(certibloc.EINVALID, "evaluator: account %d (%s) is disabled", id, a.Email)
		case a.Role == certibloc.Admin:
		case (a.Role == certibloc.Evaluator || a.Role == certibloc.Staff) && slices.Contains(a.Schools, s.School):
		case a.Role == certibloc.Evaluator || a.Role == certibloc.Staff:
			return certibloc.Errorf(certibloc.EINVALID, "evaluator: account %d (%s) is not of school %s", id, a.Email, s.School)
		default:
			return certibloc.Errorf(certibloc.EINVALID, "evaluator: account %d (%s) has the %s role; an evaluator is an evaluator, staff or admin account", id, a.Email, a.Role)
		}
	}
	s.Evaluators = list
	return nil
}
