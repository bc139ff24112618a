package web

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// applicationView is the page of an application: the candidate's own
// (documents to upload, submitting, the verdict and the decisions as they
// concern them) or the staff's (the candidate, the documents, the whole
// history and the forms of the next decisions).
type applicationView struct {
	ID                    int64
	Staff                 bool
	Notice                string
	Summary               *errorSummary
	Campaign, CampaignURL string
	Candidate, PersonURL  string
	Facts                 []fact // the candidate and the choice
	State                 string
	Eligibility           *eligibilityView
	Documents             []documentRow
	Checklist             []checkRow // the documents the campaign requires, present or missing
	Missing               string     // the missing ones, named
	Requests              []requestRow
	Upload                []admField // the upload form, while documents may be added
	Choice                []admField // the candidate's draft: the form to change its choice
	CanSubmit             bool       // the candidate's draft: the link to the recap
	Progress              []progressRow
	AskDocument           []admField // staff: the form that asks the candidate for a document
	Withdraw              []admField // the candidate: the reason and confirmation of a withdrawal, once submitted
	Delete                []admField // the candidate: the confirmation of deleting their draft
	Decisions             []decisionRow
	Forms                 []decisionForm // staff: the decisions the workflow allows now
	EnrolURL              string         // staff: an admitted candidate goes to a cohort
	Office                *officeView    // staff: documents missing, neighbours, notes, correction
}

// fact is a line of a description list.
type fact struct{ Label, Value string }

// eligibilityView is the verdict of the entry rules and its reasons.
type eligibilityView struct {
	Eligible, Committee bool
	Reasons             []string
	FR                  template.HTMLAttr // marks reasons kept in French (a verdict stored before they could be worded again)
}

// documentRow is a document of the application, to download.
type documentRow struct {
	Href, Kind, Name, Type, Size string
}

// applicationPage shows an application to its candidate or to staff.
func (s *Site) applicationPage(w http.ResponseWriter, r *http.Request) error {
	a, own, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	notice := ""
	switch done := r.URL.Query().Get("done"); done {
	case "created", "uploaded", "submitted", "decided", "changed", "withdrawn", "noted", "corrected", "replaced", "requested":
		notice = "app_done_" + done
	}
	return s.renderApplication(w, r, http.StatusOK, a, !own, notice, nil, nil)
}

// renderApplication writes the page of an application; errs are those of
// the form that was sent: the upload ("upload"), the submission, or a
// decision (by kind, in decision).
func (s *Site) renderApplication(w http.ResponseWriter, r *http.Request, status int, a *certibloc.Application,
	staff bool, notice string, errs formErrors, decision *decisionInput) error {
	return s.renderApplicationForm(w, r, status, a, staff, notice, sentForm{errs: errs}, decision)
}

// sentForm is a candidate's form shown again: which one ("" for the
// upload or the submission, "choice", "withdraw"), its errors and, for
// the choice, the values sent.
type sentForm struct {
	form   string
	errs   formErrors
	values map[string]string
	office *officeSent // staff: a note or a correction
}

