package api

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
)

// Cohorts and enrolments: for staff who manage admissions, in their
// schools. An admitted candidate is enrolled in a cohort of their
// application's track, and told by e-mail.

// cohortInput is the body of POST /api/v1/cohorts.
type cohortInput struct {
	School            string          `json:"school"`
	CampaignID        int64           `json:"campaign_id"`
	Name              string          `json:"name"`
	CertificationCode string          `json:"certification_code"`
	Version           int             `json:"certification_version"`
	Track             certibloc.Track `json:"track"`
	StartsOn          certibloc.Date  `json:"starts_on"`
	EndsOn            certibloc.Date  `json:"ends_on"`
	PlannedHours      int             `json:"planned_hours"`
	WeeklyHours       int             `json:"weekly_hours"`
}

// enrolmentInput is the body of POST /api/v1/enrolments: the track, mode,
// option and version come from the application.
type enrolmentInput struct {
	CohortID         int64          `json:"cohort_id"`
	ApplicationID    int64          `json:"application_id"`
	InternshipMonths int            `json:"internship_months"`
	Employer         string         `json:"employer"`
	EmployerSIRET    string         `json:"employer_siret"`
	ContractStart    certibloc.Date `json:"contract_start"`
	ContractEnd      certibloc.Date `json:"contract_end"`
	Tutor            string         `json:"tutor"`
	TutorEmail       string         `json:"tutor_email"`
}

func (a *API) listCohorts(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	all, err := a.db.Cohorts(r.Context(), r.URL.Query().Get("school"))
	if err != nil {
		return err
	}
	list := []certibloc.Cohort{}
	for _, c := range all {
		if p.InSchool(c.School) {
			list = append(list, c)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"cohorts": list})
}

func (a *API) createCohort(w http.ResponseWriter, r *http.Request) error {
	var in cohortInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	c := &certibloc.Cohort{School: schoolCode(in.School), CampaignID: in.CampaignID, Name: in.Name,
		CertificationCode: in.CertificationCode, Version: in.Version, Track: in.Track, StartsOn: in.StartsOn,
		EndsOn: in.EndsOn, PlannedHours: in.PlannedHours, WeeklyHours: in.WeeklyHours}
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, c.School); err != nil {
		return err
	}
	if err := a.db.CreateCohort(r.Context(), c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// cohort reads a cohort by id, when the principal manages admissions in
// its school.
func (a *API) cohort(r *http.Request, id int64) (*certibloc.Cohort, error) {
	c, err := a.db.Cohort(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, c.School); err != nil {
		return nil, err
	}
	return c, nil
}

func (a *API) getCohort(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "cohort")
	if err != nil {
		return err
	}
	c, err := a.cohort(r, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (a *API) listEnrolments(w http.ResponseWriter, r *http.Request) error {
	s := r.URL.Query().Get("cohort")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return certibloc.Errorf(certibloc.EINVALID, "query parameter cohort=%q must be the id of a cohort", s)
	}
	c, err := a.cohort(r, id)
	if err != nil {
		return err
	}
	list, err := a.db.Enrolments(r.Context(), c.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"cohort": c, "enrolments": list})
}

func (a *API) enrol(w http.ResponseWriter, r *http.Request) error {
	var in enrolmentInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(r.Context())
	// The application and the cohort must both be of the principal's schools.
	if app, err := a.db.Application(r.Context(), in.ApplicationID); err == nil {
		if err := p.Authorize(certibloc.ManageAdmission, app.School); err != nil {
			return err
		}
	} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	if c, err := a.db.Cohort(r.Context(), in.CohortID); err == nil {
		if err := p.Authorize(certibloc.ManageAdmission, c.School); err != nil {
			return err
		}
	} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	e := &certibloc.Enrolment{CohortID: in.CohortID, ApplicationID: in.ApplicationID, InternshipMonths: in.InternshipMonths,
		Employer: in.Employer, EmployerSIRET: in.EmployerSIRET, ContractStart: in.ContractStart, ContractEnd: in.ContractEnd,
		Tutor: in.Tutor, TutorEmail: in.TutorEmail}
	if err := a.db.Enrol(r.Context(), e); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}
