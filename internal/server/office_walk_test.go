package server_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// walkOffice gives the walks (browser_roles_test.go, lang_crawl_test.go)
// the admissions office's pages of the visit's campaign with something on
// them: a candidate declared admissible then corrected, an internal note,
// slots of the agenda (one given to a candidate). Their words are of the
// crawl's French data (fixtureFrench), which English pages may show.
func walkOffice(t *testing.T, db *sqldb.DB, adm walkRecords) map[string][]string {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	apply := func(name string) *certibloc.Application {
		p := &certibloc.Person{School: ownSchool, BirthName: name, FirstNames: "Camille", Email: "walk." + name + "@example.org", Level: 5}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		a := &certibloc.Application{CampaignID: adm.campaign, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		if err := db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
			t.Fatal(err)
		}
		return a
	}
	corrected, convened := apply("MOREAU"), apply("LAMBERT")
	ds, err := db.Decide(ctx, []int64{corrected.ID, convened.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible,
		Members: []string{"Michel GIRARD"}, Reason: "Professionnel"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CorrectDecision(ctx, ds[0].ID, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible,
		Reason: "Équipe"}); err != nil {
		t.Fatal(err)
	}
	if err := db.AddNote(ctx, &certibloc.ApplicationNote{ApplicationID: convened.ID, Body: "Import nocturne"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now().AddDate(0, 0, 14).Truncate(24 * time.Hour).Add(8 * time.Hour)
	slots := []certibloc.InterviewSlot{{StartsAt: start, Minutes: 30, Place: "Salle au rez-de-chaussée"},
		{StartsAt: start.Add(30 * time.Minute), Minutes: 30, VisioURL: "https://visio.example.org/entretien"}}
	if err := db.CreateSlots(ctx, adm.campaign, slots); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AssignSlot(ctx, slots[0].ID, convened.ID, "https://certibloc.example.org"); err != nil {
		t.Fatal(err)
	}
	return map[string][]string{
		"GET /app/campaigns/{id}/agenda": {fmt.Sprintf("/app/campaigns/%d/agenda", adm.campaign),
			fmt.Sprintf("/app/campaigns/%d/agenda?day=%s", adm.campaign, start.Format("2006-01-02"))},
		"GET /app/campaigns/{id}/commissions": {fmt.Sprintf("/app/campaigns/%d/commissions", adm.campaign)},
		"GET /app/applications/{id}": {fmt.Sprintf("/app/applications/%d", corrected.ID),
			fmt.Sprintf("/app/applications/%d", convened.ID)},
	}
}