// renderApplicationForm is renderApplication with the candidate's form
// that was sent.
func (s *Site) renderApplicationForm(w http.ResponseWriter, r *http.Request, status int, a *certibloc.Application,
	staff bool, notice string, sent sentForm, decision *decisionInput) error {
	errs := sent.errs
	ctx := r.Context()
	c, err := s.db.Campaign(ctx, a.CampaignID)
	if err != nil {
		return err
	}
	cert, err := s.db.Certification(ctx, c.CertificationCode, c.Version)
	if err != nil {
		return err
	}
	person, err := s.db.Person(ctx, a.PersonID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title = pg.Tf("app_title_f", c.Title)
	if staff {
		pg.Title = pg.Tf("app_staff_title_f", person.DisplayName())
	}
	pg.Description = pg.T("app_description")
	v := &applicationView{ID: a.ID, Staff: staff, Campaign: c.Title, Candidate: person.DisplayName(),
		State: stateLabel(pg, a.State)}
	if notice != "" {
		v.Notice = pg.T(notice)
	}
	if staff {
		v.CampaignURL, v.PersonURL = campaignPath(c.ID), personPath(person.ID)
		v.Facts = append(v.Facts, fact{pg.T("people_f_birth_date"), pg.Date(person.BirthDate)},
			fact{pg.T("people_f_email"), person.Email})
	}
	option := pg.T("app_option_none")
	if a.Option != "" {
		option = blockLabel(cert, a.Option)
	}
	v.Facts = append(v.Facts,
		fact{pg.T("people_f_level"), strconv.Itoa(person.Level)},
		fact{pg.T("people_f_ects"), strconv.Itoa(person.ECTS)},
		fact{pg.T("people_f_experience_months"), strconv.Itoa(person.ExperienceMonths)},
		fact{pg.T("app_f_offer"), offerLabel(pg, a.Track, a.Mode)},
		fact{pg.T("app_f_option"), option},
		fact{pg.T("app_submitted"), moment(pg, a.SubmittedAt)})
	if e := a.Eligibility; e != nil {
		v.Eligibility = &eligibilityView{Eligible: e.Eligible, Committee: e.CommitteeReview, Reasons: e.Reasons, FR: pg.FR()}
		if e.Applicant != nil { // the reasons in the page's language
			if again, err := s.db.CompiledRules(cert).EligibilityIn(*e.Applicant, certibloc.NegotiateLang(pg.Lang, "")); err == nil {
				v.Eligibility.Reasons, v.Eligibility.FR = again.Reasons, ""
			}
		}
	}
	docs, err := s.db.Documents(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		v.Documents = append(v.Documents, documentRow{Href: documentPath(a.ID, d.ID), Kind: pg.T("doc_" + d.Kind),
			Name: d.Filename, Type: pg.T("doc_type_" + d.ContentType), Size: fileSize(pg, d.Size)})
	}
	v.Checklist, _, v.Missing = checklist(pg, c.RequiredDocuments, docs)
	requests, err := s.db.DocumentRequests(ctx, a.ID)
	if err != nil {
		return err
	}
	v.Requests = requestRows(pg, requests)
	open, err := s.db.DocumentsOpen(ctx, a)
	if err != nil {
		return err
	}
	if !staff && open {
		v.Upload = uploadFields(pg, errs, docs)
	}
	if staff && a.State != certibloc.Draft && certibloc.DocumentsOpen(a.State, true) {
		v.AskDocument = askDocumentFields(pg, sent)
	}
	if !staff && a.State == certibloc.Draft {
		values := sent.values
		if sent.form != "choice" {
			values = map[string]string{"offer": string(a.Track) + "/" + string(a.Mode), "option": a.Option}
		}
		v.Choice = choiceFields(pg, c, cert, values)
	}
	v.CanSubmit = !staff && a.State == certibloc.Draft
	// A draft is deleted, never withdrawn: nobody saw it yet.
	if _, err := certibloc.Next(a.State, certibloc.Withdraw); !staff && err == nil && a.State != certibloc.Draft {
		v.Withdraw = withdrawFields(pg, sent.values)
	}
	if !staff && a.State == certibloc.Draft {
		v.Delete = deleteFields(pg)
	}
	decisions, err := s.db.Decisions(ctx, a.ID)
	if err != nil {
		return err
	}
	if a.SubmittedAt != nil {
		v.Progress = progressRows(pg, certibloc.Progress(a, decisions))
	}
	names := map[string]string{}
	for _, d := range decisions {
		row := decisionRowOf(pg, d, staff)
		if staff {
			row.By = s.deciderName(ctx, names, d.DecidedBy)
		}
		v.Decisions = append(v.Decisions, row)
	}
	switch sent.form {
	case "choice":
		v.Summary = summarize(pg, v.Choice, errs)
	case "withdraw":
		v.Summary = summarize(pg, v.Withdraw, errs)
	case "delete":
		v.Summary = summarize(pg, v.Delete, errs)
	case "ask":
		v.Summary = summarize(pg, v.AskDocument, errs)
	default:
		if v.Upload == nil && errs["file"] != "" {
			// The upload refused because documents are closed now: no
			// form to file the error under.
			errs = formErrors{"": errs["file"]}
		}
		v.Summary = summarize(pg, v.Upload, errs)
	}
	if staff {
		warn := admissibleWarning{}
		if a.State == certibloc.Submitted {
			if warn, err = s.warningOf(ctx, a); err != nil {
				return err
			}
		}
		v.Forms = decisionForms(pg, a.State, warn, decision)
		for i, f := range v.Forms {
			for j := range f.Fields {
				if f.Fields[j].Name == "members" && f.Fields[j].Value == "" {
					v.Forms[i].Fields[j].Value = s.rememberedMembers(r)
				}
			}
		}
		for _, f := range v.Forms {
			if f.Summary != nil {
				v.Summary = f.Summary
			}
		}
		if decision != nil && v.Summary == nil {
			v.Summary = summarize(pg, nil, formErrors{"": decision.Errs[""]})
		}
		if a.State == certibloc.Admitted {
			v.EnrolURL = "/app/cohorts"
		}
		office, sum, err := s.fillOffice(ctx, pg, a, decisions, sent.office)
		if err != nil {
			return err
		}
		v.Office = office
		if sum != nil {
			v.Summary = sum
		}
	}
	return s.renderApp(w, status, "application", pg, v)
}

// deciderName shows who decided as staff know them: the address of the
// account the history names ("account 12"), or the name as it is.
func (s *Site) deciderName(ctx context.Context, names map[string]string, label string) string {
	if name, ok := names[label]; ok {
		return name
	}
	names[label] = label
	if n, ok := strings.CutPrefix(label, "account "); ok {
		if id, err := strconv.ParseInt(n, 10, 64); err == nil {
			if a, err := s.db.Account(ctx, id); err == nil {
				names[label] = a.Email
			}
		}
	}
	return names[label]
}

// fileSize writes a size as people read it: 240 Ko, 1,5 Mo.
func fileSize(pg *page, n int64) string {
	switch {
	case n < 1000:
		return pg.Nf("size_b", int(n))
	case n < 1000*1000:
		return pg.Tf("size_kb_f", (n+500)/1000)
	}
	mb := strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64)
	if pg.Lang == "fr" {
		mb = mb[:len(mb)-2] + "," + mb[len(mb)-1:]
	}
	return pg.Tf("size_mb_f", mb)
}

