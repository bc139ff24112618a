package web

import (
	"bytes"
	"context"
	"html/template"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/chart"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Evaluator fairness, for staff and the admin: the spread of each
// evaluator's grades as box plots with the figures in a table beside them,
// the evaluators whose grades sit far from the others' flagged
// (certibloc.AssessFairness), and the figures as CSV for a spreadsheet.
// It is a section of the cohort page and of the session's fairness page.

func init() {
	registerPage("fairness", "templates/fairness_page.html", "templates/fairness.html")
}

// fairnessView is the section.
type fairnessView struct {
	pg        *page
	Summary   string
	Empty     bool
	Chart     template.HTML
	Rows      []fairnessRow
	Rule      string
	CSV       string
	Page      string           // on the session's sheet: its fairness page, criterion by criterion
	Criteria  []fairnessOption // the session's criteria, to narrow the figures to one; nil on a cohort
	Criterion string
}

// T is the interface string of key, for the section's template.
func (v *fairnessView) T(key string) string { return v.pg.T(key) }

// fairnessRow is one evaluator's line of the table.
type fairnessRow struct {
	Name                               string
	N                                  int
	Min, Q1, Median, Q3, Max, Gap, Cut string
	Verdict                            string
	Flagged                            bool
}

// fairnessOption is a criterion offered in the filter.
type fairnessOption struct {
	Value, Label string
	Selected     bool
}

// fairnessStore is the store call behind the figures: *sqldb.DB.
type fairnessStore interface {
	FairnessGrades(ctx context.Context, p *certibloc.Principal, f sqldb.FairnessFilter) ([]certibloc.Grade, error)
}

// fairnessGrades reads the grades from the store the evaluation pages
// read (s.evals), so that the figures are those of the sessions shown; a
// store without the call has no figures to give.
func (s *Site) fairnessGrades(r *http.Request, f sqldb.FairnessFilter) ([]certibloc.Grade, error) {
	fs, ok := s.evals.(fairnessStore)
	if !ok {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "this store keeps no figures per evaluator")
	}
	return fs.FairnessGrades(r.Context(), certibloc.PrincipalFrom(r.Context()), f)
}

