package pdf_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/pdf"
)

const baseURL = "https://certibloc.example.fr"

// sample returns a document of kind k with a fresh number.
func sample(t testing.TB, k certibloc.DocumentKind) *certibloc.IssuedDocument {
	n, err := certibloc.NewDocumentNumber(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d := &certibloc.IssuedDocument{
		Number: n, Kind: k, PersonID: 1, School: "DEMO",
		Holder: certibloc.DocumentHolder{FirstNames: "Hélène Françoise", LastName: "Lefèvre-Noël", BirthName: "Dupré",
			BirthDate: certibloc.DateOf(1990, 3, 12)},
		Certification: certibloc.DocumentCertification{Code: "RNCP38478", Version: 1,
			Title: "Coordinateur de projets informatiques", Level: 6, Certifier: "École supérieure de démonstration"},
		Blocks: []certibloc.DocumentBlock{
			{Code: "RNCP38478BC01", Title: "Piloter un projet informatique : planification, coûts, qualité et équipes pluridisciplinaires",
				Date: certibloc.DateOf(2026, 6, 1), Route: certibloc.Training},
			{Code: "RNCP38478BC02", Title: "Concevoir une solution répondant à un besoin", Date: certibloc.DateOf(2024, 11, 20), Route: certibloc.VAE},
			{Code: "RNCP38478BC03", Title: "Déployer et maintenir l'application", Date: certibloc.DateOf(2026, 6, 1), Route: certibloc.Mixed},
		},
		JuryDate: certibloc.DateOf(2026, 7, 2), IssuedAt: time.Date(2026, 7, 3, 9, 30, 0, 0, time.UTC),
	}
	if k == certibloc.Attestation {
		d.Blocks = d.Blocks[1:2]
	}
	return d
}

// tool returns the path of a poppler-utils program, skipping the test
// when it is missing outside CI.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: install poppler-utils", name)
		}
		t.Skipf("%s is missing (poppler-utils): scripts/test installs it", name)
	}
	return p
}

// text extracts the text of a PDF with pdftotext, spaces normalised.
func text(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool(t, "pdftotext"), "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestDocumentsReadInFrench(t *testing.T) {
	r, err := pdf.New(baseURL + "/")
	if err != nil {
		t.Fatal(err)
	}
	common := []string{"École supérieure de démonstration", "Hélène Françoise Lefèvre-Noël (Dupré)", "né(e) le 12 mars 1990",
		"compétences", "Document délivré le 3 juillet 2026", "RNCP38478"}
	for _, c := range []struct {
		kind certibloc.DocumentKind
		want []string
	}{
		{certibloc.Certificate, []string{"Certificat", "certifie que", "a obtenu la certification professionnelle",
			"« Coordinateur de projets informatiques »", "niveau 6", "par décision du jury du 2 juillet 2026",
			"Répertoire national des certifications professionnelles (RNCP)"}},
		{certibloc.Attestation, []string{"Attestation de bloc de compétences", "a validé le bloc de compétences",
			"RNCP38478BC02 « Concevoir une solution répondant à un besoin »", "« Coordinateur de projets informatiques »",
			"validation des acquis de l'expérience", "le 20 novembre 2024", "acquis définitivement"}},
		{certibloc.Transcript, []string{"Relevé des blocs de compétences", "RNCP38478BC01", "pluridisciplinaires",
			"Déployer et maintenir l'application", "20/11/2024", "Formation", "VAE", "Mixte", "« Coordinateur de projets informatiques »"}},
	} {
		d := sample(t, c.kind)
		b, err := r.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		got := text(t, b)
		for _, want := range append(append([]string{"N° " + d.Number, baseURL + "/verify/" + d.Number}, common...), c.want...) {
			if !strings.Contains(got, want) {
				t.Errorf("%s: %q is not in the text:\n%s", c.kind, want, got)
			}
		}
		if c.kind == certibloc.Attestation && strings.Contains(got, "RNCP38478BC01") {
			t.Errorf("the attestation of BC02 names BC01:\n%s", got)
		}
		// The font is embedded (a subset): the accents do not depend on the reader's fonts.
		if !regexp.MustCompile(`/FontFile2 \d+ 0 R`).Match(b) {
			t.Errorf("%s: no embedded TrueType font", c.kind)
		}
	}
}

// The QR code, read back from the page as a reader's phone would see it
// (pdftoppm renders it, gozxing decodes it), is the verification address.
func TestQRCodeLeadsToTheVerificationPage(t *testing.T) {
	r, _ := pdf.New(baseURL)
	d := sample(t, certibloc.Certificate)
	b, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.pdf")
	os.WriteFile(path, b, 0o600)
	// 150 dpi, the foot of the page only, where the code is.
	out, err := exec.Command(tool(t, "pdftoppm"), "-png", "-r", "150", "-singlefile", "-y", "1350", "-H", "400",
		"-x", "0", "-W", "1240", path, filepath.Join(dir, "page")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code read on the page: %v", err)
	}
	if want := baseURL + "/verify/" + d.Number; res.GetText() != want {
		t.Errorf("the QR code reads %q, want %q", res.GetText(), want)
	}
}

