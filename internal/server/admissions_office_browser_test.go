package server_test

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

// officeWalkRecords are what one staff walk acts on: an application with
// its documents missing, one refused at admissibility (to correct), one
// admissible (to convene) and a free slot, two admitted candidates and
// their cohort.
type officeWalkRecords struct {
	campaign, missing, refused, admissible, slot, cohort int64
	day                                                  string
	staff                                                []browsertest.Cookie
}

func newOfficeWalk(t *testing.T, db *sqldb.DB, n int) officeWalkRecords {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	c := admCampaign(t, db, fmt.Sprintf("Campagne du secrétariat %d", n))
	w := officeWalkRecords{campaign: c.ID}
	apply := func(name string, steps ...certibloc.DecisionKind) int64 {
		p := &certibloc.Person{School: ownSchool, BirthName: fmt.Sprintf("%s-%d", name, n), FirstNames: "Alix", Level: 5,
			Email: fmt.Sprintf("%s.%d@example.org", strings.ToLower(name), n)}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		a := &certibloc.Application{CampaignID: c.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		if err := db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
			t.Fatal(err)
		}
		at, twelve := time.Now().Add(72*time.Hour), 12.0
		for _, k := range steps {
			d := certibloc.AdmissionDecision{Kind: k, Members: []string{"Michel GIRARD"}, Reason: "Dossier incomplet"}
			switch k {
			case certibloc.ScheduleInterview:
				d.InterviewAt, d.Place = &at, "Salle 12"
			case certibloc.RecordInterview:
				d.Score, d.TestScore = &twelve, &twelve
			}
			if _, err := db.Decide(ctx, []int64{a.ID}, d); err != nil {
				t.Fatal(err)
			}
		}
		return a.ID
	}
	w.missing = apply("MARCHAND")
	w.refused = apply("FONTAINE", certibloc.DecideNotAdmissible)
	w.admissible = apply("CHEVALIER", certibloc.DecideAdmissible)
	admitted := []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.RecordInterview, certibloc.DecideAdmitted}
	apply("GAUTIER", admitted...)
	apply("PERRIN", admitted...)
	// The checklist set once they were submitted: MARCHAND's lacks a CV and a diploma.
	if _, err := db.SetRequiredDocuments(ctx, c.ID, []string{certibloc.DocCV, certibloc.DocDiploma}); err != nil {
		t.Fatal(err)
	}
	start := time.Now().AddDate(0, 0, 12).Truncate(24 * time.Hour).Add(8 * time.Hour)
	w.day = start.Format("2006-01-02")
	slots := []certibloc.InterviewSlot{{StartsAt: start, Minutes: 30, Place: "Salle 12", VisioURL: "https://visio.example.org/b12"}}
	if err := db.CreateSlots(ctx, c.ID, slots); err != nil {
		t.Fatal(err)
	}
	w.slot = slots[0].ID
	cohort := &certibloc.Cohort{School: ownSchool, CampaignID: c.ID, Name: fmt.Sprintf("Promotion du secrétariat %d", n),
		Track: certibloc.OneYear, StartsOn: daysFromNow(90), EndsOn: daysFromNow(455), PlannedHours: 600, WeeklyHours: 35}
	if err := db.CreateCohort(ctx, cohort); err != nil {
		t.Fatal(err)
	}
	w.cohort = cohort.ID
	w.staff = admCookie(t, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
	return w
}

