package server_test

import (
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/browsertest"
)

// TestChangedPagesOnAPhoneAndADesk: the pages issue 11 changed (the
// history, lists and tables now scrolling in their own box, the outbox,
// the programme's call to apply, a draft with its deletion) have no
// axe-core violation and never scroll sideways, at 390×844 in French and
// English and at 1280×800.
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
	// The widest tables and the pages changed most; every other page is
	// checked at the desk width by TestEveryPageForEveryRoleInBrowser.
	visits := []visit{
		{anonymous, first("GET /programmes/{slug}")},
		{"staff", first("GET /app/audit/{entity}/{id}")},
		{"staff", first("GET /app/campaigns/{id}")},
		{"staff", "/app/outbox"},
		{"admin", "/app/tokens"},
		{"candidate", first("GET /app/applications/{id}")},
	}
	var pages []browsertest.Page
	for _, v := range visits {
		var cookies []browsertest.Cookie
		if v.role != anonymous {
			cookies = []browsertest.Cookie{{Name: "certibloc_session", Value: w.users[v.role].session}}
		}
		for _, lang := range []string{"fr", "en"} {
			// The phone in both languages, the desk in English (the role
			// walk sees every page at the desk in French).
			vps := []*browsertest.Viewport{{Width: 390, Height: 844}}
			if lang == "en" {
				vps = append(vps, &browsertest.Viewport{Width: 1280, Height: 800})
			}
			for _, vp := range vps {
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
