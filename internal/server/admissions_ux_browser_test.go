package server_test

import (
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/browsertest"
)

// TestChangedPagesOnAPhoneAndADesk: the pages issue 11 changed (the
// history, lists and tables now scrolling in their own box, the outbox,
// the programme's call to apply) have no axe-core violation and never
// scroll sideways, at 1280×800 and at 390×844, in French and in English.
func TestChangedPagesOnAPhoneAndADesk(t *testing.T) {
	browsertest.Available(t)
	w := newRoleWalk(t)
	defer w.srv.Close()
	first := func(pattern string) string {
		for _, rt := range w.routes {
			if rt.pattern == pattern {
				return rt.paths[0]
			}
		}
		t.Fatalf("no route %s", pattern)
		return ""
	}
	type visit struct{ role, path string }
	visits := []visit{
		{anonymous, first("GET /programmes/{slug}")},
		{"staff", first("GET /app/audit/{entity}/{id}")},
		{"staff", first("GET /app/campaigns/{id}")},
		{"staff", "/app/campaigns"},
		{"staff", first("GET /app/cohorts/{id}")},
		{"staff", "/app/people"},
		{"staff", "/app/outbox"},
		{"admin", "/app/tokens"},
		{"admin", "/app/schools"},
		{"candidate", "/app/applications"},
	}
	var pages []browsertest.Page
	for _, v := range visits {
		var cookies []browsertest.Cookie
		if v.role != anonymous {
			cookies = []browsertest.Cookie{{Name: "certibloc_session", Value: w.users[v.role].session}}
		}
		for _, lang := range []string{"fr", "en"} {
			for _, vp := range []*browsertest.Viewport{{Width: 1280, Height: 800}, {Width: 390, Height: 844}} {
				pages = append(pages, browsertest.Page{
					Name:    v.role + " " + v.path + " " + lang + " " + map[int]string{1280: "desk", 390: "phone"}[vp.Width],
					URL:     w.srv.URL + walkQuery(v.path, "lang="+lang),
					Cookies: cookies, Viewport: vp,
				})
			}
		}
	}
	results := browsertest.Check(t, pages...)
	browsertest.AssertClean(t, results, walkBudget)
	for _, r := range results {
		if r.Overflow > 0 {
			t.Errorf("%s: the page is %d px wider than the window", r.Name, r.Overflow)
		}
		if !strings.HasPrefix(r.FinalURL, w.srv.URL) {
			t.Errorf("%s: ended at %s", r.Name, r.FinalURL)
		}
	}
}
