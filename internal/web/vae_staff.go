package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// accompanistField is the choice of the candidate's accompanist: an
// account of their school (or the certifier's), not a candidate's.
func (s *Site) accompanistField(r *http.Request, pg *page, cd *certibloc.Candidacy, msg string) (*admField, error) {
	all, err := s.db.Accounts(r.Context())
	if err != nil {
		return nil, err
	}
	f := &admField{Name: "account", ID: "f-account", Type: "select", Label: pg.T("vae_f_accompanist"), Required: true,
		Value: strconv.FormatInt(cd.Accompanist, 10), Options: []option{{"", pg.T("jury_choose")}}, Error: msg}
	for _, a := range all {
		if a.DisabledAt != nil || a.Role == certibloc.Candidate || a.Role != certibloc.Admin && !slices.Contains(a.Schools, cd.School) {
			continue
		}
		f.Options = append(f.Options, option{strconv.FormatInt(a.ID, 10), a.Email + " – " + pg.T("tokens_role:"+string(a.Role))})
	}
	return f, nil
}

// vaeAccompanist names the candidate's accompanist.
func (s *Site) vaeAccompanist(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	id, _ := strconv.ParseInt(r.PostFormValue("account"), 10, 64)
	err = s.db.AssignAccompanist(r.Context(), cd.ID, id)
	switch certibloc.ErrorCode(err) {
	case "":
		return vaeDone(w, r, cd.ID, "", "accompanist")
	case certibloc.EINVALID, certibloc.ENOTFOUND:
		return s.renderVAE(w, r, http.StatusBadRequest, cd, c, nil, formErrors{"account": pg.T("vae_e_accompanist")}, nil, "")
	}
	return err
}

// oralFields are the fields that convene the candidate to the oral: its
// date and time, its place, and the open jury of the certification.
func (s *Site) oralFields(r *http.Request, pg *page, v *vaeView, cd *certibloc.Candidacy, errs formErrors) error {
	juries, err := s.db.Juries(r.Context())
	if err != nil {
		return err
	}
	jury := admField{Name: "jury", ID: "f-jury", Type: "select", Label: pg.T("vae_f_jury"), Required: true,
		Value: r.PostFormValue("jury"), Options: []option{{"", pg.T("jury_choose")}}, Error: errs["jury"]}
	for i := range juries {
		j := &juries[i]
		if j.State == certibloc.JuryOpen && j.Certification == cd.Certification {
			jury.Options = append(jury.Options, option{strconv.FormatInt(j.ID, 10), juryTitle(pg, j)})
		}
	}
	if len(jury.Options) == 1 {
		v.NoJury = true
		return nil
	}
	v.OralFields = []admField{
		{Name: "oral_at", ID: "f-oral-at", Type: "datetime-local", Label: pg.T("vae_f_oral_at"), Required: true,
			Value: r.PostFormValue("oral_at"), Error: errs["oral_at"], Hint: pg.T("vae_h_oral_at")},
		{Name: "place", ID: "f-place", Type: "text", Label: pg.T("jury_f_place"), Required: true, MaxLength: "200",
			Value: r.PostFormValue("place"), Error: errs["place"], Hint: pg.T("jury_h_place")},
		jury,
	}
	v.OralAction = vaePath(cd.ID) + "/oral"
	return nil
}

// vaeOral schedules the oral: the candidate joins the jury's candidates
// and is e-mailed the convocation.
func (s *Site) vaeOral(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	errs := formErrors{}
	at, err := time.ParseInLocation("2006-01-02T15:04", r.PostFormValue("oral_at"), paris)
	if err != nil {
		errs["oral_at"] = pg.T("vae_e_oral_at")
	}
	place := strings.TrimSpace(r.PostFormValue("place"))
	if place == "" || len(place) > 200 || strings.ContainsAny(place, "\r\n") {
		errs["place"] = pg.T("jury_e_place")
	}
	jury, _ := strconv.ParseInt(r.PostFormValue("jury"), 10, 64)
	if jury == 0 {
		errs["jury"] = pg.T("vae_e_jury")
	}
	if len(errs) == 0 {
		_, err = s.db.ScheduleOral(r.Context(), cd.ID, at, place, jury)
		switch certibloc.ErrorCode(err) {
		case "":
			return vaeDone(w, r, cd.ID, "", "oral")
		case certibloc.EINVALID, certibloc.ENOTFOUND:
			errs["jury"] = pg.T("vae_e_jury")
		case certibloc.ECONFLICT:
			return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("vae_e_state_page"))
		default:
			return err
		}
	}
	return s.renderVAE(w, r, http.StatusBadRequest, cd, c, nil, errs, nil, "")
}