// withdrawFields are what a withdrawal asks for: a reason, if the
// candidate wants to give one, and the confirmation.
func withdrawFields(pg *page, values map[string]string) []admField {
	return []admField{
		{Name: "reason", ID: "f-reason", Type: "textarea", Label: pg.T("app_f_withdraw_reason"),
			Hint: pg.T("app_h_withdraw_reason"), Value: values["reason"], MaxLength: "1000"},
		{Name: "confirm", ID: "f-confirm", Type: "checkboxes", Label: pg.T("app_f_confirm"), Required: true,
			Options: []option{{"yes", pg.T("app_confirm_withdraw")}}}}
}

// deleteFields is the confirmation deleting a draft asks for.
func deleteFields(pg *page) []admField {
	return []admField{{Name: "confirm", ID: "f-confirm-delete", Type: "checkboxes", Label: pg.T("app_f_confirm"), Required: true,
		Options: []option{{"yes", pg.T("app_confirm_delete")}}}}
}

// changeChoice changes the track, mode and option of the candidate's
// draft; a submitted application keeps the choice it was judged on.
func (s *Site) changeChoice(w http.ResponseWriter, r *http.Request) error {
	a, err := s.ownApplication(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	sent := sentForm{form: "choice", errs: formErrors{}, values: map[string]string{}}
	for _, name := range []string{"offer", "option"} {
		sent.values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	notDraft := func(a *certibloc.Application) error {
		sent.errs[""] = pg.Tf("app_e_not_draft_f", stateLabel(pg, a.State))
		return s.renderApplicationForm(w, r, http.StatusConflict, a, false, "", sent, nil)
	}
	if a.State != certibloc.Draft {
		return notDraft(a)
	}
	c, err := s.db.Campaign(r.Context(), a.CampaignID)
	if err != nil {
		return err
	}
	changed := *a
	track, mode, _ := strings.Cut(sent.values["offer"], "/")
	changed.Track, changed.Mode, changed.Option = certibloc.Track(track), certibloc.Mode(mode), sent.values["option"]
	if c.Offer(changed.Track, changed.Mode) == nil {
		sent.errs["offer"] = pg.T("app_e_offer")
	}
	if changed.Option != "" && !contains(c.Options, changed.Option) {
		sent.errs["option"] = pg.T("app_e_option")
	}
	if len(sent.errs) == 0 {
		err = s.db.UpdateApplication(r.Context(), &changed)
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, applicationPath(a.ID)+"?done=changed", http.StatusSeeOther)
			return nil
		case certibloc.ECONFLICT: // submitted meanwhile
			if a, err = s.db.Application(r.Context(), a.ID); err != nil {
				return err
			}
			return notDraft(a)
		case certibloc.EINVALID:
			sent.errs[""] = errorText(pg, err)
		default:
			return err
		}
	}
	return s.renderApplicationForm(w, r, http.StatusBadRequest, a, false, "", sent, nil)
}

