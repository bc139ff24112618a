package certibloc

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A Grid is how one evaluation is graded: criteria tied to the block's
// competencies, each on a scale, and the rule that says whether the
// evaluation is passed. Grids are data, versioned with the referential:
// a grid belongs to one version of a certification, and editing it makes a
// new revision, so a result always names the grid it was graded on.
type Grid struct {
	ID            int64       `json:"id"`
	Certification string      `json:"certification"`
	Version       int         `json:"version"`                 // the referential version
	Block         string      `json:"block,omitempty"`         // a block's evaluation…
	Evaluation    int         `json:"evaluation,omitempty"`    // …by its number,
	Complementary string      `json:"complementary,omitempty"` // or a complementary evaluation
	Revision      int         `json:"revision"`
	Title         string      `json:"title"`
	Criteria      []Criterion `json:"criteria"`
	Pass          PassRule    `json:"pass"`
}

// Criterion is one line of a grid.
type Criterion struct {
	Key        string `json:"key"`                  // C1, C2…: the column of the grade sheet
	Label      string `json:"label"`                // what is assessed
	Competency int    `json:"competency,omitempty"` // the block's competency it assesses, from 1; 0 for none
	Scale      Scale  `json:"scale"`
	Mandatory  bool   `json:"mandatory"`            // must be acquired under the "mandatory" pass rule
	Individual bool   `json:"individual,omitempty"` // on a team evaluation, graded member by member
}

// Scale is either levels, named from the lowest, or points from 0 to Max.
type Scale struct {
	Levels []Level `json:"levels,omitempty"`
	Max    Score   `json:"max,omitempty"`  // points: the best grade
	Pass   Score   `json:"pass,omitempty"` // points: the criterion is acquired from this grade
}

// Level is one step of a scale of levels; its value is its rank, from 1.
type Level struct {
	Label    string `json:"label"`
	Acquired bool   `json:"acquired"` // the criterion is acquired at this level
}

// PassRule is how a grid decides: every mandatory criterion acquired, or a
// minimum total.
type PassRule struct {
	Rule     string `json:"rule"` // PassMandatory or PassTotal
	MinTotal Score  `json:"min_total,omitempty"`
}

// Pass rules.
const (
	PassMandatory = "mandatory"
	PassTotal     = "total"
)

// Score is a grade in hundredths: 14,5 is 1450. A level's value is its rank
// (level 3 is 300). Hundredths keep sums exact.
type Score int64

// ParseScore reads a grade as people type it: « 14,5 », « 14.5 », « 14 »,
// with at most two decimals and no sign, exponent or thousands separator.
// « 14,5 » is 14.5, never 145.
func ParseScore(s string) (Score, error) {
	t := strings.TrimSpace(s)
	whole, frac, hasFrac := strings.Cut(strings.Replace(t, ",", ".", 1), ".")
	bad := t == "" || whole == "" || len(whole) > 7 || len(frac) > 2 || (hasFrac && frac == "")
	for _, c := range whole + frac {
		bad = bad || c < '0' || c > '9'
	}
	if bad {
		return 0, Errorf(EINVALID, "%q is not a grade: write a number such as 14 or 14,5 (two decimals at most)", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "00")[:2], 10, 64)
	return Score(w*100 + f), nil
}

// String writes the score with a decimal point and no useless zero: 14.5, 14.
func (s Score) String() string {
	out := strconv.FormatInt(int64(s)/100, 10)
	if f := int64(s) % 100; f != 0 {
		out += strings.TrimRight(fmt.Sprintf(".%02d", f), "0")
	}
	return out
}

// In writes the score as language l does: « 14,5 » in French.
func (s Score) In(l Lang) string {
	if l == French {
		return strings.Replace(s.String(), ".", ",", 1)
	}
	return s.String()
}

// Float is the score as a number, for charts and statistics.
func (s Score) Float() float64 { return float64(s) / 100 }

