// Package web renders certibloc's public HTML pages: server-side, without
// requests to any other host, in French first and in English. Every page
// works without JavaScript; one small same-origin script (autosave.js)
// saves the VAE drafts as their author types, which the save button does
// without it. Templates and the style sheet are embedded and parsed when
// the program starts, so a broken template stops it at once.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/chart"
)

var (
	//go:embed templates/*.html
	templateFS embed.FS

	//go:embed static
	staticFS embed.FS
)

// Static is the file system of the static assets (style.css), to be served
// under /static/.
func Static() fs.FS {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err) // the directory is embedded: it cannot be missing
	}
	return sub
}

// staticHandler serves Static; routes.go mounts it under /static/.
func staticHandler() http.Handler {
	return http.FileServerFS(Static())
}

// Pages renders the public pages. It is safe for concurrent use.
type Pages struct {
	templates map[string]*template.Template // by page name
}

// pageFiles are the templates of each page, parsed after layout.html.
// Each area of the site adds its own with registerPage.
var pageFiles = map[string][]string{
	"programme": {"templates/programme.html", "templates/blocks.html"},
	"error":     {"templates/error.html"},
}

// registerPage declares the template files of a page (called from init).
func registerPage(name string, files ...string) {
	if _, dup := pageFiles[name]; dup {
		panic("web: page " + name + " registered twice")
	}
	pageFiles[name] = files
}

// NewPages parses every template. It fails when one does not parse.
func NewPages() (*Pages, error) {
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: parsing the layout: %w", err)
	}
	p := &Pages{templates: map[string]*template.Template{}}
	for name, files := range pageFiles {
		t, err := template.Must(layout.Clone()).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("web: parsing page %s: %w", name, err)
		}
		p.templates[name] = t
	}
	return p, nil
}

// Programme writes the public page of a programme sheet and of the
// certification it prepares for, in the page's language. Nil arguments
// render as empty ones.
func (p *Pages) Programme(w io.Writer, pg *page, prog *certibloc.Programme, cert *certibloc.Certification, results ...PublishedResult) error {
	if prog == nil {
		prog = &certibloc.Programme{}
	}
	if cert == nil {
		cert = &certibloc.Certification{}
	}
	v := newProgrammeView(pg, prog, cert)
	if len(results) > 0 && results[0].Candidates >= MinPublished {
		r := results[0]
		v.Result = pg.Tf("result_f", chart.Num(r.PassRate, pageLang(pg)), r.Candidates, r.Year)
	}
	if len(results) > 0 && results[0].Insertion.Respondents >= MinPublished {
		in := results[0].Insertion
		v.Insertion = pg.Tf("insertion_f", chart.Num(in.Rate, pageLang(pg)), in.Respondents, in.Year)
	}
	if v.Result != "" || v.Insertion != "" {
		at := len(v.Nav)
		for i, n := range v.Nav {
			if n.Href == "#juridique" || n.Href == "#accessibilite" || n.Href == "#contacts" {
				at = i
				break
			}
		}
		v.Nav = slices.Insert(v.Nav, at, navItem{Href: "#resultats", Label: pg.T("sec_results")})
	}
	pg.Title = v.Title
	pg.Description = v.Description
	pg.Brand = v.School
	pg.NavLabel = pg.T("toc")
	pg.Nav = v.Nav
	pg.Body = v
	return p.render(w, "programme", pg)
}

// Error writes an error page for an HTTP status (404 and so on) with a
// message saying what went wrong.
func (p *Pages) Error(w io.Writer, pg *page, status int, message string) error {
	name := http.StatusText(status)
	if pg.Lang == "fr" && statusFR[status] != "" {
		name = statusFR[status]
	}
	pg.Title = pg.Tf("error_f", status)
	if name != "" {
		pg.Title += " – " + name
	}
	pg.Description = pg.Title
	pg.NavLabel = pg.T("site")
	pg.Nav = []navItem{{Href: "/", Label: pg.T("error_home")}}
	pg.Body = struct{ Message string }{message}
	return p.render(w, "error", pg)
}

// render executes a page into a buffer first, so that a failure writes
// nothing and the caller can still send an error page.
func (p *Pages) render(w io.Writer, name string, pg *page) error {
	t, ok := p.templates[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", pg); err != nil {
		return fmt.Errorf("web: rendering %s: %w", name, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// funcs are the template functions that need no language.
var funcs = template.FuncMap{
	"paras": paragraphs,
	"tel":   telURL,
}

// paragraphs splits a text on blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// telURL makes a tel: link of a French number written 03.80.73.45.90: only
// its digits and a leading + are kept, so the URL is safe to mark as such.
func telURL(phone string) template.URL {
	var digits strings.Builder
	for i, r := range phone {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			digits.WriteRune(r)
		}
	}
	d := digits.String()
	if len(d) == 10 && d[0] == '0' {
		d = "+33" + d[1:]
	}
	return template.URL("tel:" + d)
}