// withdrawApplication withdraws the candidate's own application, once
// they confirmed it, from any state the workflow allows: a decision they
// take themselves, of which they are told by e-mail as of any other.
func (s *Site) withdrawApplication(w http.ResponseWriter, r *http.Request) error {
	a, err := s.ownApplication(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	sent := sentForm{form: "withdraw", errs: formErrors{}, values: map[string]string{"reason": reason}}
	cannot := func(a *certibloc.Application) error {
		sent.errs[""] = pg.Tf("app_e_withdraw_f", stateLabel(pg, a.State))
		return s.renderApplicationForm(w, r, http.StatusConflict, a, false, "", sent, nil)
	}
	if _, err := certibloc.Next(a.State, certibloc.Withdraw); err != nil || a.State == certibloc.Draft {
		return cannot(a)
	}
	if len([]rune(reason)) > 1000 {
		sent.errs["reason"] = pg.T("app_e_reason_long")
	}
	if r.PostFormValue("confirm") != "yes" {
		sent.errs["confirm"] = pg.T("app_e_confirm")
	}
	if len(sent.errs) > 0 {
		return s.renderApplicationForm(w, r, http.StatusBadRequest, a, false, "", sent, nil)
	}
	_, err = s.db.Decide(r.Context(), []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.Withdraw, Reason: reason})
	switch certibloc.ErrorCode(err) {
	case "":
		http.Redirect(w, r, applicationPath(a.ID)+"?done=withdrawn", http.StatusSeeOther)
		return nil
	case certibloc.ECONFLICT: // decided on meanwhile
		if a, err = s.db.Application(r.Context(), a.ID); err != nil {
			return err
		}
		return cannot(a)
	}
	return err
}

// deleteDraft deletes the candidate's own draft, once they confirmed it,
// and goes back to their applications, which say so.
func (s *Site) deleteDraft(w http.ResponseWriter, r *http.Request) error {
	a, err := s.ownApplication(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	sent := sentForm{form: "delete", errs: formErrors{}}
	if a.State != certibloc.Draft {
		sent.errs[""] = pg.Tf("app_e_delete_f", stateLabel(pg, a.State))
		return s.renderApplicationForm(w, r, http.StatusConflict, a, false, "", sent, nil)
	}
	if r.PostFormValue("confirm") != "yes" {
		sent.errs["confirm"] = pg.T("app_e_confirm")
		return s.renderApplicationForm(w, r, http.StatusBadRequest, a, false, "", sent, nil)
	}
	switch err := s.db.DeleteDraft(r.Context(), a.ID); certibloc.ErrorCode(err) {
	case "":
		http.Redirect(w, r, "/app/applications?done=deleted", http.StatusSeeOther)
		return nil
	case certibloc.ECONFLICT: // submitted meanwhile
		if a, err = s.db.Application(r.Context(), a.ID); err != nil {
			return err
		}
		sent.errs[""] = pg.Tf("app_e_delete_f", stateLabel(pg, a.State))
		return s.renderApplicationForm(w, r, http.StatusConflict, a, false, "", sent, nil)
	default:
		return err
	}
}
