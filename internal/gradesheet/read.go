package gradesheet

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sheet"
	"golang.org/x/text/unicode/norm"
)

// Sheet is a filled sheet read back: the round it grades and its graded
// lines, in the sheet's order.
type Sheet struct {
	Round   int
	Entries []Entry
}

// Entry is one graded line: the learner, the grades of its criteria (in
// the grid's order, a team's shared grades copied to each member; every
// criterion when the result is to be submitted, those filled in for a
// draft) and whether to submit it.
type Entry struct {
	Line     int // the sheet's line
	PersonID int64
	Marks    []certibloc.Mark
	Submit   bool
}

// Read reads a filled sheet for session s graded on grid g. A line whose
// grades, comments and submit cells are all empty is left out: its
// learner is not graded by this sheet. Anything wrong refuses the whole
// sheet with certibloc.Problems, each with the sheet's line and the
// column's header; l is the language of the column names they quote.
func Read(data []byte, s *certibloc.EvalSession, g *certibloc.Grid, l certibloc.Lang) (*Sheet, error) {
	lines, err := sheet.Read(data)
	if err != nil {
		return nil, unreadable(err)
	}
	r := &reader{s: s, g: g, l: l, learners: make(map[int64]certibloc.Learner, len(s.Learners)), seen: map[int64]int{}}
	for _, ln := range s.Learners {
		r.learners[ln.PersonID] = ln
	}
	out := r.read(lines)
	if len(r.problems) > 0 {
		return nil, r.problems
	}
	return out, nil
}

// unreadable turns the file's read error into the problem to show.
func unreadable(err error) error {
	var re *sheet.ReadError
	if !errors.As(err, &re) {
		return err
	}
	code := map[string]string{sheet.ReasonTooLarge: "sheet_too_large", sheet.ReasonBadCSV: "bad_csv"}[re.Reason]
	if code == "" {
		code = "not_a_sheet"
	}
	return certibloc.Problems{{Row: re.Line, Code: code}}
}

// Relines gives the problems of the store's refusal, numbered by entry
// (from 1), the sheet's line numbers. Any other error is returned as is.
func (sh *Sheet) Relines(err error) error {
	var ps certibloc.Problems
	if !errors.As(err, &ps) {
		return err
	}
	out := make(certibloc.Problems, len(ps))
	for i, p := range ps {
		if p.Row >= 1 && p.Row <= len(sh.Entries) {
			p.Row = sh.Entries[p.Row-1].Line
		}
		out[i] = p
	}
	return out
}

// reader holds what one Read has found.
type reader struct {
	s        *certibloc.EvalSession
	g        *certibloc.Grid
	l        certibloc.Lang
	learners map[int64]certibloc.Learner // the session's, by number
	seen     map[int64]int               // the line of each learner's number
	problems certibloc.Problems
}

func (r *reader) add(p certibloc.Problem) {
	if len(r.problems) < certibloc.MaxProblems {
		p.Value = certibloc.Cut(p.Value)
		r.problems = append(r.problems, p)
	}
}

func (r *reader) full() bool { return len(r.problems) >= certibloc.MaxProblems }

// read checks the first line, maps the header, then reads each line.
func (r *reader) read(lines []sheet.Line) *Sheet {
	if len(lines) == 0 {
		r.add(certibloc.Problem{Code: "empty_sheet"})
		return nil
	}
	round, ok := r.first(lines[0])
	if !ok {
		return nil
	}
	if len(lines) < 2 {
		r.add(certibloc.Problem{Code: "empty_sheet"})
		return nil
	}
	cols := r.columns(lines[1])
	if cols == nil {
		return nil
	}
	rows := make([]row, 0, len(lines)-2)
	for _, ln := range lines[2:] {
		if r.full() {
			break
		}
		if rw, ok := r.line(ln, cols); ok {
			rows = append(rows, rw)
		}
	}
	entries := r.resolve(rows)
	if len(r.problems) == 0 && len(entries) == 0 {
		r.add(certibloc.Problem{Code: "empty_sheet"})
	}
	return &Sheet{Round: round, Entries: entries}
}

