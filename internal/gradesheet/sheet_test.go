package gradesheet

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sheet"
	"golang.org/x/text/encoding/charmap"
)

var levels = []certibloc.Level{{Label: "Non acquis"}, {Label: "En cours d'acquisition"}, {Label: "Acquis", Acquired: true}, {Label: "Maîtrisé", Acquired: true}}

// fixture is a session of three learners graded on a grid of a
// criterion out of 20 and a criterion of four levels.
func fixture() (*certibloc.EvalSession, *certibloc.Grid) {
	g := &certibloc.Grid{ID: 7, Revision: 2, Block: "RNCP38478BC01", Evaluation: 1, Title: "Mise en situation",
		Criteria: []certibloc.Criterion{
			{Key: "C1", Label: "Analyse", Scale: certibloc.Scale{Max: 2000, Pass: 1000}, Mandatory: true},
			{Key: "C2", Label: "Planification", Scale: certibloc.Scale{Levels: levels}, Mandatory: true},
		},
		Pass: certibloc.PassRule{Rule: certibloc.PassMandatory}}
	s := &certibloc.EvalSession{ID: 42, GridID: 7, Form: certibloc.Individual, Title: "BC01 — session de mars",
		Learners: []certibloc.Learner{{PersonID: 101, Name: "Éloïse LEFÈVRE"}, {PersonID: 102, Name: "Jean MARTIN"}, {PersonID: 103, Name: "=Ali BEN"}}}
	return s, g
}

// teamFixture is a team evaluation: C1 shared by the team, IND graded
// member by member.
func teamFixture() (*certibloc.EvalSession, *certibloc.Grid) {
	g := &certibloc.Grid{ID: 8, Revision: 1, Block: "RNCP38478BC02", Evaluation: 1, Title: "Présentation au client",
		Criteria: []certibloc.Criterion{
			{Key: "C1", Label: "Présentation", Scale: certibloc.Scale{Levels: levels}, Mandatory: true},
			{Key: "IND", Label: "Contribution", Scale: certibloc.Scale{Levels: levels}, Mandatory: true, Individual: true},
		},
		Pass: certibloc.PassRule{Rule: certibloc.PassMandatory}}
	s := &certibloc.EvalSession{ID: 43, GridID: 8, Form: certibloc.Team, Title: "BC02 — équipes",
		Learners: []certibloc.Learner{{PersonID: 201, Name: "A", Team: "Bleue"}, {PersonID: 202, Name: "B", Team: "Rouge"}, {PersonID: 203, Name: "C", Team: "Bleue"}}}
	return s, g
}

// filled is the template with the cells of some learners set, by
// header: {101: {"C1": "14,5"}}.
func filled(s *certibloc.EvalSession, g *certibloc.Grid, l certibloc.Lang, cells map[int64]map[string]any) *sheet.Table {
	t := Template(s, g, 1, l, nil)
	for _, row := range t.Rows {
		for h, v := range cells[row[0].(int64)] {
			i := indexOf(t.Header, h)
			if i < 0 {
				panic("no column " + h)
			}
			row[i] = v
		}
	}
	return t
}

func indexOf(h []string, s string) int {
	for i, x := range h {
		if x == s {
			return i
		}
	}
	return -1
}

