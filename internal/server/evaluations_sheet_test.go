package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// Grading by spreadsheet through the API, on both engines: the template
// downloaded, filled as a spreadsheet would, imported back; every bad
// sheet of the issue refused with its line and reason in French and in
// English, and nothing written.

// sheetSite is a site with a cohort of three learners of ownSchool, an
// evaluator signed in on the web and two sessions assigned to them: BC01's
// evaluation (a grid of levels) and the oral defence (a grade out of 20).
type sheetSite struct {
	t                  *testing.T
	db                 *sqldb.DB
	h                  http.Handler
	o                  *openAPI
	staff              *certibloc.Principal
	cookie             string // the evaluator's session
	learners           []int64
	bc01, oral         *certibloc.EvalSession
	bc01Grid, oralGrid *certibloc.Grid
}

func newSheetSite(t *testing.T, db *sqldb.DB) *sheetSite {
	s := &sheetSite{t: t, db: db, h: newSite(t, db), o: loadOpenAPI(t),
		staff: &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "test"}}
	co := enrolCohort(t, db, "Feuille", "BC04", "BC05", "BC06")
	s.learners = co.Learners
	evaluator, cookie := evaluatorAccount(t, db, "correcteur@example.org", certibloc.Evaluator)
	s.cookie = cookie
	session := func(block string, evaluation int, complementary string) (*certibloc.EvalSession, *certibloc.Grid) {
		es := &certibloc.EvalSession{School: ownSchool, Block: block, Evaluation: evaluation, Complementary: complementary,
			CohortID: co.ID, Title: "Session " + block + complementary, Date: db.Today(), Place: "Dijon", Evaluators: []int64{evaluator}}
		must(t, db.CreateEvalSession(t.Context(), s.staff, es))
		g, err := db.Grid(t.Context(), es.GridID)
		must(t, err)
		return es, g
	}
	s.bc01, s.bc01Grid = session("RNCP38478BC01", 1, "")
	s.oral, s.oralGrid = session("", 0, "oral_defence")
	return s
}

// send makes a request as the evaluator (cookie) or with a token, and
// checks the status and, for JSON, the answer against the document.
func (s *sheetSite) send(method, url, doc string, body []byte, ctype, token string, header http.Header, status int) (*httptest.ResponseRecorder, []byte) {
	s.t.Helper()
	req := httptest.NewRequest(method, url, bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	} else {
		req.Header.Set("Cookie", "certibloc_session="+s.cookie)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	out, _ := io.ReadAll(rec.Body)
	if rec.Code != status {
		s.t.Fatalf("%s %s = %d %.600s, want %d", method, url, rec.Code, out, status)
	}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			s.t.Fatalf("%s %s: not JSON: %v", method, url, err)
		}
		if err := s.o.schema(s.t, method, doc, rec.Code).Validate(v); err != nil {
			s.t.Fatalf("%s %s: answer does not match the OpenAPI document: %v\n%.400s", method, url, err, out)
		}
	}
	return rec, out
}

const (
	templateDoc = "/api/v1/evaluations/{id}/template"
	importDoc   = "/api/v1/evaluations/{id}/results/import"
)

// template downloads a session's sheet and reads it back as lines.
func (s *sheetSite) template(es *certibloc.EvalSession, format, lang string) ([]byte, []sheet.Line) {
	s.t.Helper()
	rec, body := s.send("GET", fmt.Sprintf("/api/v1/evaluations/%d/template?format=%s&lang=%s", es.ID, format, lang), templateDoc, nil, "", "", nil, 200)
	_, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
	if err != nil || !strings.HasSuffix(params["filename"], "."+format) || rec.Header().Get("Cache-Control") != "no-store" {
		s.t.Fatalf("template headers: %v", rec.Header())
	}
	lines, err := sheet.Read(body)
	must(s.t, err)
	return body, lines
}