// MarshalJSON writes the score as a JSON number: 14.5.
func (s Score) MarshalJSON() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalJSON reads a JSON number, or a string as ParseScore reads it.
func (s *Score) UnmarshalJSON(b []byte) error {
	v, err := ParseScore(strings.Trim(string(b), `"`))
	*s = v
	return err
}

// MaxValue is the best value on the scale: the top level's rank, or Max points.
func (sc *Scale) MaxValue() Score {
	if len(sc.Levels) > 0 {
		return Score(len(sc.Levels) * 100)
	}
	return sc.Max
}

// Parse reads a cell of this scale: a number of points, or a level by its
// rank or its label (any case).
func (sc *Scale) Parse(s string) (Score, error) {
	if len(sc.Levels) > 0 {
		for i, l := range sc.Levels {
			if strings.EqualFold(strings.TrimSpace(s), l.Label) {
				return Score((i + 1) * 100), nil
			}
		}
	}
	v, err := ParseScore(s)
	if err != nil {
		return 0, err
	}
	return v, sc.Check(v)
}

// Check refuses a value outside the scale.
func (sc *Scale) Check(v Score) error {
	if len(sc.Levels) > 0 {
		if v%100 != 0 || v < 100 || v > sc.MaxValue() {
			return Errorf(EINVALID, "%s is not a level of the scale: levels go from 1 to %d", v, len(sc.Levels))
		}
		return nil
	}
	if v < 0 || v > sc.Max {
		return Errorf(EINVALID, "%s is outside the scale: grades go from 0 to %s", v, sc.Max)
	}
	return nil
}

// Acquired reports whether value v acquires the criterion.
func (sc *Scale) Acquired(v Score) bool {
	if len(sc.Levels) > 0 {
		i := int(v/100) - 1
		return i >= 0 && i < len(sc.Levels) && sc.Levels[i].Acquired
	}
	return v >= sc.Pass
}

// Mark is the grade of one criterion.
type Mark struct {
	Criterion string `json:"criterion"`
	Value     Score  `json:"value"`
	Comment   string `json:"comment,omitempty"`
}

// Outcome is what a grid says of a complete set of marks.
type Outcome struct {
	Total  Score `json:"total"`
	Max    Score `json:"max"`
	Passed bool  `json:"passed"`
}

// Criterion returns the criterion with the given key, or nil.
func (g *Grid) Criterion(key string) *Criterion {
	for i := range g.Criteria {
		if g.Criteria[i].Key == key {
			return &g.Criteria[i]
		}
	}
	return nil
}

// MaxTotal is the best total the grid allows.
func (g *Grid) MaxTotal() Score {
	var t Score
	for i := range g.Criteria {
		t += g.Criteria[i].Scale.MaxValue()
	}
	return t
}

// Grade applies the grid to marks, which must give every criterion exactly
// once, each within its scale.
func (g *Grid) Grade(marks []Mark) (Outcome, error) {
	out := Outcome{Max: g.MaxTotal(), Passed: true}
	if len(marks) != len(g.Criteria) {
		return out, Errorf(EINVALID, "the grid has %d criteria and %d were graded: grade each criterion once", len(g.Criteria), len(marks))
	}
	for i := range marks {
		m := &marks[i]
		c := g.Criterion(m.Criterion)
		if c == nil {
			return out, Errorf(EINVALID, "criterion %q is not in the grid", m.Criterion)
		}
		for _, o := range marks[:i] {
			if o.Criterion == m.Criterion {
				return out, Errorf(EINVALID, "criterion %s is graded twice", m.Criterion)
			}
		}
		if err := c.Scale.Check(m.Value); err != nil {
			return out, Errorf(EINVALID, "criterion %s: %s", m.Criterion, ErrorMessage(err))
		}
		if err := CheckText("comment of criterion "+m.Criterion, m.Comment, MaxComment, true); err != nil {
			return out, err
		}
		out.Total += m.Value
		if g.Pass.Rule == PassMandatory && c.Mandatory && !c.Scale.Acquired(m.Value) {
			out.Passed = false
		}
	}
	if g.Pass.Rule == PassTotal {
		out.Passed = out.Total >= g.Pass.MinTotal
	}
	return out, nil
}

