package sqldb_test

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/cdc/cdctest"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// files keeps what an export writes, by idFlux.
type files map[string]*bytes.Buffer

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

func (f files) export(now time.Time) *cdc.Export {
	return &cdc.Export{Now: now, Open: func(id string) (io.WriteCloser, error) {
		b := &bytes.Buffer{}
		f[id] = b
		return nopCloser{b}, nil
	}}
}

// passages parses a file written, checks it against the XSD, and returns
// its passages' ids.
func (f files) passages(t *testing.T, id string) []cdc.Passage {
	t.Helper()
	b, ok := f[id]
	if !ok {
		t.Fatalf("no file %s", id)
	}
	cdctest.ValidBytes(t, b.Bytes())
	fl, err := cdc.Parse(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var out []cdc.Passage
	for _, c := range fl.Certifications {
		out = append(out, c.Passages...)
	}
	return out
}

func ids(ps []cdc.Passage) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.IDTechnique)
	}
	return out
}

// awardTitle has jury j award the title to each person, by VAE or by
// training, and closes it.
func (w *juryWorld) awardTitle(t *testing.T, j *certibloc.JurySession, routes map[int64]certibloc.Route) {
	for _, person := range j.Candidates {
		w.declareAll(t, j.ID, person)
		jd := &certibloc.JuryDecision{PersonID: person, Certified: true, Reason: "Le jury délivre le titre au vu des blocs."}
		for _, b := range []string{"RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04"} {
			jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: routes[person], Reason: "Dossier et oral favorables au jury."})
		}
		must(t, w.db.DecideCandidate(w.ctx, j.ID, jd))
	}
	must(t, w.db.CloseJury(w.ctx, j.ID, minutes))
}

// TestAccrochageEndToEnd: a closed jury's holders are checked (missing
// birth data named, with the page that corrects it), exported to a file
// the XSD accepts, the Caisse's report with one rejection is applied,
// the rejected holder is corrected, and only that passage is sent again.
func TestAccrochageEndToEnd(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newJuryWorld(t, db)
		ctx := w.ctx
		ada, err := db.Person(ctx, w.ada)
		must(t, err)
		grace, err := db.Person(ctx, w.grace)
		must(t, err)
		grace.Sex, grace.BirthDate, grace.BirthPlace, grace.FirstNames = "F", certibloc.DateOf(1996, 12, 9), "75056", "Grace Brewster"
		must(t, db.UpdatePerson(ctx, grace))
		ada.BirthDate = certibloc.DateOf(1995, 12, 10) // no sex, no place of birth

		j := w.jury(t, w.ada, w.grace)
		scope := sqldb.AccrochageScope{JuryID: j.ID}
		if _, err := db.ExportAccrochage(ctx, scope, files{}.export(time.Now())); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("exporting an open jury: %v", err)
		}
		w.awardTitle(t, j, map[int64]certibloc.Route{w.ada: certibloc.VAE, w.grace: certibloc.Training})
		must(t, db.UpdatePerson(ctx, ada))

		// The check names Ada's missing fields, with her page, and the
		// certification's missing account; nothing is exported.
		n, ps, err := db.AccrochageCheck(ctx, scope)
		must(t, err)
		var got []string
		for _, p := range ps {
			got = append(got, p.Code+":"+p.Field)
		}
		want := []string{"holder_sex:sex", "holder_birth_place:birth_place", "cdc_account:certification", "cdc_account:certification"}
		if n != 2 || !slices.Equal(got, want) {
			t.Fatalf("check: %d to send, %v", n, got)
		}
		if ps[0].Link != "/app/people/"+itoa(w.ada) || !strings.Contains(ps[0].In(certibloc.French), "Ada LOVELACE") || !strings.Contains(ps[0].In(certibloc.French), "le sexe") {
			t.Errorf("problem %+v worded %q", ps[0], ps[0].In(certibloc.French))
		}
		out := files{}
		if _, err := db.ExportAccrochage(ctx, scope, out.export(time.Now())); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Fatalf("export with missing data: %v", err)
		}
		if sent, _ := db.CDCFiles(ctx, 0); len(sent) != 0 {
			t.Fatalf("files recorded by a refused export: %+v", sent)
		}

		must(t, db.SetCDCAccount(ctx, &certibloc.CDCAccount{Certification: "RNCP38478", Client: "E564ACB0", Contract: "2560080000127J"}))
		ada.Sex, ada.BirthCountry = "F", "GB"
		must(t, db.UpdatePerson(ctx, ada))
		exported, err := db.ExportAccrochage(ctx, scope, out.export(time.Now()))
		must(t, err)
		if len(exported) != 1 || exported[0].Passages != 2 || exported[0].Client != "E564ACB0" {
			t.Fatalf("exported %+v", exported)
		}
		first := out.passages(t, exported[0].IDFlux)
		adaID, graceID := "certibloc-RNCP38478-"+itoa(w.ada), "certibloc-RNCP38478-"+itoa(w.grace)
		if !slices.Equal(ids(first), []string{adaID, graceID}) {
			t.Fatalf("first file holds %v", ids(first))
		}
		if a := first[0]; a.Inscription.ModaliteAcces != cdc.AccesVAE || a.Titulaire.CodePays != "GBR" || a.Titulaire.CodeInsee != "" || a.DateDebutValidite != "2027-07-01" {
			t.Errorf("Ada's passage %+v %+v", a, a.Titulaire)
		}
		if g := first[1]; g.Inscription.ModaliteAcces != "" || g.Titulaire.CodeInsee != "75056" || g.Titulaire.Prenom2 != "Brewster" || g.Titulaire.Jour != 9 {
			t.Errorf("Grace's passage %+v %+v", g, g.Titulaire)
		}
		if _, err := db.ExportAccrochage(ctx, scope, files{}.export(time.Now())); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a second export with nothing changed: %v", err)
		}
		list, err := db.AccrochagePassages(ctx, scope, "", 0)
		must(t, err)
		if len(list) != 2 || list[0].Status != certibloc.PassageSent || list[0].IDFlux != exported[0].IDFlux {
			t.Fatalf("passages after sending: %+v", list)
		}

		// Reports that do not belong are refused whole.
		rep := &certibloc.ProcessingReport{IDFlux: "someone-else", ProcessingID: "1"}
		if _, err := db.ApplyAccrochageReport(ctx, rep); certibloc.ErrorCode(err) != certibloc.EINVALID || !strings.Contains(err.Error(), "did not send") {
			t.Fatalf("a report of another file: %v", err)
		}
		rep = &certibloc.ProcessingReport{IDFlux: exported[0].IDFlux, ProcessingID: "51354", Accepted: []string{graceID, "certibloc-RNCP38478-999999"}}
		if _, err := db.ApplyAccrochageReport(ctx, rep); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Fatalf("a report naming a passage never sent: %v", err)
		}
		if list, _ = db.AccrochagePassages(ctx, scope, certibloc.PassageAccepted, 0); len(list) != 0 {
			t.Fatalf("a refused report changed statuses: %+v", list)
		}

		// The Caisse accepts Grace and rejects Ada.
		const msg = "Aucun titulaire ne correspond aux critères obligatoires"
		rep = &certibloc.ProcessingReport{IDFlux: exported[0].IDFlux, ProcessingID: "51354", Accepted: []string{graceID},
			Rejected: []certibloc.RejectedPassage{{IDTechnique: adaID, Message: msg}}}
		applied, err := db.ApplyAccrochageReport(ctx, rep)
		must(t, err)
		if applied.Accepted != 1 || applied.Rejected != 1 {
			t.Fatalf("applied %+v", applied)
		}
		list, err = db.AccrochagePassages(ctx, scope, "", 0)
		must(t, err)
		if list[0].Status != certibloc.PassageRejected || list[0].Message != msg || list[1].Status != certibloc.PassageAccepted {
			t.Fatalf("statuses after the report: %+v", list)
		}
		other := *rep
		other.ProcessingID = "99999"
		if _, err := db.ApplyAccrochageReport(ctx, &other); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a second, different report for the same file: %v", err)
		}

		// Ada's birth name was wrong: corrected, only her passage goes again.
		ada.BirthName = "King"
		must(t, db.UpdatePerson(ctx, ada))
		exported2, err := db.ExportAccrochage(ctx, scope, out.export(time.Now()))
		must(t, err)
		second := out.passages(t, exported2[0].IDFlux)
		if len(exported2) != 1 || !slices.Equal(ids(second), []string{adaID}) || second[0].Titulaire.NomNaissance != "King" {
			t.Fatalf("second export: %+v holding %v", exported2, ids(second))
		}
		if exported2[0].IDFlux == exported[0].IDFlux {
			t.Fatalf("two files share the idFlux %s", exported2[0].IDFlux)
		}
		// The first report, applied again, leaves Ada to the second file's.
		applied, err = db.ApplyAccrochageReport(ctx, rep)
		must(t, err)
		if applied.Superseded != 1 || applied.Accepted != 1 {
			t.Fatalf("the first report again: %+v", applied)
		}
		if list, _ = db.AccrochagePassages(ctx, scope, certibloc.PassageSent, 0); len(list) != 1 || list[0].PersonID != w.ada {
			t.Fatalf("Ada is sent again, awaiting the Caisse: %+v", list)
		}
	})
}