// enrolFields are the fields that enrol the person in a cohort of the
// certification after a partial VAE: the cohort, the mode and its fields.
func (s *Site) enrolFields(r *http.Request, pg *page, v *vaeView, cd *certibloc.Candidacy, errs formErrors) error {
	cohorts, err := s.db.Cohorts(r.Context(), cd.School)
	if err != nil {
		return err
	}
	cohort := admField{Name: "cohort", ID: "f-cohort", Type: "select", Label: pg.T("vae_f_cohort"), Required: true,
		Value: r.PostFormValue("cohort"), Options: []option{{"", pg.T("jury_choose")}}}
	for _, co := range cohorts {
		if co.CertificationCode == cd.Certification {
			cohort.Options = append(cohort.Options, option{strconv.FormatInt(co.ID, 10),
				pg.Tf("vae_cohort_f", co.Name, pg.Date(co.StartsOn), pg.Date(co.EndsOn))})
		}
	}
	mode := r.PostFormValue("mode")
	if mode == "" {
		mode = string(certibloc.Initial)
	}
	value := func(name, def string) string {
		if v := r.PostFormValue(name); v != "" {
			return v
		}
		return def
	}
	v.Enrol = []admField{cohort,
		{Name: "mode", ID: "f-mode", Type: "radio", Label: pg.T("vae_f_mode"), Required: true, Value: mode,
			Options: []option{{string(certibloc.Initial), modeLabel(pg, certibloc.Initial)}, {string(certibloc.Apprenticeship), modeLabel(pg, certibloc.Apprenticeship)}}},
		{Name: "internship_months", ID: "f-internship-months", Type: "number", Label: pg.T("vae_f_internship"), Min: "1", Max: "36",
			Value: value("internship_months", "6"), Hint: pg.T("vae_h_internship")},
		{Name: "employer", ID: "f-employer", Type: "text", Label: pg.T("vae_f_apprentice_employer"), MaxLength: "200", Value: r.PostFormValue("employer"),
			Hint: pg.T("vae_h_apprenticeship")},
		{Name: "contract_start", ID: "f-contract-start", Type: "date", Label: pg.T("vae_f_contract_start"), Value: r.PostFormValue("contract_start")},
		{Name: "contract_end", ID: "f-contract-end", Type: "date", Label: pg.T("vae_f_contract_end"), Value: r.PostFormValue("contract_end")},
		{Name: "tutor", ID: "f-tutor", Type: "text", Label: pg.T("vae_f_tutor"), MaxLength: "200", Value: r.PostFormValue("tutor")},
	}
	for i := range v.Enrol {
		v.Enrol[i].Error = errs[v.Enrol[i].Name]
	}
	v.EnrolAction = vaePath(cd.ID) + "/enrolment"
	return nil
}

