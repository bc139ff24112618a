package server_test

import (
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestCompression(t *testing.T) {
	h := newSite(t, sqldbtest.SQLite(t))
	url := "/programmes/" + defaultSlug(t)

	plain := httptest.NewRecorder()
	h.ServeHTTP(plain, httptest.NewRequest("GET", url, nil))
	if plain.Header().Get("Content-Encoding") != "" || !strings.Contains(plain.Body.String(), "RNCP38478BC06") {
		t.Fatalf("without Accept-Encoding: encoding %q", plain.Header().Get("Content-Encoding"))
	}

	req := httptest.NewRequest("GET", url, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	zipped := httptest.NewRecorder()
	h.ServeHTTP(zipped, req)
	if zipped.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("with Accept-Encoding gzip: encoding %q", zipped.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil || string(body) != plain.Body.String() {
		t.Fatalf("the gzipped page differs from the plain one (%v)", err)
	}
	if n := zipped.Body.Len(); n > plain.Body.Len()/3 {
		t.Errorf("compressed page is %d bytes for %d plain", n, plain.Body.Len())
	}

	// A redirect and a 404 stay readable; a 404 page is compressed too.
	req = httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 302 || rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("redirect: %d, encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
}
