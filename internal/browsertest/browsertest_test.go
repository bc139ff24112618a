package browsertest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// budget is the transferred-size budget the self-test holds pages to.
const budget = 50_000

// page wraps a body in an accessible HTML document.
func page(title, head, body string) string {
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + `</title>` + head + `</head>
<body>
<header><p>Certibloc</p></header>
<main>
<h1>` + title + `</h1>
` + body + `
</main>
<footer><p>Footer</p></footer>
</body>
</html>`
}

// testSite serves one page per behaviour the harness must see.
func testSite() http.Handler {
	mux := http.NewServeMux()
	html := func(status int, s string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			fmt.Fprint(w, s)
		}
	}

	// A strict CSP proves axe still runs where pages forbid inline scripts.
	clean := html(200, page("Clean page",
		`<link rel="stylesheet" href="/site.css">`,
		`<p>Everything here is <a href="/clean">accessible</a>.</p>
<img src="/logo.svg" alt="Certibloc logo" width="40" height="40">
<form action="/clean" method="get">
<label for="q">Search</label> <input id="q" name="q" type="search">
<button type="submit">Search</button>
</form>`))
	mux.HandleFunc("GET /clean", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		clean(w, r)
	})
	mux.HandleFunc("GET /site.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, "body { font-family: sans-serif; color: #222; background: #fff; }\n")
	})
	mux.HandleFunc("GET /logo.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		fmt.Fprint(w, `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="#036"/></svg>`)
	})

	mux.HandleFunc("GET /broken", html(200, page("Broken page", "",
		`<img src="/logo.svg">
<form><input name="email" type="text"></form>
<p style="color: #c8c8c8; background: #ffffff">Faint text nobody can read.</p>`)))

	mux.HandleFunc("GET /third-party", html(200, page("Third party", "",
		`<p>Loads a script from elsewhere.</p>
<script src="http://example.invalid/x.js"></script>`)))

	mux.HandleFunc("GET /noisy", html(200, page("Noisy", "",
		`<p>Logs an error.</p>
<script>console.error("noisy page failed")</script>`)))

	mux.HandleFunc("GET /gone", html(404, page("Not found", "", `<p>No such page.</p>`)))

	// /account answers 200 only to the cookie the page sets.
	mux.HandleFunc("GET /account", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		if err != nil || c.Value != "alice" {
			html(403, page("Forbidden", "", `<p>Sign in first.</p>`))(w, r)
			return
		}
		html(200, page("Account", "", `<p>Signed in as alice.</p>`))(w, r)
	})

	// /answer answers 200 only when the form on /ask was filled in and sent.
	mux.HandleFunc("GET /ask", html(200, page("Ask", "",
		`<form action="/answer" method="get">
<label for="q">Question</label> <input id="q" name="q">
<button type="submit">Ask</button>
</form>`)))
	mux.HandleFunc("GET /answer", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("q") != "certibloc" {
			html(400, page("Bad question", "", `<p>Ask about certibloc.</p>`))(w, r)
			return
		}
		html(200, page("Answer", "", `<p>Certibloc records certifications.</p>`))(w, r)
	})
	return mux
}

