package api

import "net/http"

func (a *API) listProgrammes(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.Programmes(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"programmes": list})
}

func (a *API) getProgramme(w http.ResponseWriter, r *http.Request) error {
	p, err := a.db.Programme(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}
