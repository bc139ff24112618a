package api

import (
	"net/http"

	"github.com/certibloc/certibloc/internal/rncp"
)

// maxImportBody bounds an uploaded export: the national XML file is a few
// hundred MB, and the importer streams it.
const maxImportBody = 2 << 30

// importRNCP reads an RNCP XML export or CSV zip from the body and stores
// each fiche in its own transaction; the answer lists what was created,
// updated, unchanged and rejected, and why.
func (a *API) importRNCP(w http.ResponseWriter, r *http.Request) error {
	body := http.MaxBytesReader(w, r.Body, maxImportBody)
	report, err := rncp.Import(r.Context(), body, a.db.SaveCertification)
	if err != nil {
		return err
	}
	a.log.Info("rncp import", "format", report.Format, "created", len(report.Created),
		"updated", len(report.Updated), "unchanged", len(report.Unchanged), "rejected", len(report.Rejected))
	return writeJSON(w, http.StatusOK, report)
}
