package web

import (
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
)

// A candidate asks for an accommodation (aménagement) from their space:
// the request reaches the disability referents of their school, on their
// page of requests, and nobody else; the candidate reads it again on
// their own disability page.

func init() {
	registerPage("accommodation_requests", "templates/accommodation_requests.html")
}

// accRequestRow is a request as a list shows it.
type accRequestRow struct {
	When, Name, Href, Message string
}

// accommodationRequestsOf fills the requests of person p in the
// disability page v, and the form of a new one on their own page.
func (s *Site) accommodationRequestsOf(r *http.Request, pg *page, p *certibloc.Person, v *disabilityView) error {
	list, err := s.db.AccommodationRequests(r.Context(), p.ID, nil)
	if err != nil {
		return err
	}
	for _, q := range list {
		v.Requests = append(v.Requests, accRequestRow{When: moment(pg, &q.CreatedAt), Message: q.Message})
	}
	v.CanRequest = v.Self && p.ErasedAt == nil && pg.User.Can(certibloc.Apply)
	return nil
}

// requestAccommodation records the signed-in candidate's request and
// sends them back to their disability page.
func (s *Site) requestAccommodation(w http.ResponseWriter, r *http.Request) error {
	person, err := s.candidate(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	message := strings.TrimSpace(r.PostFormValue("message"))
	fail := func(msg string) error {
		v := &disabilityView{Self: true, Errors: formErrors{}, Request: message, RequestErr: msg}
		if d, err := s.db.Disability(r.Context(), person.ID); err == nil {
			v.Exists, v.Needs, v.Accommodations = true, d.Needs, d.Accommodations
		}
		return s.renderDisability(w, r, http.StatusBadRequest, person, v)
	}
	switch {
	case message == "":
		return fail(pg.T("accreq_e_empty"))
	case len([]rune(message)) > 4000:
		return fail(pg.T("accreq_e_long"))
	}
	if _, err := s.db.RequestAccommodation(r.Context(), person.ID, message, s.baseURL()); certibloc.ErrorCode(err) == certibloc.EINVALID {
		return fail(errorText(pg, err))
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, personPath(person.ID)+"/disability?done=requested#requests", http.StatusSeeOther)
	return nil
}

// accommodationRequestsView is the referent's page of requests.
type accommodationRequestsView struct {
	Rows []accRequestRow
}

// accommodationRequests lists the requests of the referent's schools
// (every school for none: a referent always has one).
func (s *Site) accommodationRequests(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	list, err := s.db.AccommodationRequests(r.Context(), 0, p.Schools)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("accreq_list_title"), pg.T("accreq_list_description")
	v := &accommodationRequestsView{}
	for _, q := range list {
		v.Rows = append(v.Rows, accRequestRow{When: moment(pg, &q.CreatedAt), Name: q.Name,
			Href: personPath(q.PersonID) + "/disability", Message: q.Message})
	}
	return s.renderApp(w, http.StatusOK, "accommodation_requests", pg, v)
}
