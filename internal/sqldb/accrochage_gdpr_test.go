package sqldb_test

import (
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// seedAccrochage declares the seeded person's title to the Caisse des
// Dépôts and applies a report that rejects it.
func seedAccrochage(t *testing.T, db *sqldb.DB, s *seeded) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	must(t, db.SetCDCAccount(ctx, &certibloc.CDCAccount{Certification: "RNCP38478", Client: "E564ACB0", Contract: "2560080000127J"}))
	titles, err := db.TitlesAwarded(ctx, s.person.ID)
	must(t, err)
	out := files{}
	exported, err := db.ExportAccrochage(ctx, sqldb.AccrochageScope{JuryID: titles[0].JuryID}, out.export(time.Now()))
	must(t, err)
	_, err = db.ApplyAccrochageReport(ctx, &certibloc.ProcessingReport{IDFlux: exported[0].IDFlux, ProcessingID: "1",
		Rejected: []certibloc.RejectedPassage{{IDTechnique: "certibloc-RNCP38478-" + itoa(s.person.ID), Message: "Plusieurs titulaires ont été identifiés"}}})
	must(t, err)
}
