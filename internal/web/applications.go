package web

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// applicationsView is the candidate's space: their applications and the
// campaigns open to them.
type applicationsView struct {
	Done         string // what was just done: a draft deleted
	Applications []applicationRow
	Open         []openCampaign
}

// applicationRow is an application in the candidate's list.
type applicationRow struct {
	Href, Campaign, Offer, State, Submitted string
}

// openCampaign is a campaign the candidate may still apply to.
type openCampaign struct {
	Href, Title, Closes string
}

// myApplications lists the candidate's applications, then the campaigns
// of their school open today that they have not applied to.
func (s *Site) myApplications(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	person, err := s.candidate(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("apps_title"), pg.T("apps_description")
	list, _, err := s.db.Applications(ctx, sqldb.ApplicationFilter{PersonID: person.ID, Limit: 100})
	if err != nil {
		return err
	}
	campaigns, err := s.db.Campaigns(ctx, person.School)
	if err != nil {
		return err
	}
	titles := map[int64]string{}
	for _, c := range campaigns {
		titles[c.ID] = c.Title
	}
	v := &applicationsView{}
	if r.URL.Query().Get("done") == "deleted" {
		v.Done = pg.T("apps_done_deleted")
	}
	applied := map[int64]bool{}
	for _, a := range list {
		if a.State != certibloc.Withdrawn { // withdrawn, one may apply again
			applied[a.CampaignID] = true
		}
		v.Applications = append(v.Applications, applicationRow{Href: applicationPath(a.ID), Campaign: titles[a.CampaignID],
			Offer: offerLabel(pg, a.Track, a.Mode), State: stateLabel(pg, a.State), Submitted: moment(pg, a.SubmittedAt)})
	}
	day := s.db.Today()
	for _, c := range campaigns {
		if c.Open(day) && !applied[c.ID] {
			v.Open = append(v.Open, openCampaign{Href: "/app/applications/new?campaign=" + strconv.FormatInt(c.ID, 10),
				Title: c.Title, Closes: pg.Date(c.ClosesOn)})
		}
	}
	return s.renderApp(w, http.StatusOK, "applications", pg, v)
}

// candidate is the person of the signed-in candidate.
func (s *Site) candidate(r *http.Request) (*certibloc.Person, error) {
	id := certibloc.PrincipalFrom(r.Context()).PersonID
	if id == 0 {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "%s", messages[lang(r)]["me_none"])
	}
	return s.db.Person(r.Context(), id)
}

// applicationPath is the address of an application's page.
func applicationPath(id int64) string { return "/app/applications/" + strconv.FormatInt(id, 10) }

// loadApplication reads the application of the path's {id} for whoever
// may see it: its candidate, or staff managing admissions in its school.
// The role is checked before the record is read, so that a refusal says
// nothing of whether the id exists. own tells the candidate's view.
func (s *Site) loadApplication(r *http.Request) (a *certibloc.Application, own bool, err error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, false, err
	}
	p := certibloc.PrincipalFrom(r.Context())
	if !p.Can(certibloc.Apply) && !p.Can(certibloc.ManageAdmission) {
		return nil, false, p.Authorize(certibloc.ManageAdmission, "")
	}
	if a, err = s.db.Application(r.Context(), id); err != nil {
		return nil, false, err
	}
	if p.Can(certibloc.Apply) {
		if p.PersonID == 0 || a.PersonID != p.PersonID {
			return nil, false, certibloc.Errorf(certibloc.EFORBIDDEN, "this application is not yours")
		}
		return a, true, nil
	}
	return a, false, p.Authorize(certibloc.ManageAdmission, a.School)
}

// ownApplication is loadApplication for the candidate's own actions.
func (s *Site) ownApplication(r *http.Request) (*certibloc.Application, error) {
	a, own, err := s.loadApplication(r)
	if err == nil && !own {
		err = certibloc.Errorf(certibloc.EFORBIDDEN, "only the candidate acts on their application here")
	}
	return a, err
}
