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
