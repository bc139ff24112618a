package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("eval_grade", "templates/eval_grade.html", "templates/adm_fields.html")
}

// gradeView is the grading screen of one learner, or of one team's shared
// criteria: the grid's criteria as radio groups of levels or fields of
// points, a comment each, saved as a draft or submitted after a check;
// locked once submitted, when staff may still correct it with a reason.
type gradeView struct {
	Back, Action, Notice string
	Facts                []fact
	Accommodations       []string
	Members              []string // a team's
	TeamHref             string   // a member's team screen, for the shared criteria
	Editable, Correct    bool
	Locked               string // why the screen cannot be changed, if it cannot
	Criteria             []gradeCriterion
	Shared               []gradeCriterion // a member's shared criteria, graded with the team: read only
	Summary              *errorSummary
	Problems             []string
	Confirm              *confirmView
	Reason, ReasonError  string
	Corrected            string // the reason of the correction that made the current result
	Double               *doubleView
	Round                int
	ResultID             int64 // the current result, for its history
}

// gradeCriterion is a criterion on the screen.
type gradeCriterion struct {
	Key, ID, Label, Scale string
	Levels                []levelChoice // a scale of levels: one radio each
	PointsLabel           string        // a scale of points: the field's label
	Value, Shown, Comment string        // as typed or stored; as read
	Old                   string        // the value before a correction
	Error                 string
}

// levelChoice is one radio of a scale of levels.
type levelChoice struct {
	ID, Value, Label string
	Checked          bool
}

// confirmView is the check before submitting: every mark as it will be
// locked, the outcome, and the marks again in hidden fields.
type confirmView struct {
	Rows    []fact
	Outcome string
	Hidden  []option
}

// doubleView sets the two markers' grades side by side with the grade
// kept and the gap between the totals.
type doubleView struct {
	Rows        []doubleRow
	Totals      doubleRow
	Discrepancy string
}

type doubleRow struct{ Label, One, Two, Kept string }

// gradeTarget is what a grading screen grades: a learner, or a team's
// shared criteria; and the marker's round.
type gradeTarget struct {
	es       *certibloc.EvalSession
	grid     *certibloc.Grid
	learner  *certibloc.Learner // nil for a team
	team     string
	members  []certibloc.Learner
	results  []certibloc.Result // the target's current results (a team's: its first member's)
	round    int
	result   *certibloc.Result // the round's result, if any
	criteria []certibloc.Criterion
	path     string
}

// loadTarget reads the session, the grid, and the learner or team of the
// path, and picks the round: the marker's own result's, else ?round=, else
// the first round nobody has taken.
func (s *Site) loadTarget(r *http.Request, team bool) (*gradeTarget, error) {
	ctx := r.Context()
	es, err := s.loadSession(r)
	if err != nil {
		return nil, err
	}
	p := certibloc.PrincipalFrom(ctx)
	t := &gradeTarget{es: es}
	if t.grid, err = s.evals.Grid(ctx, es.GridID); err != nil {
		return nil, err
	}
	if team {
		t.team = r.PathValue("team")
		for _, l := range es.Learners {
			if l.Team == t.team && t.team != "" {
				t.members = append(t.members, l)
			}
		}
		if es.Form != certibloc.Team || len(t.members) == 0 {
			return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no team %q in session %d", t.team, es.ID)
		}
		t.path = teamPath(es.ID, t.team)
	} else {
		id, err := pathID(r, "person")
		if err != nil {
			return nil, err
		}
		for i := range es.Learners {
			if es.Learners[i].PersonID == id {
				t.learner = &es.Learners[i]
			}
		}
		if t.learner == nil {
			return nil, certibloc.Errorf(certibloc.ENOTFOUND, "learner %d does not sit session %d", id, es.ID)
		}
		t.path = learnerPath(es.ID, id)
	}
	for _, c := range t.grid.Criteria {
		if es.Form != certibloc.Team || c.Individual != team {
			t.criteria = append(t.criteria, c)
		}
	}
	all, err := s.evals.Results(ctx, p, es.ID)
	if err != nil {
		return nil, err
	}
	who := int64(0)
	if t.learner != nil {
		who = t.learner.PersonID
	} else {
		who = t.members[0].PersonID
	}
	t.results = resultsOf(all, who)
	rounds := 1
	if es.DoubleMarking {
		rounds = 2
	}
	for _, res := range t.results {
		if res.Marker == p.AccountID && canGrade(p, es) {
			t.round = res.Round
		}
	}
	if t.round == 0 {
		if n := atoi(r.URL.Query().Get("round")); n >= 1 && n <= rounds {
			t.round = n
		}
	}
	for n := 1; t.round == 0 && n <= rounds; n++ {
		if byRound(t.results, n) == nil {
			t.round = n
		}
	}
	if t.round == 0 {
		t.round = 1
	}
	t.result = byRound(t.results, t.round)
	return t, nil
}

