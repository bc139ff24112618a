package chart

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// TestBarsAreWellFormedAndDescribed: the SVG parses, names itself, says
// every figure in its description, and draws each bar to its share of
// the width, a rate above 100 kept inside the frame.
func TestBarsAreWellFormedAndDescribed(t *testing.T) {
	b := &Bars{ID: "taux", Title: "Taux de réussite par bloc", Intro: "Part des candidats qui ont validé chaque bloc.",
		Bars: []Bar{{Label: "RNCP38478BC01 & co", Value: 87.5, Note: "40 candidats"}, {Label: "BC02", Value: 120}}, Lang: certibloc.French}
	svg := b.String()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, svg)
			}
			break
		}
	}
	for _, want := range []string{`role="img"`, "<title id=\"taux-title\">Taux de réussite par bloc</title>",
		"RNCP38478BC01 &amp; co : 87,5 % (40 candidats)", `width="287"`, `width="328"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %q:\n%s", want, svg)
		}
	}
}
