package server_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/cdc/cdctest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAccrochagePage: the admin checks a closed jury on the page (the
// holder missing a sex named in French, with a link to their record, and
// no export offered), corrects them, downloads a file the XSD accepts and
// applies the Caisse's report through the form; in English, the same page
// speaks English.
func TestAccrochagePage(t *testing.T) {
	m := newMatrix(t, sqldbtest.SQLite(t))
	jury, people := m.holders(1)
	ctx := certibloc.WithPrincipal(t.Context(), m.certifierCtx())
	p, err := m.db.Person(ctx, people[0])
	if err != nil {
		t.Fatal(err)
	}
	p.Sex = ""
	if err := m.db.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	b := m.browser(t, "admin", "", false)
	page := fmt.Sprintf("/app/reports/accrochage?jury=%d", jury)
	status, _, body := m.serve("GET", page, "", b.header)
	link := fmt.Sprintf(`<a href="/app/people/%d">corriger la fiche</a>`, p.ID)
	if status != 200 || !strings.Contains(body, "le sexe (F ou M) manque") || !strings.Contains(body, link) || strings.Contains(body, "Télécharger le fichier") {
		t.Fatalf("the check on the page: %d\n%s", status, body)
	}
	status, _, body = m.serve("GET", page+"&lang=en", "", b.header)
	if status != 200 || !strings.Contains(body, "the sex (F or M) is missing") || strings.Contains(body, "manque") {
		t.Fatalf("the English page: %d\n%s", status, body)
	}

	p.Sex = "M"
	if err := m.db.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, _, body = m.serve("GET", page+"&lang=fr", "", b.header); !strings.Contains(body, "Télécharger le fichier de déclaration") {
		t.Fatalf("no export offered once corrected:\n%s", body)
	}
	form := b.header.Clone()
	form.Set("Content-Type", "application/x-www-form-urlencoded")
	status, _, flux := m.serve("POST", "/app/reports/accrochage/export", fmt.Sprintf("csrf=%s&jury=%d", b.csrf, jury), form)
	if status != 200 {
		t.Fatalf("export: %d %s", status, flux)
	}
	cdctest.ValidBytes(t, []byte(flux))
	f, err := cdc.Parse(strings.NewReader(flux))
	if err != nil {
		t.Fatal(err)
	}

	var rep, upload bytes.Buffer
	if err := cdc.WriteReport(&rep, &cdc.Report{IDFlux: f.IDFlux, IDTraitement: "9", KO: []cdc.Rejected{{IDTechnique: f.Certifications[0].Passages[0].IDTechnique,
		Message: "Aucun titulaire ne correspond aux critères obligatoires"}}}); err != nil {
		t.Fatal(err)
	}
	mw := multipart.NewWriter(&upload)
	mw.WriteField("csrf", b.csrf)
	fw, _ := mw.CreateFormFile("file", "accuse.xml")
	fw.Write(rep.Bytes())
	mw.Close()
	h := b.header.Clone()
	h.Set("Content-Type", mw.FormDataContentType())
	status, location, body := m.serve("POST", "/app/reports/accrochage/report", upload.String(), h)
	if status != http.StatusSeeOther {
		t.Fatalf("report: %d %s", status, body)
	}
	if _, _, body = m.serve("GET", location, "", b.header); !strings.Contains(body, "Accusé appliqué : 0 passage accepté, 1 rejeté.") {
		t.Fatalf("after the report:\n%s", body)
	}
	if _, _, body = m.serve("GET", page, "", b.header); !strings.Contains(body, "Rejeté : Aucun titulaire ne correspond aux critères obligatoires") {
		t.Fatalf("the rejection on the page:\n%s", body)
	}
}
