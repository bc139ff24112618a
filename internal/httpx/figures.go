package httpx

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/chart"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// A certification's figures, which the JSON API and the figures page both
// give: the France Compétences renewal pack as CSV or XLSX (a line per
// year, route and block, with the insertion surveys of the year and
// route), and the charts of the pass and insertion rates as SVG.

// FigureFormats are the formats of the pack and charts.
var FigureFormats = []string{"csv", "xlsx", "svg"}

// ServeFigures answers the pack (csv, xlsx) or the pass rates' chart (svg)
// of a certification, in language l.
func ServeFigures(w http.ResponseWriter, code, format string, figs []sqldb.Figures, surveys []sqldb.SurveyFigures, l certibloc.Lang) error {
	if format == "svg" {
		w.Header().Set("Content-Type", "image/svg+xml")
		return PassChart(code, figs, l).Render(w)
	}
	t := FiguresTable(code, figs, surveys, l)
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
	var err error
	if format == "xlsx" {
		contentType = sheet.ContentTypeXLSX
		err = sheet.WriteXLSX(&buf, t)
	} else {
		err = sheet.WriteCSV(&buf, t)
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "resultats-" + code + "." + format}))
	_, err = w.Write(buf.Bytes())
	return err
}

func pick(l certibloc.Lang, fr, en string) string {
	if l == certibloc.English {
		return en
	}
	return fr
}

// RouteName is a route in words.
func RouteName(r certibloc.Route, l certibloc.Lang) string {
	if r == certibloc.VAE {
		return "VAE"
	}
	return pick(l, "formation", "training")
}

// FiguresTable is the renewal pack: a line per year, route and block (a
// line with no block for a year and route where none was validated), each
// with the six-month and two-year surveys of its year and route.
func FiguresTable(code string, figs []sqldb.Figures, surveys []sqldb.SurveyFigures, l certibloc.Lang) *sheet.Table {
	t := &sheet.Table{Name: code, Header: []string{
		pick(l, "Année", "Year"), pick(l, "Voie", "Route"), pick(l, "Candidats", "Candidates"), pick(l, "Titulaires", "Holders"),
		pick(l, "Réussites partielles", "Partial successes"), pick(l, "Taux de réussite (%)", "Pass rate (%)"),
		pick(l, "Bloc", "Block"), pick(l, "Bloc validé (candidats)", "Block validated (candidates)"), pick(l, "Taux du bloc (%)", "Block rate (%)")}}
	for _, wave := range certibloc.SurveyWaves {
		at := pick(l, " à 6 mois", " at 6 months")
		if wave == certibloc.SurveyTwoYears {
			at = pick(l, " à 2 ans", " at 2 years")
		}
		t.Header = append(t.Header, pick(l, "Enquêtes envoyées", "Surveys sent")+at, pick(l, "Réponses", "Answers")+at,
			pick(l, "Taux de réponse (%)", "Response rate (%)")+at, pick(l, "Taux d'insertion (%)", "Employment rate (%)")+at,
			pick(l, "Dont dans le métier (%)", "Of which in the field (%)")+at)
	}
	type key struct {
		year  int
		route certibloc.Route
		wave  int
	}
	byKey := map[key]sqldb.SurveyFigures{}
	for _, s := range surveys {
		byKey[key{s.Year, s.Route, s.Wave}] = s
	}
	for _, f := range figs {
		head := []any{f.Year, RouteName(f.Route, l), f.Candidates, f.Holders, f.Partial, f.PassRate}
		var tail []any
		for _, wave := range certibloc.SurveyWaves {
			s := byKey[key{f.Year, f.Route, wave}]
			tail = append(tail, s.Sent, s.Answered, s.ResponseRate, s.InsertionRate, s.FieldRate)
		}
		if len(f.Blocks) == 0 {
			t.Rows = append(t.Rows, append(append(append([]any{}, head...), "", 0, 0.0), tail...))
		}
		for _, b := range f.Blocks {
			t.Rows = append(t.Rows, append(append(append([]any{}, head...), b.Block, b.Validated, b.Rate), tail...))
		}
	}
	return t
}

// PassChart is the pass rate per year and route, as an SVG bar chart.
func PassChart(code string, figs []sqldb.Figures, l certibloc.Lang) *chart.Bars {
	b := &chart.Bars{ID: "figures", Lang: l, Title: pick(l, "Taux de réussite de ", "Pass rate of ") + code,
		Intro: pick(l, "Part des candidats à qui le jury a délivré le titre, par année et par voie.", "Share of the candidates the jury awarded the title, per year and route.")}
	for _, f := range figs {
		b.Bars = append(b.Bars, chart.Bar{Label: fmt.Sprintf("%d, %s", f.Year, RouteName(f.Route, l)), Value: f.PassRate,
			Note: fmt.Sprintf(pick(l, "%d candidat(s)", "%d candidate(s)"), f.Candidates)})
	}
	return b
}

// InsertionChart is the insertion rate per year, route and wave, as an SVG
// bar chart, each bar with its respondents.
func InsertionChart(code string, surveys []sqldb.SurveyFigures, l certibloc.Lang) *chart.Bars {
	b := &chart.Bars{ID: "insertion", Lang: l, Title: pick(l, "Taux d'insertion de ", "Employment rate of ") + code,
		Intro: pick(l, "Part des titulaires en emploi parmi ceux qui ont répondu à l'enquête, par année du jury, voie et délai.",
			"Share of the holders in employment among those who answered the survey, per year of the jury, route and delay.")}
	for _, s := range surveys {
		delay := pick(l, "6 mois", "6 months")
		if s.Wave == certibloc.SurveyTwoYears {
			delay = pick(l, "2 ans", "2 years")
		}
		b.Bars = append(b.Bars, chart.Bar{Label: fmt.Sprintf("%d, %s, %s", s.Year, RouteName(s.Route, l), delay), Value: s.InsertionRate,
			Note: fmt.Sprintf(pick(l, "%d réponse(s) sur %d", "%d answer(s) of %d"), s.Answered, s.Sent)})
	}
	return b
}