// MaxComment bounds a comment on a criterion.
const MaxComment = 4000

// Validate checks that the grid can grade: criteria with distinct keys,
// sound scales and a pass rule that can be met.
func (g *Grid) Validate() error {
	if (g.Block == "") == (g.Complementary == "") || (g.Block != "" && g.Evaluation < 1) {
		return Errorf(EINVALID, "a grid is for one evaluation of a block (block and evaluation number) or for one complementary evaluation")
	}
	if g.Title == "" || CheckText("title", g.Title, 300, false) != nil {
		return Errorf(EINVALID, "the grid needs a title of at most 300 characters on one line")
	}
	if len(g.Criteria) == 0 || len(g.Criteria) > 50 {
		return Errorf(EINVALID, "a grid has from 1 to 50 criteria, not %d", len(g.Criteria))
	}
	mandatory := 0
	for i, c := range g.Criteria {
		switch {
		case c.Key == "" || len(c.Key) > 16 || strings.ContainsAny(c.Key, " ;,\t\"") || CheckChars("key", c.Key, false) != nil:
			return Errorf(EINVALID, "criterion %d: the key %q must be 1 to 16 characters without spaces, commas or semicolons", i+1, c.Key)
		case g.Criterion(c.Key) != &g.Criteria[i]:
			return Errorf(EINVALID, "criterion %d: the key %s is used twice", i+1, c.Key)
		case c.Label == "" || CheckText("label", c.Label, 1000, false) != nil:
			return Errorf(EINVALID, "criterion %s needs a label of at most 1000 characters on one line", c.Key)
		case c.Competency < 0:
			return Errorf(EINVALID, "criterion %s: competency %d does not exist", c.Key, c.Competency)
		case len(c.Scale.Levels) > 0 && c.Scale.Max != 0:
			return Errorf(EINVALID, "criterion %s: a scale has levels or points, not both", c.Key)
		case len(c.Scale.Levels) == 0 && (c.Scale.Max <= 0 || c.Scale.Max > 100_000 || c.Scale.Pass < 0 || c.Scale.Pass > c.Scale.Max):
			return Errorf(EINVALID, "criterion %s: a scale of points goes from 0 to a maximum of at most 1000, with a pass mark within it", c.Key)
		case len(c.Scale.Levels) > 10:
			return Errorf(EINVALID, "criterion %s: a scale has at most 10 levels", c.Key)
		}
		acquired := len(c.Scale.Levels) == 0
		for _, l := range c.Scale.Levels {
			if l.Label == "" || CheckText("level", l.Label, 100, false) != nil {
				return Errorf(EINVALID, "criterion %s: each level needs a label of at most 100 characters", c.Key)
			}
			acquired = acquired || l.Acquired
		}
		if !acquired {
			return Errorf(EINVALID, "criterion %s: no level of its scale acquires it", c.Key)
		}
		if c.Mandatory {
			mandatory++
		}
	}
	switch {
	case g.Pass.Rule == PassMandatory && mandatory == 0:
		return Errorf(EINVALID, "the pass rule asks for every mandatory criterion, and none is mandatory")
	case g.Pass.Rule == PassTotal && (g.Pass.MinTotal <= 0 || g.Pass.MinTotal > g.MaxTotal()):
		return Errorf(EINVALID, "the minimum total %s must be above 0 and at most the grid's maximum %s", g.Pass.MinTotal, g.MaxTotal())
	case g.Pass.Rule != PassMandatory && g.Pass.Rule != PassTotal:
		return Errorf(EINVALID, "the pass rule is %q: it must be %s or %s", g.Pass.Rule, PassMandatory, PassTotal)
	}
	return nil
}

