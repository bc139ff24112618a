package web

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// funnelStage is a bar of the funnel: how many applications reached a
// stage of the workflow, or left it by an exit.
type funnelStage struct {
	Key   string // interface string of its label
	Count int
	Exit  bool
}

// funnelStages derives the funnel from the counts of applications by
// their current state: an application counts for every stage it went
// through, so an admitted one counts as submitted, admissible, interviewed
// and admitted. Drafts were never submitted and are left out; withdrawn
// applications are an exit of their own, since their state no longer says
// how far they went.
func funnelStages(c map[certibloc.State]int) []funnelStage {
	enrolled := c[certibloc.Enrolled]
	admitted := c[certibloc.Admitted] + enrolled
	interviewed := c[certibloc.Interviewed] + c[certibloc.WaitingList] + c[certibloc.Refused] + admitted
	admissible := c[certibloc.Admissible] + c[certibloc.InterviewScheduled] + interviewed
	submitted := c[certibloc.Submitted] + c[certibloc.NotAdmissible] + admissible
	return []funnelStage{
		{Key: "funnel_submitted", Count: submitted},
		{Key: "funnel_admissible", Count: admissible},
		{Key: "funnel_interviewed", Count: interviewed},
		{Key: "funnel_admitted", Count: admitted},
		{Key: "funnel_enrolled", Count: enrolled},
		{Key: "funnel_not_admissible", Count: c[certibloc.NotAdmissible], Exit: true},
		{Key: "funnel_waiting_list", Count: c[certibloc.WaitingList], Exit: true},
		{Key: "funnel_refused", Count: c[certibloc.Refused], Exit: true},
		{Key: "funnel_withdrawn", Count: c[certibloc.Withdrawn], Exit: true},
	}
}

// Geometry of the chart, in the units of its viewBox: labels on the left,
// bars from barX, the count written after each bar.
const (
	funnelWidth  = 640
	funnelBarX   = 210
	funnelBarMax = 370
	funnelRow    = 30
	funnelBar    = 20
)

// Colours: bars of the stages in the link blue, exits in the focus
// orange, text in the text colour of style.css; each is above 4.5:1 on
// white, more than the 3:1 that graphics need.
const (
	funnelStageFill = "#0b4f8a"
	funnelExitFill  = "#b34700"
	funnelText      = "#1b1b1b"
)

// funnelSVG draws the stages as an inline SVG image, bars proportional to
// the first stage. Its title names it and its description gives every
// number in words, for who does not see the bars. It uses presentation
// attributes only: the site's CSP allows no inline style.
func funnelSVG(pg *page, stages []funnelStage) template.HTML {
	most := 0
	for _, s := range stages {
		most = max(most, s.Count)
	}
	var b strings.Builder
	rows := len(stages) + 1 // the heading of the exits takes a row
	height := rows*funnelRow + 8
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="funnel" viewBox="0 0 ` +
		strconv.Itoa(funnelWidth) + ` ` + strconv.Itoa(height) + `" width="100%" role="img"` +
		` aria-labelledby="funnel-title" aria-describedby="funnel-desc">`)
	b.WriteString(`<title id="funnel-title">` + esc(pg.T("funnel_title")) + `</title>`)
	b.WriteString(`<desc id="funnel-desc">` + esc(funnelWords(pg, stages)) + `</desc>`)
	b.WriteString(`<g font-family="system-ui, sans-serif" font-size="15" fill="` + funnelText + `">`)
	y := 4
	exits := false
	for _, s := range stages {
		if s.Exit && !exits {
			exits = true
			b.WriteString(`<text x="0" y="` + strconv.Itoa(y+funnelBar-4) + `" font-weight="bold">` +
				esc(pg.T("funnel_exits")) + `</text>`)
			y += funnelRow
		}
		width := 0
		if most > 0 {
			width = s.Count * funnelBarMax / most
		}
		if s.Count > 0 {
			width = max(width, 2) // a few among many still show
		}
		fill := funnelStageFill
		if s.Exit {
			fill = funnelExitFill
		}
		base := strconv.Itoa(y + funnelBar - 5)
		b.WriteString(`<text x="0" y="` + base + `">` + esc(pg.T(s.Key)) + `</text>`)
		b.WriteString(`<rect x="` + strconv.Itoa(funnelBarX) + `" y="` + strconv.Itoa(y) + `" width="` +
			strconv.Itoa(width) + `" height="` + strconv.Itoa(funnelBar) + `" fill="` + fill + `"/>`)
		b.WriteString(`<text x="` + strconv.Itoa(funnelBarX+width+6) + `" y="` + base + `">` +
			strconv.Itoa(s.Count) + `</text>`)
		y += funnelRow
	}
	b.WriteString(`</g></svg>`)
	return template.HTML(b.String())
}

// funnelWords is the chart in a sentence: "Dossiers déposés : 50 ;
// admissibles : 30 … Sorties : non admissibles : 10 …".
func funnelWords(pg *page, stages []funnelStage) string {
	var in, out []string
	for _, s := range stages {
		part := pg.T(s.Key) + pg.T("colon") + " " + strconv.Itoa(s.Count)
		if s.Exit {
			out = append(out, part)
		} else {
			in = append(in, part)
		}
	}
	text := strings.Join(in, pg.T("adm_sep")) + "."
	if len(out) > 0 {
		text += " " + pg.T("funnel_exits") + pg.T("colon") + " " + strings.Join(out, pg.T("adm_sep")) + "."
	}
	return text
}

// esc escapes a text for HTML and XML alike.
func esc(s string) string { return template.HTMLEscapeString(s) }
