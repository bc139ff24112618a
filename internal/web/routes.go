package web

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Site serves the HTML pages.
type Site struct {
	db    *sqldb.DB
	log   *slog.Logger
	pages *Pages
}

// New parses the templates (failing fast) and returns the site over db.
func New(db *sqldb.DB, log *slog.Logger) (*Site, error) {
	pages, err := NewPages()
	if err != nil {
		return nil, err
	}
	return &Site{db: db, log: log, pages: pages}, nil
}

// Register adds every page to mux: the whole HTML surface is here.
func (s *Site) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	mux.Handle("GET /{$}", s.handle(s.home))
	mux.Handle("GET /programmes/{slug}", s.handle(s.programme))
	mux.Handle("/", s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return certibloc.Errorf(certibloc.ENOTFOUND, "page not found")
	}))
}

// handle runs a page handler and renders its error as an HTML page.
func (s *Site) handle(fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		status := http.StatusInternalServerError
		switch certibloc.ErrorCode(err) {
		case certibloc.ENOTFOUND:
			status = http.StatusNotFound
		case certibloc.EINVALID:
			status = http.StatusBadRequest
		case certibloc.EUNAUTHORIZED:
			status = http.StatusUnauthorized
		case certibloc.EFORBIDDEN:
			status = http.StatusForbidden
		default:
			s.log.Error("page", "path", r.URL.Path, "err", err)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if err := s.pages.Error(w, lang(r), status, certibloc.ErrorMessage(err)); err != nil {
			s.log.Error("error page", "err", err)
		}
	})
}

// lang is "en" when asked by ?lang=en or preferred by the browser, and
// French otherwise: French first.
func lang(r *http.Request) string {
	switch r.URL.Query().Get("lang") {
	case "en":
		return "en"
	case "fr":
		return "fr"
	}
	if al := r.Header.Get("Accept-Language"); strings.HasPrefix(strings.ToLower(al), "en") {
		return "en"
	}
	return "fr"
}

// home sends visitors to the programme sheet; with several programmes it
// will become their list.
func (s *Site) home(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Programmes(r.Context())
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no programme is published yet")
	}
	http.Redirect(w, r, "/programmes/"+list[0].Slug, http.StatusFound)
	return nil
}

// programme renders a programme sheet with the certification version it names.
func (s *Site) programme(w http.ResponseWriter, r *http.Request) error {
	p, err := s.db.Programme(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	c, err := s.db.Certification(r.Context(), p.CertificationCode, p.Version)
	if err != nil {
		return err
	}
	var buf strings.Builder
	if err := s.pages.Programme(&buf, lang(r), p, c); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write([]byte(buf.String()))
	return err
}
