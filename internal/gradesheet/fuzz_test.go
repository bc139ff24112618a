package gradesheet

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sheet"
)

// FuzzRead feeds Read any bytes (the seeds in testdata/fuzz/FuzzRead are
// filled templates, in CSV and XLSX, and their quirks). It must never
// panic; a refusal is Problems from the catalogue; an accepted sheet must
// hold only what a right sheet can: learners of the session, once each,
// every criterion graded within its scale, comments the store takes.
//
//	go test -run XXX -fuzz FuzzRead -fuzzminimizetime 200x ./internal/gradesheet
func FuzzRead(f *testing.F) {
	s, g := fixture()
	for _, tb := range []*sheet.Table{
		filled(s, g, certibloc.French, map[int64]map[string]any{101: {"C1": "14,5", "C2": "Acquis", "Soumettre": "oui"}, 102: {"C1": 9.75, "C2": "2", "C2 — commentaire": "à revoir; vite"}}),
		filled(s, g, certibloc.English, map[int64]map[string]any{103: {"C1": "20", "C2": "4", "C1 — comment": "=1+1", "Submit": "no"}}),
	} {
		var c, x bytes.Buffer
		sheet.WriteCSV(&c, tb)
		sheet.WriteXLSX(&x, tb)
		f.Add(c.Bytes())
		f.Add(x.Bytes())
		f.Add(bytes.ReplaceAll(c.Bytes(), []byte(";"), []byte("\t")))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(data, s, g, certibloc.French)
		if err != nil {
			var ps certibloc.Problems
			if !errors.As(err, &ps) || len(ps) == 0 || len(ps) > certibloc.MaxProblems {
				t.Fatalf("refused without problems: %v", err)
			}
			for _, p := range ps {
				if fr := p.In(certibloc.French); strings.Contains(fr, p.Code) || p.Row < 0 {
					t.Fatalf("a problem outside the catalogue: %+v", p)
				}
			}
			return
		}
		checkAccepted(t, s, g, got)
	})
}

// checkAccepted fails unless every entry of an accepted sheet is one the
// store may record.
func checkAccepted(t *testing.T, s *certibloc.EvalSession, g *certibloc.Grid, got *Sheet) {
	t.Helper()
	if len(got.Entries) == 0 || got.Round != 1 {
		t.Fatalf("accepted a sheet of %d entries, round %d", len(got.Entries), got.Round)
	}
	seen, line := map[int64]bool{}, 2
	for _, e := range got.Entries {
		known := false
		for _, l := range s.Learners {
			known = known || l.PersonID == e.PersonID
		}
		if !known || seen[e.PersonID] || e.Line <= line {
			t.Fatalf("entry %+v: unknown, twice, or out of order", e)
		}
		seen[e.PersonID], line = true, e.Line
		if _, err := g.Grade(e.Marks); e.Submit && err != nil {
			t.Fatalf("entry %+v cannot be graded: %v", e, err)
		}
		k := 0
		for _, m := range e.Marks {
			for k < len(g.Criteria) && g.Criteria[k].Key != m.Criterion {
				k++
			}
			if k == len(g.Criteria) || g.Criteria[k].Scale.Check(m.Value) != nil ||
				certibloc.CheckText("comment", m.Comment, certibloc.MaxComment, true) != nil {
				t.Fatalf("entry %+v: a mark out of the grid, its order or its scale", e)
			}
			k++
		}
	}
}

// FuzzRoundTrip fills a template with any comment and grade written in
// any of the ways people type them, in CSV or XLSX: what is read back is
// exactly what was written, whatever separators, quotes, line breaks or
// formulas the comment holds.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Très bien; \"net\"\r\nsuite", uint16(1450), uint8(2), uint8(0), false)
	f.Add("=HYPERLINK(\"x\")", uint16(0), uint8(0), uint8(1), true)
	f.Add("-", uint16(2000), uint8(3), uint8(2), false)
	f.Fuzz(func(t *testing.T, comment string, grade uint16, level, style uint8, xlsx bool) {
		s, g := fixture()
		comment = strings.TrimSpace(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(comment))
		if certibloc.CheckText("comment", comment, certibloc.MaxComment, true) != nil || strings.HasPrefix(comment, "'") {
			return // refused by the store anyway; a leading apostrophe is the CSV's formula guard
		}
		value := certibloc.Score(grade % 2001)
		rank := int(level%4) + 1
		var cellGrade, cellLevel any
		switch style % 3 {
		case 0:
			cellGrade, cellLevel = value.In(certibloc.French), levels[rank-1].Label
		case 1:
			cellGrade, cellLevel = value.String(), strconv.Itoa(rank)
		default:
			cellGrade, cellLevel = value.Float(), strings.ToUpper(levels[rank-1].Label)
		}
		tb := filled(s, g, certibloc.French, map[int64]map[string]any{102: {"C1": cellGrade, "C1 — commentaire": comment, "C2": cellLevel, "Soumettre": "x"}})
		var b bytes.Buffer
		write := sheet.WriteCSV
		if xlsx {
			write = sheet.WriteXLSX
		}
		if err := write(&b, tb); err != nil {
			t.Fatal(err)
		}
		got, err := Read(b.Bytes(), s, g, certibloc.French)
		if err != nil {
			t.Fatalf("refused its own template filled with %q, %v, %v: %v", comment, cellGrade, cellLevel, err)
		}
		want := Entry{Line: 4, PersonID: 102, Submit: true, Marks: []certibloc.Mark{
			{Criterion: "C1", Value: value, Comment: comment}, {Criterion: "C2", Value: certibloc.Score(rank * 100)}}}
		if len(got.Entries) != 1 || got.Entries[0].Line != want.Line || got.Entries[0].PersonID != want.PersonID ||
			!got.Entries[0].Submit || got.Entries[0].Marks[0] != want.Marks[0] || got.Entries[0].Marks[1] != want.Marks[1] {
			t.Fatalf("wrote %+v, read %+v", want, got.Entries)
		}
	})
}
