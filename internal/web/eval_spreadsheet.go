package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/gradesheet"
	"github.com/certibloc/certibloc/internal/httpx"
)

// Grading a session by spreadsheet: the page that explains the sheet,
// links to its template (CSV or XLSX, each marking round) and takes the
// filled sheet back, applied whole or not at all (internal/gradesheet).

func init() {
	registerPage("eval_spreadsheet", "templates/eval_spreadsheet.html")
}

// spreadsheetView is the page's body.
type spreadsheetView struct {
	Notice    string
	Problems  []string // the refused sheet's problems, in the page's language
	More      int      // problems beyond those listed
	Session   string   // the session's page
	Downloads []download
	Action    string
	MaxMB     int
}

// download is a link to a template.
type download struct {
	Label, Href string
}

// shownSheetProblems bounds the problems a refused sheet lists.
const shownSheetProblems = 50

// maxSheetUpload is the largest sheet a form may send: the forms' own
// bound (maxBody) is below the API's.
const maxSheetUpload = min(httpx.MaxSheetBody, maxBody-1<<20)

// gradedSession reads the session of the path's {id} for whoever grades
// it; anyone else is told it does not exist.
func (s *Site) gradedSession(r *http.Request) (*certibloc.EvalSession, error) {
	es, err := s.loadSession(r)
	if err != nil {
		return nil, err
	}
	if !canGrade(certibloc.PrincipalFrom(r.Context()), es) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session %d", es.ID)
	}
	return es, nil
}

