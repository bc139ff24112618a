package web

import (
	"net/http"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("my_evals", "templates/my_evals.html")
}

// learnerEvalsView is a learner's evaluations, block by block: passed,
// failed or to come; and what the rules engine says remains for the
// title, in the page's language.
type learnerEvalsView struct {
	PersonHref  string
	Enrolment   string
	Blocks      []learnerBlock
	Comp        []learnerEval // complementary evaluations
	Certified   bool
	Missing     []string
	Explanation []string
	None        bool // not enrolled anywhere
}

// learnerBlock is a block, its evaluations and the engine's finding.
type learnerBlock struct {
	Code, Title, Status string
	Validated           bool
	Evals               []learnerEval
}

// learnerEval is an evaluation and the learner's attempts at it.
type learnerEval struct {
	Name     string
	Attempts []attemptView
	Status   string // the evaluation's standing: passed, failed, to come, not scheduled
	Class    string // passed, failed, pending: for the style sheet
}

// attemptView is one sitting of the evaluation.
type attemptView struct {
	Date, Place, Outcome string
}

// learnerEvalsPage shows a learner's evaluations: to themselves, and to
// staff of their school. The store decides what their official results
// are worth (BlockStatuses); the page words it.
func (s *Site) learnerEvalsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	person, _, err := s.loadPerson(r, certibloc.ManageEvaluations, true)
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(ctx)
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("ev_my_title_f", person.DisplayName()), pg.T("ev_my_description")
	v := &learnerEvalsView{PersonHref: personPath(person.ID)}
	statuses, err := s.evals.BlockStatuses(ctx, p, sqldb.StatusFilter{PersonID: person.ID})
	if err != nil {
		return err
	}
	if len(statuses) == 0 {
		v.None = true
		return s.renderApp(w, http.StatusOK, "my_evals", pg, v)
	}
	st := statuses[0] // the latest enrolment
	cert, err := s.db.Certification(ctx, st.Certification, st.Version)
	if err != nil {
		return err
	}
	v.Enrolment = pg.Label(string(st.Track))
	if co, err := s.db.Cohort(ctx, st.CohortID); err == nil {
		v.Enrolment = co.Name + " – " + v.Enrolment
	}
	sittings, err := s.evals.PersonResults(ctx, p, person.ID)
	if err != nil {
		return err
	}
	today := s.db.Today()
	evalOf := func(block string, number int, complementary, name string) learnerEval {
		le := learnerEval{Name: name, Status: pg.T("ev_not_scheduled"), Class: "pending"}
		var passed, failed, waiting bool
		for _, pr := range sittings {
			es := &pr.Session
			if es.Certification != cert.Code || es.Version != cert.Version ||
				es.Block != block || es.Evaluation != number || es.Complementary != complementary {
				continue
			}
			a := attemptView{Date: pg.Date(es.Date), Place: es.Place, Outcome: pg.T("ev_awaiting")}
			switch {
			case pr.Official != nil:
				a.Outcome = outcomeText(pg, *pr.Official)
				passed, failed = passed || pr.Official.Passed, failed || !pr.Official.Passed
			case es.Date.After(today.Time):
				a.Outcome, waiting = pg.T("ev_to_come"), true
			default:
				waiting = true
			}
			le.Attempts = append(le.Attempts, a)
		}
		switch { // passed once is passed; a resit to come is to come
		case passed:
			le.Class, le.Status = "passed", pg.T("ev_status_passed")
		case waiting:
			le.Class, le.Status = "pending", pg.T("ev_status_to_come")
		case failed:
			le.Class, le.Status = "failed", pg.T("ev_status_failed")
		}
		return le
	}
	text := st.Decision.Explain(pageLang(pg))
	for i, b := range cert.Blocks {
		lb := learnerBlock{Code: b.Code, Title: b.Title}
		if i < len(text.Blocks) {
			lb.Validated, lb.Status = text.Blocks[i].Validated, text.Blocks[i].Reason
		}
		for _, ev := range b.Evaluations {
			name := pg.Tf("evaluation_f", ev.Number)
			if ev.Title != "" {
				name += " – " + ev.Title
			}
			lb.Evals = append(lb.Evals, evalOf(b.Code, ev.Number, "", name))
		}
		v.Blocks = append(v.Blocks, lb)
	}
	if cert.Validation != nil {
		for _, c := range cert.Validation.Complementary {
			v.Comp = append(v.Comp, evalOf("", 0, c.Code, complementaryName(pg, c.Code)))
		}
	}
	v.Certified, v.Explanation = text.Certified, text.Explanation
	for _, m := range text.Missing {
		v.Missing = append(v.Missing, m.Reason)
	}
	return s.renderApp(w, http.StatusOK, "my_evals", pg, v)
}

// myEvals leads a learner to their evaluations; an account without a
// person is told it has none.
func (s *Site) myEvals(w http.ResponseWriter, r *http.Request) error {
	if id := certibloc.PrincipalFrom(r.Context()).PersonID; id != 0 {
		to := personPath(id) + "/evaluations"
		if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
			to += "?lang=" + l
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("ev_my_title"), pg.T("ev_my_description")
	return s.renderApp(w, http.StatusOK, "my_evals", pg, &learnerEvalsView{None: true, PersonHref: "/app"})
}
