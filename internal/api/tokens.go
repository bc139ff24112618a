package api

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
)

// The API tokens, for the certifier admin: list, create (the secret is
// answered once), revoke.

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) error {
	list, err := a.db.Tokens(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"tokens": list})
}

// newToken is the body of POST /api/v1/tokens.
type newToken struct {
	Name   string `json:"name"`
	Role   string `json:"role"`
	School string `json:"school"`
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) error {
	var in newToken
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	secret, t, err := a.db.CreateToken(r.Context(), in.Name, in.Role, in.School)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"token": t, "secret": secret})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return certibloc.Errorf(certibloc.EINVALID, "%q is not a token id", r.PathValue("id"))
	}
	if err := a.db.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	t, err := a.db.Token(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"token": t})
}