// spreadsheetPage shows the templates and the upload form.
func (s *Site) spreadsheetPage(w http.ResponseWriter, r *http.Request) error {
	es, err := s.gradedSession(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	v := s.spreadsheetView(pg, es)
	if n, err := strconv.Atoi(r.URL.Query().Get("imported")); err == nil && n >= 0 {
		v.Notice = pg.Nf("evs_done", n)
	}
	return s.renderApp(w, http.StatusOK, "eval_spreadsheet", pg, v)
}

func (s *Site) spreadsheetView(pg *page, es *certibloc.EvalSession) *spreadsheetView {
	pg.Title, pg.Description = pg.Tf("evs_title_f", es.Title), pg.T("evs_description")
	path := evalPath(es.ID) + "/sheet"
	v := &spreadsheetView{Session: evalPath(es.ID), Action: path, MaxMB: maxSheetUpload >> 20}
	rounds := 1
	if es.DoubleMarking {
		rounds = 2
	}
	for round := 1; round <= rounds; round++ {
		for _, f := range []string{gradesheet.XLSX, gradesheet.CSV} {
			label := pg.T("evs_download_" + f)
			if es.DoubleMarking {
				label = pg.Tf("evs_download_round_f", label, round)
			}
			v.Downloads = append(v.Downloads, download{Label: label,
				Href: path + "/template?format=" + f + "&round=" + strconv.Itoa(round) + "&lang=" + pageLang(pg).String()})
		}
	}
	return v
}

// spreadsheetTemplate sends a template: ?format=csv|xlsx, ?round=1|2.
func (s *Site) spreadsheetTemplate(w http.ResponseWriter, r *http.Request) error {
	es, err := s.gradedSession(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format, round := q.Get("format"), 1
	if q.Get("round") == "2" && es.DoubleMarking {
		round = 2
	}
	if format != gradesheet.XLSX {
		format = gradesheet.CSV
	}
	pg := s.page(r, "")
	body, ctype, name, err := httpx.GradeTemplate(r.Context(), s.evals, certibloc.PrincipalFrom(r.Context()), es.ID, format, round, pageLang(pg))
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

// importSpreadsheet records a filled sheet, whole or not at all, and says
// what was recorded or every problem, by line and column.
func (s *Site) importSpreadsheet(w http.ResponseWriter, r *http.Request) error {
	es, err := s.gradedSession(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	refuse := func(msgs ...string) error {
		v := s.spreadsheetView(pg, es)
		if len(msgs) > shownSheetProblems {
			v.More, msgs = len(msgs)-shownSheetProblems, msgs[:shownSheetProblems]
		}
		v.Problems = msgs
		return s.renderApp(w, http.StatusBadRequest, "eval_spreadsheet", pg, v)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return refuse(pg.T("evs_e_missing"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxSheetUpload+1))
	switch {
	case err != nil:
		return err
	case len(data) > maxSheetUpload:
		return refuse(pg.Tf("evs_e_too_large_f", maxSheetUpload>>20))
	case len(data) == 0:
		return refuse(pg.T("evs_e_missing"))
	}
	out, err := httpx.ImportGrades(r.Context(), s.evals, certibloc.PrincipalFrom(r.Context()), es.ID, data, pageLang(pg))
	var ps certibloc.Problems
	switch {
	case errors.As(err, &ps):
		return refuse(ps.In(pageLang(pg))...)
	case certibloc.ErrorCode(err) == certibloc.ECONFLICT:
		return refuse(pg.T("evs_e_conflict"))
	case err != nil:
		return err
	}
	http.Redirect(w, r, evalPath(es.ID)+"/sheet?imported="+strconv.Itoa(out.Recorded), http.StatusSeeOther)
	return nil
}

func init() {
	addMessages(map[string]string{
		"evs_title_f":          "Notes par tableur : %s",
		"evs_description":      "Télécharger le modèle de feuille de notes d'une session, le remplir dans un tableur et le déposer.",
		"evs_back":             "Retour à la session",
		"evs_templates":        "1. Télécharger le modèle",
		"evs_templates_note":   "Le modèle liste les apprenants de la session, une ligne chacun, et une colonne par critère de la grille avec une colonne de commentaire. Les brouillons déjà enregistrés y figurent.",
		"evs_download_xlsx":    "Modèle Excel (XLSX)",
		"evs_download_csv":     "Modèle CSV (Excel en français : point-virgule, virgule décimale)",
		"evs_download_round_f": "%s — correction %d",
		"evs_fill":             "2. Remplir la feuille",
		"evs_fill_points":      "Une note en points s'écrit comme dans le tableur : 14,5 (deux décimales au plus).",
		"evs_fill_levels":      "Un niveau s'écrit par son rang (1, 2, 3…) ou par son nom (Acquis, Maîtrisé…).",
		"evs_fill_submit":      "Écrivez oui dans la colonne Soumettre pour soumettre et verrouiller le résultat ; sinon il reste un brouillon. Une ligne laissée vide ne note personne.",
		"evs_fill_team":        "Sur une évaluation en équipe, un critère commun se note une fois pour l'équipe, sur la ligne d'un de ses membres.",
		"evs_fill_keep":        "Ne changez ni la première ligne, qui nomme la session et la grille, ni les en-têtes des colonnes.",
		"evs_upload":           "3. Déposer la feuille remplie",
		"evs_upload_note_f":    "CSV ou XLSX, %d Mo au plus. La feuille est enregistrée entièrement ou pas du tout : au moindre problème, rien n'est enregistré et chaque problème est indiqué avec sa ligne et sa colonne.",
		"evs_f_file":           "Feuille de notes",
		"evs_send":             "Enregistrer la feuille",
		"evs_refused":          "La feuille n'est pas enregistrée : rien n'a été enregistré",
		"evs_more_one_f":       "… et %d autre problème.",
		"evs_more_many_f":      "… et %d autres problèmes.",
		"evs_done_one_f":       "La feuille est enregistrée : %d résultat.",
		"evs_done_many_f":      "La feuille est enregistrée : %d résultats.",
		"evs_e_missing":        "Choisissez le fichier de la feuille de notes (CSV ou XLSX).",
		"evs_e_too_large_f":    "Le fichier dépasse %d Mo : répartissez les notes sur plusieurs feuilles.",
		"evs_e_conflict":       "Des résultats ont été soumis pendant le dépôt : rien n'a été enregistré, déposez la feuille à nouveau.",
	}, map[string]string{
		"evs_title_f":          "Grades by spreadsheet: %s",
		"evs_description":      "Download a session's grade sheet template, fill it in a spreadsheet and upload it.",
		"evs_back":             "Back to the session",
		"evs_templates":        "1. Download the template",
		"evs_templates_note":   "The template lists the session's learners, one line each, and a column for each criterion of the grid with a comment column. Drafts already saved are in it.",
		"evs_download_xlsx":    "Excel template (XLSX)",
		"evs_download_csv":     "CSV template (French Excel: semicolons, decimal commas)",
		"evs_download_round_f": "%s — marking %d",
		"evs_fill":             "2. Fill in the sheet",
		"evs_fill_points":      "A grade in points is written as in the spreadsheet: 14.5 or 14,5 (two decimals at most).",
		"evs_fill_levels":      "A level is written by its rank (1, 2, 3…) or by its label (Acquis, Maîtrisé…).",
		"evs_fill_submit":      "Write yes in the Submit column to submit and lock the result; otherwise it stays a draft. A line left empty grades no one.",
		"evs_fill_team":        "On a team evaluation, a shared criterion is graded once for the team, on the line of one of its members.",
		"evs_fill_keep":        "Change neither the first line, which names the session and the grid, nor the column headers.",
		"evs_upload":           "3. Upload the filled sheet",
		"evs_upload_note_f":    "CSV or XLSX, %d MB at most. The sheet is recorded whole or not at all: at the least problem nothing is recorded, and each problem is shown with its line and column.",
		"evs_f_file":           "Grade sheet",
		"evs_send":             "Record the sheet",
		"evs_refused":          "The sheet is not recorded: nothing was recorded",
		"evs_more_one_f":       "… and %d more problem.",
		"evs_more_many_f":      "… and %d more problems.",
		"evs_done_one_f":       "The sheet is recorded: %d result.",
		"evs_done_many_f":      "The sheet is recorded: %d results.",
		"evs_e_missing":        "Choose the grade sheet's file (CSV or XLSX).",
		"evs_e_too_large_f":    "The file is larger than %d MB: spread the grades over several sheets.",
		"evs_e_conflict":       "Results were submitted during the upload: nothing was recorded, upload the sheet again.",
	})
}
