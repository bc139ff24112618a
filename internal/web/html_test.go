package web

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// doc is what the tests read of a rendered page. The page is parsed with
// encoding/xml in its HTML mode (lenient, void elements closed, HTML
// entities known), which is enough for the well-formed HTML the templates
// write and keeps the module free of a parser dependency.
type doc struct {
	lang      string            // <html lang>
	title     string            // <title>
	meta      map[string]string // <meta name> → content
	text      map[string]string // effective language → the text written in it, whitespace collapsed
	headings  []heading         // in document order
	ids       map[string]int    // id → how many elements carry it
	hrefs     []string          // <a href>
	resources []string          // addresses the browser would fetch: src, <link href>…
	tags      map[string]int    // element name → count
}

// heading is an h1…h6 and its text.
type heading struct {
	level int
	text  string
}

// parseHTML reads a page, failing the test when it is not well formed.
func parseHTML(t *testing.T, page []byte) *doc {
	t.Helper()
	d := &doc{meta: map[string]string{}, text: map[string]string{}, ids: map[string]int{},
		tags: map[string]int{}}
	dec := xml.NewDecoder(bytes.NewReader(page))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	var langs []string // the lang in force at each open element
	var open []string  // names of open elements
	var texts = map[string]*strings.Builder{}
	var inHeading *heading
	var inTitle bool
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the page is not well formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			lang := d.lang
			if len(langs) > 0 {
				lang = langs[len(langs)-1]
			}
			d.tags[name]++
			for _, a := range tok.Attr {
				switch {
				case a.Name.Local == "lang":
					lang = a.Value
					if name == "html" {
						d.lang = a.Value
					}
				case a.Name.Local == "id":
					d.ids[a.Value]++
				case a.Name.Local == "href" && name == "a":
					d.hrefs = append(d.hrefs, a.Value)
				case a.Name.Local == "src" || a.Name.Local == "srcset" || a.Name.Local == "poster" ||
					a.Name.Local == "data" || a.Name.Local == "href" && name == "link":
					d.resources = append(d.resources, a.Value)
				case a.Name.Local == "style":
					d.resources = append(d.resources, "style attribute: "+a.Value)
				}
			}
			if name == "meta" {
				d.meta[attr(tok, "name")] = attr(tok, "content")
			}
			if len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' {
				inHeading = &heading{level: int(name[1] - '0')}
			}
			inTitle = name == "title"
			langs = append(langs, lang)
			open = append(open, name)
			addText(texts, lang, " ")
		case xml.EndElement:
			if len(open) > 0 {
				open, langs = open[:len(open)-1], langs[:len(langs)-1]
			}
			if inHeading != nil && tok.Name.Local == "h"+string(rune('0'+inHeading.level)) {
				inHeading.text = collapse(inHeading.text)
				d.headings = append(d.headings, *inHeading)
				inHeading = nil
			}
			inTitle = false
			if len(langs) > 0 {
				addText(texts, langs[len(langs)-1], " ")
			}
		case xml.CharData:
			if inTitle {
				d.title += string(tok)
			}
			if inHeading != nil {
				inHeading.text += string(tok)
			}
			if len(langs) > 0 && (len(open) == 0 || open[len(open)-1] != "style") {
				addText(texts, langs[len(langs)-1], string(tok))
			}
		}
	}
	for lang, b := range texts {
		d.text[lang] = collapse(b.String())
	}
	return d
}

// allText is the page's text in every language, one after the other.
func (d *doc) allText() string {
	var b strings.Builder
	for _, s := range d.text {
		b.WriteString(s)
		b.WriteString("\x00")
	}
	return b.String()
}

func addText(texts map[string]*strings.Builder, lang, s string) {
	if texts[lang] == nil {
		texts[lang] = &strings.Builder{}
	}
	texts[lang].WriteString(s)
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// collapse turns runs of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
