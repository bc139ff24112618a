package chart

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/certibloc/certibloc"
)

// Bar is one bar of a bar chart: a label, a value from 0 to 100 (a rate)
// and the note written beside it, e.g. the number of candidates.
type Bar struct {
	Label string
	Value float64
	Note  string
}

// Bars is a horizontal chart of rates in percent, one row per bar, the
// label and the value written above its bar so that no figure is read
// from the bar's length alone.
type Bars struct {
	ID    string // prefix of the ids inside the SVG, unique on the page
	Title string
	Intro string // the first sentence of the description
	Bars  []Bar
	Lang  certibloc.Lang
}

const barRowH = 44.0

// Height is the drawing's height in viewBox units.
func (b *Bars) Height() float64 { return top + float64(len(b.Bars))*barRowH + 8 }

// Describe is the chart's description: the intro, then every bar's figures.
func (b *Bars) Describe() string {
	parts := []string{b.Intro}
	for _, x := range b.Bars {
		p := x.Label + " : " + Num(x.Value, b.Lang) + " %"
		if b.Lang == certibloc.English {
			p = x.Label + ": " + Num(x.Value, b.Lang) + "%"
		}
		if x.Note != "" {
			p += " (" + x.Note + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ; ")
}

// Render writes the SVG element.
func (b *Bars) Render(w io.Writer) error {
	e := html.EscapeString
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" role="img" viewBox="0 0 %s %s" width="100%%" aria-labelledby="%s-title" aria-describedby="%s-desc">`,
		coord(Width), coord(b.Height()), e(b.ID), e(b.ID))
	fmt.Fprintf(&s, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, e(b.ID), e(b.Title), e(b.ID), e(b.Describe()))
	fmt.Fprintf(&s, `<g font-size="%d" font-family="system-ui, sans-serif" fill="#1b1b1b">`, fontSize)
	for i, x := range b.Bars {
		y := top + float64(i)*barRowH
		v := min(max(x.Value, 0), 100)
		label := x.Label + " — " + Num(x.Value, b.Lang) + " %"
		if x.Note != "" {
			label += " (" + x.Note + ")"
		}
		fmt.Fprintf(&s, `<g class="bar" data-label="%s"><text x="%s" y="%s">%s</text>`, e(x.Label), coord(Left), coord(y+15), e(label))
		fmt.Fprintf(&s, `<rect x="%s" y="%s" width="%s" height="16" fill="#f0f0f0" stroke="#6b6b6b" stroke-width="1"/>`, coord(Left), coord(y+22), coord(Right-Left))
		fmt.Fprintf(&s, `<rect class="value" x="%s" y="%s" width="%s" height="16" fill="#0b4f8a"/></g>`, coord(Left), coord(y+22), coord((Right-Left)*v/100))
	}
	s.WriteString(`</g></svg>`)
	_, err := io.WriteString(w, s.String())
	return err
}

// String is the SVG as a string.
func (b *Bars) String() string {
	var s strings.Builder
	_ = b.Render(&s)
	return s.String()
}
