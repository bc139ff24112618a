package web

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// A session's fairness page: the section for the session's results, on
// the total or on one criterion of its grid (?criterion=C2).

// fairnessSessionPath is the address of a session's fairness page.
func fairnessSessionPath(id int64) string {
	return "/app/evaluations/" + strconv.FormatInt(id, 10) + "/fairness"
}

// sessionFairnessPage shows the spread of the grades of a session's
// evaluators, for staff and the admin of its school.
func (s *Site) sessionFairnessPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(r.Context())
	sess, err := s.evals.EvalSession(r.Context(), p, id)
	if err != nil {
		return err
	}
	if err := p.Authorize(certibloc.ManageEvaluations, sess.School); err != nil {
		return err
	}
	grid, err := s.evals.Grid(r.Context(), sess.GridID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("fair_page_title_f", sess.Title), pg.T("fair_description")
	criterion := criterionQuery(r)
	if criterion != "" && grid.Criterion(criterion) == nil {
		criterion = "" // a criterion of another grid: the total, rather than an error page
	}
	csv := fairnessSessionPath(id) + ".csv"
	if criterion != "" {
		csv += "?criterion=" + criterion
	}
	v, err := s.fairnessSection(r, pg, sqldb.FairnessFilter{SessionID: id, Criterion: criterion}, csv)
	if err != nil {
		return err
	} else if v == nil {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "the evaluators' figures are for staff")
	}
	for _, c := range grid.Criteria {
		v.Criteria = append(v.Criteria, fairnessOption{Value: c.Key, Label: c.Key + " – " + c.Label, Selected: c.Key == criterion})
	}
	v.Criterion = criterion
	return s.renderApp(w, http.StatusOK, "fairness", pg, fairnessPage{Back: "/app/evaluations/" + strconv.FormatInt(id, 10), Fairness: v})
}

// sessionFairness is the section of a session's sheet, nil for whoever is
// not staff or the admin of its school; page is the fairness page, where
// the figures can be read criterion by criterion.
func (s *Site) sessionFairness(r *http.Request, pg *page, id int64, page string) (*fairnessView, error) {
	v, err := s.fairnessSection(r, pg, sqldb.FairnessFilter{SessionID: id}, fairnessSessionPath(id)+".csv")
	if v != nil {
		v.Page = page
	}
	return v, err
}

// sessionFairnessCSV sends a session's figures.
func (s *Site) sessionFairnessCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := sqldb.FairnessFilter{SessionID: id, Criterion: criterionQuery(r)}
	name := "session-" + strconv.FormatInt(id, 10)
	if f.Criterion != "" {
		name += "-" + f.Criterion
	}
	return s.fairnessCSV(w, r, f, name)
}
