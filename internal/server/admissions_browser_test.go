package server_test

import (
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// admPageBudget is what one page may transfer, everything included.
const admPageBudget = 50 << 10

// admCookie signs an account in for the browser: a session made by the
// store as sign-in makes it.
func admCookie(t *testing.T, db *sqldb.DB, a certibloc.Account) []browsertest.Cookie {
	t.Helper()
	a.Email = fmt.Sprintf("%s.%d@browser.example", a.Role, admCounter.Add(1))
	a, err := db.CreateAccount(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	token, err := db.CreateSession(t.Context(), a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	return []browsertest.Cookie{{Name: "certibloc_session", Value: token}}
}

// TestAdmissionsInBrowser walks an applicant through Chromium, from the
// sign-up form to the verdict of their submitted application, a PDF
// uploaded on the way; then staff through the pipeline of a campaign of
// sixty applications (a filter, a decision for a list, the funnel) and
// the pages of campaigns and cohorts. Every page, forms refused included,
// passes axe-core, asks nothing of another host and weighs under 50 KB.
func TestAdmissionsInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	p := newPipeline(t, db)
	for i := range 55 {
		person := &certibloc.Person{School: ownSchool, BirthName: fmt.Sprintf("CANDIDAT-%02d", i),
			FirstNames: "Dominique Marie-Claude", Level: 5}
		if err := db.CreatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		a := &certibloc.Application{CampaignID: p.campaign.ID, PersonID: person.ID, Track: certibloc.OneYear,
			Mode: certibloc.Apprenticeship, Option: "RNCP38478BC04"}
		if err := db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
			t.Fatal(err)
		}
	}
	m := &matrix{t: t, db: db}
	cohort := m.cohort(p.campaign)
	applicant := &certibloc.Person{School: ownSchool, BirthName: "Nguyen", FirstNames: "Linh", Email: "linh@example.org",
		Level: 4, ExperienceMonths: 14}
	if err := db.CreatePerson(ctx, applicant); err != nil {
		t.Fatal(err)
	}
	cand := admCookie(t, db, certibloc.Account{Role: certibloc.Candidate, PersonID: applicant.ID})
	staff := admCookie(t, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
	pdf, err := filepath.Abs("../../testdata/documents/cv.pdf")
	if err != nil {
		t.Fatal(err)
	}
	u := srv.URL
	campaign := fmt.Sprintf("%s/app/campaigns/%d", u, p.campaign.ID)
	newApp := fmt.Sprintf("%s/app/applications/new?campaign=%d", u, p.campaign.ID)
	mine := []browsertest.Action{{Do: "click", Selector: "main table a"}}
	sel := func(a *certibloc.Application) string { return fmt.Sprintf("#sel-%d", a.ID) }
	pages := []browsertest.Page{
		{Name: "sign-up", URL: u + "/signup"},
		{Name: "sign-up sent", URL: u + "/signup", Actions: []browsertest.Action{
			{Do: "fill", Selector: "#f-birth_name", Value: "Petit"}, {Do: "fill", Selector: "#f-first_names", Value: "Léa"},
			{Do: "fill", Selector: "#f-birth_date", Value: "2002-03-04"}, {Do: "fill", Selector: "#f-email", Value: "lea@example.org"},
			{Do: "fill", Selector: "#f-level", Value: "5"}, {Do: "click", Selector: "main form button[type=submit]"}}},
		{Name: "my applications", URL: u + "/app/applications", Cookies: cand},
		{Name: "new application", URL: newApp, Cookies: cand},
		{Name: "new application, saved", URL: newApp, Cookies: cand, Actions: []browsertest.Action{
			{Do: "check", Selector: "#f-offer-1"}, {Do: "check", Selector: "#f-option-1"},
			{Do: "click", Selector: "main form button[type=submit]"}}},
		{Name: "a PDF uploaded", URL: u + "/app/applications", Cookies: cand, Actions: append(mine,
			browsertest.Action{Do: "upload", Selector: "#f-file", Value: pdf},
			browsertest.Action{Do: "click", Selector: "form[enctype] button[type=submit]"})},
		{Name: "submitted: the verdict", URL: u + "/app/applications", Cookies: cand, Actions: append(mine,
			browsertest.Action{Do: "click", Selector: "a[href$='/recap']"},
			browsertest.Action{Do: "check", Selector: "#f-confirm-0"},
			browsertest.Action{Do: "click", Selector: "form[action$='/submit'] button"})},
		{Name: "the verdict (en)", URL: u + "/app/applications?lang=en", Cookies: cand, Actions: mine},
		{Name: "pipeline", URL: campaign, Cookies: staff},
		{Name: "pipeline, filtered", URL: campaign, Cookies: staff, Actions: []browsertest.Action{
			{Do: "select", Selector: "#filter-review", Value: "yes"}, {Do: "click", Selector: "form[role=search] button"}}},
		{Name: "pipeline, a decision for a list", URL: campaign + "?state=submitted&mode=initial", Cookies: staff, Actions: []browsertest.Action{
			{Do: "check", Selector: sel(p.submitted)}, {Do: "check", Selector: sel(p.second)},
			{Do: "select", Selector: "#bulk-kind", Value: "admissible"},
			{Do: "fill", Selector: "#bulk-members", Value: "Michel GIRARD\nJeanne MARTIN"},
			{Do: "click", Selector: "form[method=post] fieldset button"}}},
		{Name: "pipeline (en), page 2", URL: campaign + "?lang=en&offset=50", Cookies: staff},
		{Name: "application, staff", URL: fmt.Sprintf("%s/app/applications/%d", u, p.review.ID), Cookies: staff},
		{Name: "campaigns", URL: u + "/app/campaigns", Cookies: staff},
		{Name: "cohorts", URL: u + "/app/cohorts", Cookies: staff},
		{Name: "cohort", URL: fmt.Sprintf("%s/app/cohorts/%d", u, cohort), Cookies: staff},
	}
	refused := []browsertest.Page{
		{Name: "sign-up refused", URL: u + "/signup", Actions: []browsertest.Action{
			{Do: "fill", Selector: "#f-level", Value: "12"}, {Do: "click", Selector: "main form button[type=submit]"}}},
		{Name: "new application refused", URL: newApp, Cookies: cand, Actions: []browsertest.Action{
			{Do: "click", Selector: "main form button[type=submit]"}}},
		{Name: "decision for a list refused", URL: campaign + "?state=submitted&mode=initial", Cookies: staff, Actions: []browsertest.Action{
			{Do: "check", Selector: sel(p.review)}, {Do: "select", Selector: "#bulk-kind", Value: "not_admissible"},
			{Do: "fill", Selector: "#bulk-members", Value: "Michel GIRARD"},
			{Do: "click", Selector: "form[method=post] fieldset button"}}},
		{Name: "decision refused", URL: fmt.Sprintf("%s/app/applications/%d", u, p.review.ID), Cookies: staff,
			Actions: []browsertest.Action{{Do: "click", Selector: "form.decision button"}}}, // no decision chosen
	}
	results := browsertest.Check(t, append(pages, refused...)...)
	for _, r := range results {
		t.Logf("%-36s %d %6d bytes %s", r.Name, r.Status, r.Bytes, strings.TrimPrefix(r.FinalURL, u))
	}
	browsertest.AssertClean(t, results[:len(pages)], admPageBudget)
	for _, r := range results[len(pages):] {
		if r.Status != 400 || r.Error != "" || len(r.Violations) > 0 || len(r.ThirdParty) > 0 || r.Bytes > admPageBudget {
			t.Errorf("%s: status %d, %q, violations %v, %v, %d bytes", r.Name, r.Status, r.Error, r.ViolationIDs(),
				r.ThirdParty, r.Bytes)
		}
	}

	// What the walk did: the applicant's application submitted with its
	// PDF and verdict; two applications admissible, their reviewer named.
	list, _, err := db.Applications(ctx, sqldb.ApplicationFilter{PersonID: applicant.ID})
	if err != nil || len(list) != 1 {
		t.Fatalf("the applicant's applications: %v %+v", err, list)
	}
	a := list[0]
	docs, _ := db.Documents(ctx, a.ID)
	if a.State != certibloc.Submitted || a.Mode != certibloc.Apprenticeship || a.Option != "RNCP38478BC04" ||
		a.Eligibility == nil || !a.Eligibility.CommitteeReview || len(docs) != 1 {
		t.Errorf("the applicant's application: %+v, eligibility %+v, %d documents", a, a.Eligibility, len(docs))
	}
	for _, x := range []*certibloc.Application{p.submitted, p.second} {
		if got, _ := db.Application(ctx, x.ID); got.State != certibloc.Admissible {
			t.Errorf("%s is %s after the decision for a list, want admissible", got.Name, got.State)
		}
	}
	if got, _ := db.Application(ctx, p.review.ID); got.State != certibloc.Submitted {
		t.Errorf("a refused decision changed %s: %s", got.Name, got.State)
	}
}
