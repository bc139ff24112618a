package web

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// fairnessSample is the example of the domain's tests: Chloé's median is
// 29 points above the others' (threshold 16,5); Dan gave too few grades.
func fairnessSample() certibloc.Fairness {
	var gs []certibloc.Grade
	add := func(id int64, name string, ps ...float64) {
		for _, p := range ps {
			gs = append(gs, certibloc.Grade{Evaluator: id, Name: name, Percent: p})
		}
	}
	add(1, "Alice MARTIN", 50, 55, 60, 65, 70)
	add(2, "Bruno PETIT", 52, 57, 62, 67, 72)
	add(3, "Chloé ROUX", 80, 85, 90, 95, 100)
	return certibloc.AssessFairness(gs)
}

// renderFairness renders the session's fairness page around the section.
func renderFairness(t *testing.T, lang string, fa certibloc.Fairness) (*doc, string) {
	t.Helper()
	pages, err := NewPages()
	if err != nil {
		t.Fatal(err)
	}
	pg := newPage(lang)
	pg.NavLabel, pg.Nav = pg.T("site"), []navItem{{Href: "/app", Label: pg.T("menu_home")}}
	pg.Title, pg.Description = pg.Tf("fair_page_title_f", "BC01 – juin 2026"), pg.T("fair_description")
	v := newFairnessView(pg, fa, "/app/evaluations/7/fairness.csv")
	v.Criteria = []fairnessOption{{Value: "C1", Label: "C1 – Analyse"}, {Value: "C2", Label: "C2 – Restitution", Selected: true}}
	pg.Body = fairnessPage{Back: "/app/evaluations/7", Fairness: v}
	var buf bytes.Buffer
	if err := pages.render(&buf, "fairness", pg); err != nil {
		t.Fatal(err)
	}
	return parseHTML(t, buf.Bytes()), buf.String()
}

func TestFairnessSectionShowsTheFiguresAndTheFlag(t *testing.T) {
	for _, tt := range []struct {
		lang string
		want []string
		not  []string
	}{
		{"fr", []string{
			"15 notes soumises par 3 correcteurs, en pourcentage du maximum de la grille. Un correcteur a un écart signalé.",
			"<th scope=\"row\">Chloé ROUX</th><td>5</td><td>80</td><td>85</td><td>90</td><td>95</td><td>100</td><td>&#43;29</td>",
			"<strong>⚠ Écart signalé : médiane 29 points au-dessus de celle des autres correcteurs (seuil 16,5).</strong>",
			"<td>−16</td><td>Dans l&#39;écart admis (seuil 38,3 points).</td>", // Alice: threshold 38,25
			`<tr class="flagged">`, `role="img"`, `<desc id="fairness-chart-desc">`, "⚠ écart signalé</tspan>",
			`<a href="/app/evaluations/7/fairness.csv">Télécharger les chiffres (CSV pour Excel)</a>`,
			"plus de 1,5 fois l&#39;écart interquartile", "plus de 10 points", "au moins 5 notes",
			`<option value="C2" selected>C2 – Restitution</option>`,
		}, []string{"Evaluator", "gap flagged", "threshold"}},
		{"en", []string{
			"15 grades submitted by 3 evaluators, as a percentage of the grid&#39;s maximum. One evaluator has a gap flagged.",
			"Gap flagged: median 29 points above the other evaluators&#39; (threshold 16.5).",
			"more than 10 points", "1.5 times", "⚠ gap flagged</tspan>",
		}, []string{"Écart", "Correcteur"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			d, page := renderFairness(t, tt.lang, fairnessSample())
			checkAccessible(t, d, tt.lang)
			for _, s := range tt.want {
				if !strings.Contains(page, s) {
					t.Errorf("the page does not say %q", s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(page, s) {
					t.Errorf("the %s page says %q, a word of the other language", tt.lang, s)
				}
			}
			if d.tags["svg"] != 1 || d.tags["table"] != 1 || d.tags["caption"] != 1 {
				t.Errorf("want one chart and one table with a caption beside it: %v", d.tags)
			}
			if got := []string{d.headings[0].text, d.headings[1].text}; !slices.Equal(got[1:], []string{map[string]string{"fr": "Équité des correcteurs", "en": "Evaluator fairness"}[tt.lang]}) {
				t.Errorf("headings %v", d.headings)
			}
		})
	}
}

func TestFairnessSectionWithoutGrades(t *testing.T) {
	d, page := renderFairness(t, "fr", certibloc.AssessFairness(nil))
	checkAccessible(t, d, "fr")
	if !strings.Contains(page, "Aucune note soumise pour l&#39;instant") || d.tags["svg"]+d.tags["table"] != 0 {
		t.Errorf("an empty section shows a chart or a table: %v", d.tags)
	}
}

func TestSignedGap(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{29, "+29"}, {-16, "−16"}, {0.01, "0"}, {-2.25, "−2,3"}} {
		if got := signed(tt.v, certibloc.French); got != tt.want {
			t.Errorf("signed(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
