package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// What the admissions office sees on an application beside the decisions
// (issue 11, items 7 and 8): the required documents missing, the files
// before and after it, internal notes, and the form that corrects the
// last commission decision.

// officeView is the staff's part of an application's page.
type officeView struct {
	Missing        string // the required documents it lacks, in words
	Prev, Next     string
	Notes          []noteRow
	NoteFields     []admField
	Correction     *correctionForm
	AgendaURL      string
	CommissionsURL string
}

// noteRow is an internal note as the page shows it.
type noteRow struct{ Body, By, When string }

// correctionForm corrects the last decision of a commission.
type correctionForm struct {
	Decision int64
	Intro    string
	Fields   []admField
}

// admissibleWarning is what makes declaring an application admissible ask
// for a confirmation and a reason: the entry rules found it ineligible,
// or required documents are missing (their kinds).
type admissibleWarning struct {
	Ineligible bool
	Missing    []string
}

func (w admissibleWarning) any() bool { return w.Ineligible || len(w.Missing) > 0 }

// missingLabels names kinds of documents in the page's language.
func missingLabels(pg *page, kinds []string) string {
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = pg.T("doc_" + k)
	}
	return strings.Join(labels, ", ")
}

// warningOf reads what declaring application a admissible warns of.
func (s *Site) warningOf(ctx context.Context, a *certibloc.Application) (admissibleWarning, error) {
	missing, err := s.db.DocumentsMissing(ctx, []int64{a.ID})
	if err != nil {
		return admissibleWarning{}, err
	}
	return admissibleWarning{Ineligible: ineligible(a), Missing: missing[a.ID]}, nil
}

// overrideField is the confirmation that declaring admissible an
// application asks for when the entry rules found it ineligible or
// required documents are missing.
func overrideField(pg *page, prefix string, w admissibleWarning) admField {
	f := admField{Name: "override", ID: prefix + "override", Type: "checkboxes", Label: pg.T("dec_f_override"),
		Hint: pg.T("dec_h_override"), Options: []option{{"yes", pg.T("dec_override_yes")}}}
	if len(w.Missing) > 0 {
		docs := pg.Tf("dec_h_override_docs_f", missingLabels(pg, w.Missing))
		if w.Ineligible {
			f.Hint = docs + " " + f.Hint
		} else {
			f.Label, f.Hint = pg.Tf("dec_f_override_docs_f", missingLabels(pg, w.Missing)), pg.T("dec_h_override")
			f.Options = []option{{"yes", pg.T("dec_override_docs_yes")}}
		}
	}
	return f
}

// checkOverride adds the errors of an admissible decision that w warns
// of, when it lacks its confirmation or its reason.
func checkOverride(pg *page, r *http.Request, in *decisionInput, reason string, w admissibleWarning) {
	in.Values["override"] = r.PostFormValue("override")
	if in.Values["override"] != "yes" {
		in.Errs["override"] = pg.T("dec_e_override")
		if !w.Ineligible {
			in.Errs["override"] = pg.T("dec_e_override_docs")
		}
	}
	if reason == "" {
		in.Errs["reason"] = pg.T("dec_e_override_reason")
		if !w.Ineligible {
			in.Errs["reason"] = pg.T("dec_e_override_docs_reason")
		}
	}
}

// officeSent is the staff's form sent again: "note" or "correction".
type officeSent struct {
	form   string
	values map[string]string
	errs   formErrors
}

// fillOffice fills the staff's part of an application's page; it returns
// the summary of the form sent, if it is one of its own.
func (s *Site) fillOffice(ctx context.Context, pg *page, a *certibloc.Application, decisions []certibloc.AdmissionDecision,
	sent *officeSent) (*officeView, *errorSummary, error) {
	o := &officeView{AgendaURL: campaignPath(a.CampaignID) + "/agenda", CommissionsURL: campaignPath(a.CampaignID) + "/commissions"}
	if a.State != certibloc.Draft {
		w, err := s.warningOf(ctx, a)
		if err != nil {
			return nil, nil, err
		}
		if len(w.Missing) > 0 {
			o.Missing = missingLabels(pg, w.Missing)
		}
	}
	prev, next, err := s.db.Neighbours(ctx, a.ID)
	if err != nil {
		return nil, nil, err
	}
	if prev != 0 {
		o.Prev = applicationPath(prev)
	}
	if next != 0 {
		o.Next = applicationPath(next)
	}
	notes, err := s.db.Notes(ctx, a.ID)
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	for _, n := range notes {
		o.Notes = append(o.Notes, noteRow{Body: n.Body, By: s.deciderName(ctx, names, n.Author), When: moment(pg, &n.CreatedAt)})
	}
	values := map[string]string{}
	if sent != nil {
		values = sent.values
	}
	o.NoteFields = []admField{{Name: "body", ID: "note-body", Type: "textarea", Label: pg.T("note_f_body"),
		Hint: pg.T("note_h_body"), Required: true, MaxLength: "4000"}}
	if sent != nil && sent.form == "note" {
		o.NoteFields[0].Value = values["body"]
	}
	if len(decisions) > 0 {
		last := decisions[len(decisions)-1]
		base := last
		for i := len(decisions) - 1; base.Corrects != 0 && i >= 0; i-- {
			if decisions[i].ID == base.Corrects {
				base.From, base.Corrects = decisions[i].From, decisions[i].Corrects
			}
		}
		if kinds := base.Corrections(); len(kinds) > 0 && a.State == last.To {
			o.Correction = correctionFormOf(pg, last, kinds, sent)
		}
	}
	var sum *errorSummary
	if sent != nil {
		switch sent.form {
		case "note":
			sum = summarize(pg, o.NoteFields, sent.errs)
		case "correction":
			if o.Correction != nil {
				sum = summarize(pg, o.Correction.Fields, sent.errs)
			} else {
				sum = summarize(pg, nil, sent.errs)
			}
		}
	}
	return o, sum, nil
}

