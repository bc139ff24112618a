package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// evalFixture is the people fixture with evaluation sessions of DIIAGE
// kept by the store given: BC01's first evaluation on levels, the oral
// defence on points out of 20, and BC02's team evaluation. Aliénor sits
// them, with extra time granted; « evaluator » is assigned to them,
// « evaluator2 » (same school) is not.
type evalFixture struct {
	*peopleFixture
	store                 evalStore
	accounts              map[string]int64
	levels, points, teams int64 // session ids
}

func newEvalFixture(t *testing.T, db *sqldb.DB, store evalStore, grids func(certibloc.Grid) int64) *evalFixture {
	t.Helper()
	f := &evalFixture{peopleFixture: newPeopleFixture(t, db), store: store, accounts: map[string]int64{}}
	site, err := New(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	site.evals = store
	mux := http.NewServeMux()
	site.Register(mux)
	f.h = mux
	a, err := db.CreateAccount(t.Context(), certibloc.Account{Email: "evaluator2@accounts.example", Role: certibloc.Evaluator,
		Schools: []string{"DIIAGE"}})
	if err != nil {
		t.Fatal(err)
	}
	if f.sessions["evaluator2"], err = db.CreateSession(t.Context(), a.ID, true); err != nil {
		t.Fatal(err)
	}
	for who := range f.sessions {
		a, err := db.AccountByEmail(t.Context(), who+"@accounts.example")
		if err != nil {
			t.Fatal(err)
		}
		f.accounts[who] = a.ID
	}
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	referent := &certibloc.Principal{AccountID: f.accounts["referent"], Role: certibloc.Referent, Schools: []string{"DIIAGE"}}
	if err := store.SetAccommodations(ctx, referent, f.alice, []certibloc.Accommodation{{Kind: certibloc.ExtraTime, Detail: "tiers temps"}}); err != nil {
		t.Fatal(err)
	}
	cert, err := seed.Certification()
	if err != nil {
		t.Fatal(err)
	}
	if grids != nil {
		for _, g := range certibloc.DefaultGrids(cert) {
			grids(g)
		}
	}
	staff := &certibloc.Principal{AccountID: f.accounts["staff"], Role: certibloc.Staff, Schools: []string{"DIIAGE"}}
	for _, x := range []struct {
		id            *int64
		block         string
		n             int
		complementary string
		form          certibloc.Form
		team          string
	}{
		{&f.levels, "RNCP38478BC01", 1, "", certibloc.Individual, ""},
		{&f.points, "", 0, "oral_defence", certibloc.Individual, ""},
		{&f.teams, "RNCP38478BC02", 1, "", certibloc.Team, "Équipe bleue"},
	} {
		es := &certibloc.EvalSession{School: "DIIAGE", Certification: cert.Code, Version: cert.Version, Block: x.block,
			Evaluation: x.n, Complementary: x.complementary, Form: x.form, Title: "Mise en situation " + x.block + x.complementary,
			Date: certibloc.DateOf(2027, 3, 15), Place: "Salle Vauban", Evaluators: []int64{f.accounts["evaluator"]},
			Learners: []certibloc.Learner{{PersonID: f.alice, Name: "Aliénor LAMBERT", Team: x.team}}}
		if err := store.CreateEvalSession(ctx, staff, es); err != nil {
			t.Fatal(err)
		}
		*x.id = es.ID
	}
	return f
}

// memoryFixture is the fixture over the memory store.
func memoryFixture(t *testing.T, db *sqldb.DB) *evalFixture {
	mem := newMemoryEvals()
	return newEvalFixture(t, db, mem, func(g certibloc.Grid) int64 { return mem.addGrid(g) })
}

// get and post answer as the people fixture's, apostrophes unescaped
// (html/template writes &#39;) so that French reads as typed.
func (f *evalFixture) get(who, path string) (int, string, string) {
	path, _, _ = strings.Cut(path, "#") // a browser keeps the fragment to itself
	status, loc, page := f.peopleFixture.get(who, path)
	return status, loc, strings.ReplaceAll(page, "&#39;", "'")
}

func (f *evalFixture) post(who, path string, form url.Values) (int, string, string) {
	status, loc, page := f.peopleFixture.post(who, path, form)
	return status, loc, strings.ReplaceAll(page, "&#39;", "'")
}

func (f *evalFixture) learner(session int64) string {
	return fmt.Sprintf("%s/learners/%d", evalPath(session), f.alice)
}

// englishOnFrench are words that give English away on a French page.
var englishOnFrench = regexp.MustCompile(`\b(the|and|of|Save|Submit|Grade|grade|Back|Team|learner|draft|locked|Evaluation session)\b`)

func TestEvaluationPagesAreAccessible(t *testing.T) {
	f := memoryFixture(t, sqldbtest.SQLite(t))
	alice := fmt.Sprint("/app/people/", f.alice)
	for _, tt := range []struct{ who, path, want string }{
		{"evaluator", "/app/evaluations", "Salle Vauban"},
		{"staff", "/app/evaluations", "/app/evaluations/new"},
		{"staff", "/app/evaluations/new", `<a href="/app/cohorts">`},
		{"evaluator", evalPath(f.levels), "tiers temps"},
		{"staff", evalPath(f.teams), "Équipe bleue"},
		{"evaluator", f.learner(f.levels), `type="radio"`},
		{"evaluator", f.learner(f.points), `inputmode="decimal"`},
		{"evaluator", f.learner(f.teams), "IND"},
		{"evaluator", teamPath(f.teams, "Équipe bleue"), "C1"},
		{"referent", alice + "/disability", `id="kind-extra_time"`},
		{"alice", alice + "/disability", "tiers temps"},
		{"alice", alice + "/evaluations", "Aliénor"},
	} {
		for _, lang := range []string{"fr", "en"} {
			t.Run(tt.who+tt.path+"/"+lang, func(t *testing.T) {
				status, _, page := f.get(tt.who, tt.path+"?lang="+lang)
				if status != 200 || !strings.Contains(page, tt.want) {
					t.Fatalf("%d, want 200 and %q:\n%.3000s", status, tt.want, page)
				}
				d := parseHTML(t, []byte(page))
				checkAccessible(t, d, lang)
				labelled(t, page)
				if lang == "fr" {
					if m := englishOnFrench.FindString(d.text["fr"]); m != "" {
						t.Errorf("English on the French page: %q in\n%s", m, d.text["fr"])
					}
				}
			})
		}
	}
}

func TestSessionSheetShowsAccommodationsNotNeeds(t *testing.T) {
	f := memoryFixture(t, sqldbtest.SQLite(t))
	_, _, page := f.get("evaluator", evalPath(f.levels))
	if !strings.Contains(page, "Temps majoré : tiers temps") || strings.Contains(page, "Dyslexie") {
		t.Errorf("the sheet shows the accommodation without the needs:\n%s", page)
	}
}

func TestGradingIsScoped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := memoryFixture(t, db)
		form := url.Values{"action": {"draft"}, "v-NOTE": {"12"}}
		for _, tt := range []struct {
			who, method, path string
			want              int
		}{
			{"evaluator2", "GET", evalPath(f.levels), http.StatusNotFound},
			{"evaluator2", "GET", f.learner(f.points), http.StatusNotFound},
			{"evaluator2", "POST", f.learner(f.points), http.StatusNotFound},
			{"staffE", "GET", evalPath(f.levels), http.StatusNotFound},
			{"alice", "GET", "/app/evaluations", http.StatusForbidden},
			{"alice", "GET", evalPath(f.levels), http.StatusForbidden},
			{"referent", "GET", f.learner(f.points), http.StatusForbidden},
			{"evaluator", "POST", f.learner(f.points), http.StatusSeeOther},
			{"evaluator2", "POST", f.learner(f.points), http.StatusNotFound},
			{"staff", "POST", f.learner(f.points), http.StatusConflict}, // the draft is the evaluator's
		} {
			var status int
			if tt.method == "GET" {
				status, _, _ = f.get(tt.who, tt.path)
			} else {
				status, _, _ = f.post(tt.who, tt.path, url.Values{"action": form["action"], "v-NOTE": form["v-NOTE"]})
			}
			if status != tt.want {
				t.Errorf("%s %s as %s: %d, want %d", tt.method, tt.path, tt.who, status, tt.want)
			}
		}
		_, _, list := f.get("evaluator2", "/app/evaluations")
		if strings.Contains(list, "Salle Vauban") {
			t.Error("an evaluator lists a session they are not assigned to")
		}
	})
}

