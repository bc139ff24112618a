package api

import (
	"net/http"
	"slices"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
)

// certificationFigures answers a certification's figures per year of the
// juries and route (candidates, holders, partial successes, pass rate and
// the rate of each block) with its insertion surveys (per year, route and
// wave: sent, answered, response and insertion rates) as JSON, or as the
// France Compétences renewal pack: ?format=csv or xlsx, one line per
// year, route and block, its header in the request's language;
// ?format=svg charts the pass rates.
func (a *API) certificationFigures(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && !slices.Contains(httpx.FigureFormats, format) {
		return certibloc.Errorf(certibloc.EINVALID, "format=%q must be csv, xlsx or svg (JSON without it)", certibloc.Cut(format))
	}
	if _, err := a.db.Certification(r.Context(), code, 0); err != nil {
		return err
	}
	figs, err := a.db.CertificationFigures(r.Context(), code)
	if err != nil {
		return err
	}
	surveys, err := a.db.CertificationSurveys(r.Context(), code)
	if err != nil {
		return err
	}
	if format == "" {
		return writeJSON(w, http.StatusOK, map[string]any{"certification": code, "figures": figs, "surveys": surveys})
	}
	return httpx.ServeFigures(w, code, format, figs, surveys, answerLang(w, r))
}

// certificationSurveys answers a certification's insertion surveys per
// year of the juries, route and wave (6 or 24 months): sent, answered,
// employed, and the response and insertion rates; ?format=svg charts the
// insertion rates.
func (a *API) certificationSurveys(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "svg" {
		return certibloc.Errorf(certibloc.EINVALID, "format=%q must be svg (JSON without it)", certibloc.Cut(format))
	}
	if _, err := a.db.Certification(r.Context(), code, 0); err != nil {
		return err
	}
	surveys, err := a.db.CertificationSurveys(r.Context(), code)
	if err != nil {
		return err
	}
	if format == "svg" {
		w.Header().Set("Content-Type", "image/svg+xml")
		return httpx.InsertionChart(code, surveys, answerLang(w, r)).Render(w)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"certification": code, "surveys": surveys})
}
