package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("evals", "templates/evals.html", "templates/adm_fields.html")
	registerPage("eval_new", "templates/eval_new.html", "templates/adm_fields.html")
}

// evalsPath is the address of the sessions, evalPath of one.
const evalsPath = "/app/evaluations"

func evalPath(id int64) string { return evalsPath + "/" + strconv.FormatInt(id, 10) }

// evalsView is the list of the sessions the principal may open.
type evalsView struct {
	Notice   string
	Sessions []sessionRow
	New      bool // may create sessions
}

// sessionRow is a line of the list.
type sessionRow struct {
	Href, Title, What, School, Date, Place string
}

// evalsPage lists the sessions: an evaluator's own, all those of their
// schools for staff, every one for the admin.
func (s *Site) evalsPage(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("ev_title"), pg.T("ev_description")
	p := certibloc.PrincipalFrom(r.Context())
	list, err := s.evals.EvalSessions(r.Context(), p, sqldb.EvalSessionFilter{})
	if err != nil {
		return err
	}
	v := &evalsView{New: p.Can(certibloc.ManageEvaluations)}
	for i := range list {
		es := &list[i]
		if !canSee(p, es) {
			continue // the store scopes already; a page never relies on it alone
		}
		v.Sessions = append(v.Sessions, sessionRow{Href: evalPath(es.ID), Title: es.Title, What: evaluationName(pg, es),
			School: es.School, Date: pg.Date(es.Date), Place: es.Place})
	}
	if r.URL.Query().Get("done") == "created" {
		v.Notice = pg.T("ev_done_created")
	}
	return s.renderApp(w, http.StatusOK, "evals", pg, v)
}

// evaluationName names what a session assesses: « RNCP38478BC02, évaluation 1 »
// or the complementary evaluation's code.
func evaluationName(pg *page, es *certibloc.EvalSession) string {
	if es.Complementary != "" {
		return pg.Tf("ev_complementary_f", complementaryName(pg, es.Complementary))
	}
	return pg.Tf("ev_block_eval_f", es.Block, es.Evaluation)
}

// newSessionView is the form of a new session: first the cohort, then,
// for the cohort's certification version, everything else.
type newSessionView struct {
	Cohorts  []admField // the choice of a cohort (a GET form)
	Cohort   string     // the cohort chosen, by name
	CohortID int64
	Fields   []admField
	Learners []learnerChoice
	Summary  *errorSummary
	Problems []string // what the store refused, row by row
}

// learnerChoice is a learner of the cohort on the form: sits the session
// or not, and their team.
type learnerChoice struct {
	ID, Name, Team string
	Checked        bool
	TeamError      string
}

// newSessionForm shows the form of a new session.
func (s *Site) newSessionForm(w http.ResponseWriter, r *http.Request) error {
	values := map[string]string{"cohort": r.URL.Query().Get("cohort")}
	return s.renderNewSession(w, r, http.StatusOK, values, nil, nil, nil)
}

