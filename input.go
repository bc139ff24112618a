package certibloc

import (
	"math"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Maximum lengths of text fields, in characters: every text the system
// stores is checked against one of them (the database columns are TEXT and
// take any of them).
const (
	MaxName  = 200    // a person's names, a title, a school, a place
	MaxEmail = 254    // an e-mail address (RFC 5321's path limit)
	MaxShort = 50     // codes, phone numbers, identifiers typed by people
	MaxLine  = 500    // one line of text: an address, an employer
	MaxText  = 10_000 // free text over several lines: needs, reasons
	// MaxField bounds any text a request carries, checked before the
	// fields are known; beyond every field's own limit, so that a form
	// shows the field's own message up to it.
	MaxField = 4 * MaxText
)

// Bounds of the numbers people send: every whole number the store keeps
// is a 32-bit integer on PostgreSQL.
const (
	MinNumber = math.MinInt32
	MaxNumber = math.MaxInt32
)

// CheckChars refuses what no text of the system may hold: invalid UTF-8,
// the control characters C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
// Tab, line feed and carriage return pass when multiline is set. The
// message names field.
func CheckChars(field, s string, multiline bool) error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !validAt(s, i):
			return Errorf(EINVALID, "%s is not valid UTF-8 text (byte %d)", field, i)
		case multiline && (r == '\t' || r == '\n' || r == '\r'):
		case r == '\n' || r == '\r':
			return Errorf(EINVALID, "%s must be one line of text, without line breaks", field)
		case r < 0x20 || r >= 0x7F && r <= 0x9F:
			return Errorf(EINVALID, "%s must not contain the control character %U", field, r)
		}
	}
	return nil
}

// validAt reports whether the U+FFFD at byte i of s is written there, not
// the decoding of a broken sequence.
func validAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 3
}

// CheckText checks a text field: its characters (CheckChars), at most max
// characters, and no line break unless multiline.
func CheckText(field, s string, max int, multiline bool) error {
	if err := CheckChars(field, s, multiline); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Errorf(EINVALID, "%s must be at most %d characters long, not %d", field, max, n)
	}
	return nil
}

// CheckRange refuses a number outside [min, max], naming field.
func CheckRange(field string, n, min, max int) error {
	if n < min || n > max {
		return Errorf(EINVALID, "%s must be between %d and %d, not %d", field, min, max, n)
	}
	return nil
}

// Texts checks several text fields in order and returns the first error.
type Texts []TextField

// TextField is one field for Texts.Check.
type TextField struct {
	Name      string
	Value     string
	Max       int
	Multiline bool
}

// Check returns the error of the first wrong field, or nil.
func (ts Texts) Check() error {
	for _, t := range ts {
		if err := CheckText(t.Name, t.Value, t.Max, t.Multiline); err != nil {
			return err
		}
	}
	return nil
}

// NFC returns s in Unicode normalisation form C, so that "É" typed as one
// character or as E and a combining accent is stored, and found, alike.
func NFC(s string) string { return norm.NFC.String(s) }

// NumberError is the message of a number out of range of the store.
func NumberError(field, number string) error {
	return Errorf(EINVALID, "%s: %s is out of range (between %d and %d)", field, number, MinNumber, MaxNumber)
}
