package web_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// vaeAt makes a candidacy of a person on RNCP38478BC05 and takes it, by
// the store's steps, to submitted, admissible (its dossier half written),
// dossier_submitted or decided (the block validated by a jury that
// closes).
func vaeAt(t *testing.T, db *sqldb.DB, person int64, state certibloc.VAEState) int64 {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	cd := &certibloc.Candidacy{PersonID: person, Certification: "RNCP38478", Blocks: []string{"RNCP38478BC05"},
		Experience: []certibloc.Experience{{Job: "Développeuse", Employer: "Analytical Engines", From: certibloc.DateOf(2018, 1, 1),
			Activities: "Intégration et déploiement continus d'une chaîne de production logicielle."}}}
	if err := db.CreateCandidacy(ctx, cd); err != nil {
		t.Fatal(err)
	}
	step := map[certibloc.VAEState]int{certibloc.VAESubmitted: 1, certibloc.VAEAdmissible: 2, certibloc.VAEDossierSubmitted: 3,
		certibloc.VAEDecided: 4}[state]
	must := func(_ *certibloc.Candidacy, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if step >= 1 {
		must(db.SubmitCandidacy(ctx, cd.ID))
	}
	if step >= 2 {
		must(db.DecideFeasibility(ctx, cd.ID, certibloc.Feasibility{Outcome: certibloc.VAEAdmissible}))
		c, err := db.Certification(ctx, "RNCP38478", 0)
		if err != nil {
			t.Fatal(err)
		}
		n := len(c.Block("RNCP38478BC05").Competencies)
		if step == 2 {
			n = 1
		}
		for k := range n {
			cd.Dossier = append(cd.Dossier, certibloc.DossierAnswer{Block: "RNCP38478BC05", Competency: k + 1,
				Text: "J'ai conduit ce travail pendant trois ans, avec une équipe de cinq personnes."})
		}
		must(db.SaveCandidacy(ctx, cd))
	}
	if step >= 3 {
		must(db.SubmitDossier(ctx, cd.ID))
	}
	if step >= 4 {
		jury := vaeJury(t, db, dayFrom(db.Today(), 5))
		must(db.ScheduleOral(ctx, cd.ID, time.Date(2027, 7, 1, 8, 30, 0, 0, time.UTC), "Dijon, salle 3", jury))
		if err := db.DecideCandidate(ctx, jury, &certibloc.JuryDecision{PersonID: person, Blocks: []certibloc.BlockVerdict{
			{Block: "RNCP38478BC05", Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral convaincants."}}}); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseJury(ctx, jury, testMinutes); err != nil {
			t.Fatal(err)
		}
	}
	return cd.ID
}

// TestVAEInBrowser checks the VAE pages in Chromium with axe-core, at a
// desktop's width (1280×800) and a phone's (390×844, without scrolling
// sideways): the candidate's list, the form that opens a candidacy, the
// draft, whose script saves what is typed without a click, a refusal
// shown with what was typed, the dossier; the certifier's feasibility
// form and its check step; staff's list and a decided candidacy with the
// enrolment form; in French, and in English on a phone.
func TestVAEInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	s := newJurySite(t, db)
	srv := httptest.NewServer(s.h)
	defer srv.Close()
	draft := vaeAt(t, db, s.ada, certibloc.VAEDraft)
	dossier := vaeAt(t, db, s.ada, certibloc.VAEAdmissible)
	submitted := vaeAt(t, db, s.grace, certibloc.VAESubmitted)
	decided := vaeAt(t, db, s.grace, certibloc.VAEDecided)
	ada := []browsertest.Cookie{{Name: "certibloc_session", Value: mustSession(t, db, s.cand.ID)}}
	admin := []browsertest.Cookie{{Name: "certibloc_session", Value: mustSession(t, db, s.admin.ID)}}
	staff := []browsertest.Cookie{{Name: "certibloc_session", Value: mustSession(t, db, s.staff.ID)}}
	at := func(id int64, suffix string) string { return fmt.Sprintf("%s/app/vae/%d%s", srv.URL, id, suffix) }
	desktop := &browsertest.Viewport{Width: 1280, Height: 800}
	phone := &browsertest.Viewport{Width: 390, Height: 844}
	type view struct {
		name, url string
		cookies   []browsertest.Cookie
		actions   []browsertest.Action
	}
	views := []view{
		{"the candidate's list", srv.URL + "/app/vae", ada, nil},
		{"opening a candidacy", srv.URL + "/app/vae/new", ada, nil},
		{"the draft, saved as typed", at(draft, ""), ada, []browsertest.Action{
			{Do: "fill", Selector: "#f-x1-job", Value: "Consultante"},
			{Do: "fill", Selector: "#f-x1-employer", Value: "Babbage & Co"},
			{Do: "wait", Selector: "[data-autosave-status]:has-text('Brouillon enregistré')"}}},
		{"the draft in English", at(draft, "?lang=en"), ada, nil},
		{"the dossier", at(dossier, "/dossier"), ada, nil},
		{"feasibility", at(submitted, "/feasibility"), admin, nil},
		{"feasibility's check step", at(submitted, "/feasibility"), admin, []browsertest.Action{
			{Do: "check", Selector: "#f-outcome-1"}, {Do: "fill", Selector: "#f-missing", Value: "Bulletins de salaire"},
			{Do: "click", Selector: "main form button[type=submit]"}}},
		{"staff's list", srv.URL + "/app/vae?state=decided", staff, nil},
		{"a decided candidacy", at(decided, ""), staff, nil},
	}
	var pages []browsertest.Page
	for _, v := range views {
		for _, size := range []*browsertest.Viewport{desktop, phone} {
			name := v.name + " (desktop)"
			if size == phone {
				name = v.name + " (phone)"
			}
			pages = append(pages, browsertest.Page{Name: name, URL: v.url, Cookies: v.cookies, Actions: v.actions, Viewport: size})
		}
	}
	// A refusal, what was typed shown again: checked apart (it answers 400).
	refused := browsertest.Page{Name: "reversed dates, refused", URL: at(draft, ""), Cookies: ada, Viewport: phone, Actions: []browsertest.Action{
		{Do: "fill", Selector: "#f-x0-to", Value: "2010-01-01"},
		{Do: "click", Selector: "form[data-autosave] button:not([formaction])"}}}
	results := browsertest.Check(t, append([]browsertest.Page{refused}, pages...)...)
	for _, r := range results {
		t.Logf("%-40s %d %6d bytes, %d px too wide, %s", r.Name, r.Status, r.Bytes, r.Overflow, strings.TrimPrefix(r.FinalURL, srv.URL))
	}
	if r := results[0]; r.Status != 400 || r.Error != "" || len(r.Violations) > 0 || r.Overflow > 0 {
		t.Errorf("%s: status %d, %q, violations %v, %d px too wide", r.Name, r.Status, r.Error, r.ViolationIDs(), r.Overflow)
	}
	results = results[1:]
	browsertest.AssertClean(t, results, 50<<10)
	for _, r := range results {
		if r.Overflow > 0 {
			t.Errorf("%s: %d px wider than its window: it scrolls sideways", r.Name, r.Overflow)
		}
	}
	for _, i := range []int{12, 13} {
		if !strings.HasSuffix(results[i].FinalURL, "/feasibility") {
			t.Errorf("%s ended at %s", results[i].Name, results[i].FinalURL)
		}
	}
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	cd, err := db.Candidacy(ctx, draft)
	if err != nil || len(cd.Experience) != 2 || cd.Experience[1].Employer != "Babbage & Co" {
		t.Errorf("what the script saved: %+v, %v", cd, err)
	}
	if cd, _ := db.Candidacy(ctx, submitted); cd.State != certibloc.VAESubmitted {
		t.Errorf("the check step recorded the decision: %s", cd.State)
	}
}
