package api

import (
	"net/http"

	"github.com/certibloc/certibloc/internal/prepared"
)

func (a *API) listProgrammes(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.Programmes(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"programmes": list})
}

// getProgramme answers a programme sheet, prepared once per save.
func (a *API) getProgramme(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	stamp, err := a.db.ProgrammeStamp(r.Context(), slug)
	if err != nil {
		return err
	}
	b, err := a.bodies.Get("programme "+slug+" "+stamp, func() (*prepared.Body, error) {
		p, err := a.db.Programme(r.Context(), slug)
		if err != nil {
			return nil, err
		}
		return prepared.JSON(p)
	})
	if err != nil {
		return err
	}
	return prepared.Serve(w, r, b, prepared.Revalidate)
}