// TestAccrochageScopeAndOverdue: a date range with no holder says so; a
// holder not declared three months after the jury is overdue.
func TestAccrochageScopeAndOverdue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newJuryWorld(t, db)
		ctx := w.ctx
		j := w.jury(t, w.grace)
		w.awardTitle(t, j, map[int64]certibloc.Route{w.grace: certibloc.Training})
		empty := sqldb.AccrochageScope{From: certibloc.DateOf(2020, 1, 1), To: certibloc.DateOf(2020, 12, 31)}
		if _, err := db.ExportAccrochage(ctx, empty, files{}.export(time.Now())); certibloc.ErrorCode(err) != certibloc.ENOTFOUND || !strings.Contains(err.Error(), "no holder") {
			t.Fatalf("an empty range: %v", err)
		}
		bad := sqldb.AccrochageScope{From: certibloc.DateOf(2027, 12, 1), To: certibloc.DateOf(2027, 1, 1)}
		if _, _, err := db.AccrochageCheck(ctx, bad); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Fatalf("a reversed range: %v", err)
		}
		db.SetClockForAdmissionTest(func() time.Time { return time.Date(2027, 9, 30, 12, 0, 0, 0, time.UTC) })
		if late, err := db.AccrochageOverdue(ctx); err != nil || len(late) != 0 {
			t.Fatalf("within three months: %+v, %v", late, err)
		}
		db.SetClockForAdmissionTest(func() time.Time { return time.Date(2027, 10, 2, 12, 0, 0, 0, time.UTC) })
		late, err := db.AccrochageOverdue(ctx)
		if err != nil || len(late) != 1 || late[0].PersonID != w.grace || late[0].Due.String() != "2027-10-01" {
			t.Fatalf("three months and a day after the jury: %+v, %v", late, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
