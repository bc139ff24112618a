// Package httpx is what the two HTTP adapters, the JSON API and the web
// pages, share: the one table from error codes to HTTP statuses, and the
// one check of the text a request carries in its path, query and form.
package httpx

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// RetryAfter is how long a client should wait, in seconds, before trying
// again a request refused because the database is unavailable.
const RetryAfter = 5

// ThrottledRetryAfter is how long, in seconds, a client refused for
// sending too many requests (ETOOMANY) should wait.
const ThrottledRetryAfter = 60

// statuses is the one mapping of the domain's error codes to HTTP statuses.
var statuses = map[string]int{
	certibloc.EINVALID:      http.StatusBadRequest,
	certibloc.ENOTFOUND:     http.StatusNotFound,
	certibloc.ECONFLICT:     http.StatusConflict,
	certibloc.EUNAUTHORIZED: http.StatusUnauthorized,
	certibloc.EFORBIDDEN:    http.StatusForbidden,
	certibloc.EUNAVAILABLE:  http.StatusServiceUnavailable,
	certibloc.ETOOMANY:      http.StatusTooManyRequests,
	certibloc.EINTERNAL:     http.StatusInternalServerError,
}

// Error is what an adapter writes of err: its code, HTTP status and the
// message for the user, with the request-specific failures of net/http
// and the store (a body too large, the database down) given their code.
func Error(err error) (code string, status int, message string) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		err = certibloc.Errorf(certibloc.EINVALID, "the request body is larger than %d bytes", tooBig.Limit)
	case certibloc.ErrorCode(err) != certibloc.EINTERNAL:
	case sqldb.Unavailable(err):
		err = certibloc.Errorf(certibloc.EUNAVAILABLE, "the database is unavailable for a moment: please try again in a few seconds")
	case sqldb.Refused(err):
		err = certibloc.Errorf(certibloc.EINVALID, "a value of the request is one the database cannot store (too long, or a character or number out of range)")
	}
	code = certibloc.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	return code, status, certibloc.ErrorMessage(err)
}

// SetHeaders sets the headers an error answer needs: Retry-After when the
// database is unavailable or the client sent too many requests.
func SetHeaders(h http.Header, status int) {
	switch status {
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", strconv.Itoa(RetryAfter))
	case http.StatusTooManyRequests:
		h.Set("Retry-After", strconv.Itoa(ThrottledRetryAfter))
	}
}