func TestBadGradeIsExplainedInFrench(t *testing.T) {
	f := memoryFixture(t, sqldbtest.SQLite(t))
	for _, tt := range []struct{ value, want string }{
		{"14,5,2", "« 14,5,2 » n'est pas une note : écrivez un nombre comme 14 ou 14,5"},
		{"25", "25 est hors de l'échelle (de 0 à 20)"},
		{"", "la note manque"},
		{"-3", "« -3 » n'est pas une note"},
	} {
		status, _, page := f.post("evaluator", f.learner(f.points), url.Values{"action": {"review"}, "v-NOTE": {tt.value}})
		if status != http.StatusBadRequest || !strings.Contains(page, tt.want) || !strings.Contains(page, `aria-invalid="true"`) {
			t.Errorf("%q: %d, want 400 saying %q:\n%.2500s", tt.value, status, tt.want, page)
		}
		checkAccessible(t, parseHTML(t, []byte(page)), "fr")
	}
	status, _, page := f.post("evaluator", f.learner(f.levels), url.Values{"action": {"review"}, "v-C1": {"9"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "choisissez un niveau de l'échelle") {
		t.Errorf("a level outside the scale: %d\n%.2000s", status, page)
	}
}

func TestGradingDraftCheckSubmitLockCorrect(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := memoryFixture(t, db)
		path := f.learner(f.points)
		send := func(who string, form url.Values, want int) string {
			t.Helper()
			status, loc, page := f.post(who, path, form)
			if status != want {
				t.Fatalf("%v as %s: %d, want %d (%s)\n%.2500s", form, who, status, want, loc, page)
			}
			if loc != "" {
				_, _, page = f.get(who, loc)
			}
			return page
		}
		page := send("evaluator", url.Values{"action": {"draft"}, "v-NOTE": {"14,5"}, "c-NOTE": {"Clair et précis"}}, http.StatusSeeOther)
		if !strings.Contains(page, `value="14,5"`) || !strings.Contains(page, "Clair et précis") || !strings.Contains(page, "brouillon") {
			t.Fatalf("the draft is not shown again:\n%s", page)
		}
		page = send("evaluator", url.Values{"action": {"review"}, "v-NOTE": {"14,5"}, "c-NOTE": {"Clair et précis"}}, http.StatusOK)
		for _, want := range []string{"Vérifiez avant de soumettre", "14,5 sur 20", "Réussie, 14,5 sur 20", "Soumettre et verrouiller",
			`name="action" value="submit"`} {
			if !strings.Contains(page, want) {
				t.Errorf("the check lacks %q", want)
			}
		}
		checkAccessible(t, parseHTML(t, []byte(page)), "fr")
		labelled(t, page)
		page = send("evaluator", url.Values{"action": {"submit"}, "v-NOTE": {"14,5"}, "c-NOTE": {"Clair et précis"}}, http.StatusSeeOther)
		if !strings.Contains(page, "soumis et verrouillé") || strings.Contains(page, `name="v-NOTE"`) {
			t.Fatalf("the submitted result is not locked:\n%s", page)
		}
		send("evaluator", url.Values{"action": {"draft"}, "v-NOTE": {"20"}}, http.StatusConflict)

		// Staff correct it, with a reason; the current value is shown.
		correct := path + "/correct?round=1"
		status, _, page := f.post("staff", correct, url.Values{"v-NOTE": {"16"}})
		if status != http.StatusBadRequest || !strings.Contains(page, "donnez le motif de la correction") {
			t.Fatalf("a correction without a reason: %d\n%.2000s", status, page)
		}
		status, _, page = f.post("staff", correct, url.Values{"v-NOTE": {"14,5"}, "c-NOTE": {"Clair et précis"}, "reason": {"Relu"}})
		if status != http.StatusBadRequest || !strings.Contains(page, "la correction ne change aucune note") {
			t.Fatalf("a correction that changes nothing: %d\n%.2000s", status, page)
		}
		if status, _, _ := f.post("evaluator", correct, url.Values{"v-NOTE": {"16"}, "reason": {"Erreur"}}); status != http.StatusForbidden {
			t.Errorf("an evaluator corrects: %d", status)
		}
		_, _, page = f.get("staff", path)
		if !strings.Contains(page, "Valeur actuelle : <strong>14,5 sur 20</strong>") || !strings.Contains(page, `id="f-reason"`) {
			t.Errorf("the correction form does not show the old value:\n%s", page)
		}
		status, loc, _ := f.post("staff", correct, url.Values{"v-NOTE": {"16"}, "reason": {"Erreur de report"}})
		if status != http.StatusSeeOther {
			t.Fatalf("the correction: %d", status)
		}
		_, _, page = f.get("staff", loc)
		if !strings.Contains(page, "Erreur de report") || !strings.Contains(page, `value="16"`) {
			t.Errorf("the corrected result:\n%s", page)
		}
		_, _, sheet := f.get("staff", evalPath(f.points))
		if !strings.Contains(sheet, "Réussie, 16 sur 20") || !strings.Contains(sheet, "(corrigé)") {
			t.Errorf("the sheet after the correction:\n%s", sheet)
		}
	})
}

