package api

import (
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
)

// The schools of the certifier. Everyone signed in lists the schools they
// may see (the admin every one, staff roles their own); only the admin
// creates schools.

func (a *API) listSchools(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	all, err := a.db.Schools(r.Context())
	if err != nil {
		return err
	}
	list := []certibloc.School{}
	for _, s := range all {
		if p.InSchool(s.Code) {
			list = append(list, s)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"schools": list})
}

func (a *API) getSchool(w http.ResponseWriter, r *http.Request) error {
	code := strings.ToUpper(r.PathValue("code"))
	// The scope is checked first, so that staff cannot probe which codes
	// exist in other schools.
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.SignedIn, code); err != nil {
		return err
	}
	s, err := a.db.School(r.Context(), code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

// schoolInput is the body of POST /api/v1/schools.
type schoolInput struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Certifier string `json:"certifier"`
}

func (a *API) createSchool(w http.ResponseWriter, r *http.Request) error {
	var in schoolInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	s := certibloc.School{Code: in.Code, Name: in.Name, Certifier: in.Certifier}
	if err := a.db.CreateSchool(r.Context(), &s); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s)
}