// first reads the line naming the session, the grid, its revision and
// the round, and refuses a sheet made for another session or grid.
func (r *reader) first(ln sheet.Line) (round int, ok bool) {
	fields := map[string]int64{}
	for i := 0; i+1 < len(ln.Cells); i++ {
		key := fold(ln.Cells[i])
		for _, k := range []string{"session", "grid", "revision", "round"} {
			if key == fold(words[k][0]) || key == fold(words[k][1]) {
				if n, err := strconv.ParseInt(strings.TrimSpace(ln.Cells[i+1]), 10, 64); err == nil {
					fields[k] = n
				}
			}
		}
	}
	sid, okS := fields["session"]
	gid, okG := fields["grid"]
	rev, okR := fields["revision"]
	if ln.Number != 1 || !okS || !okG || !okR {
		r.add(certibloc.Problem{Row: ln.Number, Code: "not_a_template"})
		return 0, false
	}
	if sid != r.s.ID {
		r.add(certibloc.Problem{Row: ln.Number, Code: "wrong_session", Value: strconv.FormatInt(sid, 10), Detail: strconv.FormatInt(r.s.ID, 10)})
		return 0, false
	}
	if gid != r.g.ID || rev != int64(r.g.Revision) {
		r.add(certibloc.Problem{Row: ln.Number, Code: "wrong_grid", Value: gridName(gid, rev), Detail: gridName(r.g.ID, int64(r.g.Revision))})
		return 0, false
	}
	round = 1
	if n, ok := fields["round"]; ok {
		round = int(n)
		if n != int64(round) || round < 1 || round > 2 || round == 2 && !r.s.DoubleMarking {
			r.add(certibloc.Problem{Row: ln.Number, Code: "bad_round", Value: strconv.FormatInt(n, 10)})
			return 0, false
		}
	}
	return round, true
}

func gridName(id, revision int64) string {
	return "#" + strconv.FormatInt(id, 10) + " r" + strconv.FormatInt(revision, 10)
}

// Column kinds of the header.
const (
	colID = iota
	colName
	colTeam
	colGrade
	colComment
	colSubmit
)

// column is what a column of the sheet holds.
type column struct {
	kind      int
	criterion int    // colGrade, colComment: the criterion's index in the grid
	header    string // as the sheet writes it
}

// columns maps the header line to the template's columns, refusing
// missing, unknown and duplicated ones.
func (r *reader) columns(ln sheet.Line) []column {
	type want struct {
		column
		names []string // French and English names, folded
		found int      // the sheet's column, or -1
	}
	var wants []*want
	add := func(kind, criterion int, names ...string) {
		w := &want{column: column{kind: kind, criterion: criterion, header: names[int(r.l)]}, found: -1}
		for _, n := range names {
			w.names = append(w.names, fold(n))
		}
		wants = append(wants, w)
	}
	add(colID, 0, words["id"][0], words["id"][1])
	add(colName, 0, words["name"][0], words["name"][1])
	if r.s.Form == certibloc.Team {
		add(colTeam, 0, words["team"][0], words["team"][1])
	}
	for i, c := range r.g.Criteria {
		add(colGrade, i, c.Key, c.Key)
		add(colComment, i, c.Key+" — "+words["comment"][0], c.Key+" — "+words["comment"][1])
	}
	add(colSubmit, 0, words["submit"][0], words["submit"][1])

	cols := make([]column, len(ln.Cells))
	bad := false
	for i, h := range ln.Cells {
		cols[i] = column{kind: -1, header: strings.TrimSpace(h)}
		if cols[i].header == "" {
			cols[i].header = letter(i)
			continue // an unnamed column: only its cells, if any, are refused
		}
		var match *want
		for _, w := range wants {
			for _, n := range w.names {
				if fold(h) == n {
					match = w
				}
			}
		}
		switch {
		case match == nil:
			r.add(certibloc.Problem{Row: ln.Number, Column: cols[i].header, Code: "unknown_column", Value: h})
			bad = true
		case match.found >= 0:
			r.add(certibloc.Problem{Row: ln.Number, Column: cols[i].header, Code: "duplicate_column", Value: h})
			bad = true
		default:
			match.found = i
			cols[i] = match.column
			cols[i].header = strings.TrimSpace(h)
		}
	}
	for _, w := range wants {
		if w.found < 0 {
			r.add(certibloc.Problem{Row: ln.Number, Code: "missing_column", Value: w.header})
			bad = true
		}
	}
	if bad {
		return nil
	}
	return cols
}