// fill fills the template's lines as a person in a spreadsheet would:
// cells by learner and header, the rest as downloaded; format says how
// the spreadsheet saves it.
func fill(t *testing.T, lines []sheet.Line, format string, cells map[int64]map[string]string) []byte {
	t.Helper()
	tb := &sheet.Table{Name: "Notes", Header: lines[1].Cells}
	for _, c := range lines[0].Cells {
		tb.Title = append(tb.Title, c)
	}
	for _, ln := range lines[2:] {
		row := make([]any, len(tb.Header))
		for i, c := range ln.Cells {
			row[i] = c
		}
		for h, v := range cells[personOf(t, ln)] {
			i := slices.Index(tb.Header, h)
			if i < 0 {
				t.Fatalf("no column %q in %q", h, tb.Header)
			}
			row[i] = v
		}
		tb.Rows = append(tb.Rows, row)
	}
	var b bytes.Buffer
	write := sheet.WriteCSV
	if format == "xlsx" {
		write = sheet.WriteXLSX
	}
	must(t, write(&b, tb))
	return b.Bytes()
}

func personOf(t *testing.T, ln sheet.Line) int64 {
	var id int64
	if _, err := fmt.Sscan(ln.Cells[0], &id); err != nil {
		t.Fatalf("line %d: no learner number: %q", ln.Number, ln.Cells)
	}
	return id
}

// importSheet posts a sheet, as the body or in a multipart form.
func (s *sheetSite) importSheet(es *certibloc.EvalSession, data []byte, multipartForm bool, lang string, status int) []byte {
	s.t.Helper()
	ctype := "text/csv"
	if multipartForm {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, err := mw.CreateFormFile("file", "notes.xlsx")
		must(s.t, err)
		fw.Write(data)
		must(s.t, mw.Close())
		data, ctype = b.Bytes(), mw.FormDataContentType()
	}
	_, out := s.send("POST", fmt.Sprintf("/api/v1/evaluations/%d/results/import?lang=%s", es.ID, lang), importDoc, data, ctype, "", nil, status)
	return out
}

// results reads the session's current results by learner.
func (s *sheetSite) results(es *certibloc.EvalSession) map[int64]certibloc.Result {
	s.t.Helper()
	list, err := s.db.Results(s.t.Context(), s.staff, es.ID)
	must(s.t, err)
	out := map[int64]certibloc.Result{}
	for _, r := range list {
		out[r.PersonID] = r
	}
	return out
}

func TestGradeSheetRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newSheetSite(t, db)
		a, b, c := s.learners[0], s.learners[1], s.learners[2]

		// The oral defence, out of 20, in CSV as French Excel saves it.
		raw, lines := s.template(s.oral, "csv", "fr")
		if !bytes.HasPrefix(raw, []byte("\uFEFFSession;")) || !bytes.Contains(raw, []byte("\r\n")) ||
			!slices.Equal(lines[1].Cells, []string{"N° apprenant", "Nom", "NOTE", "NOTE — commentaire", "Soumettre"}) || len(lines) != 5 {
			t.Fatalf("oral defence template:\n%s", raw)
		}
		filled := fill(t, lines, "csv", map[int64]map[string]string{
			a: {"NOTE": "14,5", "NOTE — commentaire": "Soutenance claire; bien construite", "Soumettre": "oui"},
			b: {"NOTE": "9,75"},
		})
		var got httpx.ImportedGrades
		must(t, json.Unmarshal(s.importSheet(s.oral, filled, false, "fr", 200), &got))
		if got != (httpx.ImportedGrades{SessionID: s.oral.ID, Recorded: 2, Submitted: 1}) {
			t.Fatalf("import answered %+v, want 2 recorded, 1 submitted", got)
		}
		rs := s.results(s.oral)
		if r := rs[a]; r.Marks[0].Value != 1450 || r.State != certibloc.ResultSubmitted || !r.Passed || r.Marks[0].Comment != "Soutenance claire; bien construite" {
			t.Errorf("« 14,5 » submitted: %+v", r)
		}
		if r := rs[b]; r.Marks[0].Value != 975 || r.State != certibloc.ResultDraft {
			t.Errorf("« 9,75 » as a draft: %+v", r)
		}
		if _, ok := rs[c]; ok {
			t.Errorf("a learner left empty was graded: %+v", rs[c])
		}

		// The draft comes back in the next template; finished, it is submitted.
		_, lines = s.template(s.oral, "csv", "en")
		if i := slices.IndexFunc(lines, func(l sheet.Line) bool { return l.Number > 2 && personOf(t, l) == b }); i < 0 || lines[i].Cells[2] != "9,75" {
			t.Fatalf("the draft is not in the template: %+v", lines)
		}
		filled = fill(t, lines, "csv", map[int64]map[string]string{b: {"NOTE": "10", "Submit": "yes"}})
		s.importSheet(s.oral, filled, false, "en", 200)
		if r := s.results(s.oral)[b]; r.Marks[0].Value != 1000 || r.State != certibloc.ResultSubmitted {
			t.Errorf("draft finished: %+v", r)
		}

		// BC01's grid of levels, in XLSX, levels by label or rank, sent in a form.
		_, lines = s.template(s.bc01, "xlsx", "fr")
		cells := map[int64]map[string]string{}
		for i, who := range []int64{a, b, c} {
			cells[who] = map[string]string{"Soumettre": "oui"}
			for _, cr := range s.bc01Grid.Criteria {
				cells[who][cr.Key] = []string{"Acquis", "4", "maîtrisé"}[i]
			}
		}
		s.importSheet(s.bc01, fill(t, lines, "xlsx", cells), true, "fr", 200)
		rs = s.results(s.bc01)
		for who, want := range map[int64]certibloc.Score{a: 300, b: 400, c: 400} {
			r := rs[who]
			if len(r.Marks) != len(s.bc01Grid.Criteria) || r.Marks[0].Value != want || r.State != certibloc.ResultSubmitted {
				t.Errorf("learner %d: %+v, want every level %d", who, r, want)
			}
		}
	})
}

