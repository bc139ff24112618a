package server_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// evalWorld is a cohort of ownSchool with learners enrolled (one-year
// track, initial training) and a session of BC01's first evaluation held
// yesterday that they sit, an evaluator assigned to it.
type evalWorld struct {
	m         *matrix
	cohort    int64
	version   int
	learners  []int64
	evaluator int64 // account
	session   int64
}

func newEvalWorld(t *testing.T, db *sqldb.DB, learners int) *evalWorld {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	w := &evalWorld{m: &matrix{t: t, db: db}}
	c := w.m.campaign()
	w.cohort, w.version = w.m.cohort(c), c.Version
	for range learners {
		a := w.m.application(w.m.newPerson(ownSchool), certibloc.DecideAdmissible, certibloc.ScheduleInterview,
			certibloc.RecordInterview, certibloc.DecideAdmitted)
		if err := db.Enrol(ctx, &certibloc.Enrolment{CohortID: w.cohort, ApplicationID: a.ID, InternshipMonths: 6}); err != nil {
			t.Fatal(err)
		}
		w.learners = append(w.learners, a.PersonID)
	}
	ev, err := db.CreateAccount(t.Context(), certibloc.Account{Email: fmt.Sprintf("evaluateur.%d@example.org", w.m.unique()),
		Role: certibloc.Evaluator, Schools: []string{ownSchool}})
	if err != nil {
		t.Fatal(err)
	}
	w.evaluator = ev.ID
	w.session = w.newSession(t, "RNCP38478BC01", 1, daysFromNow(-1), w.learners...)
	return w
}

// newSession makes a session of an evaluation for learners, with the
// world's evaluator.
func (w *evalWorld) newSession(t *testing.T, block string, n int, on certibloc.Date, learners ...int64) int64 {
	t.Helper()
	es := &certibloc.EvalSession{School: ownSchool, Certification: "RNCP38478", Version: w.version, Block: block,
		Evaluation: n, Form: certibloc.Individual, CohortID: w.cohort, Title: fmt.Sprintf("%s, évaluation %d", block, n),
		Date: on, Place: "Salle Vauban", Evaluators: []int64{w.evaluator}}
	for _, p := range learners {
		es.Learners = append(es.Learners, certibloc.Learner{PersonID: p})
	}
	staff := &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "test"}
	if err := w.m.db.CreateEvalSession(certibloc.WithPrincipal(t.Context(), staff), staff, es); err != nil {
		t.Fatal(err)
	}
	return es.ID
}

// client signs in a browser of an account of the world.
func (w *evalWorld) client(t *testing.T, h http.Handler, id int64) *admClient {
	t.Helper()
	token, err := w.m.db.CreateSession(t.Context(), id, true)
	if err != nil {
		t.Fatal(err)
	}
	c := &admClient{t: t, h: h, cookies: map[string]string{"certibloc_session": token}}
	c.get("/app/account", http.StatusOK)
	return c
}