// fairnessSection builds the section from the grades of f; it is nil when
// the principal may not see the figures (they are for staff and the admin)
// or when the store has none to give.
func (s *Site) fairnessSection(r *http.Request, pg *page, f sqldb.FairnessFilter, csv string) (*fairnessView, error) {
	if _, ok := s.evals.(fairnessStore); !ok {
		return nil, nil
	}
	grades, err := s.fairnessGrades(r, f)
	if certibloc.ErrorCode(err) == certibloc.EFORBIDDEN {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return newFairnessView(pg, certibloc.AssessFairness(grades), csv), nil
}

// newFairnessView writes the figures of fa in the page's language.
func newFairnessView(pg *page, fa certibloc.Fairness, csv string) *fairnessView {
	l := pageLang(pg)
	num := func(v float64) string { return chart.Num(v, l) }
	v := &fairnessView{pg: pg, CSV: csv, Empty: fa.All.N == 0,
		Rule: pg.Tf("fair_rule_f", num(certibloc.FairnessIQRFactor), num(certibloc.FairnessMinGap), certibloc.FairnessMinGrades)}
	v.Summary = pg.Tf("fair_summary_f", pg.Nf("fair_grades", fa.All.N), pg.Nf("fair_evaluators", len(fa.Evaluators)))
	switch n := fa.Flagged(); n {
	case 0:
		v.Summary += " " + pg.T("fair_flagged_none")
	case 1:
		v.Summary += " " + pg.T("fair_flagged_one")
	default:
		v.Summary += " " + pg.Nf("fair_flagged", n)
	}
	plot := &chart.BoxPlot{ID: "fairness-chart", Title: pg.T("fair_chart_title"), Intro: v.Summary,
		Axis: pg.T("fair_axis"), Unit: " %", Min: 0, Max: 100, Lang: l}
	for _, e := range fa.Evaluators {
		g := e.Grades
		row := fairnessRow{Name: e.Name, N: g.N, Min: num(g.Min), Q1: num(g.Q1), Median: num(g.Median), Q3: num(g.Q3),
			Max: num(g.Max), Flagged: e.Flagged, Verdict: fairnessVerdict(pg, e)}
		if e.Judged {
			row.Gap, row.Cut = signed(e.Gap, l), num(e.Threshold)
		}
		v.Rows = append(v.Rows, row)
		box := chart.Box{Label: e.Name, Figures: g, Flagged: e.Flagged}
		if e.Flagged {
			box.Note = row.Verdict
		}
		plot.Boxes = append(plot.Boxes, box)
	}
	if !v.Empty {
		v.Chart = template.HTML(plot.String()) // written and escaped by package chart
	}
	return v
}

// fairnessVerdict says in words how an evaluator compares with the others.
func fairnessVerdict(pg *page, e certibloc.EvaluatorSpread) string {
	l := pageLang(pg)
	switch {
	case e.Grades.N < certibloc.FairnessMinGrades:
		return pg.Tf("fair_too_few_f", certibloc.FairnessMinGrades)
	case !e.Judged:
		return pg.Tf("fair_others_too_few_f", certibloc.FairnessMinGrades)
	case e.Flagged && e.Gap > 0:
		return pg.Tf("fair_above_f", chart.Num(e.Gap, l), chart.Num(e.Threshold, l))
	case e.Flagged:
		return pg.Tf("fair_below_f", chart.Num(-e.Gap, l), chart.Num(e.Threshold, l))
	}
	return pg.Tf("fair_within_f", chart.Num(e.Threshold, l))
}

// signed writes a gap with its sign: +3, −16 (a true minus sign).
func signed(v float64, l certibloc.Lang) string {
	s := chart.Num(math.Abs(v), l)
	switch {
	case s == "0":
		return s
	case v < 0:
		return "−" + s
	}
	return "+" + s
}

// fairnessCSV sends the figures of f as CSV as French Excel reads it
// (sheet.WriteCSV: byte-order mark, semicolons, decimal commas).
func (s *Site) fairnessCSV(w http.ResponseWriter, r *http.Request, f sqldb.FairnessFilter, name string) error {
	grades, err := s.fairnessGrades(r, f)
	if err != nil {
		return err
	}
	fa := certibloc.AssessFairness(grades)
	pg := s.page(r, "")
	t := &sheet.Table{Name: pg.T("fair_title"), Header: []string{pg.T("fair_col_evaluator"), pg.T("fair_col_n"),
		pg.T("fair_col_min"), pg.T("fair_col_q1"), pg.T("fair_col_median"), pg.T("fair_col_q3"), pg.T("fair_col_max"),
		pg.T("fair_col_others_median"), pg.T("fair_col_gap"), pg.T("fair_col_threshold"), pg.T("fair_col_judged"),
		pg.T("fair_col_flagged")}}
	round := func(v float64) float64 { return math.Round(v*100) / 100 }
	for _, e := range fa.Evaluators {
		g := e.Grades
		row := []any{e.Name, g.N, round(g.Min), round(g.Q1), round(g.Median), round(g.Q3), round(g.Max), nil, nil, nil,
			yesNo(pg, e.Judged), yesNo(pg, e.Flagged)}
		if e.Others.N > 0 {
			row[7] = round(e.Others.Median)
		}
		if e.Judged {
			row[8], row[9] = round(e.Gap), round(e.Threshold)
		}
		t.Rows = append(t.Rows, row)
	}
	var buf bytes.Buffer
	if err := sheet.WriteCSV(&buf, t); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": pg.T("fair_file") + "-" + name + ".csv"}))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// cohortFairnessCSV sends the figures of a cohort.
func (s *Site) cohortFairnessCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.fairnessCSV(w, r, sqldb.FairnessFilter{CohortID: id}, "cohort-"+strconv.FormatInt(id, 10))
}

// cohortFairness is the cohort page's section.
func (s *Site) cohortFairness(r *http.Request, pg *page, co *certibloc.Cohort) (*fairnessView, error) {
	return s.fairnessSection(r, pg, sqldb.FairnessFilter{CohortID: co.ID}, cohortPath(co.ID)+"/fairness.csv")
}

// criterionQuery reads ?criterion=, a key of the grid.
func criterionQuery(r *http.Request) string {
	return strings.TrimSpace(r.URL.Query().Get("criterion"))
}

// fairnessPage is a session's fairness page: a link back to the session
// and the section.
type fairnessPage struct {
	Back     string
	Fairness *fairnessView
}