// correctionFormOf is the form that corrects decision last into one of
// kinds, filled as sent.
func correctionFormOf(pg *page, last certibloc.AdmissionDecision, kinds []certibloc.DecisionKind, sent *officeSent) *correctionForm {
	choice := admField{Name: "kind", ID: "corr-kind", Type: "radio", Label: pg.T("corr_f_kind"), Required: true}
	for _, k := range kinds {
		choice.Options = append(choice.Options, option{string(k), kindLabel(pg, k)})
	}
	f := &correctionForm{Decision: last.ID, Intro: pg.Tf("corr_intro_f", kindLabel(pg, last.Kind), moment(pg, &last.DecidedAt)),
		Fields: []admField{choice,
			{Name: "members", ID: "corr-members", Type: "textarea", Label: pg.T("dec_f_members"), Hint: pg.T("corr_h_members"),
				MaxLength: "2000", Value: strings.Join(last.Members, "\n")},
			{Name: "reason", ID: "corr-reason", Type: "textarea", Label: pg.T("corr_f_reason"), Hint: pg.T("corr_h_reason"),
				Required: true, MaxLength: "2000"},
			{Name: "confirm", ID: "corr-confirm", Type: "checkboxes", Label: pg.T("app_f_confirm"), Required: true,
				Options: []option{{"yes", pg.T("corr_confirm")}}}}}
	if sent != nil && sent.form == "correction" {
		for i := range f.Fields {
			f.Fields[i].Value = sent.values[f.Fields[i].Name]
		}
	}
	return f
}

// addNote adds an internal note to an application, from its page.
func (s *Site) addNote(w http.ResponseWriter, r *http.Request) error {
	a, own, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	if own {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "notes are the admissions office's")
	}
	pg := s.page(r, "")
	sent := &officeSent{form: "note", values: map[string]string{"body": strings.TrimSpace(r.PostFormValue("body"))}, errs: formErrors{}}
	switch body := sent.values["body"]; {
	case body == "":
		sent.errs["body"] = pg.T("note_e_body")
	case len([]rune(body)) > 4000:
		sent.errs["body"] = pg.T("note_e_long")
	}
	if len(sent.errs) == 0 {
		err := s.db.AddNote(r.Context(), &certibloc.ApplicationNote{ApplicationID: a.ID, Body: sent.values["body"]})
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, applicationPath(a.ID)+"?done=noted#notes", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID:
			sent.errs["body"] = errorText(pg, err)
		default:
			return err
		}
	}
	return s.renderApplicationOffice(w, r, http.StatusBadRequest, a, sent)
}

// correctDecision corrects the last commission decision of an
// application, with a reason and a confirmation; the candidate is told.
func (s *Site) correctDecision(w http.ResponseWriter, r *http.Request) error {
	a, own, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	if own {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "only the admissions office corrects a decision")
	}
	pg := s.page(r, "")
	sent := &officeSent{form: "correction", values: map[string]string{}, errs: formErrors{}}
	for _, name := range []string{"decision", "kind", "members", "reason", "confirm"} {
		sent.values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	decisions, err := s.db.Decisions(r.Context(), a.ID)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(sent.values["decision"], 10, 64)
	if len(decisions) == 0 || decisions[len(decisions)-1].ID != id {
		sent.errs[""] = pg.T("corr_e_stale")
		return s.renderApplicationOffice(w, r, http.StatusConflict, a, sent)
	}
	d := certibloc.AdmissionDecision{Kind: certibloc.DecisionKind(sent.values["kind"]), Reason: sent.values["reason"]}
	for _, line := range strings.Split(sent.values["members"], "\n") {
		if m := strings.TrimSpace(line); m != "" {
			d.Members = append(d.Members, m)
		}
	}
	if !slices.Contains([]certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.DecideNotAdmissible,
		certibloc.DecideAdmitted, certibloc.DecideWaitingList, certibloc.DecideRefused}, d.Kind) {
		sent.errs["kind"] = pg.T("dec_e_kind")
	}
	if d.Reason == "" {
		sent.errs["reason"] = pg.T("corr_e_reason")
	}
	if sent.values["confirm"] != "yes" {
		sent.errs["confirm"] = pg.T("corr_e_confirm")
	}
	status := http.StatusBadRequest
	if len(sent.errs) == 0 {
		_, err := s.db.CorrectDecision(r.Context(), id, d)
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, applicationPath(a.ID)+"?done=corrected", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID, certibloc.ECONFLICT:
			sent.errs[""], status = errorText(pg, err), http.StatusConflict
		default:
			return err
		}
	}
	return s.renderApplicationOffice(w, r, status, a, sent)
}

// renderApplicationOffice shows an application's page again with the
// staff's form sent.
func (s *Site) renderApplicationOffice(w http.ResponseWriter, r *http.Request, status int, a *certibloc.Application, sent *officeSent) error {
	return s.renderApplicationForm(w, r, status, a, true, "", sentForm{office: sent}, nil)
}
