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

func init() { maps.Copy(apiMatrix, sheetAPIMatrix) }

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
