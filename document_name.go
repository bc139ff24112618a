package certibloc

import (
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The name a document is stored and served under. A browser sends
// whatever the file was called on the candidate's machine: a whole
// Windows path, an ending that says HTML while the bytes say PDF, bidi
// overrides that show "cv‮fdp.exe" as "cv.exe.pdf", zero-width spaces that
// make two names look alike. The name kept is plain text that ends as its
// content does.

// MaxFilenameBytes bounds the name of a document, ending included.
const MaxFilenameBytes = 200

// typeExtensions are the endings of each content type a document may
// have; the first is the one given to a name without a right one.
var typeExtensions = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
}

// claimedType returns the content type the ending of a name claims, if it
// is one of a document's.
func claimedType(name string) (string, bool) {
	ext := strings.ToLower(path.Ext(name))
	for typ, exts := range typeExtensions {
		if slices.Contains(exts, ext) {
			return typ, true
		}
	}
	return "", false
}

// CleanFilename keeps the base name of a file name sent by a browser
// (which may send a whole Windows path) as plain text: valid UTF-8 in NFC,
// without control or format characters (bidi overrides and isolates,
// zero-width spaces and joiners, the byte order mark), line or paragraph
// separators, private-use characters or double quotes, every kind of
// space turned into a plain one, no leading or trailing dots or spaces,
// at most MaxFilenameBytes. It returns "" when nothing is left.
func CleanFilename(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError || r == '"' || unicode.IsControl(r) ||
			unicode.In(r, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp, unicode.Noncharacter_Code_Point):
			return -1
		case r == '\\':
			return '/'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	s = path.Base(norm.NFC.String(s))
	s = strings.Trim(s, ". ")
	if s == "/" {
		return ""
	}
	return truncateUTF8(s, MaxFilenameBytes)
}

// DocumentName returns the name under which a document of contentType is
// stored and served: the cleaned name (CleanFilename) ending with an
// ending of its content type. A right ending is kept (CV.PDF, photo.jpeg);
// another ending is replaced (evil.html sniffed as a PDF is evil.pdf); a
// name without one gets it (diplome is diplome.png). The stem is cut, not
// the ending, to keep within MaxFilenameBytes.
func DocumentName(filename, contentType string) string {
	name := CleanFilename(filename)
	exts := typeExtensions[contentType]
	if len(exts) == 0 {
		return name
	}
	stem, ext := name, path.Ext(name)
	switch {
	case slices.Contains(exts, strings.ToLower(ext)):
		stem = strings.TrimSuffix(name, ext)
	case isExtension(ext):
		stem, ext = strings.TrimSuffix(name, ext), exts[0]
	default:
		ext = exts[0] // "CV M. Dupont": ". Dupont" is no ending
	}
	stem = strings.TrimRight(truncateUTF8(stem, MaxFilenameBytes-len(ext)), ". ")
	if stem == "" {
		stem = "document"
	}
	return stem + ext
}

// isExtension reports whether ext (".html") looks like the ending of a
// file name: a dot and one to five ASCII letters or digits.
func isExtension(ext string) bool {
	if len(ext) < 2 || len(ext) > 6 {
		return false
	}
	for _, c := range ext[1:] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// truncateUTF8 cuts s to at most n bytes without cutting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ServedDocument returns the content type and the name a stored document
// is served with: the type its bytes say (application/octet-stream if they
// say none of a document's, which a document stored by CheckDocument never
// is, and then the name document.bin) and its name ending as that type
// does. A name stored before names were cleaned comes out clean all the
// same.
func ServedDocument(filename string, data []byte) (contentType, name string) {
	contentType, err := SniffDocument(filename, data)
	if err != nil {
		return "application/octet-stream", "document.bin"
	}
	return contentType, DocumentName(filename, contentType)
}
