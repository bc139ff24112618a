// Package gradesheet grades a session by spreadsheet: it writes the
// session's template (CSV as French Excel writes it, or XLSX), one line
// per learner and one column per criterion, and reads a filled sheet back
// into entries for the store, refusing the whole sheet, with the line,
// the column and the reason, when anything in it is wrong.
//
// The sheet's first line names the session, the grid and its revision and
// the marking round, so that a sheet made for another session or an older
// grid is recognised; the second line is the header; then one line per
// learner: number, name, team (on a team evaluation), then for each
// criterion its grade and a comment, and last whether to submit.
package gradesheet

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sheet"
)

// Formats of the template.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// words are the sheet's fixed words, French then English.
var words = map[string][2]string{
	"session":  {"Session", "Session"},
	"grid":     {"Grille", "Grid"},
	"revision": {"Révision", "Revision"},
	"round":    {"Correction", "Marking"},
	"id":       {"N° apprenant", "Learner no."},
	"name":     {"Nom", "Name"},
	"team":     {"Équipe", "Team"},
	"comment":  {"commentaire", "comment"},
	"submit":   {"Soumettre", "Submit"},
	"file":     {"notes-session-%d", "grades-session-%d"},
}

func word(l certibloc.Lang, key string) string { return words[key][int(l)] }

// Template is the table of the session's template for marking round
// (1, or 2 on a double-marked session), its words in language l. Learners
// come by team, then in the session's order; the drafts of the round among
// existing results fill their lines, so that a marker can download their
// drafts, finish them and send them back (a submitted result is locked:
// its line stays empty and is left out when read back).
func Template(s *certibloc.EvalSession, g *certibloc.Grid, round int, l certibloc.Lang, existing []certibloc.Result) *sheet.Table {
	t := &sheet.Table{
		Name: fmt.Sprintf("%s %d", word(l, "session"), s.ID),
		Title: []any{word(l, "session"), s.ID, word(l, "grid"), g.ID, word(l, "revision"), g.Revision,
			word(l, "round"), round, title(s, l)},
		Header: header(s, g, l),
	}
	byPerson := map[int64]*certibloc.Result{}
	for i := range existing {
		if r := &existing[i]; r.Round == round && r.State == certibloc.ResultDraft {
			byPerson[r.PersonID] = r
		}
	}
	learners := slices.Clone(s.Learners)
	if s.Form == certibloc.Team {
		slices.SortStableFunc(learners, func(a, b certibloc.Learner) int { return strings.Compare(a.Team, b.Team) })
	}
	for _, ln := range learners {
		row := []any{ln.PersonID, ln.Name}
		if s.Form == certibloc.Team {
			row = append(row, ln.Team)
		}
		r := byPerson[ln.PersonID]
		for _, c := range g.Criteria {
			var grade, comment any
			if r != nil {
				for _, m := range r.Marks {
					if m.Criterion == c.Key {
						grade, comment = m.Value.Float(), m.Comment
					}
				}
			}
			row = append(row, grade, comment)
		}
		row = append(row, nil)
		t.Rows = append(t.Rows, row)
	}
	return t
}

// title says what the session is, for the person who opens the sheet.
func title(s *certibloc.EvalSession, l certibloc.Lang) string {
	parts := []string{s.Title}
	if !s.Date.IsZero() {
		parts = append(parts, s.Date.Format(map[bool]string{true: "02/01/2006", false: "2006-01-02"}[l == certibloc.French]))
	}
	if s.Place != "" {
		parts = append(parts, s.Place)
	}
	return strings.Join(parts, " — ")
}

// header is the template's column names.
func header(s *certibloc.EvalSession, g *certibloc.Grid, l certibloc.Lang) []string {
	h := []string{word(l, "id"), word(l, "name")}
	if s.Form == certibloc.Team {
		h = append(h, word(l, "team"))
	}
	for _, c := range g.Criteria {
		h = append(h, c.Key, c.Key+" — "+word(l, "comment"))
	}
	return append(h, word(l, "submit"))
}

// Write writes the template in format CSV or XLSX and returns the file's
// bytes, its media type and its name.
func Write(t *sheet.Table, format string, sessionID int64, l certibloc.Lang) (body []byte, contentType, filename string, err error) {
	var b bytes.Buffer
	name := fmt.Sprintf(word(l, "file"), sessionID)
	switch format {
	case CSV, "":
		err = sheet.WriteCSV(&b, t)
		contentType, filename = "text/csv; charset=utf-8", name+".csv"
	case XLSX:
		err = sheet.WriteXLSX(&b, t)
		contentType, filename = sheet.ContentTypeXLSX, name+".xlsx"
	default:
		return nil, "", "", certibloc.Errorf(certibloc.EINVALID, "format %q is not offered: csv or xlsx", format)
	}
	return b.Bytes(), contentType, filename, err
}