// roundQuery keeps the round in addresses.
func (t *gradeTarget) roundQuery() string { return "?round=" + strconv.Itoa(t.round) }

// editable says whether p grades the target now, or why not.
func (t *gradeTarget) editable(p *certibloc.Principal) (bool, string) {
	switch {
	case !canGrade(p, t.es):
		return false, "ev_locked_not_marker"
	case t.result != nil && t.result.Sealed:
		return false, "ev_sealed"
	case t.result != nil && t.result.State == certibloc.ResultSubmitted:
		return false, "ev_locked_submitted"
	case t.result != nil && t.result.Marker != p.AccountID:
		return false, "ev_locked_other"
	}
	return true, ""
}

// gradePage shows a grading screen.
func (s *Site) gradePage(w http.ResponseWriter, r *http.Request) error {
	return s.showGrade(w, r, false)
}

// teamGradePage shows the screen of a team's shared criteria.
func (s *Site) teamGradePage(w http.ResponseWriter, r *http.Request) error {
	return s.showGrade(w, r, true)
}

func (s *Site) showGrade(w http.ResponseWriter, r *http.Request, team bool) error {
	t, err := s.loadTarget(r, team)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	v := s.gradeView(pg, r, t, nil, nil)
	switch r.URL.Query().Get("done") {
	case "saved", "submitted", "corrected":
		v.Notice = pg.T("ev_done_" + r.URL.Query().Get("done"))
	}
	return s.renderApp(w, http.StatusOK, "eval_grade", pg, v)
}

// gradeView lays out the screen, with the values sent and their errors
// when a form comes back.
func (s *Site) gradeView(pg *page, r *http.Request, t *gradeTarget, sent *sentMarks, errs formErrors) *gradeView {
	p := certibloc.PrincipalFrom(r.Context())
	l := pageLang(pg)
	v := &gradeView{Back: evalPath(t.es.ID), Action: t.path + t.roundQuery(), Round: t.round}
	if t.learner != nil {
		pg.Title = pg.Tf("ev_grade_title_f", t.learner.Name)
		for _, a := range t.learner.Accommodations {
			v.Accommodations = append(v.Accommodations, accommodationText(pg, a))
		}
		if t.es.Form == certibloc.Team && t.learner.Team != "" {
			v.TeamHref = teamPath(t.es.ID, t.learner.Team)
		}
	} else {
		pg.Title = pg.Tf("ev_team_title_f", t.team)
		for _, m := range t.members {
			v.Members = append(v.Members, m.Name)
		}
	}
	pg.Description = pg.T("ev_grade_description")
	state := pg.T("ev_state_none")
	if t.result != nil {
		v.ResultID = t.result.ID
		state = pg.T("ev_state_" + t.result.State)
		if t.result.Supersedes != 0 {
			v.Corrected = t.result.Reason
		}
	}
	what := evaluationName(pg, t.es)
	if t.es.Title != what {
		what = t.es.Title + " – " + what
	}
	v.Facts = []fact{{pg.T("ev_col_what"), what},
		{pg.T("ev_f_held_on"), pg.Date(t.es.Date)}, {pg.T("ev_round"), pg.Tf("ev_round_f", t.round)},
		{pg.T("ev_state"), state}}
	if t.result != nil && t.result.State == certibloc.ResultSubmitted && !t.result.Sealed && t.learner != nil {
		v.Facts = append(v.Facts, fact{pg.T("ev_col_outcome"), outcomeText(pg, t.result.Outcome)})
	}
	if t.learner != nil && t.learner.Team != "" {
		v.Facts = append(v.Facts, fact{pg.T("ev_col_team"), t.learner.Team})
	}
	ok, why := t.editable(p)
	v.Editable = ok
	if !ok {
		v.Locked = pg.T(why)
	}
	v.Correct = t.learner != nil && t.result != nil && t.result.State == certibloc.ResultSubmitted &&
		p.Authorize(certibloc.ManageEvaluations, t.es.School) == nil
	crits := t.criteria
	if v.Correct {
		crits = t.grid.Criteria // a correction gives every criterion
		v.Action = t.path + "/correct" + t.roundQuery()
	}
	for _, c := range crits {
		v.Criteria = append(v.Criteria, s.criterionField(pg, c, t.result, sent, errs, v.Correct))
	}
	if t.learner != nil && t.es.Form == certibloc.Team && !v.Correct {
		for _, c := range t.grid.Criteria {
			if !c.Individual {
				v.Shared = append(v.Shared, s.criterionField(pg, c, t.result, nil, nil, false))
			}
		}
	}
	if errs != nil {
		v.Reason, v.ReasonError = sent.reason, errs["reason"]
		sum := &errorSummary{Title: pg.T("adm_errors")}
		for _, c := range v.Criteria {
			if c.Error != "" {
				sum.Items = append(sum.Items, fieldError{c.anchor(), c.Key + " – " + c.Label + pg.T("colon") + " " + c.Error})
			}
		}
		if v.ReasonError != "" {
			sum.Items = append(sum.Items, fieldError{"f-reason", pg.T("ev_f_reason") + pg.T("colon") + " " + v.ReasonError})
		}
		if len(sum.Items) > 0 {
			v.Summary = sum
		}
	}
	if t.es.DoubleMarking && t.learner != nil {
		one, two := byRound(t.results, 1), byRound(t.results, 2)
		if one != nil && two != nil && one.State == certibloc.ResultSubmitted && two.State == certibloc.ResultSubmitted {
			v.Double = doubleMarking(pg, t.grid, one, two, l)
		}
	}
	return v
}

