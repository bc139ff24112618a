package server_test

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestGradeSheetThroughThePages: from the session's page the evaluator
// reaches the grade sheet's page, downloads the template, uploads it
// filled, and a bad sheet is refused with its lines and reasons in the
// page's language, nothing recorded.
func TestGradeSheetThroughThePages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		w := newEvalWorld(t, db, 2)
		grader := w.client(t, h, w.evaluator)
		session := fmt.Sprintf("/app/evaluations/%d", w.session)
		wantIn(t, "the session's page", grader.get(session, http.StatusOK).Body.String(), session+"/sheet")
		page := html.UnescapeString(grader.get(session+"/sheet", http.StatusOK).Body.String())
		wantIn(t, "the sheet's page", page, "Notes par tableur", "Modèle Excel (XLSX)", session+"/sheet/template?format=csv&round=1&lang=fr",
			`enctype="multipart/form-data"`, "enregistrée entièrement ou pas du tout")

		rec := grader.get(session+"/sheet/template?format=xlsx&round=1&lang=fr", http.StatusOK)
		if rec.Header().Get("Content-Type") != sheet.ContentTypeXLSX || !strings.Contains(rec.Header().Get("Content-Disposition"), "notes-session-") {
			t.Fatalf("template headers: %v", rec.Header())
		}
		lines, err := sheet.Read(rec.Body.Bytes())
		must(t, err)
		g, err := db.Grid(t.Context(), mustSession(t, db, w.session).GridID)
		must(t, err)
		first := map[string]string{"Soumettre": "oui"}
		for _, c := range g.Criteria {
			first[c.Key] = "Acquis"
		}
		good := fill(t, lines, "xlsx", map[int64]map[string]string{w.learners[0]: first})
		done := grader.upload(session+"/sheet", "", "notes.xlsx", good, http.StatusSeeOther)
		if loc := done.Header().Get("Location"); loc != session+"/sheet?imported=1" {
			t.Fatalf("after the upload: %q", loc)
		}
		wantIn(t, "the notice", html.UnescapeString(grader.get(session+"/sheet?imported=1", http.StatusOK).Body.String()),
			"La feuille est enregistrée : 1 résultat.")

		// A bad sheet: every problem by line and column, in the page's language.
		bad := fill(t, lines, "csv", map[int64]map[string]string{w.learners[1]: {g.Criteria[0].Key: "9", g.Criteria[1].Key: "Excellent"}})
		fr := html.UnescapeString(grader.upload(session+"/sheet", "", "notes.csv", bad, http.StatusBadRequest).Body.String())
		wantIn(t, "the refusal in French", fr, "La feuille n'est pas enregistrée",
			fmt.Sprintf("ligne 4, colonne %s : 9 est hors de l'échelle (1–4)", g.Criteria[0].Key),
			fmt.Sprintf("ligne 4, colonne %s : « Excellent » n'est pas un niveau", g.Criteria[1].Key))
		en := html.UnescapeString(grader.upload(session+"/sheet?lang=en", "", "notes.csv", bad, http.StatusBadRequest).Body.String())
		wantIn(t, "the refusal in English", en, "The sheet is not recorded",
			fmt.Sprintf("line 4, column %s: 9 is outside the scale (1–4)", g.Criteria[0].Key))
		// No file (in French again: the language chosen stays).
		wantIn(t, "no file", html.UnescapeString(grader.upload(session+"/sheet?lang=fr", "", "vide.csv", nil, http.StatusBadRequest).Body.String()),
			"Choisissez le fichier de la feuille de notes")
		results, err := db.Results(t.Context(), admStaff(t), w.session)
		must(t, err)
		if len(results) != 1 || results[0].PersonID != w.learners[0] || results[0].State != certibloc.ResultSubmitted {
			t.Errorf("results after a good sheet and refused ones: %+v", results)
		}
	})
}

func mustSession(t *testing.T, db *sqldb.DB, id int64) *certibloc.EvalSession {
	t.Helper()
	s, err := db.EvalSession(t.Context(), admStaff(t), id)
	must(t, err)
	return s
}
