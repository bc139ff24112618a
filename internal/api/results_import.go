package api

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/gradesheet"
	"github.com/certibloc/certibloc/internal/httpx"
)

// Grading by spreadsheet: a session's template to download, filled in
// Excel or LibreOffice, and imported back whole or not at all.

// sheetRoutes are the endpoints of grade sheets.
func (a *API) sheetRoutes() []Route {
	return []Route{
		{"GET /api/v1/evaluations/{id}/template", certibloc.GradeEvaluations, a.resultsTemplate},
		{"POST /api/v1/evaluations/{id}/results/import", certibloc.GradeEvaluations, a.importResults},
	}
}

// resultsTemplate answers the session's grade sheet (?format=csv or
// xlsx, ?round=1 or 2), in the request's language, the drafts of the
// round filled in.
func (a *API) resultsTemplate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format != "" && format != gradesheet.CSV && format != gradesheet.XLSX {
		return certibloc.Errorf(certibloc.EINVALID, "format %q is not offered: csv or xlsx", format)
	}
	round := 1
	if v := q.Get("round"); v != "" {
		if round, err = strconv.Atoi(v); err != nil || round < 1 || round > 2 {
			return certibloc.Errorf(certibloc.EINVALID, "round %q is not 1 or 2", v)
		}
	}
	p := certibloc.PrincipalFrom(r.Context())
	body, ctype, name, err := httpx.GradeTemplate(r.Context(), a.db, p, id, format, round, answerLang(w, r))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store") // learners' names
	_, err = w.Write(body)
	return err
}

// importResults reads a filled grade sheet, CSV or XLSX, sent as the
// body or as the file field of a multipart form, and records it in one
// batch: all or nothing, each problem with the sheet's line and column.
func (a *API) importResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "evaluation session")
	if err != nil {
		return err
	}
	data, err := httpx.SheetUpload(w, r, "file")
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(r.Context())
	out, err := httpx.ImportGrades(r.Context(), a.db, p, id, data, answerLang(w, r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
