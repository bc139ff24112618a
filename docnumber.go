package certibloc

import (
	"io"
	"strings"
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
// canonical form, or an error that says what is wrong.
func ParseDocumentNumber(s string) (string, error) {
	if len(s) > 64 {
		return "", Errorf(EINVALID, "a document number has 17 symbols, such as 7K3M-Q9XZ-2HRT-8BWD-J")
	}
	r := strings.NewReplacer("-", "", " ", "", "O", "0", "I", "1", "L", "1")
	t := r.Replace(strings.ToUpper(strings.TrimSpace(s)))
	if len(t) != docDigits+1 {
		return "", Errorf(EINVALID, "a document number has 17 symbols, such as 7K3M-Q9XZ-2HRT-8BWD-J")
	}
	digits, check := t[:docDigits], t[docDigits]
	for i := 0; i < len(digits); i++ {
		if strings.IndexByte(crockford, digits[i]) < 0 {
			return "", Errorf(EINVALID, "%q is not a symbol of a document number", digits[i])
		}
	}
	if docCheck(digits) != check {
		return "", Errorf(EINVALID, "the document number's check symbol does not match: look for a mistyped symbol")
	}
	return formatDocNumber(digits), nil
}
