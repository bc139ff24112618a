package api

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

// certificationFigures answers a certification's figures per year of the
// juries and route (candidates, holders, partial successes, pass rate and
// the rate of each block) as JSON, or as the France Compétences renewal
// pack: ?format=csv or xlsx, one line per year, route and block, its
// header in the request's language; ?format=svg charts the pass rates.
func (a *API) certificationFigures(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "csv" && format != "xlsx" && format != "svg" {
		return certibloc.Errorf(certibloc.EINVALID, "format=%q must be csv, xlsx or svg (JSON without it)", certibloc.Cut(format))
	}
	if _, err := a.db.Certification(r.Context(), code, 0); err != nil {
		return err
	}
	figs, err := a.db.CertificationFigures(r.Context(), code)
	if err != nil {
		return err
	}
	if format == "" {
		return writeJSON(w, http.StatusOK, map[string]any{"certification": code, "figures": figs})
	}
	l := answerLang(w, r)
	if format == "svg" {
		w.Header().Set("Content-Type", "image/svg+xml")
		return figuresChart(code, figs, l).Render(w)
	}
	t := figuresTable(code, figs, l)
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
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

// figuresTable is the renewal pack: a line per year, route and block (a
// line with no block for a year and route where none was validated).
func figuresTable(code string, figs []sqldb.Figures, l certibloc.Lang) *sheet.Table {
	t := &sheet.Table{Name: code, Header: []string{
		pick(l, "Année", "Year"), pick(l, "Voie", "Route"), pick(l, "Candidats", "Candidates"), pick(l, "Titulaires", "Holders"),
		pick(l, "Réussites partielles", "Partial successes"), pick(l, "Taux de réussite (%)", "Pass rate (%)"),
		pick(l, "Bloc", "Block"), pick(l, "Bloc validé (candidats)", "Block validated (candidates)"), pick(l, "Taux du bloc (%)", "Block rate (%)")}}
	route := map[certibloc.Route]string{certibloc.Training: pick(l, "formation", "training"), certibloc.VAE: "VAE"}
	for _, f := range figs {
		head := []any{f.Year, route[f.Route], f.Candidates, f.Holders, f.Partial, f.PassRate}
		if len(f.Blocks) == 0 {
			t.Rows = append(t.Rows, append(head, "", 0, 0.0))
		}
		for _, b := range f.Blocks {
			t.Rows = append(t.Rows, append(append([]any{}, head...), b.Block, b.Validated, b.Rate))
		}
	}
	return t
}

// figuresChart is the pass rate per year and route, as an SVG bar chart.
func figuresChart(code string, figs []sqldb.Figures, l certibloc.Lang) *chart.Bars {
	b := &chart.Bars{ID: "figures", Lang: l, Title: pick(l, "Taux de réussite de ", "Pass rate of ") + code,
		Intro: pick(l, "Part des candidats à qui le jury a délivré le titre, par année et par voie.", "Share of the candidates the jury awarded the title, per year and route.")}
	for _, f := range figs {
		route := pick(l, "formation", "training")
		if f.Route == certibloc.VAE {
			route = "VAE"
		}
		b.Bars = append(b.Bars, chart.Bar{Label: fmt.Sprintf("%d, %s", f.Year, route), Value: f.PassRate,
			Note: fmt.Sprintf(pick(l, "%d candidat(s)", "%d candidate(s)"), f.Candidates)})
	}
	return b
}
