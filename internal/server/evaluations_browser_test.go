package server_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// keys presses each character of s in the field, as typed on a keyboard.
func keys(selector, s string) []browsertest.Action {
	var out []browsertest.Action
	for _, r := range s {
		out = append(out, browsertest.Action{Do: "press", Selector: selector, Value: string(r)})
	}
	return out
}

// TestGradingWithTheKeyboardInBrowser takes a learner through the grading
// of BC01's first evaluation and of the oral defence in Chromium, with the
// keyboard alone: Space on a level's radio, the grade « 14,5 » typed key by
// key, Enter on « Vérifier avant de soumettre » then on « Soumettre et
// verrouiller ». A grade outside the scale comes back in French. Every page
// passes axe-core, asks nothing of another host, weighs under 50 KB, and
// the sheet, a grading screen and the learner's view fit a phone's width.
func TestGradingWithTheKeyboardInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	w := newEvalWorld(t, db, 2)
	learner := w.learners[0]
	oral := &certibloc.EvalSession{School: ownSchool, Certification: "RNCP38478", Version: w.version,
		Complementary: "oral_defence", Form: certibloc.Individual, CohortID: w.cohort, Title: "Soutenance orale",
		Date: daysFromNow(-1), Place: "Amphithéâtre", Evaluators: []int64{w.evaluator},
		Learners: []certibloc.Learner{{PersonID: learner}}}
	staffP := admStaff(t)
	if err := db.CreateEvalSession(certibloc.WithPrincipal(t.Context(), staffP), staffP, oral); err != nil {
		t.Fatal(err)
	}
	grader := evalCookie(t, w, w.evaluator)
	acc, err := db.CreateAccount(t.Context(), certibloc.Account{Email: "apprenant.clavier@example.org", Role: certibloc.Candidate,
		PersonID: learner})
	if err != nil {
		t.Fatal(err)
	}
	me := evalCookie(t, w, acc.ID)
	staff := admCookie(t, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})

	u := srv.URL
	sheet := fmt.Sprintf("%s/app/evaluations/%d", u, w.session)
	bc01 := fmt.Sprintf("%s/learners/%d", sheet, learner)
	oralScreen := fmt.Sprintf("%s/app/evaluations/%d/learners/%d", u, oral.ID, learner)
	grids, err := db.Grids(t.Context(), "RNCP38478", w.version)
	if err != nil {
		t.Fatal(err)
	}
	var levels []browsertest.Action // Space on « Acquis » (level 3) of every criterion
	for _, g := range grids {
		if g.Block == "RNCP38478BC01" && g.Evaluation == 1 {
			for _, c := range g.Criteria {
				levels = append(levels, browsertest.Action{Do: "press", Selector: "#v-" + c.Key + "-3", Value: " "})
			}
		}
	}
	review := browsertest.Action{Do: "press", Selector: "#review", Value: "Enter"}
	submit := browsertest.Action{Do: "press", Selector: "#confirm-submit", Value: "Enter"}
	phone := &browsertest.Viewport{Width: 360, Height: 740}
	pages := []browsertest.Page{
		{Name: "evaluator's sessions", URL: u + "/app/evaluations", Cookies: grader},
		{Name: "session sheet", URL: sheet, Cookies: grader},
		{Name: "session sheet on a phone", URL: sheet, Cookies: grader, Viewport: phone},
		{Name: "BC01 graded, checked", URL: bc01, Cookies: grader, Actions: append(append([]browsertest.Action{},
			levels...), append(keys("#c-C1", "Bonne analyse"), review)...)},
		{Name: "BC01 submitted", URL: bc01, Cookies: grader, Actions: append(append([]browsertest.Action{}, levels...),
			review, submit)},
		{Name: "oral defence on a phone", URL: oralScreen, Cookies: grader, Viewport: phone},
		{Name: "oral defence submitted", URL: oralScreen, Cookies: grader, Actions: append(keys("#v-NOTE", "14,5"),
			review, submit)},
		{Name: "sheet for staff", URL: sheet, Cookies: staff},
		{Name: "new session", URL: fmt.Sprintf("%s/app/evaluations/new?cohort=%d", u, w.cohort), Cookies: staff},
		{Name: "learner's view", URL: u + "/app/me/evaluations", Cookies: me},
		{Name: "learner's view on a phone", URL: u + "/app/me/evaluations?lang=en", Cookies: me, Viewport: phone},
	}
	second := fmt.Sprintf("%s/learners/%d", sheet, w.learners[1])
	refused := []browsertest.Page{
		{Name: "a grade outside the scale", URL: second, Cookies: grader, Actions: append(append([]browsertest.Action{},
			levels[1:]...), review)}, // C1 left out
	}
	results := browsertest.Check(t, append(pages, refused...)...)
	for _, r := range results {
		t.Logf("%-28s %d %6d bytes, %d px too wide, %s", r.Name, r.Status, r.Bytes, r.Overflow, strings.TrimPrefix(r.FinalURL, u))
	}
	browsertest.AssertClean(t, results[:len(pages)], admPageBudget)
	for _, r := range results {
		if r.Overflow > 0 {
			t.Errorf("%s: the page is %d px wider than the window", r.Name, r.Overflow)
		}
	}
	for _, r := range results[len(pages):] {
		if r.Status != 400 || r.Error != "" || len(r.Violations) > 0 || len(r.ThirdParty) > 0 {
			t.Errorf("%s: status %d, %q, violations %v, %v", r.Name, r.Status, r.Error, r.ViolationIDs(), r.ThirdParty)
		}
	}
	for i, want := range map[int]string{4: "done=submitted", 6: "done=submitted"} {
		if !strings.Contains(results[i].FinalURL, want) {
			t.Errorf("%s ended at %s, want %s", results[i].Name, results[i].FinalURL, want)
		}
	}

	// What the keyboard did: both results submitted, as typed.
	ctx := certibloc.WithPrincipal(t.Context(), staffP)
	for _, x := range []struct {
		session int64
		total   certibloc.Score
		passed  bool
	}{{w.session, 0, true}, {oral.ID, 1450, true}} {
		rs, err := db.Results(ctx, staffP, x.session)
		if err != nil {
			t.Fatal(err)
		}
		var got *certibloc.Result
		for i := range rs {
			if rs[i].PersonID == learner {
				got = &rs[i]
			}
		}
		if got == nil || got.State != certibloc.ResultSubmitted || got.Passed != x.passed || x.total != 0 && got.Total != x.total {
			t.Errorf("session %d: %+v, want submitted, passed %v, total %s", x.session, got, x.passed, x.total)
		}
	}
}

// evalCookie signs an account of the world in for the browser.
func evalCookie(t *testing.T, w *evalWorld, account int64) []browsertest.Cookie {
	t.Helper()
	token, err := w.m.db.CreateSession(t.Context(), account, true)
	if err != nil {
		t.Fatal(err)
	}
	return []browsertest.Cookie{{Name: "certibloc_session", Value: token}}
}