// anchor is the first field of a criterion, for the error summary.
func (c gradeCriterion) anchor() string {
	if len(c.Levels) > 0 {
		return c.Levels[0].ID
	}
	return c.ID
}

// criterionField lays out one criterion: the stored mark, or the value
// sent; with the old value for a correction.
func (s *Site) criterionField(pg *page, c certibloc.Criterion, res *certibloc.Result, sent *sentMarks, errs formErrors, correct bool) gradeCriterion {
	l := pageLang(pg)
	gc := gradeCriterion{Key: c.Key, ID: "v-" + c.Key, Label: c.Label, Scale: scaleText(pg, c.Scale)}
	if res != nil {
		for _, m := range res.Marks {
			if m.Criterion == c.Key {
				gc.Value, gc.Comment = markValue(c, m.Value, l), m.Comment
				gc.Shown = markShown(pg, c, m.Value)
				if correct {
					gc.Old = gc.Shown
				}
			}
		}
	}
	if sent != nil {
		gc.Value, gc.Comment = sent.values[c.Key], sent.comments[c.Key]
	}
	gc.Error = errs[c.Key]
	if len(c.Scale.Levels) == 0 {
		gc.PointsLabel = pg.Tf("ev_points_f", c.Scale.Max.In(l))
		return gc
	}
	for i, lv := range c.Scale.Levels {
		n := strconv.Itoa(i + 1)
		gc.Levels = append(gc.Levels, levelChoice{ID: gc.ID + "-" + n, Value: n, Label: lv.Label, Checked: gc.Value == n})
	}
	return gc
}

// markValue is a mark as the form holds it: a level's rank, or points.
func markValue(c certibloc.Criterion, v certibloc.Score, l certibloc.Lang) string {
	if len(c.Scale.Levels) > 0 {
		return strconv.Itoa(int(v / 100))
	}
	return v.In(l)
}

// markShown is a mark as read: a level's label, or points out of the
// maximum.
func markShown(pg *page, c certibloc.Criterion, v certibloc.Score) string {
	if len(c.Scale.Levels) > 0 {
		if i := int(v/100) - 1; i >= 0 && i < len(c.Scale.Levels) {
			return c.Scale.Levels[i].Label
		}
		return v.In(pageLang(pg))
	}
	return pg.Tf("ev_out_of_f", v.In(pageLang(pg)), c.Scale.Max.In(pageLang(pg)))
}

// doubleMarking sets two results side by side.
func doubleMarking(pg *page, g *certibloc.Grid, one, two *certibloc.Result, l certibloc.Lang) *doubleView {
	kept, out, gap, err := certibloc.Combine(g, one.Marks, two.Marks)
	if err != nil {
		return nil
	}
	v := &doubleView{Discrepancy: pg.Tf("ev_discrepancy_f", gap.In(l))}
	value := func(ms []certibloc.Mark, key string) certibloc.Score {
		for _, m := range ms {
			if m.Criterion == key {
				return m.Value
			}
		}
		return 0
	}
	for _, c := range g.Criteria {
		v.Rows = append(v.Rows, doubleRow{Label: c.Key, One: markShown(pg, c, value(one.Marks, c.Key)),
			Two: markShown(pg, c, value(two.Marks, c.Key)), Kept: markShown(pg, c, value(kept, c.Key))})
	}
	v.Totals = doubleRow{Label: pg.T("ev_total"), One: one.Total.In(l), Two: two.Total.In(l), Kept: outcomeText(pg, out)}
	return v
}