func csvOf(t *testing.T, tb *sheet.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sheet.WriteCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func xlsxOf(t *testing.T, tb *sheet.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sheet.WriteXLSX(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func problemsOf(t *testing.T, err error) certibloc.Problems {
	t.Helper()
	var ps certibloc.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want problems, got %v", err)
	}
	return ps
}

func TestTemplateNamesSessionGridAndColumns(t *testing.T) {
	s, g := fixture()
	out := string(csvOf(t, Template(s, g, 1, certibloc.French, nil)))
	want := "\uFEFFSession;42;Grille;7;Révision;2;Correction;1;BC01 — session de mars\r\n" +
		"N° apprenant;Nom;C1;C1 — commentaire;C2;C2 — commentaire;Soumettre\r\n" +
		"101;Éloïse LEFÈVRE;;;;;\r\n102;Jean MARTIN;;;;;\r\n103;'=Ali BEN;;;;;\r\n"
	if out != want {
		t.Errorf("template:\n%q\nwant\n%q", out, want)
	}
	en := string(csvOf(t, Template(s, g, 1, certibloc.English, nil)))
	if !strings.Contains(en, "Session;42;Grid;7;Revision;2;Marking;1;") || !strings.Contains(en, "Learner no.;Name;C1;C1 — comment;") {
		t.Errorf("English template:\n%s", en)
	}
}

func TestRoundTripBothFormats(t *testing.T) {
	s, g := fixture()
	tb := filled(s, g, certibloc.French, map[int64]map[string]any{
		101: {"C1": "14,5", "C1 — commentaire": "Bonne analyse; précise", "C2": "Acquis", "Soumettre": "oui"},
		102: {"C1": 9.75, "C2": "2", "C2 — commentaire": "-à revoir\nen entier"},
	})
	want := []Entry{
		{Line: 3, PersonID: 101, Submit: true, Marks: []certibloc.Mark{{Criterion: "C1", Value: 1450, Comment: "Bonne analyse; précise"}, {Criterion: "C2", Value: 300}}},
		{Line: 4, PersonID: 102, Marks: []certibloc.Mark{{Criterion: "C1", Value: 975}, {Criterion: "C2", Value: 200, Comment: "-à revoir\nen entier"}}},
	}
	for name, data := range map[string][]byte{"csv": csvOf(t, tb), "xlsx": xlsxOf(t, tb)} {
		got, err := Read(data, s, g, certibloc.French)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Round != 1 || !reflect.DeepEqual(got.Entries, want) {
			t.Errorf("%s: read %+v, want %+v", name, got.Entries, want)
		}
	}
}

func TestDecimalCommaIsNeverAHundredTimesMore(t *testing.T) {
	s, g := fixture()
	for cellText, want := range map[string]certibloc.Score{"14,5": 1450, "14.5": 1450, " 14,50 ": 1450, "20": 2000, "0,25": 25} {
		data := csvOf(t, filled(s, g, certibloc.French, map[int64]map[string]any{101: {"C1": cellText, "C2": "1"}}))
		got, err := Read(data, s, g, certibloc.French)
		if err != nil {
			t.Fatalf("%q: %v", cellText, err)
		}
		if v := got.Entries[0].Marks[0].Value; v != want {
			t.Errorf("%q read as %d hundredths, want %d", cellText, v, want)
		}
	}
}

func TestLevelsByRankOrLabel(t *testing.T) {
	s, g := fixture()
	for cellText, want := range map[string]certibloc.Score{"1": 100, "4": 400, "maîtrisé": 400, "EN COURS D'ACQUISITION": 200, "3,0": 300} {
		data := csvOf(t, filled(s, g, certibloc.French, map[int64]map[string]any{101: {"C1": "10", "C2": cellText}}))
		got, err := Read(data, s, g, certibloc.French)
		if err != nil {
			t.Fatalf("%q: %v", cellText, err)
		}
		if v := got.Entries[0].Marks[1].Value; v != want {
			t.Errorf("%q read as %d, want %d", cellText, v, want)
		}
	}
}

// excelQuirks are the ways spreadsheets save the same filled sheet.
func TestSpreadsheetQuirks(t *testing.T) {
	s, g := fixture()
	base := "Session;42;Grille;7;Révision;2;Correction;1;BC01\r\n" +
		"N° apprenant;Nom;C1;C1 — commentaire;C2;C2 — commentaire;Soumettre\r\n" +
		"101;Éloïse LEFÈVRE;14,5;\"Bien; très \"\"clair\"\"\";Acquis;;oui\r\n" +
		"102;Jean MARTIN;;;;;\r\n"
	want := []Entry{{Line: 3, PersonID: 101, Submit: true,
		Marks: []certibloc.Mark{{Criterion: "C1", Value: 1450, Comment: `Bien; très "clair"`}, {Criterion: "C2", Value: 300}}}}
	win1252, _ := charmap.Windows1252.NewEncoder().String(base)
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range strings.ReplaceAll(strings.ReplaceAll(base, ";", "\t"), "\"Bien\t", "\"Bien;") {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for name, data := range map[string]string{
		"BOM":              "\uFEFF" + base,
		"no BOM":           base,
		"LF":               strings.ReplaceAll(base, "\r\n", "\n"),
		"Windows-1252":     win1252,
		"UTF-16 tabs":      string(utf16),
		"trailing rows":    base + ";;;;;;\r\n;;;;;;;;;\r\n\r\n",
		"trailing columns": strings.ReplaceAll(base, "\r\n", ";;;\r\n"),
		"commas": "Session,42,Grille,7,Révision,2,Correction,1,BC01\r\n" +
			"N° apprenant,Nom,C1,C1 — commentaire,C2,C2 — commentaire,Soumettre\r\n" +
			"101,Éloïse LEFÈVRE,\"14,5\",\"Bien; très \"\"clair\"\"\",Acquis,,oui\r\n",
		"headers in English, any case": strings.Replace(base, "N° apprenant;Nom;C1;C1 — commentaire;C2;C2 — commentaire;Soumettre",
			"learner no.;NAME;c1;C1 - Comment;C2;c2 — comment;submit", 1),
	} {
		if name == "headers in English, any case" {
			data = strings.Replace(data, "C1 - Comment", "C1 — Comment", 1)
		}
		got, err := Read([]byte(data), s, g, certibloc.French)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got.Entries, want) {
			t.Errorf("%s: %+v", name, got.Entries)
		}
	}
}

func TestDraftMayLeaveGradesForLater(t *testing.T) {
	s, g := fixture()
	data := csvOf(t, filled(s, g, certibloc.French, map[int64]map[string]any{102: {"C2": "Acquis", "C2 — commentaire": "à finir"}}))
	got, err := Read(data, s, g, certibloc.French)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Line: 4, PersonID: 102, Marks: []certibloc.Mark{{Criterion: "C2", Value: 300, Comment: "à finir"}}}}
	if !reflect.DeepEqual(got.Entries, want) {
		t.Errorf("draft read as %+v", got.Entries)
	}
}

