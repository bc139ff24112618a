package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
)

// renderSeed renders the seed programme and certification in lang.
func renderSeed(t *testing.T, lang string) ([]byte, *certibloc.Programme, *certibloc.Certification) {
	t.Helper()
	pages, err := NewPages()
	if err != nil {
		t.Fatal(err)
	}
	prog, err := seed.Programme()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := seed.Certification()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pages.Programme(&buf, newPage(lang), prog, cert); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), prog, cert
}

func TestProgrammePageShowsTheWholeSheet(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		t.Run(lang, func(t *testing.T) {
			page, prog, cert := renderSeed(t, lang)
			d := parseHTML(t, page)
			// The data is French: on the English page it must sit in
			// elements marked lang="fr", so French text is where to look.
			french := d.text["fr"]
			all := d.allText() + strings.Join(d.hrefs, "\x00")
			for _, b := range cert.Blocks {
				want := append([]string{b.Code, b.Title, b.EvaluationText}, b.Competencies...)
				want = append(want, b.Jobs...)
				for _, e := range b.Evaluations {
					want = append(want, e.Title, e.Description)
				}
				if !strings.Contains(all, b.Code) {
					t.Errorf("block %s is not on the page", b.Code)
				}
				for _, s := range want[1:] {
					if !strings.Contains(french, collapse(s)) {
						t.Errorf("block %s: %q is not on the page as French text", b.Code, s)
					}
				}
			}
			for _, r := range cert.EntryRules {
				if !strings.Contains(french, collapse(r.Text)) {
					t.Errorf("entry rule %s: %q is not on the page", r.Rule, r.Text)
				}
			}
			for _, c := range cert.Validation.Complementary {
				if !strings.Contains(french, c.Title) {
					t.Errorf("complementary evaluation %q is not on the page", c.Title)
				}
			}
			// Addresses, codes and names of networks are in any language;
			// every other text of the sheet is French.
			anyLang := map[string]bool{"certification_code": true, "content.modules.block": true,
				"outcomes.block": true, "contacts.email": true, "contacts.phone": true,
				"accessibility.referent.email": true, "social.label": true, "admission.deadline": true,
				"social.url": true, "links.url": true}
			for path, texts := range programmeStrings(t, prog) {
				where := french + strings.Join(d.hrefs, "\x00")
				if anyLang[path] {
					where = all
				}
				for _, s := range texts {
					if !strings.Contains(where, collapse(s)) {
						t.Errorf("programme text %s %q is not on the page (as French text)", path, s)
					}
				}
			}
			if !strings.Contains(all, cert.URL) || !strings.Contains(all, cert.NSFCodes[0].Label) {
				t.Error("the France Compétences link or the NSF label is missing")
			}
			if !strings.Contains(string(page), `<time datetime="2025-05-13">`+map[string]string{"fr": "13/05/2025", "en": "13 May 2025"}[lang]+"</time>") {
				t.Error("the date of the sheet is not on the page")
			}
			if strings.Contains(string(page), "[[") {
				t.Error("an interface string is missing: [[key]] on the page")
			}
		})
	}
}

// programmeStrings is every string of the programme as JSON by its path
// (contacts.email), less the slug (the page's address), the codes of the
// tracks and the date, which the page writes in its own format.
func programmeStrings(t *testing.T, p *certibloc.Programme) map[string][]string {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	n := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case string:
			if v != "" && path != "slug" && path != "duration.tracks.code" && path != "updated_on" {
				out[path] = append(out[path], v)
				n++
			}
		case []any:
			for _, e := range v {
				walk(path, e)
			}
		case map[string]any:
			for k, e := range v {
				walk(strings.TrimPrefix(path+"."+k, "."), e)
			}
		}
	}
	walk("", v)
	if n < 50 {
		t.Fatalf("only %d strings in the programme: the walk is broken", n)
	}
	return out
}

func TestProgrammePageSize(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		page, _, _ := renderSeed(t, lang)
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
		w.Write(page)
		w.Close()
		t.Logf("%s page: %d bytes, %d bytes gzip-compressed", lang, len(page), gz.Len())
		if len(page) > 50*1024 {
			t.Errorf("%s page is %d bytes: more than 50 KB", lang, len(page))
		}
		if gz.Len() > 50*1024 {
			t.Errorf("%s page is %d bytes gzip-compressed: more than 50 KB", lang, gz.Len())
		}
	}
}

func TestEmptyProgrammeRenders(t *testing.T) {
	pages, err := NewPages()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		prog *certibloc.Programme
		cert *certibloc.Certification
	}{
		{"nil", nil, nil},
		{"empty", &certibloc.Programme{}, &certibloc.Certification{}},
		{"odd", &certibloc.Programme{Outcomes: []certibloc.Section{{Title: "x", Block: "RS1BC9"}}},
			&certibloc.Certification{
				Blocks:     []certibloc.Block{{Code: "RS1BC1", Kind: "other", Evaluations: []certibloc.Evaluation{{Number: 1, Form: "pair"}}}},
				EntryRules: []certibloc.EntryRule{{Track: "evening", Rule: "any"}},
				BlockRules: []certibloc.BlockRule{{Track: "evening", Block: "RS1BC1", Requires: "RS1BC7"}},
				Validation: &certibloc.ValidationRule{}}},
	}
	for _, c := range cases {
		for _, lang := range []string{"fr", "en", ""} {
			var buf bytes.Buffer
			if err := pages.Programme(&buf, newPage(lang), c.prog, c.cert); err != nil {
				t.Fatalf("%s %q: %v", c.name, lang, err)
			}
			d := parseHTML(t, buf.Bytes())
			if d.tags["h1"] != 1 || d.title == "" {
				t.Errorf("%s %q: %d h1, title %q", c.name, lang, d.tags["h1"], d.title)
			}
			checkHeadings(t, d)
		}
	}
}

// TestProgrammeCallToApplyNearTheTop: the link to apply comes right after
// the summary, before the first section, so that a phone shows it on the
// first screen, not after the whole sheet.
func TestProgrammeCallToApplyNearTheTop(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		page, prog, _ := renderSeed(t, lang)
		s := string(page)
		link := strings.Index(s, `<a class="apply" href="/signup?programme=`+prog.Slug)
		section := strings.Index(s, "<section")
		if link < 0 || section < 0 || link > section {
			t.Errorf("%s: the call to apply is at %d, the first section at %d", lang, link, section)
		}
	}
}
