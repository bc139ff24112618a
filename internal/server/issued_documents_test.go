package server_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// issueDocument issues a document of kind to p, for the seed
// certification's first blocks (one for an attestation, six otherwise),
// rendered as the certifier would, with QR codes to baseURL.
func issueDocument(t *testing.T, db *sqldb.DB, baseURL string, kind certibloc.DocumentKind, p *certibloc.Person) *certibloc.IssuedDocument {
	t.Helper()
	ctx := t.Context()
	cert, err := db.Certification(ctx, "RNCP38478", 0)
	if err != nil {
		t.Fatal(err)
	}
	blocks := 6
	if kind == certibloc.Attestation {
		blocks = 1
	}
	var verdicts []certibloc.BlockVerdict
	for i, b := range cert.Blocks[:blocks] {
		route := certibloc.Training
		if i == 1 {
			route = certibloc.VAE
		}
		verdicts = append(verdicts, certibloc.BlockVerdict{Block: b.Code, Proposed: true, Validated: true, Route: route,
			Date: certibloc.DateOf(2026, 6, 10)})
	}
	n, err := certibloc.NewDocumentNumber(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, err := certibloc.NewIssuedDocument(kind, n, p, cert, verdicts, 0, certibloc.DateOf(2026, 7, 2), time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	r, err := pdf.New(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.IssueDocument(ctx, d, b); err != nil {
		t.Fatal(err)
	}
	return d
}

// getFrom sends a GET to h from an address, with cookies or a token, and
// returns the status and body.
func getFrom(t *testing.T, h http.Handler, url, from string, header map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", url, nil)
	if from != "" {
		req.RemoteAddr = from + ":4321"
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code, w.Header(), w.Body.Bytes()
}

// TestVerifyDocuments issues a certificate, an attestation and a
// transcript, reads them on the verification page and in JSON (checked
// against the OpenAPI document), in both languages; revokes one; refuses
// malformed and unknown numbers; and downloads the PDFs by role.
func TestVerifyDocuments(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		p := &certibloc.Person{School: "DIIAGE", BirthName: "Lefèvre", FirstNames: "Hélène", BirthDate: certibloc.DateOf(1993, 5, 17),
			Email: "helene@example.org"}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		cert := issueDocument(t, db, "https://certibloc.example.fr", certibloc.Certificate, p)
		att := issueDocument(t, db, "https://certibloc.example.fr", certibloc.Attestation, p)
		tr := issueDocument(t, db, "https://certibloc.example.fr", certibloc.Transcript, p)

		// The page, where the QR code leads: French, then English.
		status, hdr, body := getFrom(t, h, "/verify/"+cert.Number, "198.51.100.1", nil)
		page := string(body)
		if status != 200 || hdr.Get("Cache-Control") != "no-store" || hdr.Get("X-Robots-Tag") != "noindex" {
			t.Fatalf("page: %d %v", status, hdr)
		}
		for _, want := range []string{"Document authentique et valide", "Hélène Lefèvre", "1993", "Coordinateur de projets informatiques",
			"RNCP38478, niveau 6", "SUP DE VINCI", "RNCP38478BC06", "02/07/2026", cert.Digest, cert.Number} {
			if !strings.Contains(page, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		for _, leak := range []string{"17/05/1993", "1993-05-17", "helene@example.org"} {
			if strings.Contains(page, leak) {
				t.Errorf("the page shows %q", leak)
			}
		}
		_, _, body = getFrom(t, h, "/verify/"+strings.ToLower(strings.ReplaceAll(att.Number, "-", ""))+"?lang=en", "198.51.100.1", nil)
		for _, want := range []string{"Genuine and valid document", "attestation of a block of competencies", "acquired on 10 June 2026", att.Number} {
			if !strings.Contains(string(body), want) {
				t.Errorf("the English page lacks %q", want)
			}
		}
		// The form sends ?number=.
		if status, _, body := getFrom(t, h, "/verify?number="+tr.Number, "198.51.100.1", nil); status != 200 ||
			!strings.Contains(string(body), "relevé des blocs de compétences") {
			t.Errorf("the form's answer: %d", status)
		}

		// JSON, as documented.
		const doc = "/api/v1/documents/{number}"
		body = do(t, h, o, call{method: "GET", url: "/api/v1/documents/" + tr.Number, doc: doc, status: 200})
		var v certibloc.Verification
		json.Unmarshal(body, &v)
		if v.Status != "valid" || v.Holder != "Hélène Lefèvre" || v.BirthYear != 1993 || len(v.Blocks) != 6 || v.Digest != tr.Digest ||
			v.Kind != certibloc.Transcript || v.Certification.Level != 6 {
			t.Errorf("verification %s", body)
		}
		if strings.Contains(string(body), "1993-05-17") || strings.Contains(string(body), "person_id") || strings.Contains(string(body), "vae") {
			t.Errorf("the verification shows more than the minimum: %s", body)
		}

		// Malformed numbers: 400 in the page's language; unknown: 404.
		typo := cert.Number[:3] + string("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(strings.IndexByte("0123456789ABCDEFGHJKMNPQRSTVWXYZ", cert.Number[3])+1)%32]) + cert.Number[4:]
		for _, c := range []struct {
			url    string
			status int
			want   string
		}{
			{"/verify/" + typo, 400, "le symbole de contrôle du numéro ne correspond pas"},
			{"/verify/" + typo + "?lang=en", 400, "check symbol does not match"},
			{"/verify/ABC", 400, "un numéro de document compte 17 symboles"},
			{"/verify?number=7K3M-Q9XZ-2HRT-8BWU-J&lang=en", 400, "“U” is not a symbol"},
			{"/verify/" + unknownNumber(t), 404, "Aucun document ne porte ce numéro"},
		} {
			status, _, body := getFrom(t, h, c.url, "198.51.100.1", nil)
			if status != c.status || !strings.Contains(string(body), c.want) {
				t.Errorf("%s: %d, want %d with %q:\n%s", c.url, status, c.status, c.want, body)
			}
		}
		do(t, h, o, call{method: "GET", url: "/api/v1/documents/" + typo + "?lang=en", doc: doc, status: 400,
			check: func(t *testing.T, body []byte) {
				if !strings.Contains(string(body), "check symbol does not match") {
					t.Errorf("%s", body)
				}
			}})
		do(t, h, o, call{method: "GET", url: "/api/v1/documents/" + unknownNumber(t), doc: doc, status: 404,
			check: func(t *testing.T, body []byte) {
				if !strings.Contains(string(body), "Aucun document ne porte ce numéro") {
					t.Errorf("%s", body)
				}
			}})

		// A revoked document says so, with the date and not the reason.
		if _, err := db.RevokeDocument(ctx, att.Number, "erreur de saisie du jury, attestation rééditée"); err != nil {
			t.Fatal(err)
		}
		_, _, body = getFrom(t, h, "/verify/"+att.Number, "198.51.100.1", nil)
		today := time.Now().UTC().Format("02/01/2006")
		if !strings.Contains(string(body), "Document authentique, mais révoqué") || !strings.Contains(string(body), "révoqué le "+today) ||
			strings.Contains(string(body), "erreur de saisie") {
			t.Errorf("the revoked document's page:\n%s", body)
		}
		body = do(t, h, o, call{method: "GET", url: "/api/v1/documents/" + att.Number, doc: doc, status: 200})
		if !strings.Contains(string(body), `"status":"revoked"`) || !strings.Contains(string(body), `"revoked_on":"`+time.Now().UTC().Format(time.DateOnly)) {
			t.Errorf("revoked: %s", body)
		}

		// The PDF: for the holder and the staff of their school.
		if err := db.CreateSchool(ctx, &certibloc.School{Code: "OTHER", Name: "Autre école"}); err != nil {
			t.Fatal(err)
		}
		staff, _, _ := db.CreateToken(ctx, "test", "staff", "DIIAGE")
		other, _, _ := db.CreateToken(ctx, "test", "staff", "OTHER")
		jury, _, _ := db.CreateToken(ctx, "test", "jury", "DIIAGE")
		pdfURL := "/api/v1/documents/" + cert.Number + "/pdf"
		status, hdr, body = getFrom(t, h, pdfURL, "", map[string]string{"Authorization": "Bearer " + staff})
		sum := sha256.Sum256(body)
		if status != 200 || hdr.Get("Content-Type") != "application/pdf" || hex.EncodeToString(sum[:]) != cert.Digest ||
			!strings.Contains(hdr.Get("Content-Disposition"), "certificate-"+cert.Number+".pdf") {
			t.Errorf("staff download: %d %v", status, hdr)
		}
		for name, c := range map[string]call{
			"anonymous":         {method: "GET", url: pdfURL, doc: "/api/v1/documents/{number}/pdf", status: 401},
			"another school":    {method: "GET", url: pdfURL, doc: "/api/v1/documents/{number}/pdf", token: other, status: 403},
			"a jury member":     {method: "GET", url: pdfURL, doc: "/api/v1/documents/{number}/pdf", token: jury, status: 403},
			"an unknown number": {method: "GET", url: "/api/v1/documents/" + unknownNumber(t) + "/pdf", doc: "/api/v1/documents/{number}/pdf", token: staff, status: 404},
			"a malformed one":   {method: "GET", url: "/api/v1/documents/XYZ/pdf", doc: "/api/v1/documents/{number}/pdf", token: staff, status: 400},
		} {
			t.Run(name, func(t *testing.T) { do(t, h, o, c) })
		}
		// The holder, signed in on the web.
		acct, err := db.CreateAccount(ctx, certibloc.Account{PersonID: p.ID, Email: p.Email, Role: certibloc.Candidate})
		if err != nil {
			t.Fatal(err)
		}
		secret, err := db.CreateSession(ctx, acct.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		status, _, body = getFrom(t, h, "/api/v1/documents/"+tr.Number+"/pdf", "", map[string]string{"Cookie": "certibloc_session=" + secret})
		if status != 200 || !strings.HasPrefix(string(body), "%PDF-") {
			t.Errorf("the holder's download: %d", status)
		}
		checkPDFText(t, body, tr.Number)
	})
}

// checkPDFText reads a downloaded PDF with pdftotext when it is there.
func checkPDFText(t *testing.T, b []byte, number string) {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: install poppler-utils")
		}
		return
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(file, b, 0o600)
	out, err := exec.Command(path, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Relevé des blocs de compétences", "Hélène Lefèvre", "« Coordinateur de projets informatiques", "délivré", number,
		"https://certibloc.example.fr/verify/" + number} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
}

// unknownNumber is a well-formed number that no document has.
func unknownNumber(t *testing.T) string {
	n, err := certibloc.NewDocumentNumber(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Lookups through the page and the API share one limit per address: of
// many at once, exactly the limit are answered; another address is not
// affected; a malformed number is refused even past the limit, and costs
// nothing.
func TestVerificationThrottle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		p := &certibloc.Person{School: "DIIAGE", BirthName: "Martin", FirstNames: "Léa", BirthDate: certibloc.DateOf(2000, 1, 2)}
		if err := db.CreatePerson(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		d := issueDocument(t, db, "https://certibloc.example.fr", certibloc.Certificate, p)
		n := certibloc.VerifyLimit + 15
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				url := "/api/v1/documents/" + d.Number
				if i%2 == 0 {
					url = "/verify/" + d.Number
				}
				statuses[i], _, _ = getFrom(t, h, url, "203.0.113.7", nil)
			})
		}
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[200] != certibloc.VerifyLimit || count[429] != 15 {
			t.Errorf("%d lookups at once from one address: %v", n, count)
		}
		status, hdr, body := getFrom(t, h, "/verify/"+d.Number, "203.0.113.7", nil)
		if status != 429 || hdr.Get("Retry-After") == "" || !strings.Contains(string(body), "Trop de vérifications") {
			t.Errorf("past the limit: %d %v", status, hdr)
		}
		if status, hdr, _ := getFrom(t, h, "/api/v1/documents/"+d.Number, "203.0.113.7", nil); status != 429 || hdr.Get("Retry-After") == "" {
			t.Errorf("past the limit, JSON: %d %v", status, hdr)
		}
		if status, _, _ := getFrom(t, h, "/verify/NOT-A-NUMBER", "203.0.113.7", nil); status != 400 {
			t.Errorf("a malformed number past the limit: %d, want 400", status)
		}
		if status, _, _ := getFrom(t, h, "/verify/"+d.Number, "203.0.113.8", nil); status != 200 {
			t.Errorf("another address: %d", status)
		}
	})
}

// TestVerificationPagesInBrowser opens the verification pages in headless
// Chromium: axe-core finds nothing, nothing comes from elsewhere, each
// page is small; the form refuses a mistyped number in words.
func TestVerificationPagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	p := &certibloc.Person{School: "DIIAGE", BirthName: "Lefèvre", UsageName: "Noël", FirstNames: "Éloïse", BirthDate: certibloc.DateOf(2001, 4, 2)}
	if err := db.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	tr := issueDocument(t, db, srv.URL, certibloc.Transcript, p)
	att := issueDocument(t, db, srv.URL, certibloc.Attestation, p)
	if _, err := db.RevokeDocument(t.Context(), att.Number, "attestation remplacée par le relevé"); err != nil {
		t.Fatal(err)
	}
	verify := srv.URL + "/verify"
	results := browsertest.Check(t,
		browsertest.Page{Name: "form (fr)", URL: verify},
		browsertest.Page{Name: "form (en)", URL: verify + "?lang=en"},
		browsertest.Page{Name: "valid transcript (fr)", URL: verify + "/" + tr.Number},
		browsertest.Page{Name: "valid transcript (en)", URL: verify + "/" + tr.Number + "?lang=en"},
		browsertest.Page{Name: "revoked attestation", URL: verify + "/" + att.Number},
		browsertest.Page{Name: "typed in the form", URL: verify, Actions: []browsertest.Action{
			{Do: "fill", Selector: "#number", Value: strings.ToLower(tr.Number)},
			{Do: "click", Selector: "main form button[type=submit]"}}},
		browsertest.Page{Name: "mistyped in the form (en)", URL: verify + "?lang=en", Actions: []browsertest.Action{
			{Do: "fill", Selector: "#number", Value: tr.Number[:19] + "X"},
			{Do: "click", Selector: "main form button[type=submit]"}}},
		browsertest.Page{Name: "unknown number", URL: verify + "/" + unknownNumber(t)},
	)
	browsertest.AssertClean(t, results[:6], 30<<10)
	for _, r := range results[6:] {
		if len(r.Violations) > 0 || len(r.ThirdParty) > 0 || r.Bytes > 30<<10 || r.Error != "" {
			t.Errorf("%s: %v, %v, %d bytes, %s", r.Name, r.ViolationIDs(), r.ThirdParty, r.Bytes, r.Error)
		}
	}
	if results[6].Status != 400 || results[7].Status != 404 {
		t.Errorf("mistyped: %d, unknown: %d", results[6].Status, results[7].Status)
	}
}
