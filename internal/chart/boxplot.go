// Package chart draws charts as SVG written on the server: no JavaScript,
// no library. Each chart is an image to assistive technologies
// (role="img"), named by its <title> and described, figures included, by
// its <desc>; pages put a data table beside it for those who prefer to read.
package chart

import (
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// Box is one box of a box plot: a label and a five-number summary. A
// flagged box is marked by a hatched fill, a thicker dashed outline and a
// written mark beside its label, never by colour alone.
type Box struct {
	Label   string
	Figures certibloc.FiveNumbers
	Flagged bool
	Note    string // a sentence added to the description after the figures, e.g. why the box is flagged
}

// BoxPlot is a horizontal box plot: one row per box, the label above its
// box, on a shared axis from Min to Max. Whiskers reach the minimum and
// the maximum (there are no outliers in a five-number summary).
type BoxPlot struct {
	ID    string // prefix of the ids inside the SVG, unique on the page
	Title string // the chart's accessible name
	Intro string // the first sentence of the description
	Axis  string // the axis caption, e.g. « % du maximum de la grille »
	Unit  string // written after tick labels, e.g. " %"
	Min   float64
	Max   float64
	Boxes []Box
	Lang  certibloc.Lang // numbers use a decimal comma in French
}

// Geometry of the drawing, in viewBox units. The width is small so that
// on a phone, where the image shrinks to the screen, 14-unit text stays
// about 12 CSS pixels.
const (
	Width    = 380.0
	Left     = 24.0 // the axis starts here…
	Right    = 352.0
	top      = 8.0
	rowH     = 56.0 // a label line and a box
	boxTop   = 22.0 // from the row's top
	boxH     = 22.0
	axisH    = 52.0 // ticks, their labels and the caption
	fontSize = 14
)

// X is where value v sits on the axis.
func (b *BoxPlot) X(v float64) float64 {
	if b.Max <= b.Min {
		return Left
	}
	v = min(max(v, b.Min), b.Max)
	return Left + (v-b.Min)*(Right-Left)/(b.Max-b.Min)
}

// RowTop is the top of row i.
func RowTop(i int) float64 { return top + float64(i)*rowH }

// Height is the height of the whole drawing.
func (b *BoxPlot) Height() float64 { return RowTop(len(b.Boxes)) + axisH }

// Num writes v rounded to one decimal, with the language's decimal mark.
func Num(v float64, l certibloc.Lang) string {
	// Half-tenths round away from zero, as people do (90,25 → 90,3).
	s := strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	if l == certibloc.French {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// coord writes a coordinate: two decimals at most, a point always.
func coord(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// words are the few words the chart writes itself.
var words = map[certibloc.Lang]map[string]string{
	certibloc.French:  {"figures": "%s : %d notes, minimum %s, premier quartile %s, médiane %s, troisième quartile %s, maximum %s.", "flag": "⚠ écart signalé", "n": "n = %d"},
	certibloc.English: {"figures": "%s: %d grades, minimum %s, first quartile %s, median %s, third quartile %s, maximum %s.", "flag": "⚠ gap flagged", "n": "n = %d"},
}

// Describe is the chart's description: the intro, then each box's
// figures and note.
func (b *BoxPlot) Describe() string {
	w := words[b.Lang]
	parts := []string{}
	if b.Intro != "" {
		parts = append(parts, b.Intro)
	}
	for _, x := range b.Boxes {
		f := x.Figures
		n := func(v float64) string { return Num(v, b.Lang) }
		parts = append(parts, fmt.Sprintf(w["figures"], x.Label, f.N, n(f.Min), n(f.Q1), n(f.Median), n(f.Q3), n(f.Max)))
		if x.Note != "" {
			parts = append(parts, x.Note)
		}
	}
	return strings.Join(parts, " ")
}

// Render writes the SVG element.
func (b *BoxPlot) Render(w io.Writer) error {
	e := html.EscapeString
	wd := words[b.Lang]
	h := b.Height()
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="chart boxplot" role="img" viewBox="0 0 %s %s" width="100%%" aria-labelledby="%s-title" aria-describedby="%s-desc">`,
		coord(Width), coord(h), e(b.ID), e(b.ID))
	fmt.Fprintf(&s, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, e(b.ID), e(b.Title), e(b.ID), e(b.Describe()))
	// The hatching of flagged boxes: diagonal lines, visible without colour.
	fmt.Fprintf(&s, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">`+
		`<rect width="6" height="6" fill="#fde8d7"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a3200" stroke-width="2"/></pattern></defs>`, e(b.ID))
	fmt.Fprintf(&s, `<g font-size="%d" font-family="system-ui, sans-serif" fill="#1b1b1b">`, fontSize)
	plotBottom := RowTop(len(b.Boxes))
	// Grid lines at each tick, behind the boxes.
	ticks := b.ticks()
	for _, t := range ticks {
		x := coord(b.X(t))
		fmt.Fprintf(&s, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#c8c8c8" stroke-width="1"/>`, x, coord(top), x, coord(plotBottom))
	}
	for i, x := range b.Boxes {
		y := RowTop(i)
		f := x.Figures
		label := x.Label + " (" + fmt.Sprintf(wd["n"], f.N) + ")"
		class := "box"
		if x.Flagged {
			class = "box flagged"
		}
		fmt.Fprintf(&s, `<g class="%s" data-label="%s">`, class, e(x.Label))
		fmt.Fprintf(&s, `<text x="%s" y="%s">%s`, coord(Left), coord(y+15), e(label))
		if x.Flagged {
			fmt.Fprintf(&s, ` <tspan class="flag" font-weight="700" fill="#8a3200">%s</tspan>`, e(wd["flag"]))
		}
		s.WriteString(`</text>`)
		if f.N > 0 {
			mid := coord(y + boxTop + boxH/2)
			y1, y2 := coord(y+boxTop), coord(y+boxTop+boxH)
			q1, q3 := b.X(f.Q1), b.X(f.Q3)
			stroke, dash, fill := "2", "", "#dbe7f3"
			if x.Flagged {
				stroke, dash, fill = "3", ` stroke-dasharray="5 3"`, "url(#"+b.ID+"-hatch)"
			}
			fmt.Fprintf(&s, `<line class="whisker" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b" stroke-width="2"/>`, coord(b.X(f.Min)), mid, coord(q1), mid)
			fmt.Fprintf(&s, `<line class="whisker" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b" stroke-width="2"/>`, coord(q3), mid, coord(b.X(f.Max)), mid)
			for _, v := range []float64{f.Min, f.Max} {
				fmt.Fprintf(&s, `<line class="cap" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b" stroke-width="2"/>`, coord(b.X(v)), coord(y+boxTop+4), coord(b.X(v)), coord(y+boxTop+boxH-4))
			}
			fmt.Fprintf(&s, `<rect class="iqr" x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#0b4f8a" stroke-width="%s"%s/>`,
				coord(q1), y1, coord(q3-q1), coord(boxH), fill, stroke, dash)
			fmt.Fprintf(&s, `<line class="median" x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b" stroke-width="4"/>`, coord(b.X(f.Median)), y1, coord(b.X(f.Median)), y2)
		}
		s.WriteString(`</g>`)
	}
	// The axis: a line, ticks with their values, and the caption.
	fmt.Fprintf(&s, `<g class="axis"><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b" stroke-width="1"/>`, coord(Left), coord(plotBottom), coord(Right), coord(plotBottom))
	for _, t := range ticks {
		x := coord(b.X(t))
		fmt.Fprintf(&s, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#1b1b1b" stroke-width="1"/>`, x, coord(plotBottom), x, coord(plotBottom+5))
		fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle">%s</text>`, x, coord(plotBottom+20), e(Num(t, b.Lang)+b.Unit))
	}
	fmt.Fprintf(&s, `<text x="%s" y="%s" text-anchor="middle" fill="#4a4a4a">%s</text></g>`, coord((Left+Right)/2), coord(plotBottom+42), e(b.Axis))
	s.WriteString(`</g></svg>`)
	_, err := io.WriteString(w, s.String())
	return err
}

// ticks are five evenly spaced values from Min to Max.
func (b *BoxPlot) ticks() []float64 {
	out := make([]float64, 5)
	for i := range out {
		out[i] = b.Min + float64(i)*(b.Max-b.Min)/4
	}
	return out
}

// String is the SVG as a string.
func (b *BoxPlot) String() string {
	var s strings.Builder
	_ = b.Render(&s)
	return s.String()
}
