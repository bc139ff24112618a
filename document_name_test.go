package certibloc

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// polyglot is a PDF-prefixed HTML page: a browser that sniffs it, or is
// told it is text/html, runs its script.
var polyglot = []byte("%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n")

func TestCheckDocumentKeepsOnlyTheSniffedEnding(t *testing.T) {
	png := document(t, "diploma.png")
	tests := []struct {
		filename string
		data     []byte
		want     string
	}{
		{"evil.html", polyglot, "evil.pdf"},
		{"evil.HTM", polyglot, "evil.pdf"},
		{"cv.pdf.html", polyglot, "cv.pdf.pdf"},
		{"page.svg", png, "page.png"},
		{"diplome", png, "diplome.png"},
		{"CV M. Dupont", polyglot, "CV M. Dupont.pdf"},
		{"CV.PDF", polyglot, "CV.PDF"},
		{".htaccess", polyglot, "htaccess.pdf"},
		{"cv\u202Efdp.exe", polyglot, "cvfdp.pdf"},                   // right-to-left override: "cvexe.pdf" on screen
		{"cv\u2066\u2069\u200B\u200D\uFEFF.pdf", polyglot, "cv.pdf"}, // isolates, zero-width space and joiner, BOM
		{"cv\u2028\u0085\x7f\x00.pdf", polyglot, "cv.pdf"},           // line separator, NEL, DEL, NUL
		{"cv\u00a0L\u00e9a\u3000.pdf", polyglot, "cv L\u00e9a.pdf"},  // no-break and ideographic spaces
		{"Le\u0301a.pdf", polyglot, "L\u00e9a.pdf"},                  // decomposed é, composed
		{"cv\xff\xfe.pdf", polyglot, "cv.pdf"},                       // not UTF-8
	}
	for _, tt := range tests {
		name, typ, err := CheckDocument(DocCV, tt.filename, tt.data)
		if err != nil || name != tt.want {
			t.Errorf("CheckDocument(%+q) = %+q, %q, %v; want %+q", tt.filename, name, typ, err, tt.want)
		}
	}
	// Not an allowed type, whatever the name.
	for _, data := range [][]byte{[]byte("<html><script>alert(1)</script></html>"), []byte("GIF89a..."), []byte("PK\x03\x04")} {
		if _, _, err := CheckDocument(DocCV, "evil.pdf", data); ErrorCode(err) != EINVALID ||
			!strings.Contains(err.Error(), "is not a PDF, PNG or JPEG file") {
			t.Errorf("%q: %v", data[:4], err)
		}
	}
	// Nothing left of the name but what is stripped.
	if _, _, err := CheckDocument(DocCV, "\u202E\u200B..", polyglot); err == nil || !strings.Contains(err.Error(), "needs a file name") {
		t.Errorf("a name of format characters only: %v", err)
	}
}

func TestDocumentNameBounds(t *testing.T) {
	long := strings.Repeat("é", 300) + ".html"
	name := DocumentName(long, "application/pdf")
	if len(name) > MaxFilenameBytes || !strings.HasSuffix(name, "é.pdf") || !utf8.ValidString(name) {
		t.Errorf("a long name: %q (%d bytes)", name, len(name))
	}
	for _, in := range []string{"", "...", " ", "\u200B"} {
		if got := DocumentName(in, "image/jpeg"); got != "document.jpg" {
			t.Errorf("DocumentName(%+q) = %q", in, got)
		}
	}
	if got := DocumentName("photo.JPEG", "image/jpeg"); got != "photo.JPEG" {
		t.Errorf("a JPEG named .JPEG: %q", got)
	}
}

// FuzzCleanFilename checks that whatever a browser sends, the name kept is
// short NFC text without control or format characters, path or quotes.
func FuzzCleanFilename(f *testing.F) {
	for _, s := range []string{"cv.pdf", `C:\a\b.pdf`, "a\u202Eb", "../..", "Le\u0301a", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, got := range []string{CleanFilename(s), DocumentName(s, "application/pdf")} {
			if len(got) > MaxFilenameBytes || !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) ||
				strings.ContainsAny(got, "/\\\"") {
				t.Fatalf("%+q → %+q", s, got)
			}
			for _, r := range got {
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
					t.Fatalf("%+q → %+q keeps %U", s, got, r)
				}
			}
		}
	})
}

func TestServedDocument(t *testing.T) {
	// A name stored before names were cleaned is served clean.
	if typ, name := ServedDocument("old\u202Elmth.html", polyglot); typ != "application/pdf" || name != "oldlmth.pdf" {
		t.Errorf("an old name: %q, %q", typ, name)
	}
	if typ, name := ServedDocument("page.html", []byte("<html>")); typ != "application/octet-stream" || name != "document.bin" {
		t.Errorf("bytes of no document type: %q, %q", typ, name)
	}
}
