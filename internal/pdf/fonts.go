package pdf

import (
	"embed"
	"errors"
	"strings"

	"golang.org/x/text/encoding/charmap"
)

// The fast path's fonts: the Go fonts cut to the glyphs of Windows-1252
// (every letter of French, « », œ, €…) and described for that encoding,
// made by TestEmbeddedFonts. Embedding them costs a copy of about 20 KB
// per document, where the whole fonts in UTF-8 cost fpdf a parse, a cut
// and a compression of each font for every document.
//
//go:embed fonts/*.json fonts/*.z
var fontFiles embed.FS

type cutFont struct{ def, z []byte }

var cutRegular, cutBold = loadCut("go-regular"), loadCut("go-bold")

func loadCut(name string) cutFont {
	def, err1 := fontFiles.ReadFile("fonts/" + name + ".json")
	z, err2 := fontFiles.ReadFile("fonts/" + name + ".z")
	if err := errors.Join(err1, err2); err != nil {
		panic(err) // embedded: a missing file is a build mistake
	}
	return cutFont{def, z}
}

// errNotInEncoding says that a document has a character outside
// Windows-1252: it is written with the whole fonts instead.
var errNotInEncoding = errors.New("a character is not in Windows-1252")

// cp1252 encodes text for the cut fonts and remembers whether a
// character was lost.
type cp1252 struct{ lost bool }

func (c *cp1252) encode(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		b, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			c.lost = true
			b = '?'
		}
		sb.WriteByte(b)
	}
	return sb.String()
}
