package server_test

import (
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// screenshots, set, saves the phone walk in French as the screenshots of
// docs/candidate-journey.md:
//
//	go test ./internal/server -run TestCandidateJourneyInBrowser -screenshots
var screenshots = flag.Bool("screenshots", false, "save the candidate's journey at 390×844 to docs/screenshots")

// journeyStep is a page of the candidate's journey: where it starts, as
// whom, and what is done on it; shot names its screenshot.
type journeyStep struct {
	shot    string
	at      string // what the screenshot shows, scrolled to the top
	url     string
	signed  bool
	actions []browsertest.Action
}

// TestCandidateJourneyInBrowser walks candidates through Chromium from the
// programme page to an acknowledged submission, a replaced document, a
// withdrawal and a new application, on a phone (390×844) in French and
// at a desk (1280×800) in English: every page passes axe-core, never
// scrolls sideways and ends where it should.
func TestCandidateJourneyInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	camp := checklistCampaign(t, db)
	prog, err := seed.Programme()
	if err != nil {
		t.Fatal(err)
	}
	abs := func(name string) string {
		p, err := filepath.Abs("../../testdata/documents/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	cv, diploma := abs("cv.pdf"), abs("diploma.png")
	dir, _ := filepath.Abs("../../docs/screenshots")
	if *screenshots {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	type walk struct {
		lang string
		vp   browsertest.Viewport
	}
	var pages []browsertest.Page
	var people []*certibloc.Person
	// The phone in French (the screenshots), the desk in English: both
	// widths and both languages, in the minute a browser test may take.
	for i, w := range []walk{{"fr", browsertest.Viewport{Width: 390, Height: 844}}, {"en", browsertest.Viewport{Width: 1280, Height: 800}}} {
		person := &certibloc.Person{School: ownSchool, BirthName: fmt.Sprintf("Nguyen-%d", i), FirstNames: "Linh",
			Email: fmt.Sprintf("linh.%d@example.org", i), Level: 5}
		if err := db.CreatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		people = append(people, person)
		cand := admCookie(t, db, certibloc.Account{Role: certibloc.Candidate, PersonID: person.ID})
		u, q := srv.URL, "?lang="+w.lang
		mine := browsertest.Action{Do: "click", Selector: "main table a"}
		steps := []journeyStep{
			{shot: "01-programme", url: u + "/programmes/" + prog.Slug + q},
			{shot: "02-signup", url: u + "/programmes/" + prog.Slug + q, actions: []browsertest.Action{
				{Do: "click", Selector: "a.apply"},
				{Do: "fill", Selector: "#f-birth_name", Value: "Nguyen"}, {Do: "fill", Selector: "#f-first_names", Value: "Linh"},
				{Do: "fill", Selector: "#f-birth_date", Value: "2001-05-12"},
				{Do: "fill", Selector: "#f-email", Value: fmt.Sprintf("linh.nguyen.%d@example.org", i)},
				{Do: "fill", Selector: "#f-level", Value: "5"}, {Do: "click", Selector: "main form button[type=submit]"}}},
			{shot: "03-home", url: u + "/app" + q, signed: true},
			{shot: "04-draft", at: "#documents", url: u + "/app" + q, signed: true, actions: []browsertest.Action{
				{Do: "click", Selector: "a[href*='/app/applications/new']"}, {Do: "check", Selector: "#f-offer-0"},
				{Do: "click", Selector: "main form button[type=submit]"}}},
			{shot: "05-documents", at: "#documents", url: u + "/app/applications" + q, signed: true, actions: []browsertest.Action{mine,
				{Do: "upload", Selector: "#f-file", Value: cv}, {Do: "click", Selector: "form[enctype] button[type=submit]"},
				{Do: "select", Selector: "#f-kind", Value: "diploma"}, {Do: "upload", Selector: "#f-file", Value: diploma},
				{Do: "click", Selector: "form[enctype] button[type=submit]"}}},
			{shot: "06-recap", at: "#recap-documents", url: u + "/app/applications" + q, signed: true, actions: []browsertest.Action{mine,
				{Do: "click", Selector: "a[href$='/recap']"}}},
			{shot: "07-acknowledged", at: "#progress-title", url: u + "/app/applications" + q, signed: true, actions: []browsertest.Action{mine,
				{Do: "click", Selector: "a[href$='/recap']"}, {Do: "check", Selector: "#f-confirm-0"},
				{Do: "click", Selector: "form[action$='/submit'] button"}}},
			{shot: "08-replaced", at: "#documents", url: u + "/app/applications" + q, signed: true, actions: []browsertest.Action{mine,
				{Do: "select", Selector: "#f-replaces", Value: "cv.pdf (CV)"},
				{Do: "upload", Selector: "#f-file", Value: cv}, {Do: "click", Selector: "form[enctype] button[type=submit]"}}},
			{shot: "09-withdrawn", at: "#progress-title", url: u + "/app/applications" + q, signed: true, actions: []browsertest.Action{mine,
				{Do: "fill", Selector: "#f-reason", Value: "Une autre formation"}, {Do: "check", Selector: "#f-confirm-0"},
				{Do: "click", Selector: "form[action$='/withdraw'] button"}}},
			{shot: "10-new-application", url: u + "/app" + q, signed: true, actions: []browsertest.Action{
				{Do: "click", Selector: "a[href*='/app/applications/new']"}, {Do: "check", Selector: "#f-offer-0"},
				{Do: "click", Selector: "main form button[type=submit]"}}},
		}
		for _, s := range steps {
			p := browsertest.Page{Name: fmt.Sprintf("%s %d %s", w.lang, w.vp.Width, s.shot), URL: s.url, Actions: s.actions, Viewport: &w.vp}
			if s.signed {
				p.Cookies = cand
			}
			if *screenshots && i == 0 {
				p.Screenshot, p.ScreenshotAt = filepath.Join(dir, s.shot+".png"), s.at
			}
			pages = append(pages, p)
		}
	}
	results := browsertest.Check(t, pages...)
	browsertest.AssertClean(t, results, admPageBudget)
	ends := map[string]string{"02-signup": "/signup", "04-draft": "done=created", "05-documents": "done=uploaded",
		"06-recap": "/recap", "07-acknowledged": "done=submitted", "08-replaced": "done=replaced",
		"09-withdrawn": "done=withdrawn", "10-new-application": "done=created"}
	for _, r := range results {
		if r.Overflow > 0 {
			t.Errorf("%s: the page is %d px wider than the window", r.Name, r.Overflow)
		}
		for shot, end := range ends {
			if strings.HasSuffix(r.Name, " "+shot) && !strings.Contains(r.FinalURL, end) {
				t.Errorf("%s: ended at %s, want %s", r.Name, r.FinalURL, end)
			}
		}
	}
	// Each candidate: one application withdrawn after its submission (its
	// acknowledgement sent), and a new draft to the same campaign.
	for _, p := range people {
		list, _, err := db.Applications(ctx, sqldb.ApplicationFilter{PersonID: p.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		states := map[certibloc.State]int{}
		for _, a := range list {
			if a.CampaignID == camp.ID {
				states[a.State]++
			}
		}
		if states[certibloc.Withdrawn] != 1 || states[certibloc.Draft] != 1 || len(list) != 2 {
			t.Errorf("%s: applications %v", p.Email, states)
		}
	}
	if *screenshots {
		for _, r := range results[:10] {
			fi, err := os.Stat(filepath.Join(dir, strings.Fields(r.Name)[2]+".png"))
			if err != nil {
				t.Errorf("screenshot of %s: %v", r.Name, err)
			} else if fi.Size() > 150<<10 {
				t.Errorf("screenshot of %s: %d bytes, 150 KB at most", r.Name, fi.Size())
			}
		}
	}
}