// letter is a column's letter: 0 is A, 26 is AA.
func letter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// fold makes a header or a name comparable: no accents, one case, single
// spaces, dashes and colons as spaces, no leading apostrophe.
func fold(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "'")
	var b strings.Builder
	for _, c := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, c):
		case c == '—' || c == '–' || c == ':' || unicode.IsSpace(c):
			b.WriteByte(' ')
		default:
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// cell is a cell as typed: trimmed, and without the apostrophe that the
// CSV writer puts before a text a spreadsheet would run as a formula.
func cell(cells []string, i int) string {
	if i >= len(cells) {
		return ""
	}
	return undefuse(strings.TrimSpace(cells[i]))
}

// undefuse takes off the apostrophe sheet.WriteCSV puts before =, +, -
// and @.
func undefuse(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		return v[1:]
	}
	return v
}

// commentCell is a comment as typed: its line breaks kept (as LF: a
// spreadsheet's own), white space around trimmed.
func commentCell(cells []string, i int) string {
	if i >= len(cells) {
		return ""
	}
	return undefuse(strings.TrimSpace(lineBreaks.Replace(cells[i])))
}

var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// row is a learner's line once read, before teams are resolved.
type row struct {
	line     int
	person   certibloc.Learner
	grades   []*certibloc.Score // by criterion; nil where empty
	comments []string
	submit   bool
	columns  []string // the grade columns' headers, for problems
}

// line reads one learner's line; ok is false for a line that grades no
// one (every cell but the learner's empty) or that has problems.
func (r *reader) line(ln sheet.Line, cols []column) (row, bool) {
	n := len(r.g.Criteria)
	rw := row{line: ln.Number, grades: make([]*certibloc.Score, n), comments: make([]string, n), columns: make([]string, n)}
	var id, name, team string
	graded, bad := false, false
	problem := func(col column, code, value, detail string) {
		r.add(certibloc.Problem{Row: ln.Number, Column: col.header, Code: code, Value: value, Detail: detail})
		bad = true
	}
	for i, v := range ln.Cells {
		col := column{kind: -1, header: letter(i)}
		if i < len(cols) {
			col = cols[i]
		}
		text := cell(ln.Cells, i)
		if text == "" {
			continue
		}
		if !utf8.ValidString(v) || certibloc.CheckChars("cell", v, col.kind == colComment) != nil {
			problem(col, "bad_characters", "", "")
			continue
		}
		switch col.kind {
		case colID:
			id = text
		case colName:
			name = text
		case colTeam:
			team = text
		case colGrade:
			graded = true
			rw.columns[col.criterion] = col.header
			sc := &r.g.Criteria[col.criterion].Scale
			score, err := sc.Parse(text)
			if err != nil {
				code, detail := scaleProblem(sc, text)
				problem(col, code, text, detail)
				continue
			}
			rw.grades[col.criterion] = &score
		case colComment:
			c := commentCell(ln.Cells, i)
			if k := utf8.RuneCountInString(c); k > certibloc.MaxComment {
				problem(col, "comment_too_long", strconv.Itoa(k), strconv.Itoa(certibloc.MaxComment))
				continue
			}
			graded = true
			rw.comments[col.criterion] = c
		case colSubmit:
			yes, ok := choice(text)
			if !ok {
				problem(col, "not_a_choice", text, "")
				continue
			}
			graded = graded || yes
			rw.submit = yes
		default:
			problem(col, "unknown_column", text, "")
		}
	}
	for i := range rw.columns {
		if rw.columns[i] == "" {
			rw.columns[i] = r.g.Criteria[i].Key
		}
	}
	idColumn := column{header: cols[0].header}
	learner, known := r.learner(id)
	if known {
		if first, dup := r.seen[learner.PersonID]; dup {
			problem(idColumn, "duplicate_row", id, strconv.Itoa(first))
		} else {
			r.seen[learner.PersonID] = ln.Number
		}
	}
	if !graded && !bad {
		return row{}, false // an ungraded learner, or an empty line
	}
	switch {
	case id == "":
		problem(idColumn, "missing_learner", "", "")
		return row{}, false
	case !known:
		problem(idColumn, "unknown_learner", id, "")
		return row{}, false
	}
	if name != "" && learner.Name != "" && name != learner.Name && fold(name) != fold(learner.Name) {
		problem(column{header: word(r.l, "name")}, "wrong_name", name, learner.Name)
	}
	if team != "" && team != learner.Team && fold(team) != fold(learner.Team) {
		problem(column{header: word(r.l, "team")}, "wrong_team", team, learner.Team)
	}
	rw.person = learner
	return rw, !bad
}

