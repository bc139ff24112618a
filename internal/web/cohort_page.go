package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// cohortView is the page of a cohort: what it is, its learners, and the
// form that enrols an admitted candidate.
type cohortView struct {
	Notice   string
	Facts    []fact
	Learners []learnerRow
	Enrol    []admField // nil when nobody admitted waits
	Initial  []admField // the fields of initial training
	Appr     []admField // the fields of apprenticeship
	Summary  *errorSummary
	Action   string
	Fairness *fairnessView  // staff and the admin: the evaluators' grades (fairness.go)
	Bulk     *bulkEnrolView // the admitted enrolled together (cohort_bulk.go)
}

// learnerRow is a learner of the cohort.
type learnerRow struct {
	Href, Name, Mode, Option, Details, Since string
}

// siretRE is a SIRET number: 14 digits, spaces allowed when typed.
var siretRE = regexp.MustCompile(`^[0-9]{14}$`)

// loadCohort reads the cohort of the path's {id} for staff of its school.
func (s *Site) loadCohort(r *http.Request) (*certibloc.Cohort, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	co, err := s.db.Cohort(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return co, certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, co.School)
}

// cohortPage shows a cohort.
func (s *Site) cohortPage(w http.ResponseWriter, r *http.Request) error {
	co, err := s.loadCohort(r)
	if err != nil {
		return err
	}
	notice := ""
	switch r.URL.Query().Get("done") {
	case "created", "enrolled":
		notice = "coh_done_" + r.URL.Query().Get("done")
	}
	return s.renderCohort(w, r, http.StatusOK, co, notice, map[string]string{"internship_months": "6"}, nil)
}

// enrol makes an admitted candidate of the cohort's campaign a learner,
// with the fields of their mode: the internship's length in initial
// training; the employer, the contract and the tutor in apprenticeship.
func (s *Site) enrol(w http.ResponseWriter, r *http.Request) error {
	co, err := s.loadCohort(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	values := map[string]string{}
	for _, name := range enrolFieldNames {
		values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	values["employer_siret"] = strings.ReplaceAll(values["employer_siret"], " ", "")
	errs := formErrors{}
	id, _ := strconv.ParseInt(values["application"], 10, 64)
	a, err := s.db.Application(r.Context(), id)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND || err == nil && (a.CampaignID != co.CampaignID || a.State != certibloc.Admitted) {
		errs["application"] = pg.T("coh_e_application")
		return s.renderCohort(w, r, http.StatusBadRequest, co, "", values, errs)
	} else if err != nil {
		return err
	}
	e := &certibloc.Enrolment{CohortID: co.ID, PersonID: a.PersonID, ApplicationID: a.ID, School: co.School,
		Track: a.Track, Mode: a.Mode, Option: a.Option, Version: co.Version}
	switch a.Mode {
	case certibloc.Initial:
		atoiField(pg, errs, "internship_months", values["internship_months"], &e.InternshipMonths)
		if errs["internship_months"] == "" && e.InternshipMonths <= 0 {
			errs["internship_months"] = pg.T("coh_e_internship")
		}
	case certibloc.Apprenticeship:
		e.Employer, e.EmployerSIRET = values["employer"], values["employer_siret"]
		e.Tutor, e.TutorEmail = values["tutor"], sqldb.NormalizeEmail(values["tutor_email"])
		for _, name := range []string{"employer", "tutor"} {
			if values[name] == "" {
				errs[name] = pg.T("adm_err_required")
			}
		}
		if e.EmployerSIRET != "" && !siretRE.MatchString(e.EmployerSIRET) {
			errs["employer_siret"] = pg.T("coh_e_siret")
		} else if e.EmployerSIRET != "" && !certibloc.ValidSIRET(e.EmployerSIRET) {
			errs["employer_siret"] = pg.Tf("siret_e_key_f", e.EmployerSIRET)
		}
		if e.TutorEmail != "" && !strings.Contains(e.TutorEmail, "@") {
			errs["tutor_email"] = pg.T("people_e_email")
		}
		dateField(pg, errs, "contract_start", values["contract_start"], &e.ContractStart, true)
		dateField(pg, errs, "contract_end", values["contract_end"], &e.ContractEnd, true)
		if errs["contract_start"] == "" && errs["contract_end"] == "" && e.ContractEnd.Before(e.ContractStart) {
			errs["contract_end"] = pg.T("coh_e_contract_end")
		}
	}
	if len(errs) == 0 {
		err = e.Check()
		if err == nil {
			err = s.db.Enrol(r.Context(), e)
		}
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, cohortPath(co.ID)+"?done=enrolled", http.StatusSeeOther)
			return nil
		case certibloc.ECONFLICT:
			errs[""] = pg.T("coh_e_enrolled")
		case certibloc.EINVALID:
			errs[""] = pg.T("coh_e_mismatch")
		default:
			return err
		}
	}
	return s.renderCohort(w, r, http.StatusBadRequest, co, "", values, errs)
}

// enrolFieldNames are the fields of the enrolment form.
var enrolFieldNames = []string{"application", "internship_months", "employer", "employer_siret",
	"contract_start", "contract_end", "tutor", "tutor_email"}