// vaeEnrol enrols the person of a decided candidacy in a cohort, for the
// blocks the jury did not validate.
func (s *Site) vaeEnrol(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	errs := formErrors{}
	e := &certibloc.Enrolment{Mode: certibloc.Mode(r.PostFormValue("mode"))}
	e.CohortID, _ = strconv.ParseInt(r.PostFormValue("cohort"), 10, 64)
	if e.CohortID == 0 {
		errs["cohort"] = pg.T("vae_e_cohort")
	}
	switch e.Mode {
	case certibloc.Initial:
		atoiField(pg, errs, "internship_months", strings.TrimSpace(r.PostFormValue("internship_months")), &e.InternshipMonths)
		if errs["internship_months"] == "" && (e.InternshipMonths <= 0 || e.InternshipMonths > 36) {
			errs["internship_months"] = pg.T("vae_e_internship")
		}
	case certibloc.Apprenticeship:
		e.Employer, e.Tutor = strings.TrimSpace(r.PostFormValue("employer")), strings.TrimSpace(r.PostFormValue("tutor"))
		for _, name := range []string{"employer", "tutor"} {
			if strings.TrimSpace(r.PostFormValue(name)) == "" {
				errs[name] = pg.T("adm_err_required")
			}
		}
		dateField(pg, errs, "contract_start", r.PostFormValue("contract_start"), &e.ContractStart, true)
		dateField(pg, errs, "contract_end", r.PostFormValue("contract_end"), &e.ContractEnd, true)
		if errs["contract_start"] == "" && errs["contract_end"] == "" && e.ContractEnd.Before(e.ContractStart) {
			errs["contract_end"] = pg.T("coh_e_contract_end")
		}
	default:
		errs["mode"] = pg.T("vae_e_mode")
	}
	if len(errs) == 0 {
		err = s.db.EnrolAfterVAE(r.Context(), cd.ID, e)
		switch certibloc.ErrorCode(err) {
		case "":
			return vaeDone(w, r, cd.ID, "", "enrolled")
		case certibloc.EINVALID, certibloc.ECONFLICT, certibloc.ENOTFOUND:
			errs["cohort"] = pg.T("vae_e_enrol")
		default:
			return err
		}
	}
	return s.renderVAE(w, r, http.StatusBadRequest, cd, c, nil, errs, nil, "")
}

// feasibilityView is the certifier's decision on feasibility: what the
// candidate gave, the decision's form, and once filled in, the check of
// what it will do before it is recorded for good.
type feasibilityView struct {
	Back     string
	Facts    []fact
	Blocks   []string
	Exp      []expShown
	Proofs   []proofRow
	FR       bool
	Summary  *errorSummary
	Fields   []admField
	Action   string
	Check    bool     // the check step: what the decision will do
	Will     []string // what it will do
	Outcome  string
	Reason   string
	Missing  string
	Confirm  admField
	NotReady string // the candidacy waits for no decision
}

func (s *Site) vaeFeasibilityForm(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	return s.renderFeasibility(w, r, http.StatusOK, cd, c, false, formErrors{})
}

// vaeFeasibility checks the decision first (a page saying what it will
// do, with a box to tick), and records it once confirmed: the history
// keeps it and the candidate is e-mailed.
func (s *Site) vaeFeasibility(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	f := feasibilityOf(r)
	errs := formErrors{}
	switch f.Outcome {
	case certibloc.VAEAdmissible:
	case certibloc.VAEIncomplete:
		if len(f.Missing) == 0 {
			errs["missing"] = pg.T("vae_e_missing")
		}
	case certibloc.VAENotAdmissible:
		if len([]rune(strings.TrimSpace(f.Reason))) < 10 {
			errs["reason"] = pg.T("vae_e_reason")
		}
	default:
		errs["outcome"] = pg.T("vae_e_outcome")
	}
	if len(errs) == 0 && certibloc.CheckFeasibility(&f) != nil {
		errs["reason"] = pg.T("vae_e_text")
	}
	if len(errs) > 0 {
		return s.renderFeasibility(w, r, http.StatusBadRequest, cd, c, false, errs)
	}
	if r.PostFormValue("edit") == "yes" { // back from the check step, with what was chosen
		return s.renderFeasibility(w, r, http.StatusOK, cd, c, false, errs)
	}
	if r.PostFormValue("confirm") != "yes" {
		status := http.StatusOK
		if r.PostFormValue("checked") == "yes" { // the check page sent without its box ticked
			errs["confirm"], status = pg.T("jury_e_confirm"), http.StatusBadRequest
		}
		return s.renderFeasibility(w, r, status, cd, c, true, errs)
	}
	_, err = s.db.DecideFeasibility(r.Context(), cd.ID, f)
	switch certibloc.ErrorCode(err) {
	case "":
		return vaeDone(w, r, cd.ID, "", "feasibility")
	case certibloc.ECONFLICT:
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("vae_e_not_submitted"))
	case certibloc.EINVALID:
		return s.renderFeasibility(w, r, http.StatusBadRequest, cd, c, false, formErrors{"reason": pg.T("vae_e_text")})
	}
	return err
}

