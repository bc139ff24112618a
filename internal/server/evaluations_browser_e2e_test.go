package server_test

import (
	"fmt"
	"html"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestEvaluationsEndToEndInBrowser takes a cohort of two learners (one
// with BC04 as option, one with BC05) through every evaluation of
// RNCP38478 in Chromium, on both engines, with the keyboard alone: BC02's
// team evaluation member by member then team, the second learner failing
// BC01 and passing its resit, the first with an accommodation that the
// session sheet shows and the results record. Every page passes axe-core.
// Then both learners are certified by the rules engine from the stored
// results, and each learner's view says what the engine says.
func TestEvaluationsEndToEndInBrowser(t *testing.T) {
	browsertest.Available(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		srv := httptest.NewServer(h)
		defer srv.Close()
		co := enrolCohort(t, db, "Navigateur", "BC04", "BC05")
		a, b := co.Learners[0], co.Learners[1]
		staffP := &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "test"}
		ctx := certibloc.WithPrincipal(t.Context(), staffP)
		referent := &certibloc.Principal{Role: certibloc.Referent, Schools: []string{ownSchool}, Label: "référente"}
		must(t, db.SetAccommodations(certibloc.WithPrincipal(t.Context(), referent), referent, a,
			[]certibloc.Accommodation{{Kind: certibloc.ExtraTime, Detail: "tiers temps"}}))
		evaluator, evCookie := evaluatorAccount(t, db, "navigateur.evaluateur@example.org", certibloc.Evaluator)
		grader := []browsertest.Cookie{{Name: "certibloc_session", Value: evCookie}}
		grids, err := db.Grids(t.Context(), "RNCP38478", 0)
		must(t, err)
		if len(grids) != 12 {
			t.Fatalf("%d grids, want 12", len(grids))
		}

		u := srv.URL
		review := browsertest.Action{Do: "press", Selector: "#review", Value: "Enter"}
		submit := browsertest.Action{Do: "press", Selector: "#confirm-submit", Value: "Enter"}
		draft := browsertest.Action{Do: "press", Selector: "button[value=draft]", Value: "Enter"}
		// typed fills the criteria of a screen with the keyboard: Space on a
		// level (3, « Acquis », or 1), or the grade typed key by key.
		typed := func(g *certibloc.Grid, keep func(certibloc.Criterion) bool, pass bool) []browsertest.Action {
			var out []browsertest.Action
			for _, c := range g.Criteria {
				if !keep(c) {
					continue
				}
				switch {
				case len(c.Scale.Levels) > 0 && pass:
					out = append(out, browsertest.Action{Do: "press", Selector: "#v-" + c.Key + "-3", Value: " "})
				case len(c.Scale.Levels) > 0:
					out = append(out, browsertest.Action{Do: "press", Selector: "#v-" + c.Key + "-1", Value: " "})
				case pass:
					out = append(out, keys("#v-"+c.Key, c.Scale.Pass.In(certibloc.French))...)
				default:
					out = append(out, keys("#v-"+c.Key, "4,5")...)
				}
			}
			return out
		}
		all := func(certibloc.Criterion) bool { return true }
		session := func(g *certibloc.Grid, days int, title string, learners ...certibloc.Learner) *certibloc.EvalSession {
			s := &certibloc.EvalSession{School: ownSchool, Certification: "RNCP38478", Block: g.Block, Evaluation: g.Evaluation,
				Complementary: g.Complementary, CohortID: co.ID, Title: title, Date: daysFromNow(days), Place: "Dijon",
				Evaluators: []int64{evaluator}, Learners: learners}
			if g.Block == "RNCP38478BC02" && g.Evaluation == 1 {
				s.Form = certibloc.Team
			}
			must(t, db.CreateEvalSession(ctx, staffP, s))
			return s
		}
		var pages []browsertest.Page
		screen := func(s *certibloc.EvalSession, person int64) string {
			return fmt.Sprintf("%s/app/evaluations/%d/learners/%d", u, s.ID, person)
		}
		grade := func(s *certibloc.EvalSession, g *certibloc.Grid, person int64, pass bool) {
			pages = append(pages, browsertest.Page{Name: fmt.Sprintf("%s, learner %d", s.Title, person), URL: screen(s, person),
				Cookies: grader, Actions: append(typed(g, all, pass), review, submit)})
		}
		var bc01 *certibloc.EvalSession
		for i := range grids {
			g := &grids[i]
			title := g.Block + " " + g.Complementary
			var sitters []certibloc.Learner
			for _, p := range co.Learners {
				if opt := co.Option[p]; !strings.HasSuffix(g.Block, "4") && !strings.HasSuffix(g.Block, "5") &&
					!strings.HasSuffix(g.Block, "6") || opt == g.Block {
					sitters = append(sitters, certibloc.Learner{PersonID: p})
				}
			}
			switch {
			case len(sitters) == 0:
			case g.Block == "RNCP38478BC02" && g.Evaluation == 1:
				for i := range sitters {
					sitters[i].Team = "Équipe Bleue"
				}
				s := session(g, -40, title, sitters...)
				individual := func(c certibloc.Criterion) bool { return c.Individual }
				shared := func(c certibloc.Criterion) bool { return !c.Individual }
				for _, l := range sitters {
					pages = append(pages, browsertest.Page{Name: "BC02 team evaluation, member", URL: screen(s, l.PersonID),
						Cookies: grader, Actions: append(typed(g, individual, true), draft)})
				}
				pages = append(pages, browsertest.Page{Name: "BC02 team evaluation, the team", Cookies: grader,
					URL:     fmt.Sprintf("%s/app/evaluations/%d/teams/%s", u, s.ID, url.PathEscape("Équipe Bleue")),
					Actions: append(typed(g, shared, true), review, submit)})
			default:
				s := session(g, -40+g.Evaluation, title, sitters...)
				for _, l := range sitters {
					grade(s, g, l.PersonID, !(g.Block == "RNCP38478BC01" && l.PersonID == b))
				}
				if g.Block == "RNCP38478BC01" {
					bc01 = s
					resit := session(g, -3, "Rattrapage BC01", certibloc.Learner{PersonID: b})
					grade(resit, g, b, true)
				}
			}
		}
		sheet := fmt.Sprintf("%s/app/evaluations/%d", u, bc01.ID)
		pages = append(pages, browsertest.Page{Name: "BC01's sheet", URL: sheet, Cookies: grader})
		views := map[int64]string{}
		for i, p := range co.Learners {
			acc, err := db.CreateAccount(t.Context(), certibloc.Account{Email: fmt.Sprintf("navigateur.apprenant%d@example.org", i),
				Role: certibloc.Candidate, PersonID: p})
			must(t, err)
			cookie, err := db.CreateSession(t.Context(), acc.ID, true)
			must(t, err)
			views[p] = cookie
			pages = append(pages, browsertest.Page{Name: fmt.Sprintf("learner %d's view", p), URL: u + "/app/me/evaluations",
				Cookies: []browsertest.Cookie{{Name: "certibloc_session", Value: cookie}}})
		}
		results := browsertest.Check(t, pages...)
		browsertest.AssertClean(t, results, admPageBudget)
		for _, r := range results {
			if strings.Contains(r.Name, "learner ") && strings.Contains(r.Name, ",") && !strings.Contains(r.FinalURL, "done=submitted") ||
				strings.Contains(r.Name, "member") && !strings.Contains(r.FinalURL, "done=saved") {
				t.Errorf("%s ended at %s", r.Name, strings.TrimPrefix(r.FinalURL, u))
			}
		}

		// What the keyboard recorded: every result submitted, the first
		// learner's with the accommodation, shown on the sheet.
		admin := &certibloc.Principal{Role: certibloc.Admin}
		for _, p := range co.Learners {
			sittings, err := db.PersonResults(t.Context(), admin, p)
			must(t, err)
			if len(sittings) != 8+map[bool]int{true: 1}[p == b] {
				t.Errorf("learner %d sat %d sessions", p, len(sittings))
			}
			for _, pr := range sittings {
				if pr.Official == nil || len(pr.Results) != 1 || pr.Results[0].State != certibloc.ResultSubmitted {
					t.Errorf("learner %d, %s: %+v", p, pr.Session.Title, pr.Results)
					continue
				}
				if got := len(pr.Results[0].Accommodations); got != map[bool]int{true: 1}[p == a] {
					t.Errorf("learner %d, %s: result recorded %d accommodations", p, pr.Session.Title, got)
				}
			}
		}
		ev := &admClient{t: t, h: h, cookies: map[string]string{"certibloc_session": evCookie}}
		wantIn(t, "BC01's sheet", html.UnescapeString(ev.get(strings.TrimPrefix(sheet, u), 200).Body.String()),
			"Temps majoré : tiers temps", "Non réussie")
		statuses, err := db.BlockStatuses(t.Context(), admin, sqldb.StatusFilter{CohortID: co.ID})
		must(t, err)
		for _, st := range statuses {
			if !st.Decision.Certified {
				t.Errorf("learner %d is not certified: %+v", st.PersonID, st.Decision.Explain(certibloc.English))
			}
			me := &admClient{t: t, h: h, cookies: map[string]string{"certibloc_session": views[st.PersonID]}}
			for lang, l := range map[string]certibloc.Lang{"?lang=fr": certibloc.French, "?lang=en": certibloc.English} {
				page := html.UnescapeString(me.get(fmt.Sprintf("/app/people/%d/evaluations%s", st.PersonID, lang), 200).Body.String())
				text := st.Decision.Explain(l)
				wantIn(t, "the learner's view", page, text.Explanation...)
				for _, bl := range text.Blocks {
					wantIn(t, "the learner's view", page, bl.Reason)
				}
			}
		}
	})
}