func TestCheck(t *testing.T) {
	srv := httptest.NewServer(testSite())
	defer srv.Close()

	results := Check(t,
		Page{Name: "clean", URL: srv.URL + "/clean"},
		Page{Name: "broken", URL: srv.URL + "/broken"},
		Page{Name: "third-party", URL: srv.URL + "/third-party"},
		Page{Name: "noisy", URL: srv.URL + "/noisy"},
		Page{Name: "gone", URL: srv.URL + "/gone"},
		Page{Name: "account", URL: srv.URL + "/account",
			Cookies: []Cookie{{Name: "session", Value: "alice"}}},
		Page{Name: "ask", URL: srv.URL + "/ask", Actions: []Action{
			{Do: "fill", Selector: "#q", Value: "certibloc"},
			{Do: "click", Selector: "button[type=submit]"},
		}},
	)
	got := make(map[string]Result)
	for _, r := range results {
		got[r.Name] = r
	}

	t.Run("clean page passes with its subresources counted", func(t *testing.T) {
		r := got["clean"]
		AssertClean(t, []Result{r}, budget)
		// Headers come on top, so the bodies alone are a lower bound.
		bodies := 0
		for _, path := range []string{"/clean", "/site.css", "/logo.svg"} {
			bodies += len(get(t, srv.URL+path))
		}
		if r.Bytes < bodies {
			t.Errorf("bytes = %d, want at least %d, the bodies of the document, site.css and logo.svg", r.Bytes, bodies)
		}
	})

	t.Run("broken page reports missing alt, missing label and poor contrast", func(t *testing.T) {
		ids := got["broken"].ViolationIDs()
		for _, want := range []string{"image-alt", "label", "color-contrast"} {
			if !slices.Contains(ids, want) {
				t.Errorf("violations %v lack %q", ids, want)
			}
		}
	})

	t.Run("third-party request is recorded even though it fails", func(t *testing.T) {
		r := got["third-party"]
		if !slices.Contains(r.ThirdParty, "http://example.invalid/x.js") {
			t.Errorf("third_party = %v, want http://example.invalid/x.js", r.ThirdParty)
		}
	})

	t.Run("console error is recorded", func(t *testing.T) {
		r := got["noisy"]
		if !slices.Contains(r.ConsoleErrors, "noisy page failed") {
			t.Errorf("console_errors = %v, want %q", r.ConsoleErrors, "noisy page failed")
		}
	})

	t.Run("status is the document's", func(t *testing.T) {
		if s := got["gone"].Status; s != 404 {
			t.Errorf("status = %d, want 404", s)
		}
	})

	t.Run("cookies are sent", func(t *testing.T) {
		AssertClean(t, []Result{got["account"]}, budget)
	})

	t.Run("actions run before the check", func(t *testing.T) {
		r := got["ask"]
		AssertClean(t, []Result{r}, budget)
		if want := srv.URL + "/answer?q=certibloc"; r.FinalURL != want {
			t.Errorf("final URL = %q, want %q", r.FinalURL, want)
		}
	})

	t.Run("AssertClean lists every kind of problem", func(t *testing.T) {
		rec := &recorder{TB: t}
		AssertClean(rec, []Result{got["clean"], got["broken"], got["third-party"], got["noisy"], got["gone"]}, 100)
		msg := strings.Join(rec.errors, "\n")
		for _, want := range []string{
			"clean (" + srv.URL + "/clean): ",
			"bytes transferred, budget 100",
			"axe image-alt [critical]: Images must have alternative text",
			"<img src=\"/logo.svg\">",
			"axe label [critical]",
			"axe color-contrast [serious]",
			"third-party request: http://example.invalid/x.js",
			"console error: noisy page failed",
			"HTTP status 404",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("AssertClean message lacks %q:\n%s", want, msg)
			}
		}
	})
}

func TestAvailable(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")

	t.Setenv("CI", "")
	rec := &recorder{TB: t}
	Available(rec)
	if len(rec.skips) != 1 || len(rec.fatals) != 0 || !strings.Contains(rec.skips[0], "apt-get install -y chromium") {
		t.Errorf("outside CI: skips %q, fatals %q; want one skip saying what to install", rec.skips, rec.fatals)
	}

	t.Setenv("CI", "true")
	rec = &recorder{TB: t}
	Available(rec)
	if len(rec.fatals) != 1 || len(rec.skips) != 0 {
		t.Errorf("in CI: skips %q, fatals %q; want one fatal", rec.skips, rec.fatals)
	}
}

// get returns the body at url.
func get(t *testing.T, url string) []byte {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// recorder stands in for a testing.TB to see what the harness reports,
// without failing or skipping the real test.
type recorder struct {
	testing.TB
	errors, skips, fatals []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Skip(args ...any)  { r.skips = append(r.skips, fmt.Sprint(args...)) }
func (r *recorder) Fatal(args ...any) { r.fatals = append(r.fatals, fmt.Sprint(args...)) }