// sentMarks is a grading form as sent.
type sentMarks struct {
	values, comments map[string]string
	reason           string
	marks            []certibloc.Mark
}

// readMarks reads the marks of criteria from a form, each checked against
// its scale; with all, every criterion must be graded. Errors are worded
// by criterion key, in the page's language.
func readMarks(pg *page, r *http.Request, crits []certibloc.Criterion, all bool) (*sentMarks, formErrors) {
	l := pageLang(pg)
	sent := &sentMarks{values: map[string]string{}, comments: map[string]string{}}
	errs := formErrors{}
	for _, c := range crits {
		raw := strings.TrimSpace(r.PostFormValue("v-" + c.Key))
		comment := strings.TrimSpace(r.PostFormValue("c-" + c.Key))
		sent.values[c.Key], sent.comments[c.Key] = raw, comment
		if utf8.RuneCountInString(comment) > certibloc.MaxComment {
			errs[c.Key] = pg.Tf("ev_e_comment_f", certibloc.MaxComment)
			continue
		}
		if raw == "" {
			if all {
				errs[c.Key] = certibloc.Problem{Code: "missing_grade"}.In(l)
			}
			continue
		}
		var v certibloc.Score
		if len(c.Scale.Levels) > 0 {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 || n > len(c.Scale.Levels) {
				errs[c.Key] = pg.T("ev_e_level")
				continue
			}
			v = certibloc.Score(n * 100)
		} else {
			var err error
			if v, err = certibloc.ParseScore(raw); err != nil {
				errs[c.Key] = certibloc.Problem{Code: "not_a_grade", Value: certibloc.Cut(raw)}.In(l)
				continue
			}
			if c.Scale.Check(v) != nil {
				errs[c.Key] = certibloc.Problem{Code: "outside_scale", Value: v.In(l),
					Detail: pg.Tf("ev_scale_range_f", c.Scale.Max.In(l))}.In(l)
				continue
			}
		}
		sent.marks = append(sent.marks, certibloc.Mark{Criterion: c.Key, Value: v, Comment: comment})
	}
	return sent, errs
}

// grade records a grading screen: as a draft, or after the check, for
// good.
func (s *Site) grade(w http.ResponseWriter, r *http.Request) error { return s.postGrade(w, r, false) }

// teamGrade records a team's shared criteria.
func (s *Site) teamGrade(w http.ResponseWriter, r *http.Request) error {
	return s.postGrade(w, r, true)
}

func (s *Site) postGrade(w http.ResponseWriter, r *http.Request, team bool) error {
	ctx := r.Context()
	t, err := s.loadTarget(r, team)
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(ctx)
	if ok, why := t.editable(p); !ok {
		if why == "ev_locked_not_marker" {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", messages[lang(r)]["ev_locked_not_marker"])
		}
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", messages[lang(r)][why])
	}
	pg := s.page(r, "")
	action := r.PostFormValue("action")
	if !slices.Contains([]string{"draft", "review", "submit"}, action) {
		return certibloc.Errorf(certibloc.EINVALID, "%s", messages[lang(r)]["ev_e_action"])
	}
	sent, errs := readMarks(pg, r, t.criteria, action != "draft")
	if len(errs) > 0 {
		errs[""] = pg.T("ev_e_marks")
		return s.renderApp(w, http.StatusBadRequest, "eval_grade", pg, s.gradeView(pg, r, t, sent, errs))
	}
	in := sqldb.ResultInput{Round: t.round, Marks: sent.marks, Submit: action == "submit"}
	if t.learner != nil {
		in.PersonID = t.learner.PersonID
	} else {
		in.Team = t.team
	}
	if _, err := s.evals.RecordResults(ctx, p, t.es.ID, []sqldb.ResultInput{in}); err != nil {
		return s.refusedGrade(w, r, pg, t, sent, err)
	}
	switch action {
	case "draft":
		http.Redirect(w, r, t.path+t.roundQuery()+"&done=saved", http.StatusSeeOther)
		return nil
	case "submit":
		http.Redirect(w, r, t.path+t.roundQuery()+"&done=submitted", http.StatusSeeOther)
		return nil
	}
	// The check: saved as a draft already, shown as it will be locked.
	v := s.gradeView(pg, r, t, sent, nil)
	v.Confirm = confirmation(pg, t, sent)
	return s.renderApp(w, http.StatusOK, "eval_grade", pg, v)
}

