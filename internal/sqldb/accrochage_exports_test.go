package sqldb_test

import (
	"bytes"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// keptFiles is an export to memory that reads its files back, so that the
// store keeps them.
type keptFiles struct {
	sqldb.AccrochageWriter
	files files
}

func (k keptFiles) Content(id string) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(k.files[id].Bytes())), nil
}

// TestAccrochageExportsKept: an export through a writer that reads its
// files back is recorded with its scope and kept, and its file reads back
// byte for byte; an export through one that cannot is recorded, not kept;
// a refused export leaves no trace.
func TestAccrochageExportsKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newJuryWorld(t, db)
		ctx := w.ctx
		for _, id := range []int64{w.ada, w.grace} {
			p, err := db.Person(ctx, id)
			must(t, err)
			p.Sex, p.BirthDate, p.BirthPlace = "F", certibloc.DateOf(1996, 12, 9), "75056"
			must(t, db.UpdatePerson(ctx, p))
		}
		j := w.jury(t, w.ada, w.grace)
		w.awardTitle(t, j, map[int64]certibloc.Route{w.ada: certibloc.VAE, w.grace: certibloc.Training})
		scope := sqldb.AccrochageScope{JuryID: j.ID}
		if _, err := db.ExportAccrochage(ctx, scope, files{}.export(time.Now())); err == nil {
			t.Fatal("exported without the certification's account")
		}
		if list, _ := db.CDCExports(ctx, 0); len(list) != 0 {
			t.Fatalf("a refused export was recorded: %+v", list)
		}
		must(t, db.SetCDCAccount(ctx, &certibloc.CDCAccount{Certification: "RNCP38478", Client: "E564ACB0", Contract: "2560080000127J"}))
		out := files{}
		exported, err := db.ExportAccrochage(ctx, scope, keptFiles{out.export(time.Now()), out})
		must(t, err)
		list, err := db.CDCExports(ctx, 0)
		must(t, err)
		if len(list) != 1 || list[0].JuryID != j.ID || list[0].Passages != 2 || list[0].Files != 1 || !list[0].Stored ||
			list[0].Bytes != exported[0].Bytes || list[0].Bytes != int64(out[exported[0].IDFlux].Len()) {
			t.Fatalf("exports %+v, files %+v", list, exported)
		}
		e, fs, err := db.CDCExportByID(ctx, list[0].ID)
		must(t, err)
		if e.ID != list[0].ID || len(fs) != 1 || fs[0].IDFlux != exported[0].IDFlux || fs[0].Passages != 2 {
			t.Fatalf("export %+v with files %+v", e, fs)
		}
		r, err := db.CDCFileContent(ctx, fs[0].IDFlux)
		must(t, err)
		got, err := io.ReadAll(r)
		must(t, err)
		if !bytes.Equal(got, out[fs[0].IDFlux].Bytes()) {
			t.Errorf("the file kept differs from the file written (%d bytes, want %d)", len(got), out[fs[0].IDFlux].Len())
		}

		// Changed since: sent again, through a writer that keeps nothing.
		ada, err := db.Person(ctx, w.ada)
		must(t, err)
		ada.BirthPlace = "21231"
		must(t, db.UpdatePerson(ctx, ada))
		from, to := certibloc.DateOf(2027, 1, 1), certibloc.DateOf(2027, 12, 31)
		again, err := db.ExportAccrochage(ctx, sqldb.AccrochageScope{From: from, To: to}, files{}.export(time.Now()))
		must(t, err)
		list, err = db.CDCExports(ctx, 0)
		must(t, err)
		if len(list) != 2 || list[0].Stored || list[0].From != from || list[0].To != to || list[0].Passages != 1 {
			t.Fatalf("the second export %+v", list)
		}
		if _, err := db.CDCFileContent(ctx, again[0].IDFlux); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("a file not kept: %v", err)
		}
		if _, _, err := db.CDCExportByID(ctx, 999999); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("an unknown export: %v", err)
		}
	})
}

// TestAccrochageExportFilesInOrder: an export split into more than ten
// files (a small size limit, one passage or two a file) reads back with
// its files in the order written, -2 before -10, as the zip of the past
// export lists them.
func TestAccrochageExportFilesInOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
		must(t, db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}))
		cert, err := seed.Certification()
		must(t, err)
		_, err = db.SaveCertification(ctx, cert)
		must(t, err)
		cert, err = db.Certification(ctx, cert.Code, 0)
		must(t, err)
		jury, err := db.SeedHoldersForBench(ctx, cert, "DIIAGE", 24)
		must(t, err)
		out := files{}
		exp := out.export(time.Now())
		exp.Limit = 8000
		exported, err := db.ExportAccrochage(ctx, sqldb.AccrochageScope{JuryID: jury}, keptFiles{exp, out})
		must(t, err)
		if len(exported) < 11 {
			t.Fatalf("%d files; the test needs more than ten", len(exported))
		}
		list, err := db.CDCExports(ctx, 1)
		must(t, err)
		_, fs, err := db.CDCExportByID(ctx, list[0].ID)
		must(t, err)
		var written, read []string
		for _, f := range exported {
			written = append(written, f.IDFlux)
		}
		for _, f := range fs {
			read = append(read, f.IDFlux)
		}
		if !slices.Equal(read, written) {
			t.Errorf("the export's files read back in the order\n%q\nwritten in the order\n%q", read, written)
		}
		// The list of the files sent: the same order, and a limit keeps
		// the first written.
		for _, limit := range []int{0, 12} {
			sent, err := db.CDCFiles(ctx, limit)
			must(t, err)
			var listed []string
			for _, f := range sent {
				listed = append(listed, f.IDFlux)
			}
			want := written
			if limit > 0 {
				want = written[:limit]
			}
			if !slices.Equal(listed, want) {
				t.Errorf("CDCFiles(%d) lists the files in the order\n%q\nwritten in the order\n%q", limit, listed, want)
			}
		}
	})
}
