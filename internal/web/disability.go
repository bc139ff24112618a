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
		v.Errors.add(err, []string{"needs", "accommodations"})
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
	v.Editable = p.ErasedAt == nil && pg.User.Authorize(certibloc.WriteDisability, p.School) == nil
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
