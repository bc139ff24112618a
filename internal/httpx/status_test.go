package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/certibloc/certibloc"
)

// TestError is the one table both adapters answer errors with.
func TestError(t *testing.T) {
	tooBig := func() error {
		r := http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(strings.NewReader("12345")), 2)
		_, err := io.ReadAll(r)
		return fmt.Errorf("read: %w", err)
	}()
	for _, c := range []struct {
		err    error
		code   string
		status int
	}{
		{certibloc.Errorf(certibloc.EINVALID, "x"), certibloc.EINVALID, 400},
		{fmt.Errorf("wrapped: %w", certibloc.Errorf(certibloc.ENOTFOUND, "x")), certibloc.ENOTFOUND, 404},
		{certibloc.Errorf(certibloc.ECONFLICT, "x"), certibloc.ECONFLICT, 409},
		{certibloc.Errorf(certibloc.EUNAUTHORIZED, "x"), certibloc.EUNAUTHORIZED, 401},
		{certibloc.Errorf(certibloc.EFORBIDDEN, "x"), certibloc.EFORBIDDEN, 403},
		{certibloc.Errorf(certibloc.EUNAVAILABLE, "x"), certibloc.EUNAVAILABLE, 503},
		{errors.New("a bug"), certibloc.EINTERNAL, 500},
		{tooBig, certibloc.EINVALID, 400},
		{fmt.Errorf("list people: %w", io.ErrUnexpectedEOF), certibloc.EUNAVAILABLE, 503},
		{fmt.Errorf("q: %w", &pgconn.PgError{Code: "57P01"}), certibloc.EUNAVAILABLE, 503}, // admin shutdown
		{fmt.Errorf("q: %w", &pgconn.PgError{Code: "22021"}), certibloc.EINVALID, 400},     // a NUL byte
		{fmt.Errorf("q: %w", &pgconn.PgError{Code: "23505"}), certibloc.EINTERNAL, 500},    // a bug
	} {
		code, status, message := Error(c.err)
		if code != c.code || status != c.status {
			t.Errorf("Error(%v) = %s %d, want %s %d", c.err, code, status, c.code, c.status)
		}
		if status == 500 && message != "internal error" {
			t.Errorf("Error(%v) tells %q", c.err, message)
		}
	}
	h := http.Header{}
	SetHeaders(h, http.StatusServiceUnavailable)
	if h.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}
