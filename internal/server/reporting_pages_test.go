package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc/cdctest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestSurveyPage: the holder follows the e-mailed link without an account,
// reads the questions in French (or English), is told what is wrong with
// an incomplete answer, answers, then corrects the answer; the page is
// neither cached nor indexed and sends no Referer; a link altered finds
// nothing.
func TestSurveyPage(t *testing.T) {
	m := newMatrix(t, sqldbtest.SQLite(t))
	link := m.surveyPath()
	b := m.browser(t, anonymous, "", false)
	status, _, body := m.serve("GET", link, "", b.header)
	if status != 200 || !strings.Contains(body, "Quelle est votre situation aujourd&#39;hui ?") || !strings.Contains(body, "Envoyer ma réponse") {
		t.Fatalf("the French page: %d\n%s", status, body)
	}
	rec := m.request("GET", link+"?lang=en", "", b.header)
	if h := rec.Header(); h.Get("Cache-Control") != "no-store" || h.Get("Referrer-Policy") != "no-referrer" || h.Get("X-Robots-Tag") != "noindex" {
		t.Errorf("headers %v", h)
	}
	if _, _, body = m.serve("GET", link+"?lang=en", "", b.header); !strings.Contains(body, "What is your situation today?") || strings.Contains(body, "Envoyer") {
		t.Fatalf("the English page:\n%s", body)
	}
	form := b.header.Clone()
	form.Set("Content-Type", "application/x-www-form-urlencoded")
	post := func(fields url.Values) (int, string) {
		fields.Set("csrf", b.csrf)
		status, _, body := m.serve("POST", link+"?lang=fr", fields.Encode(), form)
		return status, body
	}
	status, body = post(url.Values{"situation": {"employed_field"}, "job_title": {"Cheffe de projet"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "En emploi, choisissez votre type de contrat.") {
		t.Fatalf("employed without a contract: %d\n%s", status, body)
	}
	status, body = post(url.Values{"situation": {"employed_field"}, "job_title": {"Cheffe de projet"}, "contract": {"permanent"}})
	if status != 200 || !strings.Contains(body, "Merci, votre réponse est enregistrée") || !strings.Contains(body, "Corriger ma réponse") ||
		!strings.Contains(body, `value="Cheffe de projet"`) {
		t.Fatalf("the answer: %d\n%s", status, body)
	}
	status, body = post(url.Values{"situation": {"studying"}})
	if status != 200 || !strings.Contains(body, `value="studying" required checked`) {
		t.Fatalf("the correction: %d\n%s", status, body)
	}
	if status, _, body = m.serve("GET", link+"x", "", b.header); status != 404 || !strings.Contains(body, "Ce lien d&#39;enquête n&#39;existe pas") {
		t.Fatalf("an altered link: %d\n%s", status, body)
	}
}

// TestFiguresPage: the admin reads a certification's results and surveys
// per year and route, with their charts, and downloads the renewal pack
// in both formats, its header in the page's language.
func TestFiguresPage(t *testing.T) {
	m := newMatrix(t, sqldbtest.SQLite(t))
	link := m.surveyPath() // a jury of 2027 whose holder was surveyed
	b := m.browser(t, anonymous, "", false)
	form := b.header.Clone()
	form.Set("Content-Type", "application/x-www-form-urlencoded")
	if status, _, body := m.serve("POST", link, "situation=seeking&csrf="+b.csrf, form); status != 200 {
		t.Fatalf("answer: %d %s", status, body)
	}
	admin := m.browser(t, "admin", "", false)
	status, _, body := m.serve("GET", "/app/reports/figures?certification=RNCP38478&lang=fr", "", admin.header)
	for _, want := range []string{"Résultats des jurys", "<th scope=\"row\">2027</th><td>VAE</td><td>1</td><td>1</td><td>0</td><td>100 %</td>",
		"<td>6 mois</td><td>1</td><td>1</td><td>100 %</td><td>0 %</td>", `id="insertion-title"`, `id="figures-title"`,
		"/app/reports/figures/pack?certification=RNCP38478&amp;format=xlsx"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if status != 200 || t.Failed() {
		t.Fatalf("%d\n%s", status, body)
	}
	status, _, body = m.serve("GET", "/app/reports/figures?certification=RNCP38478&lang=en", "", admin.header)
	if status != 200 || !strings.Contains(body, "Employment surveys") || !strings.Contains(body, "<td>6 months</td>") {
		t.Fatalf("English: %d\n%s", status, body)
	}
	rec := m.request("GET", "/app/reports/figures/pack?certification=RNCP38478&format=csv&lang=en", "", admin.header)
	csv := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") || !strings.Contains(csv, "Employment rate (%) at 6 months") ||
		!strings.Contains(csv, "2027") {
		t.Fatalf("CSV pack: %d %s\n%s", rec.Code, rec.Header(), csv)
	}
	rec = m.request("GET", "/app/reports/figures/pack?certification=RNCP38478&format=xlsx", "", admin.header)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheetml") || !strings.HasPrefix(rec.Body.String(), "PK") {
		t.Fatalf("XLSX pack: %d %s", rec.Code, rec.Header())
	}
	if status, _, _ := m.serve("GET", "/app/reports/figures?certification=RNCP99999", "", admin.header); status != 404 {
		t.Errorf("an unknown certification: %d", status)
	}
}

// TestAccrochageExportsKept: a file exported through the page is listed
// among the past exports with its scope and passages, and downloads again
// byte for byte, from the page and from the API; an unknown export is not
// found.
func TestAccrochageExportsKept(t *testing.T) {
	m := newMatrix(t, sqldbtest.SQLite(t))
	jury, _ := m.holders(2)
	b := m.browser(t, "admin", "", false)
	form := b.header.Clone()
	form.Set("Content-Type", "application/x-www-form-urlencoded")
	status, _, flux := m.serve("POST", "/app/reports/accrochage/export", fmt.Sprintf("csrf=%s&jury=%d", b.csrf, jury), form)
	if status != 200 {
		t.Fatalf("export: %d %s", status, flux)
	}
	cdctest.ValidBytes(t, []byte(flux))
	ctx := certibloc.WithPrincipal(t.Context(), m.certifierCtx())
	list, err := m.db.CDCExports(ctx, 0)
	if err != nil || len(list) != 1 {
		t.Fatalf("exports %+v %v", list, err)
	}
	e := list[0]
	if e.JuryID != jury || e.Passages != 2 || e.Files != 1 || e.Bytes != int64(len(flux)) || !e.Stored {
		t.Errorf("export %+v, %d bytes served", e, len(flux))
	}
	_, _, body := m.serve("GET", "/app/reports/accrochage?lang=fr", "", b.header)
	row := fmt.Sprintf("<td>jury n° %d</td><td>2</td><td>1</td>", jury)
	if !strings.Contains(body, "Exports passés") || !strings.Contains(body, row) ||
		!strings.Contains(body, fmt.Sprintf(`href="/app/reports/accrochage/exports/%d" download>télécharger l&#39;export n° %d</a>`, e.ID, e.ID)) {
		t.Fatalf("the page's past exports:\n%s", body)
	}
	if status, _, again := m.serve("GET", fmt.Sprintf("/app/reports/accrochage/exports/%d", e.ID), "", b.header); status != 200 || again != flux {
		t.Errorf("the page's download: %d, same bytes %v", status, again == flux)
	}
	api := http.Header{"Authorization": {"Bearer " + tokenFor(t, m.db, m.tokens, "admin", ownSchool)}}
	if status, _, again := m.serve("GET", fmt.Sprintf("/api/v1/exports/accrochage/archive/%d", e.ID), "", api); status != 200 || again != flux {
		t.Errorf("the API's download: %d, same bytes %v", status, again == flux)
	}
	if status, _, body := m.serve("GET", "/api/v1/exports/accrochage/archive", "", api); status != 200 || !strings.Contains(body, `"stored":true`) {
		t.Errorf("the API's list: %d %s", status, body)
	}
	if status, _, body := m.serve("GET", "/api/v1/exports/accrochage/archive/999999", "", api); status != 404 {
		t.Errorf("an unknown export: %d %s", status, body)
	}
}
