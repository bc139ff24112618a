package server_test

import (
	"net/http/httptest"
	"testing"

	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestPagesInBrowser opens every public page in headless Chromium and runs
// axe-core on it: no violation, no third-party request, under 50 KB.
func TestPagesInBrowser(t *testing.T) {
	srv := httptest.NewServer(newSite(t, sqldbtest.SQLite(t)))
	defer srv.Close()
	slug := defaultSlug(t)
	results := browsertest.Check(t,
		browsertest.Page{Name: "programme (fr)", URL: srv.URL + "/programmes/" + slug},
		browsertest.Page{Name: "programme (en)", URL: srv.URL + "/programmes/" + slug + "?lang=en"},
		browsertest.Page{Name: "home redirects to the programme", URL: srv.URL + "/"},
	)
	browsertest.AssertClean(t, results, 50<<10)

	missing := browsertest.Check(t, browsertest.Page{Name: "unknown page", URL: srv.URL + "/programmes/nope"})
	if len(missing) != 1 || missing[0].Status != 404 || len(missing[0].Violations) > 0 {
		t.Errorf("unknown programme page = %+v, want an accessible 404", missing)
	}
}
