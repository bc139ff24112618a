package web

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// memoryEvals keeps sessions and results in memory with the rules of the
// plan's store (scoping, locking, corrections kept), so that the pages'
// own checks are tested apart from the SQL store.
type memoryEvals struct {
	mu       sync.Mutex
	grids    map[int64]*certibloc.Grid
	sessions map[int64]*certibloc.EvalSession
	results  []certibloc.Result // every row, superseded ones included
	acc      map[int64][]certibloc.Accommodation
	next     int64
}

func newMemoryEvals() *memoryEvals {
	return &memoryEvals{grids: map[int64]*certibloc.Grid{}, sessions: map[int64]*certibloc.EvalSession{},
		acc: map[int64][]certibloc.Accommodation{}}
}

func (m *memoryEvals) id() int64 { m.next++; return m.next }

func (m *memoryEvals) addGrid(g certibloc.Grid) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	g.ID = m.id()
	m.grids[g.ID] = &g
	return g.ID
}

func (m *memoryEvals) Grid(_ context.Context, id int64) (*certibloc.Grid, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if g, ok := m.grids[id]; ok {
		c := *g
		return &c, nil
	}
	return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no grid %d", id)
}

func (m *memoryEvals) CreateEvalSession(_ context.Context, p *certibloc.Principal, s *certibloc.EvalSession) error {
	if err := p.Authorize(certibloc.ManageEvaluations, s.School); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, g := range m.grids {
		if g.Block == s.Block && g.Evaluation == s.Evaluation && g.Complementary == s.Complementary {
			s.GridID = id
		}
	}
	if s.GridID == 0 {
		return certibloc.Problems{{Code: "wrong_grid", Value: "?", Detail: "?"}}
	}
	s.ID = m.id()
	for i := range s.Learners {
		s.Learners[i].Accommodations = m.acc[s.Learners[i].PersonID]
	}
	c := *s
	m.sessions[s.ID] = &c
	return nil
}

// visible applies the plan's scoping.
func visible(p *certibloc.Principal, s *certibloc.EvalSession) bool {
	if p.Role == certibloc.Candidate {
		return slices.ContainsFunc(s.Learners, func(l certibloc.Learner) bool { return l.PersonID == p.PersonID })
	}
	return canSee(p, s)
}

func (m *memoryEvals) EvalSession(_ context.Context, p *certibloc.Principal, id int64) (*certibloc.EvalSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[id]
	if !ok || !visible(p, s) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session %d", id)
	}
	c := *s
	return &c, nil
}

func (m *memoryEvals) EvalSessions(_ context.Context, p *certibloc.Principal, f sqldb.EvalSessionFilter) ([]certibloc.EvalSession, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []certibloc.EvalSession
	for id := int64(1); id <= m.next; id++ {
		s, ok := m.sessions[id]
		if !ok || !visible(p, s) || f.PersonID != 0 &&
			!slices.ContainsFunc(s.Learners, func(l certibloc.Learner) bool { return l.PersonID == f.PersonID }) {
			continue
		}
		out = append(out, *s)
	}
	return out, nil
}

func (m *memoryEvals) Results(_ context.Context, p *certibloc.Principal, sessionID int64) ([]certibloc.Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []certibloc.Result
	for _, r := range m.results {
		if r.SessionID != sessionID || r.State == "superseded" {
			continue
		}
		if p.Role == certibloc.Candidate && (r.PersonID != p.PersonID || r.State != certibloc.ResultSubmitted) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func (m *memoryEvals) RecordResults(_ context.Context, p *certibloc.Principal, sessionID int64, in []sqldb.ResultInput) ([]certibloc.Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sessions[sessionID]
	if s == nil || !visible(p, s) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session %d", sessionID)
	}
	if !canGrade(p, s) {
		return nil, certibloc.Problems{{Code: "not_assigned"}}
	}
	g := m.grids[s.GridID]
	var ps certibloc.Problems
	var out []certibloc.Result
	for i, x := range in {
		var people []int64
		for _, l := range s.Learners {
			if l.PersonID == x.PersonID || x.Team != "" && l.Team == x.Team {
				people = append(people, l.PersonID)
			}
		}
		for _, person := range people {
			k := slices.IndexFunc(m.results, func(r certibloc.Result) bool {
				return r.SessionID == sessionID && r.PersonID == person && r.Round == x.Round && r.State != "superseded"
			})
			if k < 0 {
				m.results = append(m.results, certibloc.Result{ID: m.id(), SessionID: sessionID, PersonID: person, Round: x.Round,
					Marker: p.AccountID, State: certibloc.ResultDraft})
				k = len(m.results) - 1
			}
			r := &m.results[k]
			if r.State == certibloc.ResultSubmitted {
				ps = append(ps, certibloc.Problem{Row: i + 1, Code: "locked", Value: "?"})
				continue
			}
			for _, mk := range x.Marks {
				j := slices.IndexFunc(r.Marks, func(o certibloc.Mark) bool { return o.Criterion == mk.Criterion })
				if j < 0 {
					r.Marks = append(r.Marks, mk)
				} else {
					r.Marks[j] = mk
				}
			}
			if x.Submit {
				out, err := g.Grade(r.Marks)
				if err != nil {
					ps = append(ps, certibloc.Problem{Row: i + 1, Code: "missing_grade"})
					continue
				}
				now := time.Now()
				r.Outcome, r.State, r.SubmittedAt = out, certibloc.ResultSubmitted, &now
			}
			out = append(out, *r)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return out, nil
}

func (m *memoryEvals) CorrectResult(_ context.Context, p *certibloc.Principal, resultID int64, marks []certibloc.Mark, reason string) (*certibloc.Result, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := slices.IndexFunc(m.results, func(r certibloc.Result) bool { return r.ID == resultID })
	if k < 0 {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no result %d", resultID)
	}
	old := &m.results[k]
	s := m.sessions[old.SessionID]
	if err := p.Authorize(certibloc.ManageEvaluations, s.School); err != nil {
		return nil, err
	}
	out, err := m.grids[s.GridID].Grade(marks)
	if err != nil {
		return nil, err
	}
	c := *old
	old.State = "superseded"
	c.ID, c.Marks, c.Outcome, c.Supersedes, c.Reason = m.id(), marks, out, old.ID, reason
	m.results = append(m.results, c)
	return &c, nil
}

func (m *memoryEvals) Accommodations(_ context.Context, p *certibloc.Principal, person int64) ([]certibloc.Accommodation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.acc[person], nil
}

func (m *memoryEvals) SetAccommodations(_ context.Context, p *certibloc.Principal, person int64, as []certibloc.Accommodation) error {
	if err := certibloc.CheckAccommodations(as); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.acc[person] = as
	return nil
}

// PersonResults lists the sessions the person sits, with their results.
func (m *memoryEvals) PersonResults(ctx context.Context, p *certibloc.Principal, person int64) ([]sqldb.PersonResult, error) {
	sessions, err := m.EvalSessions(ctx, p, sqldb.EvalSessionFilter{PersonID: person})
	if err != nil {
		return nil, err
	}
	var out []sqldb.PersonResult
	for _, s := range sessions {
		rs, _ := m.Results(ctx, p, s.ID)
		out = append(out, sqldb.PersonResult{Session: s, Results: resultsOf(rs, person)})
	}
	return out, nil
}

// BlockStatuses knows of no enrolment: the memory store keeps none.
func (m *memoryEvals) BlockStatuses(context.Context, *certibloc.Principal, sqldb.StatusFilter) ([]sqldb.LearnerStatus, error) {
	return nil, nil
}