func TestTeamGradedOnceForTheTeam(t *testing.T) {
	s, g := teamFixture()
	tb := filled(s, g, certibloc.French, map[int64]map[string]any{
		201: {"C1": "3", "C1 — commentaire": "Belle soutenance", "IND": "4"},
		203: {"IND": "2"},
		202: {"C1": "2", "IND": "2"},
	})
	if tb.Rows[0][0] != int64(201) || tb.Rows[1][0] != int64(203) || tb.Header[2] != "Équipe" {
		t.Fatalf("template not by team: %v %v", tb.Header, tb.Rows)
	}
	got, err := Read(xlsxOf(t, tb), s, g, certibloc.French)
	if err != nil {
		t.Fatal(err)
	}
	byPerson := map[int64][]certibloc.Mark{}
	for _, e := range got.Entries {
		byPerson[e.PersonID] = e.Marks
	}
	if m := byPerson[203]; len(m) != 2 || m[0].Value != 300 || m[0].Comment != "Belle soutenance" || m[1].Value != 200 {
		t.Errorf("the team's grade is not copied to its member: %+v", m)
	}
	if m := byPerson[202]; m[0].Value != 200 {
		t.Errorf("another team's grade leaks: %+v", m)
	}

	tb = filled(s, g, certibloc.French, map[int64]map[string]any{201: {"C1": "3", "IND": "4"}, 203: {"C1": "2", "IND": "2"}})
	_, err = Read(csvOf(t, tb), s, g, certibloc.French)
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].Code != "team_grade_differs" || ps[0].Row != 4 || ps[0].Column != "C1" || ps[0].Detail != "3" {
		t.Errorf("two grades for a team: %+v", ps)
	}
}

func TestRelinesStoreProblems(t *testing.T) {
	sh := &Sheet{Entries: []Entry{{Line: 3}, {Line: 9}}}
	err := sh.Relines(certibloc.Problems{{Row: 2, Code: "locked", Value: "Jean"}})
	if ps := problemsOf(t, err); ps[0].Row != 9 {
		t.Errorf("entry 2 is line 9: %+v", ps)
	}
	other := errors.New("disk full")
	if sh.Relines(other) != other {
		t.Error("another error is changed")
	}
}