// renderNewSession writes the form with the values sent and what is wrong.
func (s *Site) renderNewSession(w http.ResponseWriter, r *http.Request, status int, values map[string]string,
	sent map[string]learnerChoice, errs formErrors, problems []string) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("ev_new"), pg.T("ev_new_description")
	p := certibloc.PrincipalFrom(ctx)
	v := &newSessionView{}
	cohorts, err := s.manageableCohorts(r)
	if err != nil {
		return err
	}
	choice := admField{Name: "cohort", ID: "f-cohort", Type: "select", Required: true, Label: pg.T("ev_f_cohort"),
		Options: []option{{"", pg.T("camp_choose")}}, Value: values["cohort"]}
	var co *certibloc.Cohort
	for i := range cohorts {
		id := strconv.FormatInt(cohorts[i].ID, 10)
		choice.Options = append(choice.Options, option{id, cohorts[i].Name + " (" + cohorts[i].School + ")"})
		if id == values["cohort"] {
			co = &cohorts[i]
		}
	}
	v.Cohorts = []admField{choice}
	if co == nil {
		if values["cohort"] != "" {
			v.Cohorts[0].Error = pg.T("ev_e_cohort")
			v.Summary = summarize(pg, v.Cohorts, formErrors{"cohort": v.Cohorts[0].Error})
			status = http.StatusBadRequest
		}
		return s.renderApp(w, status, "eval_new", pg, v)
	}
	if err := p.Authorize(certibloc.ManageEvaluations, co.School); err != nil {
		return err
	}
	v.Cohort, v.CohortID = co.Name, co.ID
	cert, err := s.db.Certification(ctx, co.CertificationCode, co.Version)
	if err != nil {
		return err
	}
	evaluation := admField{Name: "evaluation", Type: "select", Required: true, Options: []option{{"", pg.T("camp_choose")}}}
	for _, b := range cert.Blocks {
		for _, e := range b.Evaluations {
			label := pg.Tf("ev_block_eval_f", b.Code, e.Number) + " – " + e.Title
			if e.Form == certibloc.Team {
				label += " (" + pg.T("team") + ")"
			}
			evaluation.Options = append(evaluation.Options, option{b.Code + "/" + strconv.Itoa(e.Number), label})
		}
	}
	if cert.Validation != nil {
		for _, c := range cert.Validation.Complementary {
			evaluation.Options = append(evaluation.Options, option{"comp:" + c.Code,
				pg.Tf("ev_complementary_f", complementaryName(pg, c.Code))})
		}
	}
	evaluators := admField{Name: "evaluators", Type: "checkboxes", Required: true}
	accounts, err := s.db.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		if a.DisabledAt == nil && (a.Role == certibloc.Evaluator || a.Role == certibloc.Staff) && slices.Contains(a.Schools, co.School) {
			evaluators.Options = append(evaluators.Options, option{strconv.FormatInt(a.ID, 10),
				a.Email + " – " + pg.T("tokens_role:"+string(a.Role))})
		}
	}
	evaluators.Values = strings.Split(values["evaluators"], ",")
	v.Fields = []admField{evaluation,
		{Name: "title", Type: "text", MaxLength: "300"},
		{Name: "held_on", Type: "date", Required: true},
		{Name: "place", Type: "text", Required: true, MaxLength: "300"},
		evaluators,
		{Name: "double_marking", Type: "checkboxes", Options: []option{{"yes", pg.T("ev_f_double_yes")}}, Values: []string{values["double_marking"]}},
	}
	for i := range v.Fields {
		f := &v.Fields[i]
		f.ID, f.Label, f.Hint, f.Value = "f-"+f.Name, pg.T("ev_f_"+f.Name), pg.msgs["ev_h_"+f.Name], values[f.Name]
	}
	enrolments, err := s.db.Enrolments(ctx, co.ID)
	if err != nil {
		return err
	}
	for _, e := range enrolments {
		id := strconv.FormatInt(e.PersonID, 10)
		lc := learnerChoice{ID: id, Name: e.Name, Checked: sent == nil}
		if got, ok := sent[id]; ok {
			lc.Checked, lc.Team, lc.TeamError = got.Checked, got.Team, got.TeamError
		}
		v.Learners = append(v.Learners, lc)
	}
	v.Summary = summarize(pg, v.Fields, errs)
	for _, l := range v.Learners {
		if l.TeamError != "" {
			if v.Summary == nil {
				v.Summary = &errorSummary{Title: pg.T("adm_errors")}
			}
			v.Summary.Items = append(v.Summary.Items, fieldError{"team-" + l.ID, l.Name + pg.T("colon") + " " + l.TeamError})
		}
	}
	v.Problems = problems
	return s.renderApp(w, status, "eval_new", pg, v)
}

