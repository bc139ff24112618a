package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// The recap of a draft before it is submitted: the choice, the documents
// against the campaign's checklist, and the entry rules' verdict on that
// choice, with the track that fits when another does; then an explicit
// confirmation. Nothing is submitted without it, nor with a required
// document missing.

func init() {
	registerPage("application_recap", "templates/application_recap.html", "templates/adm_fields.html")
}

// recapView is the recap page of a draft.
type recapView struct {
	ID          int64
	Back        string // the application's page
	Summary     *errorSummary
	Facts       []fact
	Checklist   []checkRow
	Others      []string // documents beyond the checklist
	Missing     string   // the missing documents, named, or ""
	Eligibility *eligibilityView
	Suggestion  string // another track that fits, in words
	Confirm     []admField
}

// checkRow is a document of the checklist: present (with its files) or
// missing.
type checkRow struct {
	Kind    string
	Present bool
	Files   string
}

// checklist compares the documents of an application with the kinds its
// campaign requires: one row per required kind, the other documents, and
// the names of the missing kinds in the page's words.
func checklist(pg *page, required []string, docs []certibloc.Document) (rows []checkRow, others []string, missing string) {
	var names []string
	for _, k := range required {
		row := checkRow{Kind: pg.T("doc_" + k)}
		var files []string
		for _, d := range docs {
			if d.Kind == k {
				files = append(files, d.Filename)
			}
		}
		row.Present, row.Files = len(files) > 0, strings.Join(files, ", ")
		if !row.Present {
			names = append(names, pg.T("doc_"+k))
		}
		rows = append(rows, row)
	}
	for _, d := range docs {
		if !slices.Contains(required, d.Kind) {
			others = append(others, d.Filename+" ("+pg.T("doc_"+d.Kind)+")")
		}
	}
	return rows, others, strings.Join(names, pg.T("adm_sep"))
}

// recapPage shows the recap of the candidate's draft.
func (s *Site) recapPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.ownApplication(r)
	if err != nil {
		return err
	}
	if a.State != certibloc.Draft {
		http.Redirect(w, r, applicationPath(a.ID), http.StatusSeeOther)
		return nil
	}
	return s.renderRecap(w, r, http.StatusOK, a, nil)
}

// renderRecap writes the recap of draft a, with the errors of the
// confirmation that was sent.
func (s *Site) renderRecap(w http.ResponseWriter, r *http.Request, status int, a *certibloc.Application, errs formErrors) error {
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
	docs, err := s.db.Documents(ctx, a.ID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("recap_title_f", c.Title), pg.T("recap_description")
	v := &recapView{ID: a.ID, Back: applicationPath(a.ID)}
	choice := pg.T("app_option_none")
	if a.Option != "" {
		choice = blockLabel(cert, a.Option)
	}
	v.Facts = []fact{{pg.T("app_campaign"), c.Title}, {pg.T("app_f_offer"), offerLabel(pg, a.Track, a.Mode)},
		{pg.T("app_f_option"), choice}, {pg.T("people_f_level"), strconv.Itoa(person.Level)},
		{pg.T("people_f_ects"), strconv.Itoa(person.ECTS)}, {pg.T("people_f_experience_months"), strconv.Itoa(person.ExperienceMonths)}}
	v.Checklist, v.Others, v.Missing = checklist(pg, c.RequiredDocuments, docs)
	rules := s.db.CompiledRules(cert)
	applicant := certibloc.Applicant{Track: a.Track, Level: person.Level, ExperienceMonths: person.ExperienceMonths, ECTS: person.ECTS}
	el, err := rules.EligibilityIn(applicant, pageLang(pg))
	if err != nil {
		return err
	}
	v.Eligibility = &eligibilityView{Eligible: el.Eligible, Committee: el.CommitteeReview, Reasons: el.Reasons}
	if !el.Eligible {
		v.Suggestion = suggestTrack(pg, rules, c, applicant)
	}
	if v.Missing == "" {
		v.Confirm = []admField{{Name: "confirm", ID: "f-confirm", Type: "checkboxes", Label: pg.T("app_f_confirm"), Required: true,
			Options: []option{{"yes", pg.T("recap_confirm")}}}}
	}
	if v.Missing != "" && errs == nil {
		errs = formErrors{}
	}
	if v.Missing != "" {
		errs[""] = pg.Tf("recap_e_missing_f", v.Missing)
	}
	v.Summary = summarize(pg, v.Confirm, errs)
	return s.renderApp(w, status, "application_recap", pg, v)
}

// suggestTrack names the offers of the campaign on another track whose
// entry rules the applicant meets, or "".
func suggestTrack(pg *page, rules *certibloc.Rules, c *certibloc.Campaign, a certibloc.Applicant) string {
	var fits []string
	seen := map[certibloc.Track]bool{a.Track: true}
	for _, o := range c.Offers {
		if seen[o.Track] {
			continue
		}
		seen[o.Track] = true
		other := a
		other.Track = o.Track
		if el, err := rules.EligibilityIn(other, pageLang(pg)); err == nil && el.Eligible {
			fits = append(fits, pg.Label(string(o.Track)))
		}
	}
	if len(fits) == 0 {
		return ""
	}
	return pg.Tf("recap_suggest_f", strings.Join(fits, pg.T("adm_sep")))
}

// submitApplication submits the candidate's draft once they confirmed it
// on the recap, with every required document: the entry rules give their
// verdict, and an acknowledgement is e-mailed.
func (s *Site) submitApplication(w http.ResponseWriter, r *http.Request) error {
	a, err := s.ownApplication(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if a.State != certibloc.Draft {
		return s.renderApplication(w, r, http.StatusConflict, a, false, "",
			formErrors{"": pg.Tf("app_e_not_draft_f", stateLabel(pg, a.State))}, nil)
	}
	if r.PostFormValue("confirm") != "yes" {
		return s.renderRecap(w, r, http.StatusBadRequest, a, formErrors{"confirm": pg.T("recap_e_confirm")})
	}
	missing, err := s.db.MissingDocuments(r.Context(), a.ID)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return s.renderRecap(w, r, http.StatusBadRequest, a, formErrors{})
	}
	_, err = s.db.SubmitApplicationFrom(r.Context(), a.ID, s.db.Today(), s.baseURL())
	switch code := certibloc.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, applicationPath(a.ID)+"?done=submitted", http.StatusSeeOther)
		return nil
	case certibloc.EINVALID, certibloc.ECONFLICT:
		status := http.StatusBadRequest
		if code == certibloc.ECONFLICT {
			status = http.StatusConflict
		}
		return s.renderApplication(w, r, status, a, false, "", formErrors{"": errorText(pg, err)}, nil)
	}
	return err
}
