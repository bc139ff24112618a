package server_test

import (
	"bytes"
	"fmt"
	"maps"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/gradesheet"
	"github.com/certibloc/certibloc/internal/sheet"
)

// The grade sheet routes of the API in the authorisation matrix: like
// recording results, staff of the session's school and the admin (an
// evaluator's token is assigned to no session).

// The page of a session's grade sheet: staff and the admin (the matrix's
// evaluator is assigned to no session). The matrix posts a form without a
// file: refused, with the page saying so (400); the upload itself is
// tested in evaluations_sheet_web_test.go.
func init() {
	maps.Copy(apiMatrix, sheetAPIMatrix)
	sheetPage := func(m *matrix) string { return fmt.Sprintf("/app/evaluations/%d/sheet", m.evalWorld().session) }
	maps.Copy(webMatrix, map[string]matrixRoute{
		"GET /app/evaluations/{id}/sheet": {ok: 200, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) { return sheetPage(m), "" }},
		"GET /app/evaluations/{id}/sheet/template": {ok: 200, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) { return sheetPage(m) + "/template?format=xlsx", "" }},
		"POST /app/evaluations/{id}/sheet": {ok: 400, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) { return sheetPage(m), "note=sans-fichier" }},
	})
}

var sheetAPIMatrix = map[string]matrixRoute{
	"GET /api/v1/evaluations/{id}/template": {ok: 200, own: evalStaff, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		return fmt.Sprintf("/api/v1/evaluations/%d/template?format=xlsx", m.evalSession().session), ""
	}},
	"POST /api/v1/evaluations/{id}/results/import": {ok: 200, own: evalStaff, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		r := m.evalSession()
		return fmt.Sprintf("/api/v1/evaluations/%d/results/import", r.session), m.filledSheet(r)
	}},
}

// filledSheet is the CSV template of the matrix's session with a draft
// grade for its learner.
func (m *matrix) filledSheet(r *evalRecords) string {
	m.t.Helper()
	s, err := m.db.EvalSession(m.t.Context(), m.staffCtx(), r.session)
	must(m.t, err)
	g, err := m.db.Grid(m.t.Context(), s.GridID)
	must(m.t, err)
	t := gradesheet.Template(s, g, 1, certibloc.French, nil)
	for _, row := range t.Rows {
		if row[0] == r.learner {
			row[2] = "2" // C1, a draft
		}
	}
	var b bytes.Buffer
	must(m.t, sheet.WriteCSV(&b, t))
	return b.String()
}