// manageableCohorts are the cohorts of the schools the principal manages.
func (s *Site) manageableCohorts(r *http.Request) ([]certibloc.Cohort, error) {
	p := certibloc.PrincipalFrom(r.Context())
	schools := p.Schools
	if p.Role == certibloc.Admin {
		schools = []string{""}
	}
	var out []certibloc.Cohort
	for _, school := range schools {
		list, err := s.db.Cohorts(r.Context(), school)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// createSession reads the form of a new session and asks the store to
// make it; what it refuses is shown row by row.
func (s *Site) createSession(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	pg := s.page(r, "")
	p := certibloc.PrincipalFrom(ctx)
	values := map[string]string{}
	for _, name := range []string{"cohort", "evaluation", "title", "held_on", "place", "double_marking"} {
		values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	values["evaluators"] = strings.Join(r.PostForm["evaluators"], ",")
	id, _ := strconv.ParseInt(values["cohort"], 10, 64)
	co, err := s.db.Cohort(ctx, id)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND || id <= 0 {
		values["cohort"] = "-"
		return s.renderNewSession(w, r, http.StatusBadRequest, values, nil, nil, nil)
	} else if err != nil {
		return err
	}
	if err := p.Authorize(certibloc.ManageEvaluations, co.School); err != nil {
		return err
	}
	cert, err := s.db.Certification(ctx, co.CertificationCode, co.Version)
	if err != nil {
		return err
	}
	errs := formErrors{}
	es := &certibloc.EvalSession{School: co.School, Certification: co.CertificationCode, Version: co.Version,
		CohortID: co.ID, Title: values["title"], Place: values["place"], DoubleMarking: values["double_marking"] == "yes",
		Form: certibloc.Individual}
	title := ""
	if code, ok := strings.CutPrefix(values["evaluation"], "comp:"); ok && cert.Validation != nil &&
		slices.ContainsFunc(cert.Validation.Complementary, func(c certibloc.Complementary) bool { return c.Code == code }) {
		es.Complementary, title = code, pg.Tf("ev_complementary_f", complementaryName(pg, code))
	} else if block, n, ok := strings.Cut(values["evaluation"], "/"); ok && cert.Block(block) != nil {
		es.Block, es.Evaluation = block, atoi(n)
		for _, e := range cert.Block(block).Evaluations {
			if e.Number == es.Evaluation {
				es.Form, title = e.Form, e.Title
			}
		}
		if title == "" {
			errs["evaluation"] = pg.T("ev_e_evaluation")
		}
	} else {
		errs["evaluation"] = pg.T("ev_e_evaluation")
	}
	if es.Title == "" {
		es.Title = title
	}
	dateField(pg, errs, "held_on", values["held_on"], &es.Date, true)
	if es.Place == "" {
		errs["place"] = pg.T("adm_err_required")
	}
	for _, a := range r.PostForm["evaluators"] {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil || n <= 0 {
			errs["evaluators"] = pg.T("ev_e_evaluators")
			break
		}
		es.Evaluators = append(es.Evaluators, n)
	}
	if len(es.Evaluators) == 0 {
		errs["evaluators"] = pg.T("ev_e_evaluators")
	} else if es.DoubleMarking && len(es.Evaluators) < 2 {
		errs["evaluators"] = pg.T("ev_e_double")
	}
	sent := map[string]learnerChoice{}
	enrolments, err := s.db.Enrolments(ctx, co.ID)
	if err != nil {
		return err
	}
	chosen := r.PostForm["learners"]
	for _, e := range enrolments {
		key := strconv.FormatInt(e.PersonID, 10)
		lc := learnerChoice{Checked: slices.Contains(chosen, key), Team: strings.TrimSpace(r.PostFormValue("team-" + key))}
		if lc.Checked {
			if es.Form == certibloc.Team && lc.Team == "" {
				lc.TeamError = pg.T("ev_e_team")
				errs["team"] = lc.TeamError
			}
			if es.Form != certibloc.Team {
				lc.Team = ""
			}
			es.Learners = append(es.Learners, certibloc.Learner{PersonID: e.PersonID, Team: lc.Team})
		}
		sent[key] = lc
	}
	if len(es.Learners) == 0 {
		errs[""] = pg.T("ev_e_learners")
	}
	var problems []string
	if len(errs) == 0 {
		err = s.evals.CreateEvalSession(ctx, p, es)
		var ps certibloc.Problems
		switch {
		case err == nil:
			http.Redirect(w, r, evalPath(es.ID)+"?done=created", http.StatusSeeOther)
			return nil
		case asProblems(err, &ps):
			problems = ps.In(pageLang(pg))
		case certibloc.ErrorCode(err) == certibloc.EINVALID || certibloc.ErrorCode(err) == certibloc.ECONFLICT:
			problems = []string{errorText(pg, err)}
		default:
			return err
		}
	}
	delete(errs, "team") // shown learner by learner
	return s.renderNewSession(w, r, http.StatusBadRequest, values, sent, errs, problems)
}

// atoi reads a number, 0 when it is none.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// pageLang is the page's language for the domain's words.
func pageLang(pg *page) certibloc.Lang {
	if pg.Lang == "en" {
		return certibloc.English
	}
	return certibloc.French
}

// complementaryName names a complementary evaluation: the interface's
// words for those of RNCP38478, the code for others.
func complementaryName(pg *page, code string) string {
	if s, ok := pg.msgs["ev_comp:"+code]; ok {
		return s
	}
	return code
}

// asProblems reports whether err is a batch refused with its problems.
func asProblems(err error, ps *certibloc.Problems) bool { return errors.As(err, ps) }