// TestGradingThroughThePages takes a learner of a cohort through the
// pages on both engines: a session created by staff through the form,
// grading by the evaluator assigned (a bad grade refused in French, a
// draft, the check, the submission that locks it), an evaluator not
// assigned refused, a correction by staff with a reason, and the
// learner's view that the rules engine explains.
func TestGradingThroughThePages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		w := newEvalWorld(t, db, 2)
		learner := w.learners[0]
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		grader := w.client(t, h, w.evaluator)
		stranger := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Evaluator, Schools: []string{ownSchool}})
		sheet := fmt.Sprintf("/app/evaluations/%d", w.session)
		screen := fmt.Sprintf("%s/learners/%d", sheet, learner)

		// Staff create a session of BC01 for the cohort through the form.
		form := staff.get(fmt.Sprintf("/app/evaluations/new?cohort=%d", w.cohort), http.StatusOK).Body.String()
		wantIn(t, "the form of a new session", form, "RNCP38478BC01, évaluation 1", "evaluateur.")
		created := staff.post("/app/evaluations", url.Values{"cohort": {fmt.Sprint(w.cohort)},
			"evaluation": {"RNCP38478BC03/1"}, "held_on": {daysFromNow(10).String()}, "place": {"Salle Carnot"},
			"evaluators": {fmt.Sprint(w.evaluator)}, "learners": {fmt.Sprint(w.learners[1])}}, http.StatusSeeOther)
		wantIn(t, "the new session", html.UnescapeString(staff.get(created.Header().Get("Location"), http.StatusOK).Body.String()),
			"La session est créée.", "Salle Carnot")
		refused := staff.post("/app/evaluations", url.Values{"cohort": {fmt.Sprint(w.cohort)}, "evaluation": {"RNCP38478BC03/1"},
			"place": {"Salle Carnot"}, "learners": {fmt.Sprint(w.learners[1])}}, http.StatusBadRequest)
		wantIn(t, "a session without date nor evaluator", html.UnescapeString(refused.Body.String()),
			"cochez au moins un évaluateur", "Le formulaire comporte des erreurs")

		// Only the evaluator assigned grades.
		wantIn(t, "the evaluator's list", grader.get("/app/evaluations", http.StatusOK).Body.String(), sheet)
		stranger.get(sheet, http.StatusForbidden)
		stranger.get(screen, http.StatusForbidden)
		stranger.post(screen, url.Values{"action": {"draft"}, "v-C1": {"3"}}, http.StatusForbidden)
		other := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{otherSchool}})
		other.get(sheet, http.StatusForbidden)

		// A bad grade is refused in French; a draft, the check, the lock.
		cert, err := db.Certification(t.Context(), "RNCP38478", w.version)
		if err != nil {
			t.Fatal(err)
		}
		marks := url.Values{"c-C1": {"Analyse solide"}} // every competency acquired, C2 mastered
		for i := range cert.Block("RNCP38478BC01").Competencies {
			marks.Set(fmt.Sprint("v-C", i+1), "3")
		}
		marks.Set("v-C2", "4")
		bad := url.Values{"action": {"review"}, "v-C1": {"7"}}
		wantIn(t, "a level outside the scale", html.UnescapeString(grader.post(screen, bad, http.StatusBadRequest).Body.String()),
			"choisissez un niveau de l'échelle", "la note manque")
		draft := url.Values{"action": {"draft"}}
		for k, v := range marks {
			draft[k] = v
		}
		grader.post(screen, draft, http.StatusSeeOther)
		wantIn(t, "the draft", grader.get(screen, http.StatusOK).Body.String(), `value="4" checked`, "Analyse solide", "brouillon")
		draft.Set("action", "review")
		check := html.UnescapeString(grader.post(screen, draft, http.StatusOK).Body.String())
		wantIn(t, "the check", check, "Vérifiez avant de soumettre", "Maîtrisé", "Réussie", "Soumettre et verrouiller")
		draft.Set("action", "submit")
		grader.post(screen, draft, http.StatusSeeOther)
		locked := html.UnescapeString(grader.get(screen, http.StatusOK).Body.String())
		wantIn(t, "the locked result", locked, "Ce résultat est soumis et verrouillé.", "Maîtrisé")
		draft.Set("action", "draft")
		grader.post(screen, draft, http.StatusConflict)

		// Staff correct it: a reason is required, the old value shown.
		correct := screen + "/correct?round=1"
		fix := url.Values{}
		for k, v := range marks {
			fix[k] = v
		}
		fix.Set("v-C2", "1")
		wantIn(t, "a correction without a reason", html.UnescapeString(staff.post(correct, fix, http.StatusBadRequest).Body.String()),
			"donnez le motif de la correction")
		wantIn(t, "the correction form", html.UnescapeString(staff.get(screen, http.StatusOK).Body.String()),
			"Valeur actuelle : <strong>Maîtrisé</strong>")
		fix.Set("reason", "Erreur de report sur C2")
		staff.post(correct, fix, http.StatusSeeOther)
		wantIn(t, "the corrected result", html.UnescapeString(staff.get(screen, http.StatusOK).Body.String()),
			"Erreur de report sur C2", "Non réussie")
		fix.Set("v-C2", "3")
		fix.Set("reason", "Relecture de la grille")
		staff.post(correct, fix, http.StatusSeeOther)
		// The history of the result says what changed: the old total and the new.
		rs, err := db.Results(t.Context(), admStaff(t), w.session)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.PersonID == learner {
				history := html.UnescapeString(staff.get(fmt.Sprintf("/app/audit/result/%d", r.ID), http.StatusOK).Body.String())
				wantIn(t, "the history of the result", history, "Résultat corrigé", "old_total")
				wantIn(t, "the screen's link to it", staff.get(screen, http.StatusOK).Body.String(), fmt.Sprintf("/app/audit/result/%d", r.ID))
			}
		}

		// The learner's view: BC01 validated, what remains, in French and English.
		acc, err := db.CreateAccount(t.Context(), certibloc.Account{Email: fmt.Sprintf("apprenant.%d@example.org", w.m.unique()),
			Role: certibloc.Candidate, PersonID: learner})
		if err != nil {
			t.Fatal(err)
		}
		me := w.client(t, h, acc.ID)
		loc := me.get("/app/me/evaluations", http.StatusSeeOther).Header().Get("Location")
		view := html.UnescapeString(me.get(loc, http.StatusOK).Body.String())
		wantIn(t, "the learner's view", view, "Bloc validé", "réussie", "Réussie", "pas encore programmée",
			"Ce qui reste pour obtenir le titre")
		english := html.UnescapeString(me.get(loc+"?lang=en", http.StatusOK).Body.String())
		wantIn(t, "the learner's view in English", english, "What remains for the title", "passed", "not scheduled yet")
		me.get(fmt.Sprintf("/app/people/%d/evaluations", w.learners[1]), http.StatusForbidden)
	})
}

