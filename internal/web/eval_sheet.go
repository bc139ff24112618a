package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

func init() {
	registerPage("eval", "templates/eval.html", "templates/adm_fields.html")
}

// sessionSheet is the page of a session: what is assessed, when and
// where, by whom; its learners (their team, the accommodations granted
// them, never the condition behind) with where their grading stands; its
// teams; the grid.
type sessionSheet struct {
	Notice     string
	Facts      []fact
	Team       bool
	Double     bool
	Learners   []sheetLearner
	Teams      []sheetTeam
	Grid       gridView
	Fairness   string // the evaluator fairness page, once it exists (eval-fair)
	Sheet      string // the spreadsheet template and upload, once they exist (eval-sheet)
	ManageNote bool   // staff: may correct locked results
}

// sheetLearner is a line of the sheet.
type sheetLearner struct {
	Name, Team, Href string
	Accommodations   []string
	Rounds           []roundState // one per marker
	Outcome          string       // the official outcome when known
	Discrepancy      string       // double marking: the gap between the two totals
}

// roundState is where one marker's grading of a learner stands.
type roundState struct {
	Label, State string
}

// sheetTeam is a team of a team evaluation and its members.
type sheetTeam struct {
	Name, Href string
	Members    []string
}

// gridView is the grid as the pages show it.
type gridView struct {
	Title, Rule string
	Criteria    []criterionView
}

// criterionView is a line of the grid.
type criterionView struct {
	Key, Label, Scale, Competency string
	Mandatory, Individual         bool
}

// loadSession reads the session of the path's {id} for whoever may open
// it; anyone else is told it does not exist.
func (s *Site) loadSession(r *http.Request) (*certibloc.EvalSession, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	p := certibloc.PrincipalFrom(r.Context())
	es, err := s.evals.EvalSession(r.Context(), p, id)
	if err != nil {
		return nil, err
	}
	if !canSee(p, es) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no evaluation session %d", id)
	}
	return es, nil
}

// sessionPage shows a session's sheet.
func (s *Site) sessionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	es, err := s.loadSession(r)
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(ctx)
	g, err := s.evals.Grid(ctx, es.GridID)
	if err != nil {
		return err
	}
	results, err := s.evals.Results(ctx, p, es.ID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = es.Title, pg.T("ev_sheet_description")
	v := &sessionSheet{Team: es.Form == certibloc.Team, Double: es.DoubleMarking, Grid: newGridView(pg, g),
		ManageNote: p.Authorize(certibloc.ManageEvaluations, es.School) == nil}
	if done := r.URL.Query().Get("done"); done == "created" {
		v.Notice = pg.T("ev_done_created")
	}
	markers, err := s.markerNames(r, es.Evaluators)
	if err != nil {
		return err
	}
	v.Facts = []fact{{pg.T("ev_col_what"), evaluationName(pg, es)},
		{pg.T("coh_certification"), pg.Tf("coh_version_f", es.Certification, es.Version)},
		{pg.T("camp_col_school"), es.School},
		{pg.T("ev_f_held_on"), pg.Date(es.Date)},
		{pg.T("ev_f_place"), es.Place},
		{pg.T("ev_f_evaluators"), strings.Join(markers, ", ")},
		{pg.T("ev_double"), pg.T(map[bool]string{true: "ev_yes", false: "ev_no"}[es.DoubleMarking])}}
	teams := map[string]*sheetTeam{}
	for _, l := range es.Learners {
		row := sheetLearner{Name: l.Name, Team: l.Team, Href: learnerPath(es.ID, l.PersonID)}
		for _, a := range l.Accommodations {
			row.Accommodations = append(row.Accommodations, accommodationText(pg, a))
		}
		mine := resultsOf(results, l.PersonID)
		rounds := 1
		if es.DoubleMarking {
			rounds = 2
		}
		for round := 1; round <= rounds; round++ {
			st := roundState{Label: pg.Tf("ev_round_f", round), State: pg.T("ev_state_none")}
			if res := byRound(mine, round); res != nil {
				st.State = pg.T("ev_state_" + res.State)
				if res.Supersedes != 0 {
					st.State += pg.T("ev_corrected_suffix")
				}
			}
			row.Rounds = append(row.Rounds, st)
		}
		if out, gap, ok := official(g, es, mine); ok {
			row.Outcome = outcomeText(pg, out)
			if es.DoubleMarking {
				row.Discrepancy = gap.In(pageLang(pg))
			}
		}
		v.Learners = append(v.Learners, row)
		if l.Team != "" {
			t := teams[l.Team]
			if t == nil {
				t = &sheetTeam{Name: l.Team, Href: teamPath(es.ID, l.Team)}
				teams[l.Team] = t
			}
			t.Members = append(t.Members, l.Name)
		}
	}
	for _, t := range teams {
		v.Teams = append(v.Teams, *t)
	}
	sort.Slice(v.Teams, func(i, j int) bool { return v.Teams[i].Name < v.Teams[j].Name })
	v.Fairness = s.routeLink("GET "+evalsPath+"/{id}/fairness", evalPath(es.ID)+"/fairness")
	v.Sheet = s.routeLink("GET "+evalsPath+"/{id}/sheet", evalPath(es.ID)+"/sheet")
	return s.renderApp(w, http.StatusOK, "eval", pg, v)
}

