package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// TestProgrammePublishesThePassRate: the sheet shows the latest year's
// pass rate, every route together, with the year and the number of
// candidates, in the page's language; below ten candidates it shows none.
func TestProgrammePublishesThePassRate(t *testing.T) {
	figs := []sqldb.Figures{
		{Year: 2026, Route: certibloc.Training, Candidates: 30, Holders: 30},
		{Year: 2027, Route: certibloc.Training, Candidates: 8, Holders: 7},
		{Year: 2027, Route: certibloc.VAE, Candidates: 4, Holders: 3},
	}
	r := publishedResult(figs)
	if r != (PublishedResult{Year: 2027, Candidates: 12, PassRate: 83.3}) {
		t.Fatalf("published %+v", r)
	}
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
	for lang, want := range map[string]string{
		"fr": "Taux de réussite : 83,3 % des 12 candidats présentés au jury en 2027.",
		"en": "Pass rate: 83.3% of the 12 candidates who sat the jury in 2027.",
	} {
		var buf bytes.Buffer
		if err := pages.Programme(&buf, newPage(lang), prog, cert, r); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), want) || !strings.Contains(buf.String(), `href="#resultats"`) {
			t.Errorf("%s: the sheet lacks %q or its link", lang, want)
		}
		buf.Reset()
		few := r
		few.Candidates = MinPublished - 1
		if err := pages.Programme(&buf, newPage(lang), prog, cert, few); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), `id="resultats"`) {
			t.Errorf("%s: a rate of %d candidates was published", lang, few.Candidates)
		}
	}
}

// TestProgrammePublishesTheInsertionRate: beside the pass rate, the sheet
// shows the share of holders employed six months after the jury among
// those who answered, for the latest year with answers, with the year and
// the number of respondents; below ten respondents it shows none.
func TestProgrammePublishesTheInsertionRate(t *testing.T) {
	surveys := []sqldb.SurveyFigures{
		{Year: 2026, Route: certibloc.Training, Wave: 6, Sent: 40, Answered: 30, Employed: 30},
		{Year: 2026, Route: certibloc.Training, Wave: 24, Sent: 40, Answered: 20, Employed: 20},
		{Year: 2027, Route: certibloc.Training, Wave: 6, Sent: 12, Answered: 9, Employed: 7},
		{Year: 2027, Route: certibloc.VAE, Wave: 6, Sent: 3, Answered: 3, Employed: 3},
		{Year: 2028, Route: certibloc.VAE, Wave: 6, Sent: 3},
	}
	in := publishedInsertion(surveys)
	if in != (PublishedInsertion{Year: 2027, Respondents: 12, Rate: 83.3}) {
		t.Fatalf("published %+v", in)
	}
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
	pass := PublishedResult{Year: 2027, Candidates: 12, PassRate: 83.3, Insertion: in}
	for lang, want := range map[string][2]string{
		"fr": {"Taux de réussite : 83,3 %", "Taux d'insertion à six mois : 83,3 % des 12 titulaires ayant répondu à l'enquête sont en emploi (jurys de 2027)."},
		"en": {"Pass rate: 83.3%", "Employment rate at six months: 83.3% of the 12 holders who answered the survey are employed (juries of 2027)."},
	} {
		var buf bytes.Buffer
		if err := pages.Programme(&buf, newPage(lang), prog, cert, pass); err != nil {
			t.Fatal(err)
		}
		page := strings.ReplaceAll(buf.String(), "&#39;", "'")
		if !strings.Contains(page, want[0]) || !strings.Contains(page, want[1]) {
			t.Errorf("%s: the sheet lacks %q beside %q", lang, want[1], want[0])
		}
		// Few respondents: the pass rate alone; few candidates too: nothing.
		few := pass
		few.Insertion.Respondents = MinPublished - 1
		buf.Reset()
		if err := pages.Programme(&buf, newPage(lang), prog, cert, few); err != nil {
			t.Fatal(err)
		}
		if page := strings.ReplaceAll(buf.String(), "&#39;", "'"); strings.Contains(page, want[1][:20]) || !strings.Contains(page, want[0]) {
			t.Errorf("%s: a rate of %d respondents was published", lang, few.Insertion.Respondents)
		}
		few.Candidates = MinPublished - 1
		few.Insertion = in
		buf.Reset()
		if err := pages.Programme(&buf, newPage(lang), prog, cert, few); err != nil {
			t.Fatal(err)
		}
		if page := strings.ReplaceAll(buf.String(), "&#39;", "'"); !strings.Contains(page, want[1]) || strings.Contains(page, want[0]) {
			t.Errorf("%s: the insertion rate should stand alone when too few candidates sat", lang)
		}
	}
}
