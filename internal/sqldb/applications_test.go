package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestCampaigns(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		c := w.campaign
		if c.ID == 0 || c.Version != 1 || c.Title != "Coordinateur de projets informatiques (infrastructures cloud, applicatives ou data) 2026" {
			t.Errorf("created campaign: id %d, version %d, title %q", c.ID, c.Version, c.Title)
		}
		got, err := db.Campaign(ctx, c.ID)
		if err != nil || got.School != "DIIAGE" || len(got.Offers) != 4 || got.Offers[0].Places != 3 ||
			got.ClosesOn != certibloc.DateOf(2026, 7, 1) || len(got.Options) != 2 {
			t.Errorf("Campaign = %+v, %v", got, err)
		}
		other := w.newCampaign(t, "OTHER", certibloc.DefaultClosing(2026))
		for school, want := range map[string]int{"": 2, "diiage": 1, "OTHER": 1, "NONE": 0} {
			if list, err := db.Campaigns(ctx, school); err != nil || len(list) != want {
				t.Errorf("Campaigns(%q) = %d campaigns, %v; want %d", school, len(list), err, want)
			}
		}
		if _, err := db.Campaign(ctx, other.ID+10); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown campaign: %v", err)
		}
		trail, _ := db.AuditTrail(ctx, "campaign", fmt.Sprint(c.ID))
		if len(trail) != 1 || trail[0].Action != "campaign.create" || trail[0].Actor != "account 1" {
			t.Errorf("campaign trail: %+v", trail)
		}
		slug := "coordinateur-projets-informatiques-diiage"
		must(t, db.SaveProgramme(ctx, &certibloc.Programme{Slug: slug, Title: "CPI", CertificationCode: "RNCP38478",
			School: certibloc.ProgrammeSchool{Code: "DIIAGE"}}))
		byProgramme := &certibloc.Campaign{School: "DIIAGE", Programme: slug, Year: 2027, OpensOn: certibloc.DateOf(2027, 1, 1),
			ClosesOn: certibloc.DefaultClosing(2027), Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 20}}}
		if err := db.CreateCampaign(ctx, byProgramme); err != nil || byProgramme.CertificationCode != "RNCP38478" {
			t.Errorf("a campaign of a programme: %v, %q", err, byProgramme.CertificationCode)
		}
		for _, tt := range []struct {
			change func(c *certibloc.Campaign)
			code   string
			want   string
		}{
			{func(c *certibloc.Campaign) { c.CertificationCode = "RNCP1" }, certibloc.EINVALID, "no certification with code RNCP1"},
			{func(c *certibloc.Campaign) { c.Version = 9 }, certibloc.EINVALID, "has no version 9"},
			{func(c *certibloc.Campaign) { c.School = "NOPE" }, certibloc.EINVALID, `school "NOPE" does not exist`},
			{func(c *certibloc.Campaign) { c.Options = []string{"RNCP38478BC01"} }, certibloc.EINVALID, "not an optional block"},
			{func(c *certibloc.Campaign) { c.Programme = slug; c.School = "OTHER" }, certibloc.EINVALID, "is taught by DIIAGE, not by OTHER"},
			{func(c *certibloc.Campaign) { c.Programme = "nope" }, certibloc.EINVALID, `programme "nope" does not exist`},
			{func(c *certibloc.Campaign) { c.CertificationCode = "" }, certibloc.EINVALID, "certification_code is required"},
		} {
			c := &certibloc.Campaign{School: "DIIAGE", CertificationCode: "RNCP38478", Year: 2026,
				OpensOn: certibloc.DateOf(2026, 1, 1), ClosesOn: certibloc.DefaultClosing(2026),
				Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 20}}}
			tt.change(c)
			if err := db.CreateCampaign(ctx, c); certibloc.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CreateCampaign = %v, want %s %q", err, tt.code, tt.want)
			}
		}
	})
}

