package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// decisionKinds are the decisions the pages take, in the order of the
// workflow; enrolment is taken from a cohort's page, which asks for more.
var decisionKinds = []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.DecideNotAdmissible,
	certibloc.ScheduleInterview, certibloc.RecordInterview, certibloc.DecideAdmitted, certibloc.DecideWaitingList,
	certibloc.DecideRefused, certibloc.Withdraw}

// decisionFieldsOf are the fields each decision asks for.
func decisionFieldsOf(k certibloc.DecisionKind) []string {
	switch k {
	case certibloc.ScheduleInterview:
		return []string{"interview_at", "place"}
	case certibloc.RecordInterview:
		return []string{"score", "test_score", "reason"}
	case certibloc.Withdraw:
		return []string{"reason"}
	}
	return []string{"members", "reason"}
}

// commission and negative say which decisions name the commission's
// members, and which must give a reason.
func commission(k certibloc.DecisionKind) bool {
	return slices.Contains(decisionFieldsOf(k), "members")
}

func negative(k certibloc.DecisionKind) bool {
	return k == certibloc.DecideNotAdmissible || k == certibloc.DecideRefused
}

// decisionInput is a decision form as it was sent, with its errors, to
// show it again.
type decisionInput struct {
	Kind   certibloc.DecisionKind
	Values map[string]string
	Errs   formErrors
}