// TestBadSheetsRefusedWithLineAndReason refuses each bad input of the
// issue, naming the line, the column and the reason in both languages.
func TestBadSheetsRefusedWithLineAndReason(t *testing.T) {
	s, g := fixture()
	tpl := func(cells map[int64]map[string]any) string {
		return string(csvOf(t, filled(s, g, certibloc.French, cells)))
	}
	ok := map[string]any{"C1": "12", "C2": "3"}
	good := tpl(map[int64]map[string]any{101: ok})
	for _, tc := range []struct {
		name   string
		data   string
		row    int
		column string
		code   string
		fr, en string // in the worded problem
	}{
		{"grade above the scale", tpl(map[int64]map[string]any{101: {"C1": "21", "C2": "3"}}), 3, "C1", "outside_scale",
			"ligne 3, colonne C1 : 21 est hors de l'échelle (0–20)", "line 3, column C1: 21 is outside the scale (0–20)"},
		{"145 for 14,5", tpl(map[int64]map[string]any{101: {"C1": "145", "C2": "3"}}), 3, "C1", "outside_scale", "145 est hors", "145 is outside"},
		{"level beyond the scale", tpl(map[int64]map[string]any{102: {"C1": "12", "C2": "5"}}), 4, "C2", "outside_scale", "(1–4)", "(1–4)"},
		{"not a level", tpl(map[int64]map[string]any{102: {"C1": "12", "C2": "Bien"}}), 4, "C2", "not_a_level",
			"« Bien » n'est pas un niveau", "“Bien” is not a level"},
		{"not a grade", tpl(map[int64]map[string]any{101: {"C1": "14,555", "C2": "3"}}), 3, "C1", "not_a_grade", "n'est pas une note", "is not a grade"},
		{"thousands separator", tpl(map[int64]map[string]any{101: {"C1": "1 000", "C2": "3"}}), 3, "C1", "not_a_grade", "« 1 000 »", "“1 000”"},
		{"missing grade on a submitted line", tpl(map[int64]map[string]any{101: {"C1": "12", "Soumettre": "oui"}}), 3, "C2", "missing_grade", "la note manque", "the grade is missing"},
		{"unknown learner", good + "999;Intrus;10;;1;;\r\n", 6, "N° apprenant", "unknown_learner",
			"l'apprenant 999 n'est pas inscrit à cette session", "learner 999 is not in this session"},
		{"learner number missing", good + ";Anonyme;10;;1;;\r\n", 6, "N° apprenant", "missing_learner", "le numéro d'apprenant manque", "number is missing"},
		{"duplicated row", good + "101;Éloïse LEFÈVRE;10;;1;;\r\n", 6, "N° apprenant", "duplicate_row",
			"l'apprenant 101 figure deux fois (aussi ligne 3)", "learner 101 appears twice (also on line 3)"},
		{"rows shifted", strings.Replace(good, "101;Éloïse LEFÈVRE", "101;Jean MARTIN", 1), 3, "Nom", "wrong_name", "les lignes ont-elles été décalées", "were the rows shifted"},
		{"missing column", strings.Replace(strings.Replace(good, ";C2 — commentaire", "", 1), "3;;\r\n", "3;\r\n", 1), 2, "", "missing_column",
			"la colonne C2 — commentaire manque", "column C2 — commentaire is missing"},
		{"extra column", strings.Replace(good, "Soumettre\r\n", "Soumettre;C3\r\n", 1), 2, "C3", "unknown_column",
			"la colonne « C3 » n'est pas dans la grille", "column “C3” is not in the grid"},
		{"cells under no header", strings.Replace(good, "12;;3;;\r\n", "12;;3;;;oups\r\n", 1), 3, "H", "unknown_column", "« oups »", "“oups”"},
		{"duplicated column", strings.Replace(good, "Soumettre\r\n", "Soumettre;C1\r\n", 1), 2, "C1", "duplicate_column", "figure deux fois", "appears twice"},
		{"wrong session", strings.Replace(good, "Session;42", "Session;41", 1), 1, "", "wrong_session",
			"la feuille est celle de la session 41, pas de celle-ci (42)", "the sheet belongs to session 41, not to this one (42)"},
		{"wrong grid", strings.Replace(good, "Révision;2", "Révision;1", 1), 1, "", "wrong_grid",
			"faite pour la grille #7 r1, la session note avec la grille #7 r2", "made for grid #7 r1, the session grades with grid #7 r2"},
		{"no first line", good[strings.Index(good, "N° apprenant"):], 1, "", "not_a_template", "la première ligne doit nommer la session", "the first line must name the session"},
		{"second marking not planned", strings.Replace(good, "Correction;1", "Correction;2", 1), 1, "", "bad_round", "pas prévue", "no second marking"},
		{"submit not yes or no", tpl(map[int64]map[string]any{101: {"C1": "12", "C2": "3", "Soumettre": "peut-être"}}), 3, "Soumettre", "not_a_choice",
			"« peut-être » n'est pas une réponse", "“peut-être” is not an answer"},
		{"empty sheet", tpl(nil), 0, "", "empty_sheet", "la feuille ne contient aucune ligne de notes", "the sheet has no row of grades"},
		{"empty file", "", 0, "", "empty_sheet", "aucune ligne", "no row"},
		{"header only", good[:strings.Index(good, "101;")], 0, "", "empty_sheet", "aucune ligne", "no row"},
		{"quote never closed", good + "102;\"Jean;1;;1;;\r\n", 0, "", "bad_csv", "un guillemet", "a quote"},
		{"not a spreadsheet", "PK\x03\x04garbage", 0, "", "not_a_sheet", "ni un CSV ni un classeur", "neither a CSV file nor"},
		{"binary", "\x00\x01\x02", 0, "", "not_a_sheet", "ni un CSV", "neither"},
		{"control character", tpl(map[int64]map[string]any{101: {"C1": "12", "C2": "3", "C1 — commentaire": "bip\x07"}}), 3, "C1 — commentaire", "bad_characters",
			"caractère de contrôle", "control character"},
		{"comment too long", tpl(map[int64]map[string]any{101: {"C1": "12", "C2": "3", "C1 — commentaire": strings.Repeat("é", certibloc.MaxComment+1)}}), 3, "C1 — commentaire", "comment_too_long",
			"le commentaire a 4001 caractères, 4000 au plus", "the comment has 4001 characters, 4000 at most"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Read([]byte(tc.data), s, g, certibloc.French)
			if err == nil {
				t.Fatalf("accepted: %+v", got)
			}
			ps := problemsOf(t, err)
			var p *certibloc.Problem
			for i := range ps {
				if ps[i].Code == tc.code {
					p = &ps[i]
					break
				}
			}
			if p == nil {
				t.Fatalf("no %s among %+v", tc.code, ps)
			}
			if tc.row != 0 && p.Row != tc.row || p.Column != tc.column {
				t.Errorf("%s at line %d column %q, want line %d column %q", tc.code, p.Row, p.Column, tc.row, tc.column)
			}
			if fr, en := p.In(certibloc.French), p.In(certibloc.English); !strings.Contains(fr, tc.fr) || !strings.Contains(en, tc.en) {
				t.Errorf("worded\n %s\n %s\nwant %q / %q", fr, en, tc.fr, tc.en)
			}
		})
	}
}

func TestEveryProblemFoundAtOnce(t *testing.T) {
	s, g := fixture()
	data := csvOf(t, filled(s, g, certibloc.French, map[int64]map[string]any{
		101: {"C1": "25", "C2": "3"}, 102: {"C1": "abc", "C2": "9"}, 103: {"C1": "10", "Soumettre": "oui"},
	}))
	ps := problemsOf(t, func() error { _, err := Read(data, s, g, certibloc.English); return err }())
	var got []string
	for _, p := range ps {
		got = append(got, p.In(certibloc.English))
	}
	want := []string{
		"line 3, column C1: 25 is outside the scale (0–20)",
		"line 4, column C1: “abc” is not a grade: write a number such as 14 or 14.5 (two decimals at most)",
		"line 4, column C2: 9 is outside the scale (1–4)",
		"line 5, column C2: the grade is missing",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
