package certibloc

import (
	"slices"
	"time"
)

// An EvalSession is one sitting of one evaluation: a block's evaluation
// (from the referential version its learners are enrolled on) or a
// complementary evaluation, on a date and at a place, with the evaluators
// assigned, the learners (in teams for a team evaluation) and the grid.
// Each learner's result is one attempt; a resit is a later session.
type EvalSession struct {
	ID            int64     `json:"id"`
	School        string    `json:"school"`
	Certification string    `json:"certification"`
	Version       int       `json:"version"`
	Block         string    `json:"block,omitempty"`
	Evaluation    int       `json:"evaluation,omitempty"`
	Complementary string    `json:"complementary,omitempty"`
	Form          Form      `json:"form"`
	GridID        int64     `json:"grid_id"`
	CohortID      int64     `json:"cohort_id,omitempty"`
	Title         string    `json:"title"`
	Date          Date      `json:"date"`
	Place         string    `json:"place"`
	DoubleMarking bool      `json:"double_marking"`
	Evaluators    []int64   `json:"evaluators"` // accounts with the evaluator role (or staff)
	Learners      []Learner `json:"learners"`
	CreatedAt     time.Time `json:"created_at"`
}

// Learner is a learner sitting a session: their team on a team
// evaluation, and the accommodations granted to them, without the
// condition behind them.
type Learner struct {
	PersonID       int64           `json:"person_id"`
	Name           string          `json:"name,omitempty"` // as the sheet shows it; read only
	Team           string          `json:"team,omitempty"`
	Accommodations []Accommodation `json:"accommodations,omitempty"`
}

// Accommodation is an arrangement the disability referent grants for
// evaluations: its kind and, for some, a detail (« 30 minutes »).
type Accommodation struct {
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"`
}

// Accommodation kinds.
const (
	ExtraTime     = "extra_time"
	SeparateRoom  = "separate_room"
	Assistant     = "assistant"
	AdaptedFormat = "adapted_format"
)

// AccommodationKinds lists the kinds, in the order of the forms.
var AccommodationKinds = []string{ExtraTime, SeparateRoom, Assistant, AdaptedFormat}

// CheckAccommodations refuses unknown kinds, a kind given twice and
// details that are too long.
func CheckAccommodations(as []Accommodation) error {
	for i, a := range as {
		if !slices.Contains(AccommodationKinds, a.Kind) {
			return Errorf(EINVALID, "accommodation %d: kind %q is not one of %v", i+1, a.Kind, AccommodationKinds)
		}
		if err := CheckText("accommodation detail", a.Detail, 200, false); err != nil {
			return err
		}
		for _, o := range as[:i] {
			if o.Kind == a.Kind {
				return Errorf(EINVALID, "accommodation %s is given twice", a.Kind)
			}
		}
	}
	return nil
}

// Result states. A draft can be changed by its marker; a submitted result
// is locked: only a correction, by staff with a reason, changes it, and
// the result it replaces is kept.
const (
	ResultDraft     = "draft"
	ResultSubmitted = "submitted"
)

// Result is one marker's grading of one learner at one session: the marks
// by criterion, what the grid concludes, and the accommodations the learner
// had. With double marking each learner has two results, rounds 1 and 2;
// the official outcome combines them (Combine).
type Result struct {
	ID             int64           `json:"id"`
	SessionID      int64           `json:"session_id"`
	PersonID       int64           `json:"person_id"`
	Name           string          `json:"name,omitempty"` // the learner's, as the sheet shows it; read only
	Round          int             `json:"round"`          // 1, or 2 for the second marker
	Marker         int64           `json:"marker"`
	Team           string          `json:"team,omitempty"`
	Marks          []Mark          `json:"marks"`
	Outcome                        // total, max, passed
	State          string          `json:"state"`
	Accommodations []Accommodation `json:"accommodations,omitempty"`
	Supersedes     int64           `json:"supersedes,omitempty"` // the result a correction replaces
	Reason         string          `json:"reason,omitempty"`     // why it was corrected
	SubmittedAt    *time.Time      `json:"submitted_at,omitempty"`
	UpdatedAt      time.Time       `json:"updated_at"`
	// Sealed: another marker's result at a double-marked session, whose
	// grades (marks, total, verdict, reason) an evaluator does not see
	// until both rounds are submitted (blind double marking).
	Sealed bool `json:"sealed,omitempty"`
}

// Combine is the official outcome of a double marking: per criterion, the
// mean of the two grades for points (to the hundredth, rounded down), the
// lower of the two levels; and the discrepancy, the difference of the two
// totals. Both results must be on grid g.
func Combine(g *Grid, a, b []Mark) (marks []Mark, out Outcome, discrepancy Score, err error) {
	byKey := func(ms []Mark, k string) Score {
		for _, m := range ms {
			if m.Criterion == k {
				return m.Value
			}
		}
		return 0
	}
	var ta, tb Score
	for _, c := range g.Criteria {
		va, vb := byKey(a, c.Key), byKey(b, c.Key)
		ta, tb = ta+va, tb+vb
		v := (va + vb) / 2
		if len(c.Scale.Levels) > 0 {
			v = min(va, vb)
		}
		marks = append(marks, Mark{Criterion: c.Key, Value: v})
	}
	out, err = g.Grade(marks)
	return marks, out, max(ta-tb, tb-ta), err
}

// Attempt is a submitted result as the rules engine reads it: which
// evaluation, passed or not, on the session's date.
type Attempt struct {
	Block         string `json:"block,omitempty"`
	Evaluation    int    `json:"evaluation,omitempty"`
	Complementary string `json:"complementary,omitempty"`
	Passed        bool   `json:"passed"`
	Date          Date   `json:"date"`
}

// AddAttempts adds a learner's attempts to a record: block evaluations as
// results obtained by training, complementary evaluations as passed when
// any attempt passed. Every attempt is kept; the rules count a passed one.
func (rec *Record) AddAttempts(as []Attempt) {
	for _, a := range as {
		if a.Complementary != "" {
			if rec.Complementary == nil {
				rec.Complementary = map[string]bool{}
			}
			rec.Complementary[a.Complementary] = rec.Complementary[a.Complementary] || a.Passed
			continue
		}
		rec.Evaluations = append(rec.Evaluations, EvaluationResult{Block: a.Block, Number: a.Evaluation, Passed: a.Passed, Date: a.Date})
	}
}