// TestAccommodationsReachTheSheet has the referent record structured
// accommodations, shown on the session sheet without the needs.
func TestAccommodationsReachTheSheet(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		w := newEvalWorld(t, db, 1)
		learner := w.learners[0]
		if err := db.SetDisability(t.Context(), &certibloc.Disability{PersonID: learner, Needs: "Dyslexie sévère"}); err != nil {
			t.Fatal(err)
		}
		referent := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Referent, Schools: []string{ownSchool}})
		path := fmt.Sprintf("/app/people/%d/accommodations", learner)
		wantIn(t, "extra time without its detail", html.UnescapeString(referent.post(path, url.Values{"kind-extra_time": {"yes"}},
			http.StatusBadRequest).Body.String()), "précisez le temps majoré accordé")
		referent.post(path, url.Values{"kind-extra_time": {"yes"}, "detail-extra_time": {"tiers temps"},
			"kind-separate_room": {"yes"}}, http.StatusSeeOther)
		grader := w.client(t, h, w.evaluator)
		next := w.newSession(t, "RNCP38478BC03", 1, daysFromNow(7), learner) // held after the accommodations were set
		sheet := html.UnescapeString(grader.get(fmt.Sprintf("/app/evaluations/%d", next), http.StatusOK).Body.String())
		wantIn(t, "the sheet", sheet, "Temps majoré : tiers temps", "Salle à part")
		if mentions(sheet, "Dyslexie") {
			t.Error("the session sheet shows the disability needs")
		}
	})
}

// TestDoubleMarkingShowsTheDiscrepancy has two evaluators grade the same
// learner at a session with double marking: the second is given round 2
// by the page itself, and cannot read nor write the first's round until
// both have submitted (blind); then the sheet and the grading screen
// show both grades, the grade kept and the discrepancy.
func TestDoubleMarkingShowsTheDiscrepancy(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		w := newEvalWorld(t, db, 1)
		learner := w.learners[0]
		second, err := db.CreateAccount(t.Context(), certibloc.Account{Email: fmt.Sprintf("second.%d@example.org", w.m.unique()),
			Role: certibloc.Evaluator, Schools: []string{ownSchool}})
		if err != nil {
			t.Fatal(err)
		}
		es := &certibloc.EvalSession{School: ownSchool, Certification: "RNCP38478", Version: w.version,
			Complementary: "technical_thesis", Form: certibloc.Individual, CohortID: w.cohort, Title: "Mémoire technique",
			Date: daysFromNow(-2), Place: "Salle Vauban", DoubleMarking: true, Evaluators: []int64{w.evaluator, second.ID},
			Learners: []certibloc.Learner{{PersonID: learner}}}
		staffP := admStaff(t)
		if err := db.CreateEvalSession(certibloc.WithPrincipal(t.Context(), staffP), staffP, es); err != nil {
			t.Fatal(err)
		}
		screen := fmt.Sprintf("/app/evaluations/%d/learners/%d", es.ID, learner)
		sheetPath := fmt.Sprintf("/app/evaluations/%d", es.ID)
		one, two := w.client(t, h, w.evaluator), w.client(t, h, second.ID)
		// Blind: the second marker sees neither the first's draft nor, once
		// submitted, its grade, on the screen of round 1 or the sheet.
		one.post(screen, url.Values{"action": {"draft"}, "v-NOTE": {"15"}, "c-NOTE": {"Démarche hésitante"}}, http.StatusSeeOther)
		for _, submitted := range []bool{false, true} {
			if submitted {
				one.post(screen+"?round=1", url.Values{"action": {"submit"}, "v-NOTE": {"15"}}, http.StatusSeeOther)
			}
			first := html.UnescapeString(two.get(screen+"?round=1&lang=fr", http.StatusOK).Body.String())
			wantIn(t, "the first marker's round, to the second", first, "Double correction à l'aveugle", "Correcteur 1")
			en := html.UnescapeString(two.get(screen+"?round=1&lang=en", http.StatusOK).Body.String())
			wantIn(t, "the first marker's round, in English", en, "Blind double marking")
			for _, page := range []string{first, html.UnescapeString(two.get(sheetPath, http.StatusOK).Body.String())} {
				if mentions(page, "15") && mentions(page, "sur 20") || mentions(page, "hésitante") || mentions(page, `value="15"`) {
					t.Errorf("the second marker reads the first's grade (submitted %v):\n%.3000s", submitted, page)
				}
			}
			two.post(screen+"?round=1", url.Values{"action": {"draft"}, "v-NOTE": {"12"}}, http.StatusConflict)
		}
		wantIn(t, "the second marker's screen", two.get(screen+"?lang=fr", http.StatusOK).Body.String(), "Correcteur 2", `name="v-NOTE"`)
		two.post(screen, url.Values{"action": {"submit"}, "v-NOTE": {"11,5"}}, http.StatusSeeOther)
		wantIn(t, "the second marker's screen once both are in", html.UnescapeString(two.get(screen, http.StatusOK).Body.String()),
			"15 sur 20", "11,5 sur 20", "Écart entre les totaux des deux correcteurs : 3,5.")
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		sheet := html.UnescapeString(staff.get(fmt.Sprintf("/app/evaluations/%d", es.ID), http.StatusOK).Body.String())
		wantIn(t, "the sheet", sheet, "Écart entre correcteurs", "<td>3,5</td>", "Réussie, 13,25 sur 20")
		wantIn(t, "the grading screen", html.UnescapeString(one.get(screen, http.StatusOK).Body.String()),
			"Écart entre les totaux des deux correcteurs : 3,5.", "15 sur 20", "11,5 sur 20", "13,25 sur 20")
	})
}

