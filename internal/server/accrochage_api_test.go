package server_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/cdc/cdctest"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAccrochageAPI: through the API, on both engines, a closed jury's
// holders are checked (a missing sex named in French and English, with
// the page that corrects it), exported to a flux the XSD accepts, the
// Caisse's report with one rejection is applied, the holder is corrected
// and only that passage goes again; another tool's flux is read back.
func TestAccrochageAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newE2E(t, db)
		m := &matrix{t: t, db: db}
		jury, people := m.holders(2)
		lea, other := people[0], people[1]
		ctx := certibloc.WithPrincipal(t.Context(), m.certifierCtx())
		p, err := db.Person(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		p.Sex = ""
		if err := db.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		e.json(e.staff, "GET", fmt.Sprintf("/api/v1/exports/accrochage/check?jury=%d", jury), "/api/v1/exports/accrochage/check", nil, 403, nil)

		var check struct {
			ToSend   int `json:"to_send"`
			Ready    bool
			Problems []struct{ Code, Field, Link, Message string }
		}
		e.json(e.admin, "GET", fmt.Sprintf("/api/v1/exports/accrochage/check?jury=%d&lang=en", jury), "/api/v1/exports/accrochage/check", nil, 200, &check)
		if check.ToSend != 2 || check.Ready || len(check.Problems) != 1 || check.Problems[0].Field != "sex" ||
			check.Problems[0].Link != fmt.Sprintf("/app/people/%d", other) || !strings.Contains(check.Problems[0].Message, "the sex (F or M) is missing") {
			t.Fatalf("check: %+v", check)
		}
		body := e.json(e.admin, "POST", "/api/v1/exports/accrochage", "/api/v1/exports/accrochage", map[string]any{"jury": jury}, 400, nil)
		if !strings.Contains(string(body), "le sexe (F ou M) manque") {
			t.Errorf("the refused export in French: %s", body)
		}

		p.Sex = "M"
		if err := db.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		flux := e.send(e.admin, request{method: "POST", url: "/api/v1/exports/accrochage", doc: "/api/v1/exports/accrochage",
			body: []byte(fmt.Sprintf(`{"jury":%d}`, jury)), ctype: "application/json", status: 200})
		cdctest.ValidBytes(t, flux)
		f, err := cdc.Parse(bytes.NewReader(flux))
		if err != nil || len(f.Certifications) != 1 || len(f.Certifications[0].Passages) != 2 {
			t.Fatalf("exported flux: %+v, %v", f, err)
		}
		leaID, otherID := fmt.Sprintf("certibloc-RNCP38478-%d", lea), fmt.Sprintf("certibloc-RNCP38478-%d", other)

		var rep bytes.Buffer
		if err := cdc.WriteReport(&rep, &cdc.Report{IDFlux: f.IDFlux, IDTraitement: "51354", OK: []string{leaID},
			KO: []cdc.Rejected{{IDTechnique: otherID, Message: "Plusieurs titulaires ont été identifiés"}}}); err != nil {
			t.Fatal(err)
		}
		var applied certibloc.ReportApplied
		e.json(e.admin, "POST", "/api/v1/exports/accrochage/reports", "/api/v1/exports/accrochage/reports", rep.String(), 200, &applied)
		if applied.Accepted != 1 || applied.Rejected != 1 {
			t.Fatalf("applied %+v", applied)
		}
		e.refused(e.admin, "POST", "/api/v1/exports/accrochage/reports", "/api/v1/exports/accrochage/reports", "<rapport/>", 400, "idFlux")
		var list struct{ Passages []certibloc.PassageState }
		e.json(e.admin, "GET", fmt.Sprintf("/api/v1/exports/accrochage/passages?jury=%d&status=rejected", jury), "/api/v1/exports/accrochage/passages", nil, 200, &list)
		if len(list.Passages) != 1 || list.Passages[0].IDTechnique != otherID || list.Passages[0].Message != "Plusieurs titulaires ont été identifiés" {
			t.Fatalf("rejected passages: %+v", list.Passages)
		}

		p.BirthPlace = "21054"
		if err := db.UpdatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		flux = e.send(e.admin, request{method: "POST", url: "/api/v1/exports/accrochage", doc: "/api/v1/exports/accrochage",
			body: []byte(fmt.Sprintf(`{"jury":%d}`, jury)), ctype: "application/json", status: 200})
		cdctest.ValidBytes(t, flux)
		if f, err = cdc.Parse(bytes.NewReader(flux)); err != nil || len(f.Certifications[0].Passages) != 1 || f.Certifications[0].Passages[0].IDTechnique != otherID {
			t.Fatalf("the second export holds %+v, %v", f, err)
		}
		var files struct{ Files []sqldb.CDCFile }
		e.json(e.admin, "GET", "/api/v1/exports/accrochage/files", "/api/v1/exports/accrochage/files", nil, 200, &files)
		if len(files.Files) != 2 || files.Files[1].ProcessingID != "51354" {
			t.Fatalf("files: %+v", files.Files)
		}

		// The figures: two candidates in 2027, both holders by VAE; the
		// renewal pack as CSV in French.
		var figs struct {
			Figures []sqldb.Figures
		}
		e.json(e.admin, "GET", "/api/v1/reports/certifications/RNCP38478/figures", "/api/v1/reports/certifications/{code}/figures", nil, 200, &figs)
		if len(figs.Figures) != 1 || figs.Figures[0].Year != 2027 || figs.Figures[0].Route != certibloc.VAE || figs.Figures[0].Candidates != 2 ||
			figs.Figures[0].Holders != 2 || figs.Figures[0].PassRate != 100 || len(figs.Figures[0].Blocks) != 4 || figs.Figures[0].Blocks[3].Rate != 100 {
			t.Fatalf("figures: %+v", figs.Figures)
		}
		csv := e.send(e.admin, request{method: "GET", url: "/api/v1/reports/certifications/RNCP38478/figures?format=csv",
			doc: "/api/v1/reports/certifications/{code}/figures", status: 200})
		if !strings.Contains(string(csv), "Année;Voie;Candidats;Titulaires") || !strings.Contains(string(csv), "2027;VAE;2;2;0;100;RNCP38478BC01;2;100") {
			t.Errorf("the renewal pack:\n%s", csv)
		}
		xlsx := e.send(e.admin, request{method: "GET", url: "/api/v1/reports/certifications/RNCP38478/figures?format=xlsx",
			doc: "/api/v1/reports/certifications/{code}/figures", status: 200})
		if !bytes.HasPrefix(xlsx, []byte("PK")) {
			t.Errorf("the XLSX pack is not a zip: %.20q", xlsx)
		}
		svg := e.send(e.admin, request{method: "GET", url: "/api/v1/reports/certifications/RNCP38478/figures?format=svg",
			doc: "/api/v1/reports/certifications/{code}/figures", status: 200})
		if !bytes.HasPrefix(svg, []byte("<svg")) || !strings.Contains(string(svg), "2027, VAE — 100 % (2 candidat(s))") {
			t.Errorf("the chart: %s", svg)
		}

		// Another tool's flux: the Caisse's official example reads, passage by passage.
		example, err := os.ReadFile("../cdc/testdata/exemple-officiel_kit-v2.0.0.xml")
		if err != nil {
			t.Fatal(err)
		}
		var read struct {
			IDFlux         string `json:"id_flux"`
			Passages       int
			Certifications []struct {
				Code     string
				Passages []struct{ Holder string }
			}
		}
		e.json(e.admin, "POST", "/api/v1/imports/accrochage", "/api/v1/imports/accrochage", string(example), 200, &read)
		if read.Passages != 3 || read.Certifications[0].Code != "RNCP19117" || read.Certifications[0].Passages[1].Holder != "Antoine Dupont (dossier 1234567891011)" {
			t.Fatalf("the official example read as %+v", read)
		}
		e.refused(e.admin, "POST", "/api/v1/imports/accrochage", "/api/v1/imports/accrochage", strings.Replace(string(example), "<cpf:sexe>M</cpf:sexe>", "", 1), 400, "sexe")
	})
}
