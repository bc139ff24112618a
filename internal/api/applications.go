package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Applications. Staff who manage admissions act on the applications of
// their schools (the admin on all); a candidate on their own, signed in on
// the web (session.go): no API token stands for a person, so a
// candidate's token is refused with a message that says so.

// applicationInput is the body of POST /api/v1/applications.
type applicationInput struct {
	CampaignID int64           `json:"campaign_id"`
	PersonID   int64           `json:"person_id"` // a candidate's own when 0
	Track      certibloc.Track `json:"track"`
	Mode       certibloc.Mode  `json:"mode"`
	Option     string          `json:"option"`
}

// choiceInput is the body of PUT /api/v1/applications/{id}.
type choiceInput struct {
	Track  certibloc.Track `json:"track"`
	Mode   certibloc.Mode  `json:"mode"`
	Option string          `json:"option"`
}

// applicantGate refuses, before any record is read, the principals who
// may act on no application: roles other than staff who manage
// admissions and candidates, and a candidate's API token.
func applicantGate(r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	return p.AuthorizeApplicant(p.PersonID, "")
}

// application reads the application of the path's {id}, when the
// principal may act on it.
func (a *API) application(r *http.Request) (*certibloc.Application, error) {
	if err := applicantGate(r); err != nil {
		return nil, err
	}
	id, err := pathID(r, "id", "application")
	if err != nil {
		return nil, err
	}
	app, err := a.db.Application(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := certibloc.PrincipalFrom(r.Context()).AuthorizeApplication(app); err != nil {
		return nil, err
	}
	return app, nil
}

// applicationFilter reads the filters of a list of applications from the
// query: campaign, school, person, state (several, or comma-separated),
// track, mode, committee_review, eligible, q, sort, limit, offset.
func applicationFilter(r *http.Request) (sqldb.ApplicationFilter, error) {
	q := r.URL.Query()
	f := sqldb.ApplicationFilter{School: q.Get("school"), Track: certibloc.Track(q.Get("track")),
		Mode: certibloc.Mode(q.Get("mode")), Search: q.Get("q"), Sort: q.Get("sort")}
	var err error
	for name, v := range map[string]*int64{"campaign": &f.CampaignID, "person": &f.PersonID} {
		if s := q.Get(name); s != "" {
			if *v, err = strconv.ParseInt(s, 10, 64); err != nil || *v <= 0 {
				return f, certibloc.Errorf(certibloc.EINVALID, "query parameter %s=%q must be an id", name, s)
			}
		}
	}
	for _, list := range q["state"] {
		for _, s := range strings.Split(list, ",") {
			st := certibloc.State(strings.TrimSpace(s))
			if !validState(st) {
				return f, certibloc.Errorf(certibloc.EINVALID, "state %q is not one of %s", s, statesList())
			}
			f.States = append(f.States, st)
		}
	}
	if f.Mode != "" && !certibloc.ValidMode(f.Mode) {
		return f, certibloc.Errorf(certibloc.EINVALID, "mode %q is neither initial nor apprenticeship", f.Mode)
	}
	for name, v := range map[string]**bool{"committee_review": &f.CommitteeReview, "eligible": &f.Eligible} {
		switch s := q.Get(name); s {
		case "":
		case "true", "false":
			b := s == "true"
			*v = &b
		default:
			return f, certibloc.Errorf(certibloc.EINVALID, "query parameter %s=%q must be true or false", name, s)
		}
	}
	if f.Limit, err = intParam(r, "limit"); err != nil {
		return f, err
	}
	f.Offset, err = intParam(r, "offset")
	return f, err
}

func validState(s certibloc.State) bool { return slices.Contains(certibloc.States, s) }

func statesList() string {
	s := make([]string, len(certibloc.States))
	for i, st := range certibloc.States {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

func (a *API) listApplications(w http.ResponseWriter, r *http.Request) error {
	if err := applicantGate(r); err != nil {
		return err
	}
	f, err := applicationFilter(r)
	if err != nil {
		return err
	}
	f.Scope(certibloc.PrincipalFrom(r.Context()))
	list, total, err := a.db.Applications(r.Context(), f)
	if err != nil {
		return err
	}
	limit := f.Limit
	if limit == 0 {
		limit = sqldb.DefaultPageSize
	}
	return writeJSON(w, http.StatusOK, map[string]any{"applications": list, "total": total,
		"limit": min(limit, sqldb.MaxPageSize), "offset": f.Offset})
}

func (a *API) createApplication(w http.ResponseWriter, r *http.Request) error {
	var in applicationInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(r.Context())
	if in.PersonID == 0 && !p.Can(certibloc.ManageAdmission) {
		in.PersonID = p.PersonID
	}
	if err := p.AuthorizeApplicant(in.PersonID, ""); err != nil {
		return err
	}
	if in.PersonID == 0 {
		return certibloc.Errorf(certibloc.EINVALID, "person_id is required: staff apply for a person of their school")
	}
	person, err := a.db.Person(r.Context(), in.PersonID)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return certibloc.Errorf(certibloc.EINVALID, "person %d does not exist", in.PersonID)
	} else if err != nil {
		return err
	}
	if err := p.AuthorizeApplicant(person.ID, person.School); err != nil {
		return err
	}
	app := &certibloc.Application{CampaignID: in.CampaignID, PersonID: person.ID, Track: in.Track, Mode: in.Mode, Option: in.Option}
	if err := a.db.CreateApplication(r.Context(), app); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, app)
}

func (a *API) getApplication(w http.ResponseWriter, r *http.Request) error {
	app, err := a.application(r)
	if err != nil {
		return err
	}
	if app.MissingDocuments, err = a.db.MissingDocuments(r.Context(), app.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, app)
}

func (a *API) updateApplication(w http.ResponseWriter, r *http.Request) error {
	app, err := a.application(r)
	if err != nil {
		return err
	}
	var in choiceInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	app.Track, app.Mode, app.Option = in.Track, in.Mode, in.Option
	if err := a.db.UpdateApplication(r.Context(), app); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, app)
}

func (a *API) submitApplication(w http.ResponseWriter, r *http.Request) error {
	app, err := a.application(r)
	if err != nil {
		return err
	}
	app, err = a.db.SubmitApplicationFrom(r.Context(), app.ID, a.db.Today(), a.base)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, app)
}
