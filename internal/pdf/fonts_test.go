package pdf

import (
	"bytes"
	"compress/zlib"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/text/encoding/charmap"
)

var update = flag.Bool("update", false, "regenerate fonts/*.json and fonts/*.z from the Go fonts")

// The fonts of the fast path (fonts/) are made from the Go fonts: cut to
// the glyphs of Windows-1252 by fpdf's own subsetter, then described for
// that encoding by fpdf.MakeFont. TestEmbeddedFonts makes them again and
// compares: with -update it writes them.
func TestEmbeddedFonts(t *testing.T) {
	for name, ttf := range map[string][]byte{"go-regular": goregular.TTF, "go-bold": gobold.TTF} {
		def, z := makeFont(t, name, ttf)
		if *update {
			os.WriteFile(filepath.Join("fonts", name+".json"), def, 0o644)
			os.WriteFile(filepath.Join("fonts", name+".z"), z, 0o644)
			continue
		}
		if !bytes.Equal(def, mustRead(t, "fonts/"+name+".json")) || !bytes.Equal(z, mustRead(t, "fonts/"+name+".z")) {
			t.Errorf("fonts/%s.* differ from what the Go fonts give: go test ./internal/pdf -run EmbeddedFonts -update", name)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := fontFiles.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// makeFont cuts ttf to Windows-1252 and returns fpdf's definition of it
// and the compressed font file.
func makeFont(t *testing.T, name string, ttf []byte) (def, z []byte) {
	var all []rune
	for b := 0x20; b <= 0xff; b++ {
		if r := charmap.Windows1252.DecodeByte(byte(b)); r != '\uFFFD' {
			all = append(all, r)
		}
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(false)
	f.AddUTF8FontFromBytes("cut", "", ttf)
	f.AddPage()
	f.SetFont("cut", "", 10)
	f.Text(10, 10, string(all)) // Text marks every rune, spaces included (Write splits words)
	var doc bytes.Buffer
	if err := f.Output(&doc); err != nil {
		t.Fatal(err)
	}
	// The subset is the FontFile2 stream, always compressed by fpdf.
	m := regexp.MustCompile(`/FontFile2 (\d+) 0 R`).FindSubmatch(doc.Bytes())
	if m == nil {
		t.Fatal("no FontFile2 in the cut")
	}
	obj := regexp.MustCompile(`(?s)\n` + string(m[1]) + ` 0 obj\n<<.*?/Length (\d+).*?>>\nstream\n`).FindSubmatchIndex(doc.Bytes())
	n, _ := strconv.Atoi(string(doc.Bytes()[obj[2]:obj[3]]))
	zr, err := zlib.NewReader(bytes.NewReader(doc.Bytes()[obj[1] : obj[1]+n]))
	if err != nil {
		t.Fatal(err)
	}
	cut, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name+".ttf"), cut, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := fpdf.MakeFont(filepath.Join(dir, name+".ttf"), "testdata/cp1252.map", dir, nil, true); err != nil {
		t.Fatal(err)
	}
	def, _ = os.ReadFile(filepath.Join(dir, name+".json"))
	z, _ = os.ReadFile(filepath.Join(dir, name+".z"))
	if len(def) == 0 || len(z) == 0 {
		t.Fatal("MakeFont wrote nothing")
	}
	return def, z
}