func TestGradeSheetRefusedWholeWithLineAndReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newSheetSite(t, db)
		a, b := s.learners[0], s.learners[1]
		_, lines := s.template(s.oral, "csv", "fr")
		good := map[string]string{"NOTE": "12"}
		csvOf := func(cells map[int64]map[string]string) string { return string(fill(t, lines, "csv", cells)) }
		base := csvOf(map[int64]map[string]string{a: good, b: good})
		_, bc01Lines := s.template(s.bc01, "csv", "fr")

		for _, tc := range []struct {
			name         string
			sheet        string
			status, line int
			column, code string
			fr, en       string
		}{
			{"a grade outside the scale", csvOf(map[int64]map[string]string{a: good, b: {"NOTE": "145"}}), 400, 4, "NOTE", "outside_scale",
				"ligne 4, colonne NOTE : 145 est hors de l'échelle (0–20)", "line 4, column NOTE: 145 is outside the scale (0–20)"},
			{"an unknown learner", base + "999999;Intrus;12;;\r\n", 400, 6, "N° apprenant", "unknown_learner",
				"ligne 6, colonne N° apprenant : l'apprenant 999999 n'est pas inscrit à cette session", "line 6, column N° apprenant: learner 999999 is not in this session"},
			{"a duplicated row", base + fmt.Sprintf("%d;;13;;\r\n", a), 400, 6, "N° apprenant", "duplicate_row",
				"figure deux fois (aussi ligne 3)", "appears twice (also on line 3)"},
			{"a missing column", strings.Replace(strings.Replace(base, ";NOTE — commentaire", "", 1), ";12;;", ";12;", -1), 400, 2, "", "missing_column",
				"la colonne NOTE — commentaire manque", "column NOTE — comment is missing"},
			{"an extra column", strings.Replace(base, "Soumettre\r\n", "Soumettre;Bonus\r\n", 1), 400, 2, "Bonus", "unknown_column",
				"la colonne « Bonus » n'est pas dans la grille", "column “Bonus” is not in the grid"},
			{"another session's sheet", string(fill(t, bc01Lines, "csv", nil)), 400, 1, "", "wrong_session",
				fmt.Sprintf("la feuille est celle de la session %d, pas de celle-ci (%d)", s.bc01.ID, s.oral.ID),
				fmt.Sprintf("the sheet belongs to session %d, not to this one (%d)", s.bc01.ID, s.oral.ID)},
			{"an older grid", strings.Replace(base, "Révision;1", "Révision;0", 1), 400, 1, "", "wrong_grid",
				"la feuille est faite pour la grille", "the sheet was made for grid"},
			{"an empty sheet", csvOf(nil), 400, 0, "", "empty_sheet", "la feuille ne contient aucune ligne de notes", "the sheet has no row of grades"},
			{"not a spreadsheet", "%PDF-1.7\n\x00\x01", 400, 0, "", "not_a_sheet", "ni un CSV ni un classeur XLSX", "neither a CSV file nor a readable XLSX workbook"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, lang := range []string{"fr", "en"} {
					var r refusal
					must(t, json.Unmarshal(s.importSheet(s.oral, []byte(tc.sheet), false, lang, tc.status), &r))
					i := slices.IndexFunc(r.Error.Problems, func(p struct {
						Row     int
						Column  string
						Code    string
						Message string
					}) bool {
						return p.Code == tc.code
					})
					if i < 0 {
						t.Fatalf("%s: no problem %s: %+v", lang, tc.code, r.Error)
					}
					p := r.Error.Problems[i]
					want := map[string]string{"fr": tc.fr, "en": tc.en}[lang]
					if p.Row != tc.line || p.Column != tc.column || !strings.Contains(p.Message, want) || !strings.Contains(r.Error.Message, want) {
						t.Errorf("%s: %+v\nwant line %d, column %q, %q", lang, p, tc.line, tc.column, want)
					}
				}
			})
		}
		if rs := s.results(s.oral); len(rs) != 0 {
			t.Errorf("refused sheets wrote results: %+v", rs)
		}

		// Two good lines and a bad one: nothing is written.
		s.importSheet(s.oral, []byte(csvOf(map[int64]map[string]string{a: good, b: good, s.learners[2]: {"NOTE": "20,5"}})), false, "fr", 400)
		if rs := s.results(s.oral); len(rs) != 0 {
			t.Errorf("a sheet with one bad line wrote %d results", len(rs))
		}

		// A locked result, refused by the store: the problem names the sheet's line.
		s.importSheet(s.oral, []byte(csvOf(map[int64]map[string]string{b: {"NOTE": "12", "Soumettre": "oui"}})), false, "fr", 200)
		var r refusal
		must(t, json.Unmarshal(s.importSheet(s.oral, []byte(csvOf(map[int64]map[string]string{a: good, b: {"NOTE": "15"}})), false, "en", 409), &r))
		if len(r.Error.Problems) != 1 || r.Error.Problems[0].Code != "locked" || r.Error.Problems[0].Row != 4 ||
			!strings.Contains(r.Error.Problems[0].Message, "line 4: the result of") {
			t.Errorf("locked: %+v", r.Error)
		}
		if rs := s.results(s.oral); len(rs) != 1 || rs[a].ID != 0 {
			t.Errorf("the refused sheet wrote: %+v", rs)
		}
	})
}

