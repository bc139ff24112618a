package web

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// renderCohort writes the page of a cohort, the enrolment form filled
// with values and errs.
func (s *Site) renderCohort(w http.ResponseWriter, r *http.Request, status int, co *certibloc.Cohort, notice string,
	values map[string]string, errs formErrors) error {
	return s.renderCohortWith(w, r, status, co, notice, values, errs, nil)
}

// renderCohortWith is renderCohort with the bulk enrolment sent
// (cohort_bulk.go): its errors, or its report.
func (s *Site) renderCohortWith(w http.ResponseWriter, r *http.Request, status int, co *certibloc.Cohort, notice string,
	values map[string]string, errs formErrors, bulk *bulkEnrolSent) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = co.Name, pg.T("coh_description")
	v := &cohortView{Action: cohortPath(co.ID) + "/enrolments"}
	if notice != "" {
		v.Notice = pg.T(notice)
	}
	enrolments, err := s.db.Enrolments(ctx, co.ID)
	if err != nil {
		return err
	}
	v.Facts = []fact{{pg.T("camp_col_school"), co.School}, {pg.T("coh_f_track"), pg.Label(string(co.Track))},
		{pg.T("coh_certification"), pg.Tf("coh_version_f", co.CertificationCode, co.Version)},
		{pg.T("coh_col_dates"), pg.Tf("camp_dates_f", pg.Date(co.StartsOn), pg.Date(co.EndsOn))},
		{pg.T("coh_f_planned_hours"), pg.Tf("coh_hours_f", co.PlannedHours)},
		{pg.T("coh_f_weekly_hours"), pg.Tf("coh_hours_f", co.WeeklyHours)},
		{pg.T("coh_col_learners"), strconv.Itoa(len(enrolments))}}
	if co.CampaignID != 0 {
		if c, err := s.db.Campaign(ctx, co.CampaignID); err == nil {
			v.Facts = append(v.Facts, fact{pg.T("app_campaign"), c.Title})
		}
	}
	for _, e := range enrolments {
		row := learnerRow{Href: personPath(e.PersonID), Name: e.Name, Mode: modeLabel(pg, e.Mode), Option: e.Option,
			Since: pg.Date(certibloc.DateOf(e.CreatedAt.In(paris).Date()))}
		if e.Mode == certibloc.Apprenticeship {
			row.Details = pg.Tf("coh_appr_f", e.Employer, pg.Date(e.ContractStart), pg.Date(e.ContractEnd), e.Tutor)
		} else {
			row.Details = pg.Tf("coh_internship_f", e.InternshipMonths)
		}
		v.Learners = append(v.Learners, row)
	}
	if v.Fairness, err = s.cohortFairness(r, pg, co); err != nil {
		return err
	}
	var admitted []certibloc.Application
	if co.CampaignID != 0 {
		admitted, _, err = s.db.Applications(ctx, sqldb.ApplicationFilter{CampaignID: co.CampaignID,
			States: []certibloc.State{certibloc.Admitted}, Track: co.Track, Limit: -1})
		if err != nil {
			return err
		}
	}
	v.Bulk = bulkEnrolOf(pg, co, admitted, bulk)
	if v.Bulk.Summary != nil {
		v.Summary = v.Bulk.Summary
	}
	if len(admitted) > 0 {
		app := admField{Name: "application", Type: "select", Required: true}
		for _, a := range admitted {
			app.Options = append(app.Options, option{strconv.FormatInt(a.ID, 10), a.Name + " – " + modeLabel(pg, a.Mode)})
		}
		v.Enrol = []admField{app}
		v.Initial = []admField{{Name: "internship_months", Type: "number", Min: "1", Max: "24"}}
		v.Appr = []admField{{Name: "employer", Type: "text", MaxLength: "300"},
			{Name: "employer_siret", Type: "text", MaxLength: "17"},
			{Name: "contract_start", Type: "date"}, {Name: "contract_end", Type: "date"},
			{Name: "tutor", Type: "text", MaxLength: "200"}, {Name: "tutor_email", Type: "email", MaxLength: "254"}}
		for _, group := range [][]admField{v.Enrol, v.Initial, v.Appr} {
			for i := range group {
				f := &group[i]
				f.ID, f.Label, f.Hint, f.Value = "f-"+f.Name, pg.T("coh_f_"+f.Name), pg.msgs["coh_h_"+f.Name], values[f.Name]
			}
		}
		all := append(append(append([]admField{}, v.Enrol...), v.Initial...), v.Appr...)
		if sum := summarize(pg, all, errs); sum != nil {
			v.Summary = sum
		}
		for i := range v.Enrol {
			v.Enrol[i].Error = errs[v.Enrol[i].Name]
		}
		for i := range v.Initial {
			v.Initial[i].Error = errs[v.Initial[i].Name]
		}
		for i := range v.Appr {
			v.Appr[i].Error = errs[v.Appr[i].Name]
		}
	} else if len(errs) > 0 {
		v.Summary = summarize(pg, nil, formErrors{"": pg.T("coh_e_application")})
	}
	return s.renderApp(w, status, "cohort", pg, v)
}
