package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// maxPersonForm bounds the forms of people, schools and disability
// records: a few fields, the longest a postal address or a text of needs.
const maxPersonForm = 64 << 10

// personFields are the fields of the form of a person, in its order: the
// name of each is its form field, its JSON field, and the first word of
// the store's messages about it, which is how an error finds its field.
var personFields = []string{"school", "birth_name", "usage_name", "first_names", "birth_date", "sex",
	"birth_place", "birth_country", "nationality", "email", "phone", "address", "level", "ects", "experience_months"}

// formErrors are the errors of a form: a message by field, "" for what
// belongs to no field.
type formErrors map[string]string

// add files an error under the field its message starts with, if it is
// one of fields, in the page's words (errorText).
func (e formErrors) add(pg *page, err error, fields []string) {
	field, _, _ := strings.Cut(certibloc.ErrorMessage(err), " ")
	msg := errorText(pg, err)
	for _, f := range fields {
		if f == field {
			e[f] = msg
			return
		}
	}
	e[""] = msg
}

// personForm is what the form of a person holds: the values as typed, so
// that a refused form comes back as it was sent.
type personForm map[string]string

// formOf is the form of a stored person.
func formOf(p *certibloc.Person) personForm {
	return personForm{"school": p.School, "birth_name": p.BirthName, "usage_name": p.UsageName,
		"first_names": p.FirstNames, "birth_date": p.BirthDate.String(), "sex": p.Sex, "birth_place": p.BirthPlace,
		"birth_country": p.BirthCountry, "nationality": p.Nationality, "email": p.Email, "phone": p.Phone,
		"address": p.Address, "level": strconv.Itoa(p.Level), "ects": strconv.Itoa(p.ECTS),
		"experience_months": strconv.Itoa(p.ExperienceMonths)}
}

// readPersonForm reads the posted form of a person.
func readPersonForm(w http.ResponseWriter, r *http.Request) (personForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPersonForm)
	if err := r.ParseForm(); err != nil {
		return nil, certibloc.Errorf(certibloc.EINVALID, "the form could not be read: %v", err)
	}
	f := personForm{}
	for _, name := range personFields {
		f[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	f["birth_place"] = strings.ToUpper(f["birth_place"])
	f["birth_country"] = strings.ToUpper(f["birth_country"])
	f["nationality"] = strings.ToUpper(f["nationality"])
	return f, nil
}

// person turns the form into a person, or says which fields are wrong.
func (f personForm) person(pg *page, id int64) (*certibloc.Person, formErrors) {
	errs := formErrors{}
	p := &certibloc.Person{ID: id, School: f["school"], BirthName: f["birth_name"], UsageName: f["usage_name"],
		FirstNames: f["first_names"], Sex: f["sex"], BirthPlace: f["birth_place"], BirthCountry: f["birth_country"],
		Nationality: f["nationality"], Email: f["email"], Phone: f["phone"], Address: f["address"]}
	if s := f["birth_date"]; s != "" {
		d, err := certibloc.ParseDate(s)
		if err != nil {
			errs["birth_date"] = pg.T("people_err_date")
		}
		p.BirthDate = d
	}
	for name, n := range map[string]*int{"level": &p.Level, "ects": &p.ECTS, "experience_months": &p.ExperienceMonths} {
		if f[name] == "" {
			continue
		}
		v, err := strconv.Atoi(f[name])
		if err != nil {
			errs[name] = pg.T("people_err_number")
		}
		*n = v
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// schoolOptions are the schools a principal may put people in, for the
// select list of the form: all of them for the admin.
func (s *Site) schoolOptions(r *http.Request) ([]option, error) {
	all, err := s.db.Schools(r.Context())
	if err != nil {
		return nil, err
	}
	p := certibloc.PrincipalFrom(r.Context())
	var opts []option
	for _, sc := range all {
		if p.InSchool(sc.Code) {
			opts = append(opts, option{sc.Code, sc.Code + " – " + sc.Name})
		}
	}
	return opts, nil
}

// personPath is the address of a person's page.
func personPath(id int64) string { return "/app/people/" + strconv.FormatInt(id, 10) }

// loadPerson reads the person of the path's {id} and checks that the
// principal may act on them with perm in their school, or is the person
// themselves when self allows it. The role is checked before the record
// is read, so that a refusal says nothing of whether the id exists.
func (s *Site) loadPerson(r *http.Request, perm certibloc.Permission, self bool) (*certibloc.Person, bool, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, false, certibloc.Errorf(certibloc.ENOTFOUND, "no person %q", r.PathValue("id"))
	}
	pr := certibloc.PrincipalFrom(r.Context())
	isSelf := pr.PersonID != 0 && pr.PersonID == id
	check := !self || !isSelf
	if check {
		if err := pr.Authorize(perm, ""); err != nil {
			return nil, isSelf, err
		}
	}
	p, err := s.db.Person(r.Context(), id)
	if err != nil {
		return nil, isSelf, err
	}
	if check {
		if err := pr.Authorize(perm, p.School); err != nil {
			return nil, isSelf, err
		}
	}
	return p, isSelf, nil
}

// pageOf is the page of a list: its size and where it starts.
func pageOf(r *http.Request) (offset int) {
	n, err := strconv.Atoi(r.URL.Query().Get("offset"))
	if err != nil || n < 0 {
		return 0
	}
	return n
}
