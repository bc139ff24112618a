package server_test

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// htmlPolyglot starts as a PDF and goes on as an HTML page with a script.
var htmlPolyglot = []byte("%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n")

// checkDownload checks that a download is the upload, sent as an
// attachment named want, as a PDF, never to be sniffed.
func checkDownload(t *testing.T, what string, rec *httptest.ResponseRecorder, want string) {
	t.Helper()
	h := rec.Header()
	_, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if rec.Code != 200 || err != nil || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") ||
		params["filename"] != want || h.Get("Content-Type") != "application/pdf" ||
		h.Get("X-Content-Type-Options") != "nosniff" || !bytes.Equal(rec.Body.Bytes(), htmlPolyglot) {
		t.Errorf("%s: %d %v (filename %+q, want %+q)", what, rec.Code, h, params["filename"], want)
	}
}

func TestUploadedNamesEndAsTheirContent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		camp := admCampaign(t, db, "Admissions L3")
		_, c := admCandidate(t, h, db, "DURAND", 4, 0, 14)
		id, path := admDraft(t, c, camp)

		// Through the web: an HTML polyglot, then a name with a
		// right-to-left override and a zero-width space.
		c.upload(path+"/documents", "cv", "evil.html", htmlPolyglot, http.StatusSeeOther)
		c.upload(path+"/documents", "other", "cv\u202Efdp\u200B.exe", htmlPolyglot, http.StatusSeeOther)
		page := c.upload(path+"/documents", "cv", "page.html", []byte("<html><script>alert(1)</script>"), http.StatusBadRequest)
		wantIn(t, "an HTML page", page.Body.String(), "ni un PDF ni une image")

		// Through the API, with a staff token: raw body and multipart.
		staff, _, err := db.CreateToken(t.Context(), "test", "staff", ownSchool)
		if err != nil {
			t.Fatal(err)
		}
		api := fmt.Sprintf("/api/v1/applications/%d/documents", id)
		send := func(req *http.Request, want int) *httptest.ResponseRecorder {
			t.Helper()
			req.Header.Set("Authorization", "Bearer "+staff)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != want {
				t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body)
			}
			return rec
		}
		send(httptest.NewRequest("POST", api+"?kind=other&filename=x%E2%80%AEsvg.html", bytes.NewReader(htmlPolyglot)), 201)
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("kind", "other")
		part, _ := w.CreateFormFile("file", "Le\u0301a\u2066.xhtml")
		part.Write(htmlPolyglot)
		w.Close()
		req := httptest.NewRequest("POST", api, &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		send(req, 201)
		rec := send(httptest.NewRequest("POST", api+"?kind=cv&filename=evil.pdf", strings.NewReader("<svg onload=alert(1)>")), 400)
		if !strings.Contains(rec.Body.String(), "evil.pdf is not a PDF, PNG or JPEG file") {
			t.Errorf("an SVG named .pdf: %s", rec.Body)
		}

		docs, err := db.Documents(t.Context(), id)
		if err != nil || len(docs) != 4 {
			t.Fatalf("documents: %v %+v", err, docs)
		}
		want := []string{"evil.pdf", "cvfdp.pdf", "xsvg.pdf", "L\u00e9a.pdf"}
		for i, d := range docs {
			if d.Filename != want[i] || d.ContentType != "application/pdf" {
				t.Errorf("document %d stored as %+q, %s; want %+q", i, d.Filename, d.ContentType, want[i])
			}
			checkDownload(t, "web download "+want[i], c.get(fmt.Sprintf("%s/documents/%d", path, d.ID), 200), want[i])
			checkDownload(t, "API download "+want[i], send(httptest.NewRequest("GET", fmt.Sprintf("%s/%d", api, d.ID), nil), 200), want[i])
		}

	})
}
