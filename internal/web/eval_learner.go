package web

import (
	"net/http"

	"github.com/certibloc/certibloc"
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
// staff of their school.
func (s *Site) learnerEvalsPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	person, _, err := s.loadPerson(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(ctx)
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("ev_my_title_f", person.DisplayName()), pg.T("ev_my_description")
	v := &learnerEvalsView{PersonHref: personPath(person.ID)}
	e, co, err := s.enrolmentOf(r, person)
	if err != nil {
		return err
	}
	if e == nil {
		v.None = true
		return s.renderApp(w, http.StatusOK, "my_evals", pg, v)
	}
	v.Enrolment = co.Name + " – " + pg.Label(string(e.Track))
	cert, err := s.db.Certification(ctx, co.CertificationCode, e.Version)
	if err != nil {
		return err
	}
	sessions, err := s.evals.EvalSessions(ctx, p, sessionFilter{PersonID: person.ID})
	if err != nil {
		return err
	}
	// Each session the learner sits, with its official outcome once known.
	type sitting struct {
		es      certibloc.EvalSession
		out     certibloc.Outcome
		settled bool
	}
	var sittings []sitting
	var attempts []certibloc.Attempt
	for _, es := range sessions {
		if es.Certification != cert.Code || es.Version != cert.Version {
			continue
		}
		st := sitting{es: es}
		results, err := s.evals.Results(ctx, p, es.ID)
		if err != nil {
			return err
		}
		if g, err := s.evals.Grid(ctx, es.GridID); err == nil {
			st.out, _, st.settled = official(g, &es, resultsOf(results, person.ID))
		} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			return err
		}
		if st.settled {
			attempts = append(attempts, certibloc.Attempt{Block: es.Block, Evaluation: es.Evaluation,
				Complementary: es.Complementary, Passed: st.out.Passed, Date: es.Date})
		}
		sittings = append(sittings, st)
	}
	evalOf := func(block string, number int, complementary, name string) learnerEval {
		le := learnerEval{Name: name, Status: pg.T("ev_not_scheduled"), Class: "pending"}
		var passed, failed, waiting bool
		for _, st := range sittings {
			if st.es.Block != block || st.es.Evaluation != number || st.es.Complementary != complementary {
				continue
			}
			a := attemptView{Date: pg.Date(st.es.Date), Place: st.es.Place, Outcome: pg.T("ev_awaiting")}
			switch {
			case st.settled:
				a.Outcome = outcomeText(pg, st.out)
				passed, failed = passed || st.out.Passed, failed || !st.out.Passed
			case st.es.Date.After(s.db.Today().Time):
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
	rec := certibloc.Record{Track: e.Track}
	rec.AddAttempts(attempts)
	d, err := s.db.CompiledRules(cert).Decide(rec)
	if err != nil {
		return err
	}
	text := d.Explain(pageLang(pg))
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

// enrolmentOf is the person's latest enrolment and its cohort, nil when
// they are no learner.
func (s *Site) enrolmentOf(r *http.Request, person *certibloc.Person) (*certibloc.Enrolment, *certibloc.Cohort, error) {
	cohorts, err := s.db.Cohorts(r.Context(), person.School)
	if err != nil {
		return nil, nil, err
	}
	var found *certibloc.Enrolment
	var in *certibloc.Cohort
	for i := range cohorts {
		list, err := s.db.Enrolments(r.Context(), cohorts[i].ID)
		if err != nil {
			return nil, nil, err
		}
		for j := range list {
			if list[j].PersonID == person.ID && (found == nil || list[j].CreatedAt.After(found.CreatedAt)) {
				found, in = &list[j], &cohorts[i]
			}
		}
	}
	return found, in, nil
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