// feasibilityOf reads the decision's form: what is missing is a line each.
func feasibilityOf(r *http.Request) certibloc.Feasibility {
	f := certibloc.Feasibility{Outcome: certibloc.VAEState(r.PostFormValue("outcome")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	for _, line := range strings.Split(r.PostFormValue("missing"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			f.Missing = append(f.Missing, line)
		}
	}
	if f.Outcome != certibloc.VAEIncomplete {
		f.Missing = nil
	}
	return f
}

func (s *Site) renderFeasibility(w http.ResponseWriter, r *http.Request, status int, cd *certibloc.Candidacy, c *certibloc.Certification,
	check bool, errs formErrors) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("vae_feasibility_title_f", cd.ID), pg.T("vae_list_description")
	v := &feasibilityView{Back: vaePath(cd.ID), FR: pg.Lang != "fr", Action: vaePath(cd.ID) + "/feasibility"}
	v.Facts = []fact{{pg.T("vae_candidate"), s.personName(r, cd.PersonID)},
		{pg.T("coh_certification"), pg.Tf("coh_version_f", c.Code, c.Version) + " – " + c.Title},
		{pg.T("vae_state"), vaeState(pg, cd.State)}}
	for _, b := range cd.Blocks {
		v.Blocks = append(v.Blocks, blockLabel(c, b))
	}
	for _, e := range cd.Experience {
		v.Exp = append(v.Exp, expShown{Title: pg.Tf("vae_job_at_f", e.Job, e.Employer), Dates: expDates(pg, e), Activities: e.Activities})
	}
	var err error
	if v.Proofs, err = s.proofRows(r, pg, cd.ID); err != nil {
		return err
	}
	if cd.State != certibloc.VAESubmitted {
		v.NotReady = pg.T("vae_e_not_submitted")
		return s.renderApp(w, status, "vae_feasibility", pg, v)
	}
	outcome := admField{Name: "outcome", ID: "f-outcome", Type: "radio", Label: pg.T("vae_f_outcome"), Required: true,
		Value: r.PostFormValue("outcome")}
	for _, o := range []certibloc.VAEState{certibloc.VAEAdmissible, certibloc.VAEIncomplete, certibloc.VAENotAdmissible} {
		outcome.Options = append(outcome.Options, option{string(o), vaeState(pg, o)})
	}
	v.Fields = []admField{outcome,
		{Name: "missing", ID: "f-missing", Type: "textarea", Label: pg.T("vae_f_missing"), Hint: pg.T("vae_h_missing"),
			Value: r.PostFormValue("missing"), MaxLength: "3000"},
		{Name: "reason", ID: "f-reason", Type: "textarea", Label: pg.T("vae_f_reason"), Hint: pg.T("vae_h_reason"),
			Value: r.PostFormValue("reason"), MaxLength: "2000"},
	}
	if check {
		f := feasibilityOf(r)
		v.Check, v.Outcome, v.Reason, v.Missing = true, string(f.Outcome), f.Reason, strings.Join(f.Missing, "\n")
		v.Will = []string{pg.Tf("vae_will_outcome_f", vaeState(pg, f.Outcome))}
		for _, m := range f.Missing {
			v.Will = append(v.Will, pg.Tf("vae_will_missing_f", m))
		}
		if f.Reason != "" {
			v.Will = append(v.Will, pg.Tf("vae_will_reason_f", f.Reason))
		}
		v.Will = append(v.Will, pg.T("vae_will_mail"), pg.T("vae_will_final"))
		v.Confirm = admField{Name: "confirm", ID: "f-confirm", Type: "checkboxes", Required: true, Label: pg.T("jury_f_confirm"),
			Options: []option{{"yes", pg.T("vae_confirm")}}, Error: errs["confirm"]}
		v.Summary = summarize(pg, []admField{v.Confirm}, errs)
		v.Confirm.Error = errs["confirm"]
		return s.renderApp(w, status, "vae_feasibility", pg, v)
	}
	v.Summary = summarize(pg, v.Fields, errs)
	return s.renderApp(w, status, "vae_feasibility", pg, v)
}
