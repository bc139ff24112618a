package web

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// counts is a campaign of 50 applications in every state.
var counts = map[certibloc.State]int{
	certibloc.Draft: 4, certibloc.Submitted: 6, certibloc.NotAdmissible: 9, certibloc.Admissible: 3,
	certibloc.InterviewScheduled: 2, certibloc.Interviewed: 1, certibloc.WaitingList: 5, certibloc.Refused: 7,
	certibloc.Admitted: 4, certibloc.Enrolled: 8, certibloc.Withdrawn: 1,
}

func TestFunnelStagesCountWhatEachApplicationWentThrough(t *testing.T) {
	got := map[string]int{}
	for _, s := range funnelStages(counts) {
		got[s.Key] = s.Count
	}
	want := map[string]int{"funnel_submitted": 45, "funnel_admissible": 30, "funnel_interviewed": 25,
		"funnel_admitted": 12, "funnel_enrolled": 8, "funnel_not_admissible": 9, "funnel_waiting_list": 5,
		"funnel_refused": 7, "funnel_withdrawn": 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s = %d, want %d", k, got[k], n)
		}
	}
}

// svgDoc is what the test reads of the chart.
type svgDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2000/svg svg"`
	Role    string   `xml:"role,attr"`
	Labels  string   `xml:"aria-labelledby,attr"`
	Desc    string   `xml:"desc"`
	Title   string   `xml:"title"`
	Rects   []struct {
		Width int    `xml:"width,attr"`
		Fill  string `xml:"fill,attr"`
	} `xml:"g>rect"`
	Texts []string `xml:"g>text"`
}

func TestFunnelSVGIsValidAndSaysItsNumbers(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		pg := newPage(lang)
		svg := string(funnelSVG(pg, funnelStages(counts)))
		var d svgDoc
		dec := xml.NewDecoder(strings.NewReader(svg))
		dec.Strict = true
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("%s: the SVG is not valid XML: %v\n%s", lang, err, svg)
		}
		if d.Role != "img" || d.Labels != "funnel-title" || d.Title == "" {
			t.Errorf("%s: role %q, labelled by %q, title %q", lang, d.Role, d.Labels, d.Title)
		}
		for _, n := range []string{"45", "30", "25", "12", "8", "9", "5", "7", "1"} {
			if !strings.Contains(d.Desc, " "+n) {
				t.Errorf("%s: the description does not say %s: %q", lang, n, d.Desc)
			}
		}
		if strings.Contains(svg, "[[") || strings.Contains(svg, "style=") {
			t.Errorf("%s: a missing message or an inline style: %s", lang, svg)
		}
		if len(d.Rects) != 9 || d.Rects[0].Width != funnelBarMax || d.Rects[4].Width != 8*funnelBarMax/45 {
			t.Errorf("%s: bars %+v", lang, d.Rects)
		}
		if d.Rects[0].Fill == d.Rects[5].Fill {
			t.Errorf("%s: exits look like stages", lang)
		}
		for _, fill := range []string{funnelStageFill, funnelExitFill, funnelText} {
			if r := contrast(fill, "#fff"); r < 4.5 {
				t.Errorf("%s on white: %.2f", fill, r)
			}
		}
	}
}

func TestFunnelOfAnEmptyCampaign(t *testing.T) {
	svg := string(funnelSVG(newPage("fr"), funnelStages(nil)))
	if err := xml.Unmarshal([]byte(svg), new(svgDoc)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(svg, `width="0"`) {
		t.Errorf("an empty campaign draws bars: %s", svg)
	}
}
