package web

import (
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
)

func init() {
	registerPage("disability", "templates/disability.html")
}

// disabilityView is the page of a person's disability record: the
// referent of the person's school edits it, the person reads it, and
// nobody else reaches the page.
type disabilityView struct {
	PersonHref             string
	Editable, Self, Exists bool
	Needs, Accommodations  string
	Updated                string
	Notice                 string
	Errors                 formErrors
	// The accommodations for evaluations, structured: what the session
	// sheets show, without the needs behind them.
	Kinds     []accommodationChoice
	AccAction string
	AccError  string
	Granted   []string // the accommodations granted, as read
	// The person's requests for an accommodation (accommodation_requests.go),
	// and the form that makes one, on their own page.
	Requests   []accRequestRow
	CanRequest bool
	Request    string // the text sent, shown again with its error
	RequestErr string
}

// accommodationChoice is a kind of accommodation on the form: granted or
// not, and its detail.
type accommodationChoice struct {
	Kind, Label, Hint, Detail, DetailError string
	Checked                                bool
}

// disabilityPage shows a person's disability record.
func (s *Site) disabilityPage(w http.ResponseWriter, r *http.Request) error {
	p, self, err := s.loadPerson(r, certibloc.ReadDisability, true)
	if err != nil {
		return err
	}
	v := &disabilityView{Self: self, Errors: formErrors{}}
	d, err := s.db.Disability(r.Context(), p.ID)
	switch {
	case err == nil:
		v.Exists, v.Needs, v.Accommodations = true, d.Needs, d.Accommodations
		v.Updated = s.page(r, "").dateTime(d.UpdatedAt)
	case certibloc.ErrorCode(err) != certibloc.ENOTFOUND:
		return err
	}
	if r.URL.Query().Get("done") == "saved" {
		v.Notice = "dis_saved"
	}
	if r.URL.Query().Get("done") == "requested" {
		v.Notice = "accreq_done"
	}
	if r.URL.Query().Get("done") == "accommodations" {
		v.Notice = "ev_acc_saved"
	}
	as, err := s.evals.Accommodations(r.Context(), certibloc.PrincipalFrom(r.Context()), p.ID)
	if err != nil && certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	v.Kinds = accommodationChoices(s.page(r, ""), as, nil)
	return s.renderDisability(w, r, http.StatusOK, p, v)
}

// setDisability saves the referent's form: both texts empty delete the
// record.
func (s *Site) setDisability(w http.ResponseWriter, r *http.Request) error {
	p, self, err := s.loadPerson(r, certibloc.WriteDisability, false)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPersonForm)
	if err := r.ParseForm(); err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "the form could not be read: %v", err)
	}
	d := &certibloc.Disability{PersonID: p.ID, Needs: r.PostFormValue("needs"), Accommodations: r.PostFormValue("accommodations")}
	err = s.db.SetDisability(r.Context(), d)
	if certibloc.ErrorCode(err) == certibloc.EINVALID {
		v := &disabilityView{Self: self, Exists: true, Needs: d.Needs, Accommodations: d.Accommodations, Errors: formErrors{}}
		v.Errors.add(s.page(r, ""), err, []string{"needs", "accommodations"})
		as, err := s.evals.Accommodations(r.Context(), certibloc.PrincipalFrom(r.Context()), p.ID)
		if err != nil && certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			return err
		}
		v.Kinds = accommodationChoices(s.page(r, ""), as, nil)
		return s.renderDisability(w, r, http.StatusBadRequest, p, v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, personPath(p.ID)+"/disability?done=saved", http.StatusSeeOther)
	return nil
}

func (s *Site) renderDisability(w http.ResponseWriter, r *http.Request, status int, p *certibloc.Person, v *disabilityView) error {
	pg := s.page(r, "")
	pg.Title = pg.Tf("dis_title_f", p.DisplayName())
	pg.Description = pg.T("dis_description")
	v.PersonHref = personPath(p.ID)
	v.AccAction = personPath(p.ID) + "/accommodations"
	for _, k := range v.Kinds {
		if k.Checked {
			v.Granted = append(v.Granted, accommodationText(pg, certibloc.Accommodation{Kind: k.Kind, Detail: k.Detail}))
		}
	}
	v.Editable = p.ErasedAt == nil && pg.User.Authorize(certibloc.WriteDisability, p.School) == nil
	if err := s.accommodationRequestsOf(r, pg, p, v); err != nil {
		return err
	}
	if v.Notice != "" {
		v.Notice = pg.T(v.Notice)
	}
	for k, msg := range v.Errors {
		if strings.HasPrefix(msg, k+" ") {
			v.Errors[k] = pg.T("dis_too_long")
		}
	}
	return s.renderApp(w, status, "disability", pg, v)
}

// accommodationChoices lays out the kinds of accommodation, granted ones
// checked; errs holds the errors of a form sent, by kind.
func accommodationChoices(pg *page, as []certibloc.Accommodation, errs formErrors) []accommodationChoice {
	var out []accommodationChoice
	for _, k := range certibloc.AccommodationKinds {
		c := accommodationChoice{Kind: k, Label: pg.T("ev_acc:" + k), Hint: pg.T("ev_acc_hint:" + k), DetailError: errs[k]}
		for _, a := range as {
			if a.Kind == k {
				c.Checked, c.Detail = true, a.Detail
			}
		}
		out = append(out, c)
	}
	return out
}

// setAccommodations records the referent's accommodations for
// evaluations: the kinds checked, each with its detail (the extra time
// needs one).
func (s *Site) setAccommodations(w http.ResponseWriter, r *http.Request) error {
	p, self, err := s.loadPerson(r, certibloc.WriteDisability, false)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	var as []certibloc.Accommodation
	errs := formErrors{}
	for _, k := range certibloc.AccommodationKinds {
		detail := strings.TrimSpace(r.PostFormValue("detail-" + k))
		checked := r.PostFormValue("kind-"+k) == "yes"
		switch {
		case !checked && detail != "":
			errs[k] = pg.T("ev_acc_e_unchecked")
		case checked && k == certibloc.ExtraTime && detail == "":
			errs[k] = pg.T("ev_acc_e_extra_time")
		case certibloc.CheckText("detail", detail, 200, false) != nil:
			errs[k] = pg.T("ev_acc_e_detail")
		}
		if checked {
			as = append(as, certibloc.Accommodation{Kind: k, Detail: detail})
		}
	}
	if len(errs) == 0 {
		err = s.evals.SetAccommodations(r.Context(), certibloc.PrincipalFrom(r.Context()), p.ID, as)
		if err == nil {
			http.Redirect(w, r, personPath(p.ID)+"/disability?done=accommodations#accommodations", http.StatusSeeOther)
			return nil
		}
		if certibloc.ErrorCode(err) != certibloc.EINVALID {
			return err
		}
		errs[""] = errorText(pg, err)
	}
	v := &disabilityView{Self: self, Errors: formErrors{}, AccError: pg.T("ev_acc_e_form")}
	if d, err := s.db.Disability(r.Context(), p.ID); err == nil {
		v.Exists, v.Needs, v.Accommodations = true, d.Needs, d.Accommodations
	}
	v.Kinds = accommodationChoices(pg, as, errs)
	for i := range v.Kinds { // the details as typed, even of a kind left unchecked
		v.Kinds[i].Detail = strings.TrimSpace(r.PostFormValue("detail-" + v.Kinds[i].Kind))
	}
	if msg := errs[""]; msg != "" {
		v.AccError = msg
	}
	return s.renderDisability(w, r, http.StatusBadRequest, p, v)
}