// TestTeamEvaluationThroughThePages grades BC02's team evaluation: the
// team's shared criteria once on the team's screen, each member's own
// criterion on their screen, the team submitted after the check; both
// members get the team's grades and their own.
func TestTeamEvaluationThroughThePages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		w := newEvalWorld(t, db, 2)
		es := &certibloc.EvalSession{School: ownSchool, Certification: "RNCP38478", Version: w.version, Block: "RNCP38478BC02",
			Evaluation: 1, Form: certibloc.Team, CohortID: w.cohort, Title: "Présentation au client", Date: daysFromNow(-1),
			Place: "Salle Vauban", Evaluators: []int64{w.evaluator},
			Learners: []certibloc.Learner{{PersonID: w.learners[0], Team: "Équipe A"}, {PersonID: w.learners[1], Team: "Équipe A"}}}
		staffP := admStaff(t)
		if err := db.CreateEvalSession(certibloc.WithPrincipal(t.Context(), staffP), staffP, es); err != nil {
			t.Fatal(err)
		}
		grids, err := db.Grids(t.Context(), "RNCP38478", w.version)
		if err != nil {
			t.Fatal(err)
		}
		shared := url.Values{}
		for _, g := range grids {
			if g.Block == "RNCP38478BC02" && g.Evaluation == 1 {
				for _, c := range g.Criteria {
					if !c.Individual {
						shared.Set("v-"+c.Key, "3")
					}
				}
			}
		}
		grader := w.client(t, h, w.evaluator)
		sheet := fmt.Sprintf("/app/evaluations/%d", es.ID)
		team := sheet + "/teams/" + url.PathEscape("Équipe A")
		wantIn(t, "the sheet", grader.get(sheet, http.StatusOK).Body.String(), "Équipe A", url.PathEscape("Équipe A"))
		shared.Set("action", "draft")
		grader.post(team, shared, http.StatusSeeOther)
		for i, p := range w.learners {
			screen := fmt.Sprintf("%s/learners/%d", sheet, p)
			page := html.UnescapeString(grader.get(screen, http.StatusOK).Body.String())
			wantIn(t, "a member's screen", page, `name="v-IND"`, "Critères communs de l'équipe", "Acquis")
			grader.post(screen, url.Values{"action": {"draft"}, "v-IND": {fmt.Sprint(2 + i)}}, http.StatusSeeOther)
		}
		shared.Set("action", "review")
		wantIn(t, "the team's check", html.UnescapeString(grader.post(team, shared, http.StatusOK).Body.String()),
			"Vérifiez avant de soumettre", "chaque membre a le sien")
		shared.Set("action", "submit")
		grader.post(team, shared, http.StatusSeeOther)
		page := html.UnescapeString(grader.get(sheet, http.StatusOK).Body.String())
		wantIn(t, "the sheet after the team's grading", page, "Non réussie", "Réussie")
	})
}
