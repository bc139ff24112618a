package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestEvaluatorFairnessPages: staff see the box plots, the figures and the
// flag on the cohort page and on the session's fairness page, in French
// and in English, and download the figures as French Excel CSV; the
// evaluators who graded do not.
func TestEvaluatorFairnessPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		rec := newFairnessRecords(t, db)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		cohort := fmt.Sprintf("/app/cohorts/%d", rec.cohort)
		session := fmt.Sprintf("/app/evaluations/%d/fairness", rec.session)

		flagged := `<tr class="flagged"><th scope="row">Bruno LEROY</th><td>5</td><td>25</td><td>25</td><td>25</td><td>25</td><td>25</td><td>−48,4</td>`
		for path, csv := range map[string]string{cohort: cohort + "/fairness.csv", session: session + ".csv"} {
			page := staff.get(path, http.StatusOK).Body.String()
			wantIn(t, path, page, `<h2 id="fairness">Équité des correcteurs</h2>`,
				"15 notes soumises par 3 correcteurs, en pourcentage du maximum de la grille. Un correcteur a un écart signalé.",
				`role="img"`, "Anne DUPONT : 5 notes, minimum 71,9, premier quartile 71,9, médiane 71,9",
				flagged, "Écart signalé : médiane 48,4 points au-dessous de celle des autres correcteurs (seuil 10).",
				`<th scope="row">Anne DUPONT</th><td>5</td><td>71,9</td>`, "Dans l&#39;écart admis (seuil 75 points).",
				`href="`+csv+`"`)
		}
		en := staff.get(session+"?lang=en", http.StatusOK).Body.String()
		wantIn(t, "the English page", en, `<h2 id="fairness">Evaluator fairness</h2>`,
			"Gap flagged: median 48.4 points below the other evaluators&#39; (threshold 10).", `<td>71.9</td>`)
		staff.get(session+"?lang=fr", http.StatusOK) // the language chosen stays: back to French

		// One criterion: C1, where Anne gave 2 of 4 (50 %) and Chloé 3 (75 %).
		c1 := staff.get(session+"?criterion=C1", http.StatusOK).Body.String()
		wantIn(t, "criterion C1", c1, `<option value="C1" selected>`, `<th scope="row">Anne DUPONT</th><td>5</td><td>50</td>`,
			session+".csv?criterion=C1")

		csv := staff.get(session+".csv", http.StatusOK)
		body := csv.Body.String()
		if ct := csv.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := csv.Header().Get("Content-Disposition"); !strings.Contains(cd, fmt.Sprintf("equite-correcteurs-session-%d.csv", rec.session)) {
			t.Errorf("Content-Disposition %q", cd)
		}
		lines := strings.Split(body, "\r\n")
		want := []string{
			"\uFEFFCorrecteur;Notes;Minimum;1er quartile;Médiane;3e quartile;Maximum;Médiane des autres correcteurs;Écart à la médiane des autres (points);Seuil (points);Jugé;Écart signalé",
			"Anne DUPONT;5;71,88;71,88;71,88;71,88;71,88;50;21,88;75;Oui;Non",
			"Bruno LEROY;5;25;25;25;25;25;73,44;-48,44;10;Oui;Oui",
			"Chloé MOREL;5;75;75;75;75;75;48,44;26,56;70,31;Oui;Non",
		}
		for i, w := range want {
			if i >= len(lines) || lines[i] != w {
				t.Errorf("CSV line %d:\n got %q\nwant %q", i+1, lines[min(i, len(lines)-1)], w)
			}
		}
		cohortCSV := staff.get(cohort+"/fairness.csv", http.StatusOK).Body.String()
		if !strings.Contains(cohortCSV, "Bruno LEROY;5;25;25;25;25;25;73,44;-48,44;10;Oui;Oui") {
			t.Errorf("the cohort's CSV:\n%s", cohortCSV)
		}

		// The session's sheet has the section for staff, with a link to the
		// page by criterion; the evaluator who graded sees the sheet without it.
		sheet := fmt.Sprintf("/app/evaluations/%d", rec.session)
		wantIn(t, "the sheet", staff.get(sheet, http.StatusOK).Body.String(), `<h2 id="fairness">Équité des correcteurs</h2>`,
			flagged, `<a href="`+session+`">Comparer les notes critère par critère</a>`, `href="`+session+`.csv"`)
		token, err := db.CreateSession(t.Context(), rec.anne, true)
		if err != nil {
			t.Fatal(err)
		}
		anne := &admClient{t: t, h: h, cookies: map[string]string{"certibloc_session": token}}
		if page := anne.get(sheet, http.StatusOK).Body.String(); strings.Contains(page, "Équité des correcteurs") ||
			strings.Contains(page, "fairness") {
			t.Errorf("the evaluator's sheet shows the fairness section:\n%s", page)
		}
		anne.get(session, http.StatusForbidden)

		// An evaluator sees neither the page nor the figures.
		evaluator := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Evaluator, Schools: []string{ownSchool}})
		evaluator.get(session, http.StatusForbidden)
		evaluator.get(session+".csv", http.StatusForbidden)
		// Staff of another school neither.
		other := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{otherSchool}})
		other.get(session, http.StatusForbidden)
		other.get(cohort+"/fairness.csv", http.StatusForbidden)
	})
}
