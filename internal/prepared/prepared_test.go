package prepared

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestETagMatch(t *testing.T) {
	const etag = `W/"abc"`
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{`W/"abc"`, true},
		{`"abc"`, true}, // weak comparison
		{`"abd"`, false},
		{`"x", W/"abc"`, true},
		{`"x","y"`, false},
		{`*`, true},
		{`abc`, false}, // not quoted: not this tag
	} {
		if got := ETagMatch(tc.header, etag); got != tc.want {
			t.Errorf("If-None-Match %q: %v, want %v", tc.header, got, tc.want)
		}
	}
}

// TestServe: a HEAD has the headers and no body; a client that takes gzip
// gets the gzipped bytes with their length.
func TestServe(t *testing.T) {
	b, err := JSON(map[string]string{"a": "<b>"})
	if err != nil {
		t.Fatal(err)
	}
	if string(b.plain) != "{\"a\":\"<b>\"}\n" {
		t.Errorf("JSON %q: not as the API writes it", b.plain)
	}
	rec := httptest.NewRecorder()
	Serve(rec, httptest.NewRequest("HEAD", "/", nil), b, Revalidate)
	if rec.Code != 200 || rec.Body.Len() != 0 || rec.Header().Get("ETag") != b.ETag() {
		t.Errorf("HEAD: %d, %d bytes, ETag %q", rec.Code, rec.Body.Len(), rec.Header().Get("ETag"))
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip, br")
	rec = httptest.NewRecorder()
	Serve(rec, req, b, Immutable)
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Body.String() != string(b.gzipped) ||
		rec.Header().Get("Cache-Control") != Immutable || rec.Header().Get("Vary") != "Accept-Encoding" {
		t.Errorf("gzip: headers %v", rec.Header())
	}
	if rec.Code != http.StatusOK {
		t.Errorf("status %d", rec.Code)
	}
}
