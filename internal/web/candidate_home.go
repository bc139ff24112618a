package web

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// A candidate's home: their applications, each with what to do or to
// expect next, the campaigns still open to them and, once enrolled, their
// cohort with its dates and rhythm; not an account number.

func init() {
	registerPage("candidate_home", "templates/candidate_home.html")
}

// candidateHomeView is the home of a candidate.
type candidateHomeView struct {
	Name         string
	Email, Role  string // who is signed in, as the other roles' home says
	Applications []homeApplication
	Open         []openCampaign
	Cohorts      []homeCohort
	MeHref       string
	Disability   string // their disability page, where they ask for an accommodation
}

// homeApplication is an application with its next step.
type homeApplication struct {
	Href, Campaign, Offer, State, Next string
	Action                             bool // the next step is the candidate's
}

// homeCohort is a cohort the person is a learner of.
type homeCohort struct {
	Name, Dates, Rhythm, Mode, Employer string
}

// candidateHome renders the home of the signed-in candidate.
func (s *Site) candidateHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	person, err := s.candidate(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("home_title_f", person.DisplayName()), pg.T("home_description")
	v := &candidateHomeView{Name: person.DisplayName(), MeHref: "/app/me",
		Disability: personPath(person.ID) + "/disability", Role: pg.T("auth_role:" + string(certibloc.Candidate))}
	if a, err := s.db.Account(ctx, certibloc.PrincipalFrom(ctx).AccountID); err == nil {
		v.Email = a.Email
	}
	list, _, err := s.db.Applications(ctx, sqldb.ApplicationFilter{PersonID: person.ID, Limit: 100})
	if err != nil {
		return err
	}
	campaigns, err := s.db.Campaigns(ctx, person.School)
	if err != nil {
		return err
	}
	byID := map[int64]*certibloc.Campaign{}
	for i := range campaigns {
		byID[campaigns[i].ID] = &campaigns[i]
	}
	applied := map[int64]bool{}
	for i := range list {
		a := &list[i]
		if a.State != certibloc.Withdrawn {
			applied[a.CampaignID] = true
		}
		row := homeApplication{Href: applicationPath(a.ID), Offer: offerLabel(pg, a.Track, a.Mode), State: stateLabel(pg, a.State)}
		if c := byID[a.CampaignID]; c != nil {
			row.Campaign = c.Title
		}
		if row.Next, row.Action, err = s.nextStep(r, pg, a, byID[a.CampaignID]); err != nil {
			return err
		}
		v.Applications = append(v.Applications, row)
	}
	day := s.db.Today()
	for _, c := range campaigns {
		if c.Open(day) && !applied[c.ID] {
			v.Open = append(v.Open, openCampaign{Href: "/app/applications/new?campaign=" + strconv.FormatInt(c.ID, 10),
				Title: c.Title, Closes: pg.Date(c.ClosesOn)})
		}
	}
	enrolments, err := s.db.PersonEnrolments(ctx, person.ID)
	if err != nil {
		return err
	}
	for _, e := range enrolments {
		c, err := s.db.Cohort(ctx, e.CohortID)
		if err != nil {
			return err
		}
		v.Cohorts = append(v.Cohorts, homeCohort{Name: c.Name, Dates: pg.Tf("home_dates_f", pg.Date(c.StartsOn), pg.Date(c.EndsOn)),
			Rhythm: pg.Tf("home_rhythm_f", c.PlannedHours, c.WeeklyHours), Mode: modeLabel(pg, e.Mode), Employer: e.Employer})
	}
	return s.renderApp(w, http.StatusOK, "candidate_home", pg, v)
}

// nextStep says what comes next for an application, and whether it is
// the candidate's to do.
func (s *Site) nextStep(r *http.Request, pg *page, a *certibloc.Application, c *certibloc.Campaign) (string, bool, error) {
	ctx := r.Context()
	switch a.State {
	case certibloc.Draft:
		missing, err := s.db.MissingDocuments(ctx, a.ID)
		if err != nil {
			return "", false, err
		}
		closes := ""
		if c != nil {
			closes = pg.Date(c.ClosesOn)
		}
		if len(missing) > 0 {
			return pg.Tf("home_next_documents_f", documentNames(pg, missing), closes), true, nil
		}
		return pg.Tf("home_next_draft_f", closes), true, nil
	case certibloc.InterviewScheduled:
		ds, err := s.db.Decisions(ctx, a.ID)
		if err != nil {
			return "", false, err
		}
		for i := len(ds) - 1; i >= 0; i-- {
			if ds[i].Kind == certibloc.ScheduleInterview && ds[i].InterviewAt != nil {
				return pg.Tf("home_next_interview_f", moment(pg, ds[i].InterviewAt), ds[i].Place), false, nil
			}
		}
	}
	open, err := s.db.DocumentsOpen(ctx, a)
	if err != nil {
		return "", false, err
	}
	requests, err := s.db.DocumentRequests(ctx, a.ID)
	if err != nil {
		return "", false, err
	}
	for _, q := range requests {
		if q.FulfilledAt == nil && open {
			return pg.Tf("home_next_requested_f", pg.T("doc_"+q.Kind)), true, nil
		}
	}
	return pg.T("home_next_" + string(a.State)), false, nil
}

// candidateRoutes are the pages of the candidate's side of admissions
// (issue 11) and the staff's actions that serve it.
func (s *Site) candidateRoutes() []Route {
	return []Route{
		{"GET /app/applications/{id}/recap", certibloc.Apply, s.recapPage},
		{"POST /app/applications/{id}/document-requests", certibloc.ManageAdmission, s.askDocument},
		{"POST /app/campaigns/{id}/documents", certibloc.ManageAdmission, s.setChecklist},
		{"GET /app/me/contact", certibloc.Apply, s.contactPage},
		{"POST /app/me/contact", certibloc.Apply, s.saveContact},
		{"GET /app/me/email", certibloc.SignedIn, s.emailConfirmPage},
		{"POST /app/me/email", certibloc.SignedIn, s.emailConfirm},
		{"POST /app/me/accommodation-requests", certibloc.Apply, s.requestAccommodation},
		{"GET /app/accommodation-requests", certibloc.ReadDisability, s.accommodationRequests},
	}
}
