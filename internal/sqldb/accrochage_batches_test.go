package sqldb_test

import (
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// collect is an AccrochageWriter that keeps the holders it is given, all
// in one file named after the export.
type collect struct {
	file    string
	holders []certibloc.Holder
}

func (c *collect) Write(h *certibloc.Holder) (string, error) {
	c.holders = append(c.holders, *h)
	return c.file, nil
}

func (c *collect) Close() ([]certibloc.ExportedFile, error) {
	return []certibloc.ExportedFile{{IDFlux: c.file, Passages: len(c.holders)}}, nil
}

// An export of more holders than a batch of its recording (400 rows a
// statement on SQLite, 5,000 on PostgreSQL) records every passage once:
// the next export has nothing to send, and after one holder changes it
// sends that one alone. The route comes from the ledger: VAE when every
// block came by VAE (one holder in five in this seed).
func TestAccrochageExportRecordsEveryBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		const n = 12_001
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
		if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
			t.Fatal(err)
		}
		cert, err := seed.Certification()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveCertification(ctx, cert); err != nil {
			t.Fatal(err)
		}
		if cert, err = db.Certification(ctx, cert.Code, 0); err != nil {
			t.Fatal(err)
		}
		jury, err := db.SeedHoldersForBench(ctx, cert, "DIIAGE", n)
		if err != nil {
			t.Fatal(err)
		}
		scope := sqldb.AccrochageScope{JuryID: jury}
		first := &collect{file: "F1"}
		if _, err := db.ExportAccrochage(ctx, scope, first); err != nil {
			t.Fatal(err)
		}
		seen, vae := map[int64]bool{}, 0
		for _, h := range first.holders {
			if seen[h.PersonID] {
				t.Fatalf("holder %d sent twice", h.PersonID)
			}
			seen[h.PersonID] = true
			if h.Route == certibloc.VAE {
				vae++
			}
		}
		if len(seen) != n || vae != n/5 {
			t.Fatalf("%d holders sent, %d by VAE; want %d and %d", len(seen), vae, n, n/5)
		}
		if _, err := db.ExportAccrochage(ctx, scope, &collect{file: "F2"}); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a second export: %v, want a conflict (nothing to send)", err)
		}
		changed := first.holders[n/2].PersonID
		p, err := db.Person(ctx, changed)
		if err != nil {
			t.Fatal(err)
		}
		p.BirthPlace = "75056"
		if err := db.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		third := &collect{file: "F3"}
		if _, err := db.ExportAccrochage(ctx, scope, third); err != nil {
			t.Fatal(err)
		}
		if len(third.holders) != 1 || third.holders[0].PersonID != changed {
			t.Fatalf("after one change, sent %d holder(s), want holder %d alone", len(third.holders), changed)
		}
	})
}