func TestApplicationDraftAndSubmit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		p := w.person(t, "Martin", 4, 0, 14)
		a := &certibloc.Application{CampaignID: w.campaign.ID, PersonID: p.ID, Track: certibloc.ThreeYear,
			Mode: certibloc.Initial, Option: "RNCP38478BC04"}
		must(t, db.CreateApplication(w.staff, a))
		if a.ID == 0 || a.State != certibloc.Draft || a.School != "DIIAGE" || a.Name != "Camille MARTIN" || a.Eligibility != nil {
			t.Fatalf("draft = %+v", a)
		}

		// Bad input leaves the draft as it was.
		refuse := func(what string, err error, code, want string) {
			t.Helper()
			if certibloc.ErrorCode(err) != code || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want %s %q", what, err, code, want)
			}
			if got, err := db.Application(ctx, a.ID); err != nil || got.Track != certibloc.ThreeYear ||
				got.Option != "RNCP38478BC04" || got.State != certibloc.Draft {
				t.Errorf("%s changed the application: %+v, %v", what, got, err)
			}
		}
		again := *a
		refuse("a second application", db.CreateApplication(w.staff, &again), certibloc.ECONFLICT,
			fmt.Sprintf("already applied: person %d has application %d to this campaign", p.ID, a.ID))
		a.Option = "RNCP38478BC06"
		refuse("an option not open", db.UpdateApplication(w.staff, a), certibloc.EINVALID, "option RNCP38478BC06 is not open")
		other := &certibloc.Application{CampaignID: w.newCampaign(t, "OTHER", certibloc.DefaultClosing(2026)).ID,
			PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		refuse("a campaign of another school", db.CreateApplication(w.staff, other), certibloc.EINVALID, "belongs to school DIIAGE")
		closed := &certibloc.Application{CampaignID: w.newCampaign(t, "DIIAGE", certibloc.DateOf(2026, 3, 14)).ID,
			PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		refuse("a closed campaign", db.CreateApplication(w.staff, closed), certibloc.EINVALID, "closed on 2026-03-14")
		refuse("no such campaign", db.CreateApplication(w.staff, &certibloc.Application{CampaignID: 999, PersonID: p.ID}),
			certibloc.EINVALID, "campaign 999 does not exist")

		*a = certibloc.Application{ID: a.ID, Track: certibloc.OneYear, Mode: certibloc.Apprenticeship, Option: "RNCP38478BC05"}
		must(t, db.UpdateApplication(w.staff, a))
		if a.CampaignID != w.campaign.ID || a.Mode != certibloc.Apprenticeship || a.Name == "" {
			t.Errorf("updated = %+v", a)
		}

		// After 1 July, too late; on 1 July, still in time.
		_, err := db.SubmitApplication(w.staff, a.ID, certibloc.DateOf(2026, 7, 2))
		if certibloc.ErrorCode(err) != certibloc.EINVALID || !strings.Contains(err.Error(), "closed on 2026-07-01") {
			t.Errorf("submitted after the closing date: %v", err)
		}
		if w.state(t, a.ID) != certibloc.Draft {
			t.Error("a refused submission changed the state")
		}
		sub, err := db.SubmitApplication(w.staff, a.ID, certibloc.DateOf(2026, 7, 1))
		must(t, err)
		if sub.State != certibloc.Submitted || sub.SubmittedAt == nil || sub.Eligibility == nil || !sub.Eligibility.Eligible ||
			!sub.Eligibility.CommitteeReview || sub.Eligibility.Rule != "level4_experience" {
			t.Fatalf("submitted = %+v %+v", sub, sub.Eligibility)
		}
		back, _ := db.Application(ctx, a.ID)
		if back.Eligibility == nil || len(back.Eligibility.Reasons) != 4 || back.SubmittedAt == nil {
			t.Errorf("read back = %+v", back)
		}
		a.Mode = certibloc.Initial
		if err := db.UpdateApplication(w.staff, a); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("editing a submitted application: %v", err)
		}
		if _, err := db.SubmitApplication(w.staff, a.ID, db.Today()); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("submitting twice: %v", err)
		}
		trail, _ := db.AuditTrail(ctx, "application", fmt.Sprint(a.ID))
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
			if strings.Contains(string(e.Data), "level") || strings.Contains(string(e.Data), "Martin") {
				t.Errorf("the trail holds a personal value: %s", e.Data)
			}
		}
		if strings.Join(actions, " ") != "application.create application.update application.submit" {
			t.Errorf("trail = %v", actions)
		}
	})
}

func TestSubmitGivesTheVerdictOfTheEntryRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newAdmissions(t, db)
		for _, tt := range []struct {
			level, ects, months int
			track               certibloc.Track
			eligible, committee bool
			rule                string
		}{
			{5, 0, 0, certibloc.OneYear, true, false, "level5"},
			{4, 0, 12, certibloc.OneYear, true, true, "level4_experience"},
			{4, 120, 12, certibloc.OneYear, true, false, "level4_ects"},
			{4, 60, 11, certibloc.OneYear, false, false, "none"},
			{3, 0, 60, certibloc.OneYear, false, false, "none"},
			{4, 0, 0, certibloc.ThreeYear, true, false, "level4"},
			{3, 0, 0, certibloc.ThreeYear, false, false, "none"},
		} {
			w.counter++
			p := w.person(t, fmt.Sprint("Verdict", w.counter), tt.level, tt.ects, tt.months)
			a := &certibloc.Application{CampaignID: w.campaign.ID, PersonID: p.ID, Track: tt.track, Mode: certibloc.Initial}
			must(t, db.CreateApplication(w.staff, a))
			a, err := db.SubmitApplication(w.staff, a.ID, db.Today())
			must(t, err)
			if e := a.Eligibility; e.Eligible != tt.eligible || e.CommitteeReview != tt.committee || e.Rule != tt.rule || len(e.Reasons) == 0 {
				t.Errorf("level %d, %d ECTS, %d months on %s: %+v", tt.level, tt.ects, tt.months, tt.track, e)
			}
		}
		// 23:30 UTC on 14 January is 00:30 on the 15th in Paris, where
		// campaigns open and close.
		w.now = time.Date(2026, 1, 14, 23, 30, 0, 0, time.UTC)
		want := certibloc.DateOf(2026, 1, 15)
		if _, err := time.LoadLocation("Europe/Paris"); err != nil {
			want = certibloc.DateOf(2026, 1, 14) // no time zone database: UTC
		}
		if db.Today() != want {
			t.Errorf("Today = %s, want %s", db.Today(), want)
		}
	})
}
