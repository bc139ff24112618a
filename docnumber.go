package certibloc

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Document numbers: certificates, attestations and transcripts carry a
// number that is unique, unguessable and checked. It is 80 random bits in
// Crockford's base 32 (16 symbols, in groups of four) followed by
// Crockford's check symbol (the value modulo 37), so a typo is caught
// before any lookup and numbers cannot be enumerated: « 7K3M-Q9XZ-2HRT-8BWD-J ».

const (
	crockford       = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	crockfordChecks = crockford + "*~$=U"
	docDigits       = 16
)

// NewDocumentNumber draws a document number from random (crypto/rand's
// Reader in production).
func NewDocumentNumber(random io.Reader) (string, error) {
	var b [docDigits]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", err
	}
	digits := make([]byte, docDigits)
	for i, x := range b {
		digits[i] = crockford[x&31] // 5 random bits each
	}
	return formatDocNumber(string(digits)), nil
}

func formatDocNumber(digits string) string {
	var sb strings.Builder
	for i := 0; i < docDigits; i += 4 {
		sb.WriteString(digits[i : i+4])
		sb.WriteByte('-')
	}
	sb.WriteByte(docCheck(digits))
	return sb.String()
}

// docCheck is the check symbol of 16 base-32 digits: their value mod 37.
func docCheck(digits string) byte {
	v := 0
	for i := 0; i < len(digits); i++ {
		v = (v*32 + strings.IndexByte(crockford, digits[i])) % 37
	}
	return crockfordChecks[v]
}

// ParseDocumentNumber reads a number as people type it (any case, with or
// without dashes or spaces, O for 0 and I or L for 1) and returns its
// canonical form, or an error that says what is wrong, in English.
func ParseDocumentNumber(s string) (string, error) { return ParseDocumentNumberIn(s, English) }

// ParseDocumentNumberIn is ParseDocumentNumber with its error worded in
// language l: the verification page answers in its reader's language.
func ParseDocumentNumberIn(s string, l Lang) (string, error) {
	n, code, symbol := parseDocNumber(s)
	if code == "" {
		return n, nil
	}
	w := docNumberWords[code]
	return "", Errorf(EINVALID, w[l], symbol)
}

// docNumberWords say what is wrong with a typed number, French then English.
var docNumberWords = map[string][2]string{
	"length": {"un numéro de document compte 17 symboles, par exemple 7K3M-Q9XZ-2HRT-8BWD-J%.0s",
		"a document number has 17 symbols, such as 7K3M-Q9XZ-2HRT-8BWD-J%.0s"},
	"symbol": {"« %s » n'est pas un symbole d'un numéro de document (chiffres et lettres sauf I, L, O et U)",
		"“%s” is not a symbol of a document number (digits and letters but I, L, O and U)"},
	"check": {"le symbole de contrôle du numéro ne correspond pas : un symbole a sans doute été mal recopié%.0s",
		"the document number's check symbol does not match: look for a mistyped symbol%.0s"},
}

// parseDocNumber returns the canonical number, or what is wrong with s
// (a key of docNumberWords) and the symbol at fault.
func parseDocNumber(s string) (n, problem, symbol string) {
	if len(s) > 64 {
		return "", "length", ""
	}
	r := strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1")
	t := r.Replace(strings.ToUpper(strings.TrimSpace(s)))
	if len(t) != docDigits+1 {
		return "", "length", ""
	}
	digits, check := t[:docDigits], t[docDigits]
	for i := 0; i < len(digits); i++ {
		if strings.IndexByte(crockford, digits[i]) < 0 {
			r, _ := utf8.DecodeRuneInString(digits[i:])
			return "", "symbol", string(r)
		}
	}
	if docCheck(digits) != check {
		return "", "check", ""
	}
	return formatDocNumber(digits), "", ""
}
