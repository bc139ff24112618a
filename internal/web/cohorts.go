package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// Hours of a cohort unless staff say otherwise: the seed's 600 h, 35 h a
// week.
const (
	defaultPlannedHours = 600
	defaultWeeklyHours  = 35
)

// cohortsView is the list of cohorts and the form of a new one.
type cohortsView struct {
	Cohorts []cohortRow
	Fields  []admField // nil without a campaign to recruit from
	Summary *errorSummary
}

// cohortRow is a line of the list.
type cohortRow struct {
	Href, Name, School, Track, Dates string
	Learners, Hours                  int
}

// cohortsPage lists the cohorts of the schools the principal manages.
func (s *Site) cohortsPage(w http.ResponseWriter, r *http.Request) error {
	values := map[string]string{"planned_hours": strconv.Itoa(defaultPlannedHours),
		"weekly_hours": strconv.Itoa(defaultWeeklyHours)}
	return s.renderCohorts(w, r, http.StatusOK, values, nil)
}

// createCohort makes a cohort recruited by a campaign, on the school,
// certification and version of the campaign.
func (s *Site) createCohort(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	values := map[string]string{}
	for _, name := range []string{"campaign", "name", "track", "starts_on", "ends_on", "planned_hours", "weekly_hours"} {
		values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	errs := formErrors{}
	co := &certibloc.Cohort{Name: values["name"], Track: certibloc.Track(values["track"])}
	id, _ := strconv.ParseInt(values["campaign"], 10, 64)
	c, err := s.db.Campaign(r.Context(), id)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND || id <= 0 {
		errs["campaign"] = pg.T("coh_e_campaign")
	} else if err != nil {
		return err
	} else if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, c.School); err != nil {
		return err
	} else {
		co.School, co.CampaignID, co.CertificationCode, co.Version = c.School, c.ID, c.CertificationCode, c.Version
		if !offersTrack(c, co.Track) {
			errs["track"] = pg.T("coh_e_track")
		}
	}
	if co.Name == "" {
		errs["name"] = pg.T("adm_err_required")
	}
	dateField(pg, errs, "starts_on", values["starts_on"], &co.StartsOn, true)
	dateField(pg, errs, "ends_on", values["ends_on"], &co.EndsOn, true)
	if errs["starts_on"] == "" && errs["ends_on"] == "" && co.EndsOn.Before(co.StartsOn) {
		errs["ends_on"] = pg.T("coh_e_ends_on")
	}
	for name, n := range map[string]*int{"planned_hours": &co.PlannedHours, "weekly_hours": &co.WeeklyHours} {
		atoiField(pg, errs, name, values[name], n)
		if errs[name] == "" && *n <= 0 {
			errs[name] = pg.T("coh_e_hours")
		}
	}
	if len(errs) == 0 {
		err = s.db.CreateCohort(r.Context(), co)
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, cohortPath(co.ID)+"?done=created", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID, certibloc.ECONFLICT:
			errs[""] = errorText(pg, err)
		default:
			return err
		}
	}
	return s.renderCohorts(w, r, http.StatusBadRequest, values, errs)
}

// offersTrack reports whether a campaign recruits for a track.
func offersTrack(c *certibloc.Campaign, t certibloc.Track) bool {
	for _, o := range c.Offers {
		if o.Track == t {
			return true
		}
	}
	return false
}

// cohortPath is the address of a cohort's page.
func cohortPath(id int64) string { return "/app/cohorts/" + strconv.FormatInt(id, 10) }

func (s *Site) renderCohorts(w http.ResponseWriter, r *http.Request, status int, values map[string]string, errs formErrors) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("coh_title"), pg.T("coh_description")
	v := &cohortsView{}
	p := certibloc.PrincipalFrom(r.Context())
	schools := p.Schools
	if p.Role == certibloc.Admin {
		schools = []string{""}
	}
	for _, school := range schools {
		list, err := s.db.Cohorts(r.Context(), school)
		if err != nil {
			return err
		}
		for _, co := range list {
			v.Cohorts = append(v.Cohorts, cohortRow{Href: cohortPath(co.ID), Name: co.Name, School: co.School,
				Track: pg.Label(string(co.Track)), Dates: pg.Tf("camp_dates_f", pg.Date(co.StartsOn), pg.Date(co.EndsOn)),
				Learners: co.Learners, Hours: co.PlannedHours})
		}
	}
	campaigns, err := s.visibleCampaigns(r)
	if err != nil {
		return err
	}
	if len(campaigns) > 0 {
		v.Fields = cohortFields(pg, campaigns, values)
		v.Summary = summarize(pg, v.Fields, errs)
	}
	return s.renderApp(w, status, "cohorts", pg, v)
}

// cohortFields are the fields of a new cohort: the campaign it recruits
// from, among those the principal manages, and the tracks they offer.
func cohortFields(pg *page, campaigns []certibloc.Campaign, values map[string]string) []admField {
	camp := admField{Name: "campaign", Type: "select", Required: true}
	tracks := admField{Name: "track", Type: "select", Required: true}
	seen := map[certibloc.Track]bool{}
	for _, c := range campaigns {
		camp.Options = append(camp.Options, option{strconv.FormatInt(c.ID, 10), c.Title + " (" + c.School + ")"})
		for _, o := range c.Offers {
			if !seen[o.Track] {
				seen[o.Track] = true
				tracks.Options = append(tracks.Options, option{string(o.Track), pg.Label(string(o.Track))})
			}
		}
	}
	fields := []admField{camp,
		{Name: "name", Type: "text", Required: true, MaxLength: "200"},
		tracks,
		{Name: "starts_on", Type: "date", Required: true},
		{Name: "ends_on", Type: "date", Required: true},
		{Name: "planned_hours", Type: "number", Required: true, Min: "1", Max: "10000"},
		{Name: "weekly_hours", Type: "number", Required: true, Min: "1", Max: "60"},
	}
	for i := range fields {
		f := &fields[i]
		f.ID, f.Label, f.Hint, f.Value = "f-"+f.Name, pg.T("coh_f_"+f.Name), pg.msgs["coh_h_"+f.Name], values[f.Name]
	}
	return fields
}
