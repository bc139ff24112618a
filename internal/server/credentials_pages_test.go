package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// postForm sends a form to the site with the CSRF token of a visitor.
func postForm(t *testing.T, h http.Handler, target string, fields map[string]string, file []byte) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/credentials/verify", nil))
	page := rec.Body.String()
	i := strings.Index(page, `name="csrf" value="`)
	if i < 0 {
		t.Fatal("the form carries no CSRF token")
	}
	token := page[i+len(`name="csrf" value="`):]
	token = token[:strings.Index(token, `"`)]
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", token)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", "badge.png")
		fw.Write(file)
	}
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range rec.Result().Cookies() {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

// TestCredentialPages: the public verification page takes a pasted JSON
// or a baked badge and says check by check what holds, in French and
// English; the shared page verifies a credential in place; the holder's
// list links every download.
func TestCredentialPages(t *testing.T) {
	db := sqldbtest.SQLite(t)
	h := newSite(t, db)
	m := &matrix{t: t, db: db, h: h}
	id, person := m.credential()
	c, err := db.CredentialByID(t.Context(), id)
	must(t, err)

	status, page := postForm(t, h, "/credentials/verify", map[string]string{"credential": string(c.Document)}, nil)
	if status != 200 || !strings.Contains(page, "Badge authentique et valide") || !strings.Contains(page, "La signature eddsa-rdfc-2022 de did:web:localhost%3A8080#z6Mk") {
		t.Errorf("a pasted credential: %d\n%s", status, page)
	}
	png, _, err := c.Badge("png")
	must(t, err)
	status, page = postForm(t, h, "/credentials/verify?lang=en", nil, png)
	if status != 200 || !strings.Contains(page, "Genuine and valid badge") || !strings.Contains(page, "The credential is taken from the image.") {
		t.Errorf("a baked PNG, in English: %d\n%s", status, page)
	}
	tampered := strings.Replace(string(c.Document), "RNCP38478BC01 —", "RNCP38478BC02 —", 1)
	status, page = postForm(t, h, "/credentials/verify?lang=en", map[string]string{"credential": tampered}, nil)
	if status != 200 || !strings.Contains(page, "Badge not valid") || !strings.Contains(page, "the signature does not match") {
		t.Errorf("a tampered credential: %d\n%s", status, page)
	}
	status, page = postForm(t, h, "/credentials/verify", map[string]string{"credential": " "}, nil)
	if status != 400 || !strings.Contains(page, "Déposez un fichier ou collez le JSON du badge.") {
		t.Errorf("nothing sent: %d\n%s", status, page)
	}
	status, page = postForm(t, h, "/credentials/verify", nil, openbadge.BadgePNG(openbadge.Achievement{Certification: "RNCP38478"}))
	if status != 200 || !strings.Contains(page, "L&#39;image ne contient pas d&#39;identifiant Open Badges.") {
		t.Errorf("a PNG without a credential: %d\n%s", status, page)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/credentials/"+id+"?lang=en", nil))
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "This badge is genuine") || !strings.Contains(body, "?format=png") ||
		!strings.Contains(body, "Manage an IT project") || strings.Contains(body, "Piloter un projet") {
		t.Errorf("the shared page: %d\n%s", rec.Code, body)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/credentials/"+id+"?lang=fr", nil))
	if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "Piloter un projet informatique") || strings.Contains(body, "Manage an IT project") {
		t.Errorf("the shared page in French: %d\n%s", rec.Code, body)
	}

	// The holder's list, read by the staff of their school through the API
	// and the page: every link.
	staff, _, err := db.CreateToken(t.Context(), "test", "staff", ownSchool)
	must(t, err)
	req := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/people/%d/credentials", person), nil)
	req.Header.Set("Authorization", "Bearer "+staff)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var list struct {
		Credentials []struct {
			Links struct{ Share, LinkedIn string }
		}
	}
	json.Unmarshal(rec.Body.Bytes(), &list)
	if len(list.Credentials) != 1 {
		t.Fatalf("the person's credentials: %s", rec.Body)
	}
	q, _ := url.ParseQuery(strings.SplitN(list.Credentials[0].Links.LinkedIn, "?", 2)[1])
	if q.Get("name") != "RNCP38478BC01 — Piloter un projet informatique" || q.Get("certUrl") != list.Credentials[0].Links.Share ||
		q.Get("issueYear") != "2026" || q.Get("issueMonth") != "7" {
		t.Errorf("LinkedIn link %v", q)
	}
	_ = certibloc.French
}

// TestCredentialPagesInBrowser: axe-core finds nothing on the
// verification page, its answer and a shared credential, in both languages.
func TestCredentialPagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	srv := httptest.NewServer(newSite(t, db))
	defer srv.Close()
	m := &matrix{t: t, db: db, h: nil}
	id, _ := m.credential()
	c, err := db.CredentialByID(t.Context(), id)
	must(t, err)
	results := browsertest.Check(t,
		browsertest.Page{Name: "form (fr)", URL: srv.URL + "/credentials/verify"},
		browsertest.Page{Name: "form (en)", URL: srv.URL + "/credentials/verify?lang=en"},
		browsertest.Page{Name: "shared (fr)", URL: srv.URL + "/credentials/" + id},
		browsertest.Page{Name: "shared (en)", URL: srv.URL + "/credentials/" + id + "?lang=en"},
		browsertest.Page{Name: "pasted (en)", URL: srv.URL + "/credentials/verify?lang=en", Actions: []browsertest.Action{
			{Do: "fill", Selector: "#credential", Value: string(c.Document)},
			{Do: "click", Selector: "main form button[type=submit]"}}},
	)
	browsertest.AssertClean(t, results, 40<<10)
	if !strings.Contains(results[4].FinalURL, "/credentials/verify") || results[4].Status != 200 {
		t.Errorf("pasted: %+v", results[4])
	}
}