// CheckFor checks that the grid fits certification c: its block,
// evaluation or complementary evaluation exists there, and each criterion's
// competency is one of the block's.
func (g *Grid) CheckFor(c *Certification) error {
	if g.Certification != c.Code || g.Version != c.Version {
		return Errorf(EINVALID, "the grid is for %s version %d, not %s version %d", g.Certification, g.Version, c.Code, c.Version)
	}
	if g.Complementary != "" {
		if c.Validation == nil || !slices.ContainsFunc(c.Validation.Complementary, func(x Complementary) bool { return x.Code == g.Complementary }) {
			return Errorf(EINVALID, "complementary evaluation %q does not exist in %s", g.Complementary, c.Code)
		}
		return nil
	}
	b := c.Block(g.Block)
	if b == nil {
		return Errorf(EINVALID, "block %q does not exist in %s version %d", g.Block, c.Code, c.Version)
	}
	if !slices.ContainsFunc(b.Evaluations, func(e Evaluation) bool { return e.Number == g.Evaluation }) {
		return Errorf(EINVALID, "block %s has no evaluation %d", g.Block, g.Evaluation)
	}
	for _, cr := range g.Criteria {
		if cr.Competency > len(b.Competencies) {
			return Errorf(EINVALID, "criterion %s: block %s has %d competencies, not %d", cr.Key, g.Block, len(b.Competencies), cr.Competency)
		}
	}
	return nil
}

// The levels of the default grids, lowest first.
var defaultLevels = []Level{
	{Label: "Non acquis"}, {Label: "En cours d'acquisition"}, {Label: "Acquis", Acquired: true}, {Label: "Maîtrisé", Acquired: true},
}

// DefaultGrids are the grids a certification version starts with: for each
// evaluation of each block one criterion per competency of the block, on
// four levels, every one mandatory; an evaluation taken as a team adds an
// individual criterion, the member's own part; each complementary
// evaluation is graded out of 20 and passed from 10. Staff edit them into
// the certifier's grids.
func DefaultGrids(c *Certification) []Grid {
	var out []Grid
	for _, b := range c.Blocks {
		for _, e := range b.Evaluations {
			g := Grid{Certification: c.Code, Version: c.Version, Block: b.Code, Evaluation: e.Number, Revision: 1,
				Title: e.Title, Pass: PassRule{Rule: PassMandatory}}
			if g.Title == "" {
				g.Title = fmt.Sprintf("%s — évaluation %d", b.Title, e.Number)
			}
			for k, comp := range b.Competencies {
				g.Criteria = append(g.Criteria, Criterion{Key: fmt.Sprintf("C%d", k+1), Label: shorten(comp, 1000), Competency: k + 1,
					Scale: Scale{Levels: defaultLevels}, Mandatory: true})
			}
			if e.Form == Team {
				g.Criteria = append(g.Criteria, Criterion{Key: "IND", Label: "Contribution individuelle à la production de l'équipe",
					Scale: Scale{Levels: defaultLevels}, Mandatory: true, Individual: true})
			}
			if len(g.Criteria) == 0 { // an imported block that publishes no competency
				g.Criteria = []Criterion{{Key: "C1", Label: shorten(b.Title, 1000), Scale: Scale{Levels: defaultLevels}, Mandatory: true}}
			}
			out = append(out, g)
		}
	}
	if c.Validation != nil {
		for _, comp := range c.Validation.Complementary {
			out = append(out, Grid{Certification: c.Code, Version: c.Version, Complementary: comp.Code, Revision: 1, Title: comp.Title,
				Criteria: []Criterion{{Key: "NOTE", Label: comp.Title, Scale: Scale{Max: 2000, Pass: 1000}, Mandatory: true}},
				Pass:     PassRule{Rule: PassMandatory}})
		}
	}
	return out
}

// shorten cuts s to at most n runes, on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
