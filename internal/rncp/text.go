package rncp

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/certibloc/certibloc"
)

// spaces maps the white space of the exports to plain spaces and line
// feeds for the list splitter: tabs (CSV SIRETs start with one), no-break
// spaces (French typography puts them before « : »), CR and CRLF line ends.
var spaces = strings.NewReplacer(
	"\r\n", "\n", "\r", "\n", "\t", " ", "\u00a0", " ", "\u202f", " ", "\u2007", " ")

// plainSpaces applies spaces, but first looks whether it has anything to
// do: the replacer copies every text it is given, and most need nothing.
func plainSpaces(s string) string {
	for _, sp := range [...]string{"\r", "\t", "\u00a0", "\u202f", "\u2007"} {
		if strings.Contains(s, sp) {
			return spaces.Replace(s)
		}
	}
	return s
}

// cleanLine returns s on one line: every run of white space, line ends
// included, becomes one space, and none is left at either end.
func cleanLine(s string) string { return collapseSpace(s, false) }

// cleanText normalises the white space of a long text without losing its
// paragraphs: runs of spaces become one space, a line end stays a line end,
// and several become one blank line.
func cleanText(s string) string { return collapseSpace(s, true) }

// collapseSpace does the work of cleanLine and cleanText. It returns s
// itself when it is already clean, as most fields are: this runs on every
// field of a file of hundreds of MB.
func collapseSpace(s string, lines bool) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	newlines, space := 0, false
	for i := 0; i < len(s); {
		sp, n := spaceAt(s, i)
		if sp {
			if s[i] == '\n' || (s[i] == '\r' && !strings.HasPrefix(s[i+1:], "\n")) {
				newlines++
			}
			space = true
			i += n
			continue
		}
		if space && b.Len() > 0 {
			switch {
			case !lines || newlines == 0:
				b.WriteByte(' ')
			case newlines == 1:
				b.WriteByte('\n')
			default:
				b.WriteString("\n\n")
			}
		}
		b.WriteString(s[i : i+n])
		newlines, space = 0, false
		i += n
	}
	return b.String()
}

// isCollapsed reports whether s has no white space but single plain spaces
// between words.
func isCollapsed(s string) bool {
	prev := true // a space at the start is one too many
	for i := 0; i < len(s); {
		sp, n := spaceAt(s, i)
		if sp && (prev || s[i] != ' ') {
			return false
		}
		prev = sp
		i += n
	}
	return !prev || s == ""
}

// spaceAt reports whether the character at s[i] is white space, and its
// length. Only four lead bytes start a non-ASCII space (U+0085, U+00A0,
// U+1680, U+2000…U+205F, U+3000); the others are not asked to unicode.
func spaceAt(s string, i int) (bool, int) {
	switch c := s[i]; {
	case c < utf8.RuneSelf:
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f', 1
	case c == 0xc2 || c == 0xe1 || c == 0xe2 || c == 0xe3:
		r, n := utf8.DecodeRuneInString(s[i:])
		return unicode.IsSpace(r), n
	}
	_, n := utf8.DecodeRuneInString(s[i:])
	return false, n
}

// parseLevel reads NOMENCLATURE_EUROPE/NIVEAU: "NIV6" is level 6. Fiches
// without a European level (RS fiches, old ones marked "REPRISE" in the CSV)
// have level 0.
func parseLevel(s string) (int, error) {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(strings.ToUpper(s), "NIV")
	if !ok {
		return 0, nil
	}
	if len(rest) != 1 || rest[0] < '1' || rest[0] > '8' {
		return 0, fmt.Errorf("level %q is not NIV1 to NIV8", s)
	}
	return int(rest[0] - '0'), nil
}

// parseActive reads the XML Oui/Non and the CSV ACTIVE/INACTIVE. An absent
// value means not active: nothing says the fiche is.
func parseActive(s string) (bool, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "OUI", "ACTIVE":
		return true, nil
	case "NON", "INACTIVE", "":
		return false, nil
	}
	return false, fmt.Errorf("%q is neither Oui/ACTIVE nor Non/INACTIVE", s)
}

// firstDate parses the first non-empty value among (name, value) pairs as a
// JJ/MM/AAAA date. A value that is there but is not a date is an error, even
// when a later one would do: better to say so than to guess.
func firstDate(pairs ...string) (certibloc.Date, error) {
	for i := 0; i+1 < len(pairs); i += 2 {
		v := strings.TrimSpace(pairs[i+1])
		if v == "" {
			continue
		}
		t, err := time.Parse("02/01/2006", v)
		if err != nil {
			return certibloc.Date{}, fmt.Errorf("%s %q is not a date JJ/MM/AAAA", pairs[i], v)
		}
		return certibloc.DateOf(t.Year(), t.Month(), t.Day()), nil
	}
	return certibloc.Date{}, nil
}

// pageURL returns the first web address of LIEN_URL_DESCRIPTION, or the
// fiche's page on francecompetences.fr: the field is free text and often
// holds several addresses, a school's name or a stray "*".
func pageURL(code, published string) string {
	for _, w := range strings.Fields(published) {
		if strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://") {
			return w
		}
	}
	if num, ok := strings.CutPrefix(code, "RNCP"); ok {
		return "https://www.francecompetences.fr/recherche/rncp/" + num + "/"
	}
	if num, ok := strings.CutPrefix(code, "RS"); ok {
		return "https://www.francecompetences.fr/recherche/rs/" + num + "/"
	}
	return ""
}

// label builds a nomenclature label. The CSV repeats the code in the wording
// ("326 : Informatique, traitement de l'information…"); that prefix goes.
func label(code, wording string) certibloc.Label {
	code, wording = cleanLine(code), cleanLine(wording)
	if rest, ok := strings.CutPrefix(wording, code); ok && code != "" {
		if rest, ok := strings.CutPrefix(strings.TrimLeft(rest, " "), ":"); ok {
			wording = strings.TrimSpace(rest)
		}
	}
	return certibloc.Label{Code: code, Label: wording}
}