// confirmation is what submitting will lock.
func confirmation(pg *page, t *gradeTarget, sent *sentMarks) *confirmView {
	c := &confirmView{Hidden: []option{{"action", "submit"}}}
	for _, cr := range t.criteria {
		for _, m := range sent.marks {
			if m.Criterion != cr.Key {
				continue
			}
			row := fact{Label: cr.Key + " – " + cr.Label, Value: markShown(pg, cr, m.Value)}
			if m.Comment != "" {
				row.Value += " — " + m.Comment
			}
			c.Rows = append(c.Rows, row)
			c.Hidden = append(c.Hidden, option{"v-" + cr.Key, sent.values[cr.Key]}, option{"c-" + cr.Key, m.Comment})
		}
	}
	// The outcome on the whole grid: a member's shared marks come from the team.
	marks := append([]certibloc.Mark{}, sent.marks...)
	if t.result != nil {
		for _, m := range t.result.Marks {
			if !slices.ContainsFunc(marks, func(x certibloc.Mark) bool { return x.Criterion == m.Criterion }) {
				marks = append(marks, m)
			}
		}
	}
	if t.learner == nil {
		c.Outcome = pg.T("ev_outcome_team")
	} else if out, err := t.grid.Grade(marks); err == nil {
		c.Outcome = outcomeText(pg, out)
	} else {
		c.Outcome = pg.T("ev_outcome_later")
	}
	return c
}

// refusedGrade shows the form again with what the store refused.
func (s *Site) refusedGrade(w http.ResponseWriter, r *http.Request, pg *page, t *gradeTarget, sent *sentMarks, err error) error {
	var ps certibloc.Problems
	var msgs []string
	switch {
	case asProblems(err, &ps):
		msgs = ps.In(pageLang(pg))
	case certibloc.ErrorCode(err) == certibloc.EINVALID || certibloc.ErrorCode(err) == certibloc.ECONFLICT:
		msgs = []string{errorText(pg, err)}
	default:
		return err
	}
	v := s.gradeView(pg, r, t, sent, formErrors{})
	v.Problems = msgs
	return s.renderApp(w, http.StatusBadRequest, "eval_grade", pg, v)
}

// correctResult replaces a locked result with corrected marks: staff of
// the school only, with a reason; the old result is kept by the store.
func (s *Site) correctResult(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := s.loadTarget(r, false)
	if err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(ctx)
	if err := p.Authorize(certibloc.ManageEvaluations, t.es.School); err != nil {
		return err
	}
	if t.result == nil || t.result.State != certibloc.ResultSubmitted {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", messages[lang(r)]["ev_e_not_locked"])
	}
	pg := s.page(r, "")
	sent, errs := readMarks(pg, r, t.grid.Criteria, true)
	sent.reason = strings.TrimSpace(r.PostFormValue("reason"))
	if sent.reason == "" {
		errs["reason"] = pg.T("ev_e_reason")
	} else if utf8.RuneCountInString(sent.reason) > 2000 {
		errs["reason"] = pg.T("ev_e_reason_long")
	}
	if len(errs) == 0 && sameMarks(sent.marks, t.result.Marks) {
		errs["reason"] = pg.T("ev_e_no_change")
	}
	if len(errs) > 0 {
		errs[""] = pg.T("ev_e_marks")
		return s.renderApp(w, http.StatusBadRequest, "eval_grade", pg, s.gradeView(pg, r, t, sent, errs))
	}
	if _, err := s.evals.CorrectResult(ctx, p, t.result.ID, sent.marks, sent.reason); err != nil {
		return s.refusedGrade(w, r, pg, t, sent, err)
	}
	http.Redirect(w, r, t.path+t.roundQuery()+"&done=corrected", http.StatusSeeOther)
	return nil
}

// sameMarks reports whether a correction changes nothing: every grade and
// comment as they are.
func sameMarks(sent, old []certibloc.Mark) bool {
	if len(sent) != len(old) {
		return false
	}
	for _, m := range sent {
		if !slices.Contains(old, m) {
			return false
		}
	}
	return true
}
