package api

import (
	"net/http"
	"time"
)

func (a *API) listProgrammes(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.Programmes(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"programmes": list})
}

// getProgramme answers a programme sheet, prepared once per save
// (cache.go).
func (a *API) getProgramme(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	saved, err := a.db.ProgrammeStamp(r.Context(), slug)
	if err != nil {
		return err
	}
	b, err := a.bodies.cached("programme "+slug+" "+saved.Format(time.RFC3339Nano), func() (any, error) {
		return a.db.Programme(r.Context(), slug)
	})
	if err != nil {
		return err
	}
	return servePrepared(w, r, b, revalidate)
}
