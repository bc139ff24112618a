package api

import (
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
)

// auditTrail answers the history of one record, ?entity=person&id=12: who
// changed what and when, never the values. Staff read the records of their
// schools, the admin every record.
func (a *API) auditTrail(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	entity, id := strings.TrimSpace(q.Get("entity")), strings.TrimSpace(q.Get("id"))
	if entity == "" || id == "" {
		return certibloc.Errorf(certibloc.EINVALID, "query parameters entity and id are required, e.g. ?entity=person&id=12")
	}
	t, err := a.db.RecordTrail(r.Context(), entity, id)
	if err != nil {
		return err
	}
	if err := certibloc.PrincipalFrom(r.Context()).AuthorizeTrail(t.Entity, t.School); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}