func TestQRMatrixIsTheLibrarysEncoding(t *testing.T) {
	m, err := pdf.QRMatrix(baseURL + "/verify/7K3M-Q9XZ-2HRT-8BWD-J")
	if err != nil {
		t.Fatal(err)
	}
	// Version 4 (33 modules) holds a 54-byte address at level M; the
	// finder pattern's corner and ring are where the standard puts them.
	if len(m) < 29 || len(m[0]) != len(m) {
		t.Fatalf("matrix %d×%d", len(m), len(m[0]))
	}
	for i := range 7 {
		if !m[0][i] || !m[6][i] || !m[i][0] || !m[i][6] || m[1][1+min(i, 4)] {
			t.Fatalf("no finder pattern in the top-left corner")
		}
	}
}

// Rendering depends on the document alone: the same document gives the
// same bytes, hence the same digest.
func TestRenderingIsReproducible(t *testing.T) {
	r, _ := pdf.New(baseURL)
	d := sample(t, certibloc.Transcript)
	a, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := r.Render(d)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one document differ")
	}
}

func TestRenderRefuses(t *testing.T) {
	if _, err := pdf.New("certibloc.example.fr"); certibloc.ErrorCode(err) != certibloc.EINVALID {
		t.Errorf("a base URL without a scheme: %v", err)
	}
	r, _ := pdf.New(baseURL)
	d := sample(t, certibloc.Attestation)
	d.Blocks = nil
	if _, err := r.Render(d); certibloc.ErrorCode(err) != certibloc.EINVALID {
		t.Errorf("an attestation without a block: %v", err)
	}
	docs := []*certibloc.IssuedDocument{sample(t, certibloc.Certificate), d, sample(t, certibloc.Certificate)}
	if out, err := r.RenderAll(context.Background(), docs, 2); err == nil || out != nil {
		t.Errorf("a batch with a bad document: %v, %d files", err, len(out))
	}
}

// Rendered in a batch or alone, concurrently or not, a document gives the
// same bytes (a QR library that chose its mask by a race once broke this).
func TestRenderAllKeepsTheOrder(t *testing.T) {
	r, _ := pdf.New(baseURL)
	var docs []*certibloc.IssuedDocument
	for range 100 {
		docs = append(docs, sample(t, certibloc.Certificate))
	}
	out, err := r.RenderAll(context.Background(), docs, 4)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range out {
		if one, _ := r.Render(docs[i]); !bytes.Equal(one, b) {
			t.Fatalf("file %d is not document %d rendered alone", i, i)
		}
	}
}

// BenchmarkCertificates renders certificates over GOMAXPROCS workers, as a
// closed jury's batch does; the figure to read is pdf/s.
func BenchmarkCertificates(b *testing.B) {
	r, _ := pdf.New(baseURL)
	const batch = 200
	docs := make([]*certibloc.IssuedDocument, batch)
	for i := range docs {
		docs[i] = sample(b, certibloc.Certificate)
	}
	cpu0 := cpuTime()
	start := time.Now()
	for b.Loop() {
		if _, err := r.RenderAll(context.Background(), docs, 0); err != nil {
			b.Fatal(err)
		}
	}
	n := float64(b.N * batch)
	cpu := (cpuTime() - cpu0).Seconds()
	b.ReportMetric(n/time.Since(start).Seconds(), "pdf/s")
	// What the machine does when it is not shared: the process's CPU time
	// per document, and the rate that makes on every core.
	b.ReportMetric(cpu*1000/n, "cpu-ms/pdf")
	b.ReportMetric(n/cpu*float64(runtime.NumCPU()), "pdf/s-all-cores")
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCertificate renders one certificate on one goroutine.
func BenchmarkCertificate(b *testing.B) {
	r, _ := pdf.New(baseURL)
	d := sample(b, certibloc.Certificate)
	for b.Loop() {
		if _, err := r.Render(d); err != nil {
			b.Fatal(err)
		}
	}
}

// A name outside Windows-1252 is written with the whole fonts, in UTF-8:
// nothing is lost or replaced.
func TestNamesOutsideWindows1252(t *testing.T) {
	r, _ := pdf.New(baseURL)
	d := sample(t, certibloc.Certificate)
	d.Holder = certibloc.DocumentHolder{FirstNames: "Łukasz Thị", LastName: "Wiśniewski-Nguyễn", BirthDate: certibloc.DateOf(1988, 1, 5)}
	b, err := r.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	got := text(t, b)
	for _, want := range []string{"Łukasz Thị Wiśniewski-Nguyễn", "« Coordinateur de projets informatiques »", "délivré", "compétences"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q is not in the text:\n%s", want, got)
		}
	}
	if strings.Contains(got, "?") {
		t.Errorf("a character was replaced:\n%s", got)
	}
}