// routeLink is href when the site declares the route, "" otherwise: the
// sheet links to the pages other parts of the issue add, once they exist.
func (s *Site) routeLink(pattern, href string) string {
	for _, rt := range s.routes {
		if rt.Pattern == pattern {
			return href
		}
	}
	return ""
}

// markerNames are the evaluators' addresses, in the order of ids.
func (s *Site) markerNames(r *http.Request, ids []int64) ([]string, error) {
	var out []string
	for _, id := range ids {
		a, err := s.db.Account(r.Context(), id)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, a.Email)
	}
	return out, nil
}

// learnerPath and teamPath are the grading screens.
func learnerPath(session, person int64) string {
	return evalPath(session) + "/learners/" + strconv.FormatInt(person, 10)
}

func teamPath(session int64, team string) string {
	return evalPath(session) + "/teams/" + url.PathEscape(team)
}

// resultsOf are a learner's current results, by round.
func resultsOf(results []certibloc.Result, person int64) []certibloc.Result {
	var out []certibloc.Result
	for _, r := range results {
		if r.PersonID == person {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b certibloc.Result) int { return a.Round - b.Round })
	return out
}

// byRound is the result of a round, or nil.
func byRound(results []certibloc.Result, round int) *certibloc.Result {
	for i := range results {
		if results[i].Round == round {
			return &results[i]
		}
	}
	return nil
}

// official is a learner's official outcome once every marker has
// submitted: the only result, or with double marking the two combined,
// and the gap between their totals.
func official(g *certibloc.Grid, es *certibloc.EvalSession, results []certibloc.Result) (certibloc.Outcome, certibloc.Score, bool) {
	one := byRound(results, 1)
	if one == nil || one.State != certibloc.ResultSubmitted {
		return certibloc.Outcome{}, 0, false
	}
	if !es.DoubleMarking {
		return one.Outcome, 0, true
	}
	two := byRound(results, 2)
	if two == nil || two.State != certibloc.ResultSubmitted {
		return certibloc.Outcome{}, 0, false
	}
	_, out, gap, err := certibloc.Combine(g, one.Marks, two.Marks)
	return out, gap, err == nil
}

// outcomeText words an outcome: « Réussie, 14,5 sur 20 ».
func outcomeText(pg *page, o certibloc.Outcome) string {
	l := pageLang(pg)
	return pg.Tf(map[bool]string{true: "ev_passed_f", false: "ev_failed_f"}[o.Passed], o.Total.In(l), o.Max.In(l))
}

// accommodationText words an accommodation: its kind, and its detail.
func accommodationText(pg *page, a certibloc.Accommodation) string {
	s := pg.T("ev_acc:" + a.Kind)
	if a.Detail != "" {
		s += pg.T("colon") + " " + a.Detail
	}
	return s
}

// newGridView lays a grid out for the pages.
func newGridView(pg *page, g *certibloc.Grid) gridView {
	v := gridView{Title: pg.Tf("ev_grid_f", g.Title, g.Revision)}
	if g.Pass.Rule == certibloc.PassTotal {
		v.Rule = pg.Tf("ev_rule_total_f", g.Pass.MinTotal.In(pageLang(pg)), g.MaxTotal().In(pageLang(pg)))
	} else {
		v.Rule = pg.T("ev_rule_mandatory")
	}
	for _, c := range g.Criteria {
		cv := criterionView{Key: c.Key, Label: c.Label, Scale: scaleText(pg, c.Scale), Mandatory: c.Mandatory, Individual: c.Individual}
		if c.Competency > 0 {
			cv.Competency = strconv.Itoa(c.Competency)
		}
		v.Criteria = append(v.Criteria, cv)
	}
	return v
}

// scaleText words a scale: its levels, the acquired ones marked; or its
// points and pass mark.
func scaleText(pg *page, sc certibloc.Scale) string {
	if len(sc.Levels) == 0 {
		return pg.Tf("ev_scale_points_f", sc.Max.In(pageLang(pg)), sc.Pass.In(pageLang(pg)))
	}
	var ls []string
	for _, l := range sc.Levels {
		if l.Acquired {
			ls = append(ls, l.Label+pg.T("ev_acquired_mark"))
		} else {
			ls = append(ls, l.Label)
		}
	}
	return strings.Join(ls, " · ")
}