// readDecision reads a decision form and checks it, saying in words what
// is missing or wrong, field by field.
func readDecision(pg *page, r *http.Request, allowed []certibloc.DecisionKind) (certibloc.AdmissionDecision, *decisionInput) {
	in := &decisionInput{Kind: certibloc.DecisionKind(r.PostFormValue("kind")), Values: map[string]string{}, Errs: formErrors{}}
	d := certibloc.AdmissionDecision{Kind: in.Kind}
	if !slices.Contains(allowed, in.Kind) {
		in.Errs["kind"], in.Errs[""] = pg.T("dec_e_kind"), pg.T("dec_e_kind")
		return d, in
	}
	in.Values["kind"] = string(in.Kind)
	for _, name := range decisionFieldsOf(in.Kind) {
		in.Values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	for _, line := range strings.Split(in.Values["members"], "\n") {
		if m := strings.TrimSpace(line); m != "" {
			d.Members = append(d.Members, m)
		}
	}
	d.Reason, d.Place = in.Values["reason"], in.Values["place"]
	if commission(in.Kind) && len(d.Members) == 0 {
		in.Errs["members"] = pg.T("dec_e_members")
	}
	if negative(in.Kind) && d.Reason == "" {
		in.Errs["reason"] = pg.T("dec_e_reason")
	}
	if in.Kind == certibloc.ScheduleInterview {
		if t, err := time.ParseInLocation("2006-01-02T15:04", in.Values["interview_at"], paris); err != nil {
			in.Errs["interview_at"] = pg.T("dec_e_interview_at")
		} else if !t.After(time.Now()) {
			// A convocation to a past date reaches nobody in time.
			in.Errs["interview_at"] = pg.T("dec_e_interview_past")
		} else {
			d.InterviewAt = &t
		}
		if d.Place == "" {
			in.Errs["place"] = pg.T("dec_e_place")
		}
	}
	if in.Kind == certibloc.RecordInterview {
		d.Score = score(pg, in, "score")
		d.TestScore = score(pg, in, "test_score")
	}
	return d, in
}

// score reads a mark out of 20, with a decimal point or comma.
func score(pg *page, in *decisionInput, name string) *float64 {
	v, err := parseDecimal(in.Values[name])
	if err != nil || v < 0 || v > 20 {
		in.Errs[name] = pg.T("dec_e_score")
		return nil
	}
	return &v
}

// decisionGroups are the forms of an application's page: the decisions
// of one commission share a form, where the possible ones are choices.
var decisionGroups = [][]certibloc.DecisionKind{
	{certibloc.DecideAdmissible, certibloc.DecideNotAdmissible},
	{certibloc.ScheduleInterview},
	{certibloc.RecordInterview},
	{certibloc.DecideAdmitted, certibloc.DecideWaitingList, certibloc.DecideRefused},
	{certibloc.Withdraw},
}

// decisionForm is the form of a decision, or of a commission's decisions,
// on an application's page.
type decisionForm struct {
	Kind, Title, Button string // Kind is "" when the form offers several
	Fields              []admField
	Summary             *errorSummary
}

// decisionForms are the forms of the decisions the workflow allows from
// state, the one sent filled as it was with its errors. For an application
// the entry rules found ineligible or with required documents missing,
// declaring it admissible asks for a confirmation too (overrideField).
func decisionForms(pg *page, state certibloc.State, warn admissibleWarning, sent *decisionInput) []decisionForm {
	var forms []decisionForm
	for _, group := range decisionGroups {
		var kinds []certibloc.DecisionKind
		for _, k := range group {
			if _, err := certibloc.Next(state, k); err == nil {
				kinds = append(kinds, k)
			}
		}
		if len(kinds) == 0 {
			continue
		}
		key := string(group[0])
		f := decisionForm{Title: pg.T("dec_form_" + key), Button: pg.T("dec_button_" + key)}
		if len(kinds) == 1 && len(group) == 1 {
			f.Kind = string(kinds[0])
		} else {
			choice := admField{Name: "kind", ID: "d-" + key + "-kind", Type: "radio", Label: pg.T("dec_f_kind"), Required: true}
			for _, k := range kinds {
				to, _ := certibloc.Next(state, k)
				choice.Options = append(choice.Options, option{string(k), stateLabel(pg, to)})
			}
			f.Fields = append(f.Fields, choice)
		}
		f.Fields = append(f.Fields, decisionFields(pg, kinds[0], "d-"+key+"-")...)
		if warn.any() && slices.Contains(kinds, certibloc.DecideAdmissible) {
			f.Fields = append(f.Fields, overrideField(pg, "d-"+key+"-", warn))
		}
		if sent != nil && slices.Contains(kinds, sent.Kind) {
			for i := range f.Fields {
				f.Fields[i].Value = sent.Values[f.Fields[i].Name]
				if f.Fields[i].Name == "override" && sent.Values["override"] != "" {
					f.Fields[i].Values = []string{sent.Values["override"]}
				}
			}
			f.Summary = summarize(pg, f.Fields, sent.Errs)
		}
		forms = append(forms, f)
	}
	return forms
}

// ineligible reports whether the entry rules found an application
// ineligible when it was submitted.
func ineligible(a *certibloc.Application) bool {
	return a.Eligibility != nil && !a.Eligibility.Eligible
}

// decisionFields are the fields of a decision, their ids starting with
// prefix so that several forms live on one page.
func decisionFields(pg *page, k certibloc.DecisionKind, prefix string) []admField {
	var fields []admField
	for _, name := range decisionFieldsOf(k) {
		f := admField{Name: name, ID: prefix + name, Label: pg.T("dec_f_" + name), Hint: pg.msgs["dec_h_"+name], Type: "text"}
		switch name {
		case "members":
			f.Type, f.Required, f.MaxLength = "textarea", true, "2000"
		case "reason":
			f.Type, f.MaxLength = "textarea", "2000"
			if !commission(k) {
				f.Label, f.Hint = pg.T("dec_f_comment"), ""
			}
		case "interview_at":
			f.Type, f.Required = "datetime-local", true
		case "place":
			f.Required, f.MaxLength = true, "300"
		case "score", "test_score":
			// Text, not number: a browser's number field refuses « 14,5 »
			// in some languages and steps; the server reads the comma.
			f.Type, f.Required, f.InputMode, f.MaxLength = "text", true, "decimal", "6"
		}
		fields = append(fields, f)
	}
	return fields
}

// decisionRow is a line of an application's history. Who decided and the
// commission's members are for staff only.
type decisionRow struct {
	Kind, When, By, Members, Reason, Interview, Scores string
	Correction                                         string // what a correcting decision corrects
}

func decisionRowOf(pg *page, d certibloc.AdmissionDecision, staff bool) decisionRow {
	row := decisionRow{Kind: kindLabel(pg, d.Kind), When: moment(pg, &d.DecidedAt), Reason: d.Reason}
	if staff {
		row.By, row.Members = d.DecidedBy, strings.Join(d.Members, ", ")
	}
	if d.InterviewAt != nil {
		row.Interview = pg.Tf("dec_interview_f", moment(pg, d.InterviewAt), d.Place)
	}
	if d.Score != nil && d.TestScore != nil {
		row.Scores = pg.Tf("dec_scores_f", mark(pg, *d.Score), mark(pg, *d.TestScore))
	}
	if d.Corrects != 0 {
		row.Correction = pg.T("dec_correction")
	}
	return row
}

// mark writes a mark as French readers write it: 14,5.
func mark(pg *page, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if pg.Lang == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// decideApplication takes one decision on an application from its page.
func (s *Site) decideApplication(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	d, in := readDecision(pg, r, decisionKinds)
	if d.Kind == certibloc.DecideAdmissible {
		// Admissible despite the entry rules or missing documents: a
		// confirmation and a reason, which the history keeps.
		warn, err := s.warningOf(r.Context(), a)
		if err != nil {
			return err
		}
		if warn.any() {
			checkOverride(pg, r, in, d.Reason, warn)
		}
	}
	if commission(d.Kind) && len(in.Errs) == 0 {
		s.rememberMembers(w, r, d.Members)
	}
	if len(in.Errs) == 0 {
		if _, err := certibloc.Next(a.State, d.Kind); err != nil {
			in.Errs[""] = pg.Tf("dec_e_state_f", kindLabel(pg, d.Kind), stateLabel(pg, a.State))
		}
	}
	status := http.StatusBadRequest
	if len(in.Errs) == 0 {
		// The candidate's notice is written with the decision (sqldb.DB.Decide).
		_, err = s.db.Decide(r.Context(), []int64{a.ID}, d)
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, applicationPath(a.ID)+"?done=decided", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID, certibloc.ECONFLICT:
			in.Errs[""] = errorText(pg, err)
			status = http.StatusConflict
		default:
			return err
		}
	}
	return s.renderApplication(w, r, status, a, true, "", nil, in)
}
