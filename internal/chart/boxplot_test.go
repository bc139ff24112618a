package chart

import (
	"encoding/xml"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// node is an XML element with its attributes, children and text.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// all returns the descendants named name, in document order.
func (n *node) all(name string) []*node {
	var out []*node
	for i := range n.Nodes {
		c := &n.Nodes[i]
		if c.XMLName.Local == name {
			out = append(out, c)
		}
		out = append(out, c.all(name)...)
	}
	return out
}

// text is the text of n and its descendants.
func (n *node) text() string {
	s := n.Text
	for i := range n.Nodes {
		s += n.Nodes[i].text()
	}
	return s
}

func parse(t *testing.T, svg string) *node {
	t.Helper()
	var root node
	if err := xml.Unmarshal([]byte(svg), &root); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
	}
	return &root
}

func num(t *testing.T, n *node, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr(name), 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.XMLName.Local, name, n.attr(name), err)
	}
	return v
}

func near(a, b float64) bool { return a-b < 0.006 && b-a < 0.006 }

func sample() *BoxPlot {
	return &BoxPlot{ID: "fair", Title: "Équité des correcteurs", Intro: "Notes en % du maximum de la grille.",
		Axis: "% du maximum de la grille", Unit: " %", Min: 0, Max: 100, Lang: certibloc.French,
		Boxes: []Box{
			{Label: "Alice <Martin>", Figures: certibloc.FiveNumbers{N: 5, Min: 50, Q1: 55, Median: 60, Q3: 65, Max: 70}},
			{Label: "Chloé", Figures: certibloc.FiveNumbers{N: 6, Min: 80, Q1: 85.5, Median: 90.25, Q3: 95, Max: 100}, Flagged: true,
				Note: "Écart signalé : médiane 29 points au-dessus de celle des autres correcteurs."},
		}}
}

func TestBoxPlotPlacesEachBoxOnTheAxis(t *testing.T) {
	b := sample()
	root := parse(t, b.String())
	if root.XMLName.Local != "svg" || root.attr("role") != "img" {
		t.Fatalf("root = <%s role=%q>, want <svg role=\"img\">", root.XMLName.Local, root.attr("role"))
	}
	if vb := root.attr("viewBox"); vb != "0 0 380 "+coord(b.Height()) || root.attr("width") != "100%" || root.attr("height") != "" {
		t.Errorf("viewBox %q width %q height %q: want a viewBox, the full width and no fixed height, so that it scales", vb, root.attr("width"), root.attr("height"))
	}
	var groups []*node
	for _, g := range root.all("g") {
		if strings.HasPrefix(g.attr("class"), "box") {
			groups = append(groups, g)
		}
	}
	if len(groups) != len(b.Boxes) {
		t.Fatalf("%d box groups, want %d", len(groups), len(b.Boxes))
	}
	scale := (Right - Left) / 100
	for i, g := range groups {
		f := b.Boxes[i].Figures
		if g.attr("data-label") != b.Boxes[i].Label {
			t.Errorf("box %d label %q, want %q", i, g.attr("data-label"), b.Boxes[i].Label)
		}
		rects := g.all("rect")
		if len(rects) != 1 {
			t.Fatalf("box %d: %d rects", i, len(rects))
		}
		r := rects[0]
		if x, w := num(t, r, "x"), num(t, r, "width"); !near(x, Left+f.Q1*scale) || !near(x+w, Left+f.Q3*scale) {
			t.Errorf("box %d spans %v to %v, want Q1 %v → %v and Q3 %v → %v", i, x, x+w, f.Q1, Left+f.Q1*scale, f.Q3, Left+f.Q3*scale)
		}
		if y := num(t, r, "y"); !near(y, RowTop(i)+boxTop) {
			t.Errorf("box %d at y %v, want %v (one row each)", i, y, RowTop(i)+boxTop)
		}
		var median, whiskers []*node
		for _, l := range g.all("line") {
			switch l.attr("class") {
			case "median":
				median = append(median, l)
			case "whisker":
				whiskers = append(whiskers, l)
			}
		}
		if len(median) != 1 || !near(num(t, median[0], "x1"), Left+f.Median*scale) || median[0].attr("x1") != median[0].attr("x2") {
			t.Errorf("box %d: median line %+v, want one vertical line at %v", i, median, Left+f.Median*scale)
		}
		if len(whiskers) != 2 || !near(num(t, whiskers[0], "x1"), Left+f.Min*scale) || !near(num(t, whiskers[1], "x2"), Left+f.Max*scale) {
			t.Errorf("box %d: whiskers do not reach min %v and max %v", i, f.Min, f.Max)
		}
	}
}

