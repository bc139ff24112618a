package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/rncp"
)

// maxImportBody bounds an uploaded export: the national XML file is a few
// hundred MB, and the importer streams it.
const maxImportBody = 2 << 30

// importRNCP reads an RNCP XML export or CSV zip from the body and stores
// each fiche in its own transaction; the answer lists what was created,
// updated, unchanged and rejected, and why. An import that stops on an
// error keeps the fiches saved before it: the answer is then the error
// with the report of what was done ({"error": {…}, "report": {…}}). One
// import runs at a time, whatever the instance; another is answered 409
// at once.
func (a *API) importRNCP(w http.ResponseWriter, r *http.Request) error {
	body := http.MaxBytesReader(w, r.Body, maxImportBody)
	// One import among the instances of the database, too.
	release, ok, err := a.db.TryLock(r.Context(), rncp.ImportLock)
	if err != nil {
		return err
	} else if !ok {
		return rncp.ErrBusy
	}
	defer release()
	report, err := rncp.Import(r.Context(), body, a.db.SaveCertification)
	if report != nil {
		a.log.Info("rncp import", "format", report.Format, "created", len(report.Created),
			"updated", len(report.Updated), "unchanged", len(report.Unchanged), "rejected", len(report.Rejected),
			"err", err)
	}
	if err == nil {
		return writeJSON(w, http.StatusOK, report)
	}
	if report == nil || report.Format == "" {
		return err // refused before reading a fiche: not an export, or another import runs
	}
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return nil // the client left: nobody to answer
	}
	code, status, message := httpx.Error(err)
	if status >= http.StatusInternalServerError {
		a.log.ErrorContext(r.Context(), "api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	httpx.SetHeaders(w.Header(), status)
	return writeJSON(w, status, map[string]any{
		"error":  map[string]string{"code": code, "message": message},
		"report": report,
	})
}
