package web

import (
	"bytes"
	"strings"
	"testing"
)

// checkHeadings wants one h1, first, and no level skipped on the way down.
func checkHeadings(t *testing.T, d *doc) {
	t.Helper()
	if len(d.headings) == 0 || d.headings[0].level != 1 {
		t.Errorf("the first heading is not an h1: %v", d.headings)
		return
	}
	h1 := 0
	for i, h := range d.headings {
		if h.level == 1 {
			h1++
		}
		if i > 0 && h.level > d.headings[i-1].level+1 {
			t.Errorf("heading h%d %q follows h%d %q: a level is skipped",
				h.level, h.text, d.headings[i-1].level, d.headings[i-1].text)
		}
		if h.text == "" {
			t.Errorf("an h%d is empty", h.level)
		}
	}
	if h1 != 1 {
		t.Errorf("%d h1 headings, want 1", h1)
	}
}

// checkAccessible holds a page to the rules every page keeps: language,
// landmarks, skip link, anchors that lead somewhere, no outside resource.
func checkAccessible(t *testing.T, d *doc, lang string) {
	t.Helper()
	checkHeadings(t, d)
	if d.lang != lang {
		t.Errorf("html lang = %q, want %q", d.lang, lang)
	}
	for _, tag := range []string{"header", "nav", "main", "footer"} {
		if d.tags[tag] != 1 {
			t.Errorf("%d <%s> landmarks, want 1", d.tags[tag], tag)
		}
	}
	if d.ids["main"] != 1 || len(d.hrefs) == 0 || d.hrefs[0] != "#main" {
		t.Errorf("the first link is %v, want a skip link to #main", d.hrefs[:min(1, len(d.hrefs))])
	}
	for id, n := range d.ids {
		if n > 1 {
			t.Errorf("id %q is used %d times", id, n)
		}
	}
	for _, h := range d.hrefs {
		if id, ok := strings.CutPrefix(h, "#"); ok && d.ids[id] == 0 {
			t.Errorf("link to #%s leads nowhere", id)
		}
		if strings.HasPrefix(h, "javascript:") {
			t.Errorf("link %q runs a script", h)
		}
	}
	if d.tags["script"]+d.tags["iframe"]+d.tags["object"]+d.tags["embed"]+d.tags["img"] > 0 {
		t.Errorf("the page has scripts, frames or images: %v", d.tags)
	}
	for _, r := range d.resources {
		if strings.Contains(r, "//") || strings.Contains(r, "url(") {
			t.Errorf("the page loads %q: no outside resource, no url() in styles", r)
		}
	}
	if d.title == "" || d.meta["description"] == "" || d.meta["viewport"] == "" {
		t.Errorf("title %q, meta description %q, viewport %q", d.title, d.meta["description"], d.meta["viewport"])
	}
	if strings.Contains(d.allText(), "[[") {
		t.Error("an interface string is missing: [[key]] on the page")
	}
}

func TestProgrammePageIsAccessible(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			page, _, _ := renderSeed(t, lang)
			d := parseHTML(t, page)
			checkAccessible(t, d, lang)
			other := map[string]string{"fr": "en", "en": "fr"}[lang]
			if !strings.Contains(string(page), `<a href="?lang=`+other+`" hreflang="`+other+`" lang="`+other+`">`) {
				t.Errorf("no link to the %s page", other)
			}
			if got := d.headings[0].text; !strings.HasPrefix(got, "Coordinateur de projets informatiques") {
				t.Errorf("h1 = %q", got)
			}
			for _, want := range []string{"mailto:secretariat@diiage.org", "tel:+33380734590", "mailto:referent.handicap@cucdb.fr"} {
				if !strings.Contains(strings.Join(d.hrefs, " "), want) {
					t.Errorf("no link to %s", want)
				}
			}
			if n := d.tags["details"]; n != 10 {
				t.Errorf("%d evaluations in <details>, want 10", n)
			}
		})
	}
}

// TestEnglishPageSeparatesLanguages checks that labels are in English and
// the published texts in elements marked French.
func TestEnglishPageSeparatesLanguages(t *testing.T) {
	page, _, _ := renderSeed(t, "en")
	d := parseHTML(t, page)
	for _, label := range []string{"Blocks of competencies", "Competencies", "Entry requirements", "Price", "Optional block", "published in French only"} {
		if !strings.Contains(d.text["en"], label) {
			t.Errorf("English label %q is not in English text", label)
		}
	}
	for _, data := range []string{"Sur demande ou sur devis.", "Piloter un projet informatique", "Niveau 5 validé"} {
		if strings.Contains(d.text["en"], data) {
			t.Errorf("French data %q is not marked lang=fr", data)
		}
	}
}

func TestErrorPage(t *testing.T) {
	pages, err := NewPages()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		lang, want string
	}{{"fr", "Erreur 404 – Page introuvable"}, {"en", "Error 404 – Not Found"}, {"de", "Erreur 404 – Page introuvable"}} {
		var buf bytes.Buffer
		if err := pages.Error(&buf, newPage(tt.lang), 404, "Aucune fiche ne porte ce nom."); err != nil {
			t.Fatal(err)
		}
		d := parseHTML(t, buf.Bytes())
		lang := map[string]string{"de": "fr"}[tt.lang]
		if lang == "" {
			lang = tt.lang
		}
		checkAccessible(t, d, lang)
		if d.headings[0].text != tt.want || !strings.Contains(d.allText(), "Aucune fiche ne porte ce nom.") {
			t.Errorf("%s: h1 %q, text %q", tt.lang, d.headings[0].text, d.allText())
		}
	}
}

func TestMessagesComplete(t *testing.T) {
	for key := range messages["fr"] {
		if _, ok := messages["en"][key]; !ok {
			t.Errorf("%q has no English", key)
		}
	}
	for key := range messages["en"] {
		if _, ok := messages["fr"][key]; !ok {
			t.Errorf("%q has no French", key)
		}
	}
}
