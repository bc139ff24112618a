package api

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// People and their disability records. Staff roles see the people of their
// schools, the admin everyone, a candidate their own record only; a
// disability record is for the referent of the person's school and the
// person, nobody else (the admin included).

// personInput is the body of POST /api/v1/people and PUT /api/v1/people/{id}:
// the fields a client writes. PUT replaces them all.
type personInput struct {
	School           string  `json:"school"`
	BirthName        string  `json:"birth_name"`
	UsageName        string  `json:"usage_name"`
	FirstNames       string  `json:"first_names"`
	BirthDate        *string `json:"birth_date"` // read here, to name the field when it is wrong
	Sex              string  `json:"sex"`
	BirthPlace       string  `json:"birth_place"`
	BirthCountry     string  `json:"birth_country"`
	Nationality      string  `json:"nationality"`
	Email            string  `json:"email"`
	Phone            string  `json:"phone"`
	Address          string  `json:"address"`
	Level            int     `json:"level"`
	ECTS             int     `json:"ects"`
	ExperienceMonths int     `json:"experience_months"`
}

func (in *personInput) person(id int64) (*certibloc.Person, error) {
	p := &certibloc.Person{ID: id, School: in.School, BirthName: in.BirthName, UsageName: in.UsageName,
		FirstNames: in.FirstNames, Sex: in.Sex, BirthPlace: in.BirthPlace,
		BirthCountry: in.BirthCountry, Nationality: in.Nationality, Email: in.Email, Phone: in.Phone,
		Address: in.Address, Level: in.Level, ECTS: in.ECTS, ExperienceMonths: in.ExperienceMonths}
	if in.BirthDate != nil && *in.BirthDate != "" {
		d, err := certibloc.ParseDate(*in.BirthDate)
		if err != nil {
			return nil, certibloc.Errorf(certibloc.EINVALID, "birth_date %q is not a date of the form YYYY-MM-DD", *in.BirthDate)
		}
		p.BirthDate = d
	}
	return p, nil
}

func (a *API) listPeople(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := sqldb.PeopleFilter{School: q.Get("school"), Search: q.Get("q"), IncludeErased: q.Get("erased") == "true"}
	var err error
	if f.Limit, err = intParam(r, "limit"); err != nil {
		return err
	}
	if f.Offset, err = intParam(r, "offset"); err != nil {
		return err
	}
	f.Scope(certibloc.PrincipalFrom(r.Context()))
	page, err := a.db.People(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page)
}

func (a *API) createPerson(w http.ResponseWriter, r *http.Request) error {
	var in personInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	p, err := in.person(0)
	if err != nil {
		return err
	}
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.WritePeople, p.School); err != nil {
		return err
	}
	if err := a.db.CreatePerson(r.Context(), p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (a *API) getPerson(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (a *API) updatePerson(w http.ResponseWriter, r *http.Request) error {
	before, _, err := a.person(r, certibloc.WritePeople, false)
	if err != nil {
		return err
	}
	var in personInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	p, err := in.person(before.ID)
	if err != nil {
		return err
	}
	// Moving someone to another school needs the right there too.
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.WritePeople, p.School); err != nil {
		return err
	}
	if err := a.db.UpdatePerson(r.Context(), p); err != nil {
		return err
	}
	p, err = a.db.Person(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// person reads the person of the path's {id} and checks that the principal
// may act on them with perm, in their school; when self is true, the
// person themselves may too, whatever their role. It also tells whether
// the principal is that person. The role is checked before the record is
// read, so that a refusal says nothing of whether the id exists.
func (a *API) person(r *http.Request, perm certibloc.Permission, self bool) (*certibloc.Person, bool, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, false, certibloc.Errorf(certibloc.EINVALID, "%q is not a person id", r.PathValue("id"))
	}
	pr := certibloc.PrincipalFrom(r.Context())
	isSelf := pr.PersonID != 0 && pr.PersonID == id
	if !self || !isSelf {
		if err := pr.Authorize(perm, ""); err != nil {
			return nil, isSelf, err
		}
	}
	p, err := a.db.Person(r.Context(), id)
	if err != nil {
		return nil, isSelf, err
	}
	if !self || !isSelf {
		if err := pr.Authorize(perm, p.School); err != nil {
			return nil, isSelf, err
		}
	}
	return p, isSelf, nil
}

func (a *API) getDisability(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.ReadDisability, true)
	if err != nil {
		return err
	}
	d, err := a.db.Disability(r.Context(), p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// disabilityInput is the body of PUT /api/v1/people/{id}/disability.
type disabilityInput struct {
	Needs          string `json:"needs"`
	Accommodations string `json:"accommodations"`
}

func (a *API) putDisability(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.WriteDisability, false)
	if err != nil {
		return err
	}
	var in disabilityInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	d := &certibloc.Disability{PersonID: p.ID, Needs: in.Needs, Accommodations: in.Accommodations}
	if err := a.db.SetDisability(r.Context(), d); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}