func TestAccommodationsForm(t *testing.T) {
	f := memoryFixture(t, sqldbtest.SQLite(t))
	path := fmt.Sprintf("/app/people/%d/accommodations", f.alice)
	status, _, page := f.post("referent", path, url.Values{"kind-extra_time": {"yes"}, "detail-assistant": {"secrétaire"}})
	if status != http.StatusBadRequest || !strings.Contains(page, "précisez le temps majoré accordé") ||
		!strings.Contains(page, "cochez « Accordé » ou effacez la précision") {
		t.Fatalf("a wrong form: %d\n%.3000s", status, page)
	}
	checkAccessible(t, parseHTML(t, []byte(page)), "fr")
	if status, _, _ := f.post("evaluator", path, url.Values{"kind-separate_room": {"yes"}}); status != http.StatusForbidden {
		t.Errorf("an evaluator sets accommodations: %d", status)
	}
	status, loc, _ := f.post("referent", path, url.Values{"kind-extra_time": {"yes"}, "detail-extra_time": {"30 minutes"},
		"kind-separate_room": {"yes"}})
	if status != http.StatusSeeOther {
		t.Fatalf("the accommodations: %d", status)
	}
	_, _, page = f.get("referent", loc)
	if !strings.Contains(page, `value="30 minutes"`) || !strings.Contains(page, "Les aménagements sont enregistrés.") {
		t.Errorf("after saving:\n%s", page)
	}
	as, _ := f.store.Accommodations(t.Context(), &certibloc.Principal{Role: certibloc.Admin}, f.alice)
	if len(as) != 2 || as[0].Kind != certibloc.ExtraTime || as[0].Detail != "30 minutes" || as[1].Kind != certibloc.SeparateRoom {
		t.Errorf("stored: %+v", as)
	}
}
