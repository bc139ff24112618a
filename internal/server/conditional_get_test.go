package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// get serves a GET of path with the given request headers.
func get(h http.Handler, path string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestReferentialConditionalGet: the referential and the programme sheet
// carry an ETag; asked again with it they answer 304 without a body; once
// a new version is imported or the sheet saved — by another process on the
// same database — they answer the new content with a new ETag at once. A
// version asked by number is immutable. Gzip is served from the prepared
// bytes, once, not compressed twice.
func TestReferentialConditionalGet(t *testing.T) {
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := t.Context()
		served, cli := open(), open()
		if _, err := served.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		h := newSite(t, served)
		for _, path := range []string{"/api/v1/certifications/RNCP38478", "/api/v1/programmes/coordinateur-projets-informatiques-diiage"} {
			first := get(h, path)
			etag := first.Header().Get("ETag")
			if first.Code != 200 || etag == "" || first.Header().Get("Cache-Control") != "public, no-cache" {
				t.Fatalf("%s: %d, ETag %q, Cache-Control %q", path, first.Code, etag, first.Header().Get("Cache-Control"))
			}
			again := get(h, path, "If-None-Match", etag)
			if again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != etag {
				t.Errorf("%s with its ETag: %d, %d bytes, ETag %q; want 304, none, %q", path, again.Code, again.Body.Len(), again.Header().Get("ETag"), etag)
			}
			if other := get(h, path, "If-None-Match", `W/"something else"`); other.Code != 200 {
				t.Errorf("%s with another ETag: %d, want 200", path, other.Code)
			}
			zipped := get(h, path, "Accept-Encoding", "gzip")
			if zipped.Header().Get("Content-Encoding") != "gzip" || zipped.Header().Get("ETag") != etag {
				t.Fatalf("%s gzipped: Content-Encoding %q, ETag %q", path, zipped.Header().Get("Content-Encoding"), zipped.Header().Get("ETag"))
			}
			zr, err := gzip.NewReader(zipped.Body)
			if err != nil {
				t.Fatal(err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(unzipped, first.Body.Bytes()) {
				t.Errorf("%s: the gzipped answer is not the plain one once unzipped (%v)", path, err)
			}
		}

		// A new version, imported by another process.
		before := get(h, "/api/v1/certifications/RNCP38478")
		c, err := seed.Certification()
		if err != nil {
			t.Fatal(err)
		}
		c.Title += " (révisé)"
		if _, err := cli.SaveCertification(ctx, c); err != nil {
			t.Fatal(err)
		}
		after := get(h, "/api/v1/certifications/RNCP38478", "If-None-Match", before.Header().Get("ETag"))
		var got struct {
			Version int    `json:"version"`
			Title   string `json:"title"`
		}
		if after.Code != 200 || json.Unmarshal(after.Body.Bytes(), &got) != nil || got.Version != 2 || got.Title != c.Title {
			t.Fatalf("after an import: %d %+v, want 200 and version 2 titled %q", after.Code, got, c.Title)
		}
		if after.Header().Get("ETag") == before.Header().Get("ETag") {
			t.Error("a new version kept the ETag of the old one")
		}
		old := get(h, "/api/v1/certifications/RNCP38478?version=1")
		if old.Code != 200 || !bytes.Equal(old.Body.Bytes(), before.Body.Bytes()) ||
			old.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("version 1 by number: %d, Cache-Control %q, same bytes as before the import: %v",
				old.Code, old.Header().Get("Cache-Control"), bytes.Equal(old.Body.Bytes(), before.Body.Bytes()))
		}

		// The programme sheet, saved again by another process.
		before = get(h, "/api/v1/programmes/coordinateur-projets-informatiques-diiage")
		p, err := seed.Programme()
		if err != nil {
			t.Fatal(err)
		}
		p.Title += " (2027)"
		if err := cli.SaveProgramme(ctx, p); err != nil {
			t.Fatal(err)
		}
		after = get(h, "/api/v1/programmes/coordinateur-projets-informatiques-diiage", "If-None-Match", before.Header().Get("ETag"))
		if after.Code != 200 || !bytes.Contains(after.Body.Bytes(), []byte(p.Title)) || after.Header().Get("ETag") == before.Header().Get("ETag") {
			t.Errorf("after saving the programme: %d, ETag %q (was %q), new title present: %v", after.Code,
				after.Header().Get("ETag"), before.Header().Get("ETag"), bytes.Contains(after.Body.Bytes(), []byte(p.Title)))
		}
		if missing := get(h, "/api/v1/certifications/RNCP99999"); missing.Code != 404 {
			t.Errorf("an unknown certification: %d, want 404", missing.Code)
		}
	})
}

// TestProgrammePageConditionalGet: visitors get the programme page with an
// ETag per language, a 304 when they have it, a new page once the
// certification has a new version; a signed-in page, which carries its
// owner's menu and form token, is private and never shared with visitors.
func TestProgrammePageConditionalGet(t *testing.T) {
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := t.Context()
		served, cli := open(), open()
		if _, err := served.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		h := newSite(t, served)
		const path = "/programmes/coordinateur-projets-informatiques-diiage"
		fr, en := get(h, path), get(h, path+"?lang=en")
		if fr.Code != 200 || en.Code != 200 || fr.Header().Get("ETag") == "" || fr.Header().Get("ETag") == en.Header().Get("ETag") {
			t.Fatalf("fr %d %q, en %d %q: want 200 and an ETag per language", fr.Code, fr.Header().Get("ETag"), en.Code, en.Header().Get("ETag"))
		}
		if cc := fr.Header().Get("Cache-Control"); cc != "public, no-cache" {
			t.Errorf("a visitor's page: Cache-Control %q", cc)
		}
		if again := get(h, path, "If-None-Match", fr.Header().Get("ETag")); again.Code != http.StatusNotModified {
			t.Errorf("the page with its ETag: %d, want 304", again.Code)
		}
		if again := get(h, path+"?lang=en", "If-None-Match", fr.Header().Get("ETag")); again.Code != 200 {
			t.Errorf("the English page with the French ETag: %d, want 200", again.Code)
		}

		c, err := seed.Certification()
		if err != nil {
			t.Fatal(err)
		}
		c.Blocks[0].Title += " (révisé)"
		if _, err := cli.SaveCertification(ctx, c); err != nil {
			t.Fatal(err)
		}
		after := get(h, path, "If-None-Match", fr.Header().Get("ETag"))
		if after.Code != 200 || !bytes.Contains(after.Body.Bytes(), []byte("(révisé)")) {
			t.Errorf("after an import: %d, new block title shown: %v", after.Code, bytes.Contains(after.Body.Bytes(), []byte("(révisé)")))
		}

		staff := admSignedIn(t, h, served, certibloc.Account{Role: "staff", Schools: []string{"DIIAGE"}})
		mine := staff.get(path, http.StatusOK)
		if cc := mine.Header().Get("Cache-Control"); cc != "private, no-cache" {
			t.Errorf("a signed-in page: Cache-Control %q, want private", cc)
		}
		if bytes.Equal(mine.Body.Bytes(), after.Body.Bytes()) {
			t.Error("the signed-in page is the visitors' page")
		}
		if visitor := get(h, path); bytes.Contains(visitor.Body.Bytes(), []byte(`name="csrf"`)) {
			t.Error("after a signed-in visit, visitors get a page with a form token")
		}
	})
}
