package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// e2e is the whole site under the admissions end-to-end test, driven
// through the API only: staff with an API token, candidates signed in on
// the web (a session cookie), every JSON answer checked against the
// OpenAPI document.
type e2e struct {
	t     *testing.T
	db    *sqldb.DB
	h     http.Handler
	o     *openAPI
	staff auth // a token of DIIAGE staff
	admin auth
	today certibloc.Date
}

// auth is how a request is signed: an API token or a web session.
type auth struct{ token, cookie string }

// request is one call: its method, URL, the path as the OpenAPI document
// names it, a body and its type, and the status expected.
type request struct {
	method, url, doc string
	body             []byte
	ctype            string
	header           http.Header
	status           int
}

// send makes a request and checks its status and, for JSON, that the
// answer is what the document describes; it returns the answer's body.
func (e *e2e) send(who auth, r request) []byte {
	e.t.Helper()
	req := httptest.NewRequest(r.method, r.url, bytes.NewReader(r.body))
	for k, v := range r.header {
		req.Header[k] = v
	}
	if r.ctype != "" {
		req.Header.Set("Content-Type", r.ctype)
	}
	if who.token != "" {
		req.Header.Set("Authorization", "Bearer "+who.token)
	}
	if who.cookie != "" {
		req.Header.Set("Cookie", "certibloc_session="+who.cookie)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != r.status {
		e.t.Fatalf("%s %s = %d %s, want %d", r.method, r.url, rec.Code, body, r.status)
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		return body
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		e.t.Fatalf("%s %s: answer is not JSON: %v", r.method, r.url, err)
	}
	if err := e.o.schema(e.t, r.method, r.doc, rec.Code).Validate(v); err != nil {
		e.t.Fatalf("%s %s: answer does not match the OpenAPI document: %v\n%.400s", r.method, r.url, err, body)
	}
	return body
}

// json sends in as a JSON body (none when nil) and decodes the answer
// into out (when not nil).
func (e *e2e) json(who auth, method, url, doc string, in any, status int, out any) []byte {
	e.t.Helper()
	r := request{method: method, url: url, doc: doc, status: status}
	if in != nil {
		r.body, r.ctype = jsonBody(e.t, in), "application/json"
	}
	body := e.send(who, r)
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			e.t.Fatalf("%s %s: %v", method, url, err)
		}
	}
	return body
}

func jsonBody(t *testing.T, in any) []byte {
	t.Helper()
	if s, ok := in.(string); ok {
		return []byte(s)
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// refused sends a request that must fail with status, and checks that
// the message says what is wrong.
func (e *e2e) refused(who auth, method, url, doc string, in any, status int, says string) {
	e.t.Helper()
	var answer struct {
		Error struct{ Code, Message string }
	}
	e.json(who, method, url, doc, in, status, &answer)
	if !strings.Contains(answer.Error.Message, says) {
		e.t.Errorf("%s %s: %q, want it to say %q", method, url, answer.Error.Message, says)
	}
}

// upload sends a document as a multipart form, or as the raw body with
// kind and filename in the query when raw is set.
func (e *e2e) upload(who auth, app int64, kind, filename string, data []byte, raw bool, status int) []byte {
	e.t.Helper()
	const doc = "/api/v1/applications/{id}/documents"
	url := fmt.Sprintf("/api/v1/applications/%d/documents", app)
	if raw {
		return e.send(who, request{method: "POST", url: fmt.Sprintf("%s?kind=%s&filename=%s", url, kind, filename), doc: doc,
			body: data, ctype: "application/octet-stream", status: status})
	}
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("kind", kind)
	part, _ := w.CreateFormFile("file", filename)
	part.Write(data)
	w.Close()
	return e.send(who, request{method: "POST", url: url, doc: doc, body: b.Bytes(), ctype: w.FormDataContentType(), status: status})
}

// candidateSession gives a person an account of a candidate and a signed-in
// session, as sign-up and sign-in on the web make them.
func (e *e2e) candidateSession(person int64, email string) auth {
	e.t.Helper()
	a, err := e.db.CreateAccount(e.t.Context(), certibloc.Account{PersonID: person, Email: email, Role: certibloc.Candidate})
	if err != nil {
		e.t.Fatal(err)
	}
	cookie, err := e.db.CreateSession(e.t.Context(), a.ID, true)
	if err != nil {
		e.t.Fatal(err)
	}
	return auth{cookie: cookie}
}

// days is a civil date some days from today.
func (e *e2e) days(n int) string { return e.today.AddDate(0, 0, n).Format(time.DateOnly) }

// testDocument reads a real file of testdata/documents.
func testDocument(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/documents/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
