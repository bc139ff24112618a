package api

import (
	"net/http"

	"github.com/certibloc/certibloc"
)

// Accommodations for evaluations (extra time, a separate room, an
// assistant, an adapted format): the disability referent of the person's
// school sets them; the person, the referent, and staff who put them on
// session sheets read them. They never say the condition behind them
// (GET /api/v1/people/{id}/disability keeps that).

// accommodationsInput is the body of PUT /api/v1/people/{id}/accommodations.
type accommodationsInput struct {
	Accommodations []certibloc.Accommodation `json:"accommodations"`
}

func (a *API) getAccommodations(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "person")
	if err != nil {
		return err
	}
	list, err := a.db.Accommodations(r.Context(), certibloc.PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": id, "accommodations": list})
}

func (a *API) putAccommodations(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.WriteDisability, false)
	if err != nil {
		return err
	}
	var in accommodationsInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	pr := certibloc.PrincipalFrom(r.Context())
	if err := a.db.SetAccommodations(r.Context(), pr, p.ID, in.Accommodations); err != nil {
		return err
	}
	list, err := a.db.Accommodations(r.Context(), pr, p.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": p.ID, "accommodations": list})
}