func TestGradeSheetAccess(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newSheetSite(t, db)
		_, lines := s.template(s.oral, "csv", "fr")
		data := fill(t, lines, "csv", map[int64]map[string]string{s.learners[0]: {"NOTE": "12"}})
		// An evaluator of the school not assigned to the session.
		_, other := evaluatorAccount(t, db, "autre@example.org", certibloc.Evaluator)
		s.cookie = other
		s.send("GET", fmt.Sprintf("/api/v1/evaluations/%d/template", s.oral.ID), templateDoc, nil, "", "", nil, 403)
		s.send("POST", fmt.Sprintf("/api/v1/evaluations/%d/results/import", s.oral.ID), importDoc, data, "text/csv", "", nil, 403)
		// Staff of another school.
		must(t, db.CreateSchool(t.Context(), &certibloc.School{Code: otherSchool, Name: "École " + otherSchool}))
		tok, _, err := db.CreateToken(t.Context(), "test", "staff", otherSchool)
		must(t, err)
		s.send("POST", fmt.Sprintf("/api/v1/evaluations/%d/results/import", s.oral.ID), importDoc, data, "text/csv", tok, nil, 403)
		// Round 2 without double marking, and an unknown format.
		s.send("GET", fmt.Sprintf("/api/v1/evaluations/%d/template?round=2", s.oral.ID), templateDoc, nil, "", tok, nil, 403)
		staff, _, err := db.CreateToken(t.Context(), "test", "staff", ownSchool)
		must(t, err)
		s.send("GET", fmt.Sprintf("/api/v1/evaluations/%d/template?round=2", s.oral.ID), templateDoc, nil, "", staff, nil, 400)
		s.send("GET", fmt.Sprintf("/api/v1/evaluations/%d/template?format=ods", s.oral.ID), templateDoc, nil, "", staff, nil, 400)
		// Too large.
		big := bytes.Repeat([]byte("x"), 33<<20)
		s.send("POST", fmt.Sprintf("/api/v1/evaluations/%d/results/import", s.oral.ID), importDoc, big, "text/csv", staff, nil, 400)
		if rs := s.results(s.oral); len(rs) != 0 {
			t.Errorf("refused imports wrote: %+v", rs)
		}
	})
}