func TestBoxPlotIsAccessible(t *testing.T) {
	b := sample()
	root := parse(t, b.String())
	titles, descs := root.all("title"), root.all("desc")
	if len(titles) != 1 || len(descs) != 1 {
		t.Fatalf("%d titles and %d descs, want one each", len(titles), len(descs))
	}
	if root.attr("aria-labelledby") != titles[0].attr("id") || root.attr("aria-describedby") != descs[0].attr("id") {
		t.Errorf("aria-labelledby %q, aria-describedby %q: want the title and the description", root.attr("aria-labelledby"), root.attr("aria-describedby"))
	}
	if titles[0].text() != "Équité des correcteurs" {
		t.Errorf("title %q", titles[0].text())
	}
	desc := descs[0].text()
	for _, want := range []string{
		"Notes en % du maximum de la grille.",
		"Alice <Martin> : 5 notes, minimum 50, premier quartile 55, médiane 60, troisième quartile 65, maximum 70.",
		"Chloé : 6 notes, minimum 80, premier quartile 85,5, médiane 90,3, troisième quartile 95, maximum 100.",
		"Écart signalé : médiane 29 points",
	} {
		if !strings.Contains(desc, want) {
			t.Errorf("the description lacks %q:\n%s", want, desc)
		}
	}
}

func TestBoxPlotMarksAFlaggedBoxBeyondColour(t *testing.T) {
	root := parse(t, sample().String())
	var plain, flagged *node
	for _, g := range root.all("g") {
		switch g.attr("class") {
		case "box":
			plain = g
		case "box flagged":
			flagged = g
		}
	}
	if plain == nil || flagged == nil {
		t.Fatal("want one plain and one flagged box")
	}
	if got := flagged.all("text")[0].text(); !strings.Contains(got, "⚠ écart signalé") {
		t.Errorf("flagged label %q has no written mark", got)
	}
	if got := plain.all("text")[0].text(); strings.Contains(got, "écart") {
		t.Errorf("plain label %q is marked", got)
	}
	fr, pr := flagged.all("rect")[0], plain.all("rect")[0]
	if fr.attr("stroke-dasharray") == "" || !strings.HasPrefix(fr.attr("fill"), "url(#fair-hatch") || pr.attr("stroke-dasharray") != "" {
		t.Errorf("flagged rect %v, plain rect %v: want a hatched, dashed flagged box only", fr.Attrs, pr.Attrs)
	}
	if len(root.all("pattern")) != 1 || root.all("pattern")[0].attr("id") != "fair-hatch" {
		t.Error("the hatch pattern is missing or not prefixed by the chart's id")
	}
}

func TestBoxPlotEnglishUsesADecimalPoint(t *testing.T) {
	b := sample()
	b.Lang = certibloc.English
	desc := parse(t, b.String()).all("desc")[0].text()
	if !strings.Contains(desc, "Chloé: 6 grades, minimum 80, first quartile 85.5, median 90.3") {
		t.Errorf("English description: %s", desc)
	}
}

func TestBoxPlotGolden(t *testing.T) {
	got := sample().String()
	const path = "testdata/boxplot.svg"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/chart -update)", err)
	}
	if got != string(want) {
		t.Errorf("the SVG differs from %s (run with -update after checking it):\n%s", path, got)
	}
}

func TestNum(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		l    certibloc.Lang
		want string
	}{{72.5, certibloc.French, "72,5"}, {72.5, certibloc.English, "72.5"}, {60, certibloc.French, "60"}, {-0.01, certibloc.French, "0"}, {33.333, certibloc.French, "33,3"}} {
		if got := Num(tt.v, tt.l); got != tt.want {
			t.Errorf("Num(%v, %v) = %q, want %q", tt.v, tt.l, got, tt.want)
		}
	}
}
