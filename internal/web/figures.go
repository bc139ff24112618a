package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/chart"
	"github.com/certibloc/certibloc/internal/httpx"
)

// The figures of a certification, for France Compétences and Qualiopi: per
// year of the juries and route, the candidates, holders, partial
// successes, pass rate and each block's rate; the insertion surveys at six
// months and two years (sent, answered, response and insertion rates); the
// pass and insertion rates as charts; the renewal pack to download as CSV
// or XLSX.

func init() {
	registerPage("figures", "templates/figures.html")
}

const figuresPath = "/app/reports/figures"

func (s *Site) figuresRoutes() []Route {
	return []Route{
		{"GET " + figuresPath, certibloc.DeclareHolders, s.figuresPage},
		{"GET " + figuresPath + "/pack", certibloc.DeclareHolders, s.figuresPack},
	}
}

// figuresView is the page.
type figuresView struct {
	Certification  string
	Certifications []choice
	Rows           []figureRow
	Surveys        []surveyRow
	PassChart      template.HTML
	InsertionChart template.HTML
	CSV, XLSX      string
}

// figureRow is a year and route's results.
type figureRow struct {
	Year                         int
	Route, PassRate, Blocks      string
	Candidates, Holders, Partial int
}

// surveyRow is a year, route and wave's surveys.
type surveyRow struct {
	Year                                    int
	Route, Wave, Response, Insertion, Field string
	Sent, Answered                          int
}

// figuresCertification is the certification asked for (?certification=),
// else the first one.
func (s *Site) figuresCertification(r *http.Request) (string, []choice, error) {
	list, err := s.db.Certifications(r.Context())
	if err != nil {
		return "", nil, err
	}
	code := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("certification")))
	var opts []choice
	found := false
	for _, c := range list {
		found = found || c.Code == code
		opts = append(opts, choice{Value: c.Code, Label: c.Code + " – " + c.Title})
	}
	if !found {
		if code != "" {
			return "", nil, certibloc.Errorf(certibloc.ENOTFOUND, "no certification %s", certibloc.Cut(code))
		}
		if len(opts) > 0 {
			code = opts[0].Value
		}
	}
	for i := range opts {
		opts[i].On = opts[i].Value == code
	}
	return code, opts, nil
}

func (s *Site) figuresPage(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("fig_title"), pg.T("fig_description")
	l := pageLang(pg)
	code, opts, err := s.figuresCertification(r)
	if err != nil {
		return err
	}
	v := &figuresView{Certification: code, Certifications: opts}
	if code == "" {
		return s.renderApp(w, http.StatusOK, "figures", pg, v)
	}
	figs, err := s.db.CertificationFigures(r.Context(), code)
	if err != nil {
		return err
	}
	surveys, err := s.db.CertificationSurveys(r.Context(), code)
	if err != nil {
		return err
	}
	num := func(f float64) string { return pg.Tf("fig_percent_f", chart.Num(f, l)) }
	for _, f := range figs {
		var blocks []string
		for _, b := range f.Blocks {
			blocks = append(blocks, pg.Tf("fig_block_f", b.Block, chart.Num(b.Rate, l)))
		}
		v.Rows = append(v.Rows, figureRow{Year: f.Year, Route: httpx.RouteName(f.Route, l), Candidates: f.Candidates, Holders: f.Holders,
			Partial: f.Partial, PassRate: num(f.PassRate), Blocks: strings.Join(blocks, " ; ")})
	}
	for _, sv := range surveys {
		v.Surveys = append(v.Surveys, surveyRow{Year: sv.Year, Route: httpx.RouteName(sv.Route, l), Wave: pg.T(map[int]string{6: "fig_wave_6", 24: "fig_wave_24"}[sv.Wave]),
			Sent: sv.Sent, Answered: sv.Answered, Response: num(sv.ResponseRate), Insertion: num(sv.InsertionRate), Field: num(sv.FieldRate)})
	}
	if len(figs) > 0 {
		v.PassChart = template.HTML(httpx.PassChart(code, figs, l).String()) // written and escaped by package chart
	}
	if len(surveys) > 0 {
		v.InsertionChart = template.HTML(httpx.InsertionChart(code, surveys, l).String())
	}
	q := url.Values{"certification": {code}, "lang": {pg.Lang}}
	q.Set("format", "csv")
	v.CSV = figuresPath + "/pack?" + q.Encode()
	q.Set("format", "xlsx")
	v.XLSX = figuresPath + "/pack?" + q.Encode()
	return s.renderApp(w, http.StatusOK, "figures", pg, v)
}

// figuresPack downloads the renewal pack, CSV or XLSX, in the page's language.
func (s *Site) figuresPack(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	if format == "svg" || !slices.Contains(httpx.FigureFormats, format) {
		return certibloc.Errorf(certibloc.EINVALID, "%s", pg.T("fig_e_format"))
	}
	code, _, err := s.figuresCertification(r)
	if err != nil {
		return err
	}
	figs, err := s.db.CertificationFigures(r.Context(), code)
	if err != nil {
		return err
	}
	surveys, err := s.db.CertificationSurveys(r.Context(), code)
	if err != nil {
		return err
	}
	return httpx.ServeFigures(w, code, format, figs, surveys, pageLang(pg))
}
