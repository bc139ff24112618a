package sqldb_test

import (
	"testing"

	"github.com/certibloc/certibloc"
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
// sends that one alone. Each holder has the route of their title and the
// mode of their enrolment.
func TestAccrochageExportRecordsEveryBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		const n = 12_001
		ctx, jury := seedHolders(t, db, n)
		scope := sqldb.AccrochageScope{JuryID: jury}
		first := &collect{file: "F1"}
		if _, err := db.ExportAccrochage(ctx, scope, first); err != nil {
			t.Fatal(err)
		}
		seen, vae, apprentices := map[int64]bool{}, 0, 0
		for _, h := range first.holders {
			if h.Mode == certibloc.Apprenticeship {
				apprentices++
			}
			if seen[h.PersonID] {
				t.Fatalf("holder %d sent twice", h.PersonID)
			}
			seen[h.PersonID] = true
			if h.Route == certibloc.VAE {
				vae++
			}
		}
		want := 0 // the seed's apprentices: the odd ones not by VAE
		for i := range n {
			if i%5 != 4 && i%2 == 1 {
				want++
			}
		}
		if len(seen) != n || vae != n/5 || apprentices != want {
			t.Fatalf("%d holders sent, %d by VAE, %d apprentices; want %d, %d and %d", len(seen), vae, apprentices, n, n/5, want)
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