// scaleProblem says why a cell is not a grade of scale sc.
func scaleProblem(sc *certibloc.Scale, text string) (code, detail string) {
	if _, err := certibloc.ParseScore(text); err != nil {
		if len(sc.Levels) > 0 {
			return "not_a_level", strconv.Itoa(len(sc.Levels))
		}
		return "not_a_grade", ""
	}
	if len(sc.Levels) > 0 {
		return "outside_scale", "1–" + strconv.Itoa(len(sc.Levels))
	}
	return "outside_scale", "0–" + sc.Max.String()
}

// choice reads a yes or no as people and spreadsheets write it.
func choice(s string) (yes, ok bool) {
	switch fold(s) {
	case "oui", "o", "yes", "y", "x", "1", "vrai", "true":
		return true, true
	case "non", "n", "no", "0", "faux", "false":
		return false, true
	}
	return false, false
}

// learner finds the session's learner of a number.
func (r *reader) learner(id string) (certibloc.Learner, bool) {
	for _, c := range id {
		if c < '0' || c > '9' {
			return certibloc.Learner{}, false
		}
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || id == "" {
		return certibloc.Learner{}, false
	}
	ln, ok := r.learners[n]
	return ln, ok
}

// resolve makes the entries of the rows read: on a team evaluation a
// shared criterion is graded once for the team, on any member's line (or
// on several, with the same grade), and copied to every member graded by
// the sheet; then a line to submit must grade every criterion, while a
// draft may leave some for later.
func (r *reader) resolve(rows []row) []Entry {
	type shared struct {
		grade   certibloc.Score
		line    int
		comment string
	}
	team := map[string]map[int]*shared{} // team → criterion → its grade
	if r.s.Form == certibloc.Team {
		for _, rw := range rows {
			for i, c := range r.g.Criteria {
				if c.Individual || rw.grades[i] == nil {
					continue
				}
				t := team[rw.person.Team]
				if t == nil {
					t = map[int]*shared{}
					team[rw.person.Team] = t
				}
				switch sh := t[i]; {
				case sh == nil:
					t[i] = &shared{grade: *rw.grades[i], line: rw.line, comment: rw.comments[i]}
				case sh.grade != *rw.grades[i]:
					r.add(certibloc.Problem{Row: rw.line, Column: rw.columns[i], Code: "team_grade_differs",
						Value: rw.person.Team, Detail: strconv.Itoa(sh.line)})
				case sh.comment == "":
					sh.comment = rw.comments[i]
				}
			}
		}
	}
	entries := make([]Entry, 0, len(rows))
	for _, rw := range rows {
		e := Entry{Line: rw.line, PersonID: rw.person.PersonID, Submit: rw.submit, Marks: make([]certibloc.Mark, 0, len(r.g.Criteria))}
		for i, c := range r.g.Criteria {
			m := certibloc.Mark{Criterion: c.Key, Comment: rw.comments[i]}
			switch sh := team[rw.person.Team][i]; {
			case rw.grades[i] != nil:
				m.Value = *rw.grades[i]
			case sh != nil && !c.Individual:
				m.Value = sh.grade
				if m.Comment == "" {
					m.Comment = sh.comment
				}
			case rw.submit:
				r.add(certibloc.Problem{Row: rw.line, Column: rw.columns[i], Code: "missing_grade"})
				continue
			default:
				continue // a draft: the criterion is graded later
			}
			e.Marks = append(e.Marks, m)
		}
		entries = append(entries, e)
	}
	return entries
}