// TestStaffWalkInBrowser walks a member of staff through Chromium: the
// warning before declaring admissible an application with documents
// missing, then its confirmation; a corrected decision; a candidate
// convened from the agenda; an enrolment in bulk and its report; the
// commissions' record. In French on a phone (390×844) and in English at a
// desk (1280×800): every page passes axe-core, never scrolls sideways
// and weighs under 50 KB; the warning answers 400, the others 200.
func TestStaffWalkInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	u := srv.URL
	var pages []browsertest.Page
	warnings := map[string]bool{}
	var walks []officeWalkRecords
	for n, walk := range []struct {
		lang string
		vp   *browsertest.Viewport
	}{{"fr", &browsertest.Viewport{Width: 390, Height: 844}}, {"en", &browsertest.Viewport{Width: 1280, Height: 800}}} {
		w := newOfficeWalk(t, db, n)
		walks = append(walks, w)
		q := "?lang=" + walk.lang
		app := func(id int64) string { return fmt.Sprintf("%s/app/applications/%d%s", u, id, q) }
		admissible := []browsertest.Action{{Do: "check", Selector: "#d-admissible-kind-0"},
			{Do: "fill", Selector: "#d-admissible-members", Value: "Michel GIRARD\nJeanne MARTIN"}}
		steps := []browsertest.Page{
			{Name: "the warning", URL: app(w.missing), Actions: append(admissible,
				browsertest.Action{Do: "click", Selector: "form.decision button"})},
			{Name: "the warning confirmed", URL: app(w.missing), Actions: append(admissible,
				browsertest.Action{Do: "check", Selector: "#d-admissible-override-0"},
				browsertest.Action{Do: "fill", Selector: "#d-admissible-reason", Value: "Diplôme promis pour la rentrée"},
				browsertest.Action{Do: "click", Selector: "form.decision button"})},
			{Name: "a decision corrected", URL: app(w.refused), Actions: []browsertest.Action{
				{Do: "check", Selector: "#corr-kind-0"}, {Do: "fill", Selector: "#corr-reason", Value: "Erreur de saisie"},
				{Do: "check", Selector: "#corr-confirm-0"}, {Do: "click", Selector: "form[action$='/corrections'] button"}}},
			{Name: "the agenda: a candidate convened", URL: fmt.Sprintf("%s/app/campaigns/%d/agenda%s&day=%s", u, w.campaign, q, w.day),
				Actions: []browsertest.Action{{Do: "select", Selector: fmt.Sprintf("#slot-%d-application", w.slot), Value: fmt.Sprint(w.admissible)},
					{Do: "click", Selector: "form[action*='/assign'] button"}}},
			{Name: "an enrolment in bulk", URL: fmt.Sprintf("%s/app/cohorts/%d%s", u, w.cohort, q), Actions: []browsertest.Action{
				{Do: "check", Selector: "#bulk-application-0"}, {Do: "check", Selector: "#bulk-application-1"},
				{Do: "check", Selector: "#bulk-confirm-0"}, {Do: "click", Selector: "form[action$='/enrolments/bulk'] button"}}},
			{Name: "the commissions' record", URL: fmt.Sprintf("%s/app/campaigns/%d/commissions%s", u, w.campaign, q)},
		}
		for _, p := range steps {
			p.Name = walk.lang + " " + map[int]string{1280: "desk", 390: "phone"}[walk.vp.Width] + ": " + p.Name
			p.Cookies, p.Viewport = w.staff, walk.vp
			warnings[p.Name] = strings.HasSuffix(p.Name, "the warning")
			pages = append(pages, p)
		}
	}
	results := browsertest.Check(t, pages...)
	var clean []browsertest.Result
	for _, r := range results {
		t.Logf("%-52s %d %6d bytes %s", r.Name, r.Status, r.Bytes, strings.TrimPrefix(r.FinalURL, u))
		if r.Overflow > 0 {
			t.Errorf("%s: the page is %d px wider than the window", r.Name, r.Overflow)
		}
		if warnings[r.Name] {
			if r.Status != 400 || r.Error != "" || len(r.Violations) > 0 || r.Bytes > admPageBudget {
				t.Errorf("%s: status %d, error %q, %d violations, %d bytes", r.Name, r.Status, r.Error, len(r.Violations), r.Bytes)
			}
			continue
		}
		clean = append(clean, r)
	}
	browsertest.AssertClean(t, clean, admPageBudget)
	for _, w := range walks {
		for id, want := range map[int64]certibloc.State{w.missing: certibloc.Admissible, w.refused: certibloc.Admissible,
			w.admissible: certibloc.InterviewScheduled} {
			if a, err := db.Application(t.Context(), id); err != nil || a.State != want {
				t.Errorf("after the walk, application %d: %v, %v; want %s", id, a, err, want)
			}
		}
		if learners, err := db.Enrolments(t.Context(), w.cohort); err != nil || len(learners) != 2 {
			t.Errorf("after the walk, the cohort's learners: %v, %v", learners, err)
		}
	}
}
