// Package certibloc is the domain of a French professional certification built
// from blocs de compétences (RNCP): the referential, its rules engine and the
// errors every adapter maps to its own world. It does no I/O; adapters live
// under internal/ and the binary under cmd/certibloc.
package certibloc

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"time"
)

// Error codes: the kinds of failure, shared by the API and the web pages
// (one table turns them into HTTP statuses, internal/httpx) and the CLI.
const (
	EINVALID      = "invalid"      // the request is wrong: the message says which field
	ENOTFOUND     = "not_found"    // no such record
	ECONFLICT     = "conflict"     // the record's state forbids it, or it exists already
	EUNAUTHORIZED = "unauthorized" // who asks is not known: sign in
	EFORBIDDEN    = "forbidden"    // who asks may not
	EUNAVAILABLE  = "unavailable"  // the database does not answer: try again shortly
	ETOOMANY      = "too_many"     // too many requests from one client: wait, then try again
	EINTERNAL     = "internal"     // a fault of the system, logged
)

// Error is a failure a user can act on: a code from the list above and a
// message that says what was wrong.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err when it is (or wraps) an *Error, and
// EINTERNAL otherwise.
func ErrorCode(err error) string {
	var e *Error
	var ps Problems
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.As(err, &ps) {
		return EINVALID
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err, or a generic one for
// internal errors, whose details belong in the logs only.
func ErrorMessage(err error) string {
	var e *Error
	var ps Problems
	if errors.As(err, &e) {
		return e.Message
	}
	if errors.As(err, &ps) {
		return ps.Error()
	}
	return "internal error"
}

// Date is a civil date (no time, no zone), written YYYY-MM-DD in JSON and SQL.
type Date struct{ time.Time }

// DateOf returns the civil date of year, month and day.
func DateOf(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// String returns the date as YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Time.Before(e.Time) }

// MarshalJSON writes "YYYY-MM-DD", or null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		*d = Date{}
		return nil
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return Errorf(EINVALID, "%s is not a date of the form YYYY-MM-DD", s)
	}
	v, err := ParseDate(s[1 : len(s)-1])
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores the date as YYYY-MM-DD text, or NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date from either engine: PostgreSQL gives a time.Time, SQLite text.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = DateOf(v.Year(), v.Month(), v.Day())
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("certibloc.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if s == "" {
		*d = Date{}
		return nil
	}
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := ParseDate(s)
	*d = v
	return err
}
