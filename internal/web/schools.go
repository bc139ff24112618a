package web

import (
	"net/http"

	"github.com/certibloc/certibloc"
)

func init() {
	registerPage("schools", "templates/schools.html")
}

// schoolsView is the admin's page of the schools: the list and the form
// of a new one.
type schoolsView struct {
	Schools []schoolRow
	Form    certibloc.School
	Errors  formErrors
	Created string // the code of the school just made
}

// schoolRow is a line of the list of schools.
type schoolRow struct {
	certibloc.School
	Created string
}

// schoolFields are the fields of the form of a school.
var schoolFields = []string{"code", "name", "certifier"}

// schoolsPage lists the schools, with the form of a new one.
func (s *Site) schoolsPage(w http.ResponseWriter, r *http.Request) error {
	v := &schoolsView{Errors: formErrors{}, Created: r.URL.Query().Get("created"),
		Form: certibloc.School{Certifier: "SUP DE VINCI"}}
	return s.renderSchools(w, r, http.StatusOK, v)
}

// createSchool stores the school of the form and comes back to the list;
// a wrong form comes back with what was wrong, by field.
func (s *Site) createSchool(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxPersonForm)
	if err := r.ParseForm(); err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "the form could not be read: %v", err)
	}
	sc := certibloc.School{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Certifier: r.PostFormValue("certifier")}
	err := s.db.CreateSchool(r.Context(), &sc)
	if code := certibloc.ErrorCode(err); code == certibloc.EINVALID || code == certibloc.ECONFLICT {
		// The store's messages name the field; the page says it in the
		// reader's language.
		pg := s.page(r, "")
		v := &schoolsView{Form: sc, Errors: formErrors{}}
		v.Errors.add(pg, err, schoolFields)
		for k := range v.Errors {
			if t, ok := pg.msgs["schools_e_"+k]; ok && k != "" {
				v.Errors[k] = t
			}
		}
		if code == certibloc.ECONFLICT {
			v.Errors = formErrors{"code": pg.Tf("schools_e_exists_f", sc.Code)}
		}
		return s.renderSchools(w, r, http.StatusBadRequest, v)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/app/schools?created="+sc.Code, http.StatusSeeOther)
	return nil
}

func (s *Site) renderSchools(w http.ResponseWriter, r *http.Request, status int, v *schoolsView) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("schools_title"), pg.T("schools_description")
	list, err := s.db.Schools(r.Context())
	if err != nil {
		return err
	}
	for _, sc := range list {
		v.Schools = append(v.Schools, schoolRow{School: sc, Created: pg.dateTime(sc.CreatedAt)})
	}
	if v.Created != "" {
		v.Created = pg.Tf("schools_created_f", v.Created)
	}
	return s.renderApp(w, status, "schools", pg, v)
}
