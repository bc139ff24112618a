package sqldb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestApplicationsList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		// Éloïse Zola (level 4 + 14 months: committee), Hugo Bernard
		// (level 5), Léa Martin (level 3: not eligible), a draft of Inès
		// Petit, and in OTHER a candidate of the same name.
		type who struct {
			first, last   string
			level, months int
			track         certibloc.Track
			mode          certibloc.Mode
			submit        bool
		}
		var ids = map[string]int64{}
		for _, c := range []who{
			{first: "Éloïse", last: "Zola", level: 4, months: 14, track: certibloc.OneYear, mode: certibloc.Apprenticeship, submit: true},
			{first: "Hugo", last: "Bernard", level: 5, track: certibloc.OneYear, mode: certibloc.Initial, submit: true},
			{first: "Léa", last: "Martin", level: 3, track: certibloc.OneYear, mode: certibloc.Initial, submit: true},
			{first: "Inès", last: "Petit", level: 5, track: certibloc.ThreeYear, mode: certibloc.Initial},
		} {
			p := samplePerson("DIIAGE", c.last, c.first)
			p.Level, p.ExperienceMonths, p.ECTS = c.level, c.months, 0
			mustCreate(t, db, p)
			a := &certibloc.Application{CampaignID: w.campaign.ID, PersonID: p.ID, Track: c.track, Mode: c.mode}
			must(t, db.CreateApplication(w.staff, a))
			if c.submit {
				_, err := db.SubmitApplication(w.staff, a.ID, db.Today())
				must(t, err)
			}
			ids[c.last] = a.ID
		}
		w.decide(t, certibloc.DecideAdmissible, ids["Bernard"])
		other := w.newCampaign(t, "OTHER", certibloc.DefaultClosing(2026))
		p := mustCreate(t, db, samplePerson("OTHER", "Zola", "Émile"))
		must(t, db.CreateApplication(w.other, &certibloc.Application{CampaignID: other.ID, PersonID: p.ID,
			Track: certibloc.OneYear, Mode: certibloc.Initial}))

		yes, no := true, false
		names := func(list []certibloc.Application) string {
			var s []string
			for _, a := range list {
				s = append(s, a.Name)
			}
			return strings.Join(s, ", ")
		}
		for _, tt := range []struct {
			name  string
			f     sqldb.ApplicationFilter
			want  string
			total int
		}{
			{"a campaign, by name", sqldb.ApplicationFilter{CampaignID: w.campaign.ID},
				"Hugo BERNARD, Léa MARTIN, Inès PETIT, Éloïse ZOLA", 4},
			{"every school", sqldb.ApplicationFilter{}, "Hugo BERNARD, Léa MARTIN, Inès PETIT, Éloïse ZOLA, Émile ZOLA", 5},
			{"one school", sqldb.ApplicationFilter{School: "other"}, "Émile ZOLA", 1},
			{"the scope of a school", sqldb.ApplicationFilter{Schools: []string{"OTHER"}}, "Émile ZOLA", 1},
			{"an empty scope", sqldb.ApplicationFilter{Schools: []string{}}, "", 0},
			{"submitted", sqldb.ApplicationFilter{States: []certibloc.State{certibloc.Submitted}}, "Léa MARTIN, Éloïse ZOLA", 2},
			{"two states", sqldb.ApplicationFilter{States: []certibloc.State{certibloc.Admissible, certibloc.Draft}, CampaignID: w.campaign.ID},
				"Hugo BERNARD, Inès PETIT", 2},
			{"a track", sqldb.ApplicationFilter{Track: certibloc.ThreeYear}, "Inès PETIT", 1},
			{"a mode", sqldb.ApplicationFilter{Mode: certibloc.Apprenticeship}, "Éloïse ZOLA", 1},
			{"for the committee", sqldb.ApplicationFilter{CommitteeReview: &yes}, "Éloïse ZOLA", 1},
			{"not eligible", sqldb.ApplicationFilter{Eligible: &no}, "Léa MARTIN", 1},
			{"eligible, sorted by name backwards", sqldb.ApplicationFilter{Eligible: &yes, Sort: "-name"}, "Éloïse ZOLA, Hugo BERNARD", 2},
			{"a search without accents", sqldb.ApplicationFilter{Search: "eloise"}, "Éloïse ZOLA", 1},
			{"a search in any order", sqldb.ApplicationFilter{Search: "ZOLA émile"}, "Émile ZOLA", 1},
			{"a search that finds nobody", sqldb.ApplicationFilter{Search: "%"}, "", 0},
			{"state, track and search", sqldb.ApplicationFilter{CampaignID: w.campaign.ID, States: []certibloc.State{certibloc.Submitted},
				Track: certibloc.OneYear, Search: "zol"}, "Éloïse ZOLA", 1},
			{"by state", sqldb.ApplicationFilter{CampaignID: w.campaign.ID, Sort: "state"},
				"Inès PETIT, Éloïse ZOLA, Léa MARTIN, Hugo BERNARD", 4},
			{"by id, latest first", sqldb.ApplicationFilter{CampaignID: w.campaign.ID, Sort: "-id"},
				"Inès PETIT, Léa MARTIN, Hugo BERNARD, Éloïse ZOLA", 4},
			{"a page", sqldb.ApplicationFilter{CampaignID: w.campaign.ID, Limit: 2, Offset: 1}, "Léa MARTIN, Inès PETIT", 4},
			{"a page past the end", sqldb.ApplicationFilter{CampaignID: w.campaign.ID, Limit: 2, Offset: 10}, "", 4},
			{"everything", sqldb.ApplicationFilter{Limit: -1}, "Hugo BERNARD, Léa MARTIN, Inès PETIT, Éloïse ZOLA, Émile ZOLA", 5},
		} {
			list, total, err := db.Applications(ctx, tt.f)
			if err != nil || names(list) != tt.want || total != tt.total {
				t.Errorf("%s: %q (total %d), %v; want %q (%d)", tt.name, names(list), total, err, tt.want, tt.total)
			}
		}
		if _, _, err := db.Applications(ctx, sqldb.ApplicationFilter{Sort: "age"}); certibloc.ErrorCode(err) != certibloc.EINVALID ||
			!strings.Contains(err.Error(), "name, state, submitted_at") {
			t.Errorf("an unknown sort: %v", err)
		}

		// Scopes.
		scoped := func(p *certibloc.Principal) string {
			f := sqldb.ApplicationFilter{}
			f.Scope(p)
			list, _, err := db.Applications(ctx, f)
			must(t, err)
			return names(list)
		}
		zola, _ := db.Application(ctx, ids["Zola"])
		for p, want := range map[*certibloc.Principal]string{
			{Role: certibloc.Admin}:                                          "Hugo BERNARD, Léa MARTIN, Inès PETIT, Éloïse ZOLA, Émile ZOLA",
			{Role: certibloc.Staff, Schools: []string{"OTHER"}}:              "Émile ZOLA",
			{Role: certibloc.Candidate, PersonID: zola.PersonID}:             "Éloïse ZOLA",
			{Role: certibloc.Candidate}:                                      "",
			{Role: certibloc.Jury, Schools: []string{"DIIAGE"}, PersonID: 1}: "",
			{}: "",
		} {
			if got := scoped(p); got != want {
				t.Errorf("scope of %+v: %q, want %q", p, got, want)
			}
		}

		counts, err := db.ApplicationCounts(ctx, sqldb.ApplicationFilter{CampaignID: w.campaign.ID,
			States: []certibloc.State{certibloc.Draft}, Track: certibloc.OneYear})
		must(t, err)
		got := fmt.Sprint(counts[certibloc.Draft], counts[certibloc.Submitted], counts[certibloc.Admissible])
		if got != "0 2 1" {
			t.Errorf("one-year counts (draft, submitted, admissible) = %s: %v", got, counts)
		}
		counts, err = db.ApplicationCounts(ctx, sqldb.ApplicationFilter{Search: "zola"})
		must(t, err)
		if counts[certibloc.Submitted] != 1 || counts[certibloc.Draft] != 1 {
			t.Errorf("counts of the Zolas = %v", counts)
		}
	})
}
