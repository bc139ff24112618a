package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/api"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// openAPI is the served document, parsed, with a schema compiler over it.
type openAPI struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
}

func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	res, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource("openapi.json", res); err != nil {
		t.Fatal(err)
	}
	return &openAPI{doc: doc, compiler: c}
}

// operations lists "METHOD /path" for every operation of the document.
func (o *openAPI) operations() []string {
	var ops []string
	for path, item := range o.doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			ops = append(ops, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

// schema compiles the schema of an operation's answer with a status, which
// the document must have.
func (o *openAPI) schema(t *testing.T, method, path string, status int) *jsonschema.Schema {
	t.Helper()
	op, _ := o.doc["paths"].(map[string]any)[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		t.Fatalf("%s %s is not in the OpenAPI document", method, path)
	}
	resp, _ := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if resp == nil {
		t.Fatalf("%s %s answered %d, which the OpenAPI document does not describe", method, path, status)
	}
	s := resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	loc := "openapi.json#/paths/" + strings.ReplaceAll(path, "/", "~1") + "/" + strings.ToLower(method) +
		"/responses/" + fmt.Sprint(status) + "/content/application~1json/schema"
	if ref, ok := s["$ref"].(string); ok {
		loc = "openapi.json" + ref
	}
	sch, err := o.compiler.Compile(loc)
	if err != nil {
		t.Fatalf("schema of %s %s %d: %v", method, path, status, err)
	}
	return sch
}

// TestOpenAPIDocumentsEveryRoute holds the document and the declared
// routes to the same list, both ways.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	o := loadOpenAPI(t)
	var routes []string
	for _, r := range api.New(nil, slog.New(slog.DiscardHandler)).Routes() {
		routes = append(routes, r.Pattern)
	}
	slices.Sort(routes)
	if ops := o.operations(); !slices.Equal(ops, routes) {
		t.Errorf("OpenAPI operations and API routes differ:\n document: %q\n   routes: %q", ops, routes)
	}
}

// call is one request of the end-to-end walk and the answer it expects.
type call struct {
	method, url, doc string // doc: the path as the document names it
	body             string
	token            string
	status           int
	check            func(t *testing.T, body []byte)
}

func do(t *testing.T, h http.Handler, o *openAPI, c call) []byte {
	t.Helper()
	req := httptest.NewRequest(c.method, c.url, strings.NewReader(c.body))
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != c.status {
		t.Fatalf("%s %s = %d %s, want %d", c.method, c.url, rec.Code, body, c.status)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s %s: Content-Type %q, want JSON", c.method, c.url, ct)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", c.method, c.url, err)
	}
	if err := o.schema(t, c.method, c.doc, rec.Code).Validate(v); err != nil {
		t.Fatalf("%s %s: answer does not match the OpenAPI document: %v\n%.300s", c.method, c.url, err, body)
	}
	if c.check != nil {
		c.check(t, body)
	}
	return body
}

// newSite returns the whole handler over db with the default data loaded.
func newSite(t *testing.T, db *sqldb.DB) http.Handler {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	if err := server.LoadDefaults(t.Context(), db, log); err != nil {
		t.Fatal(err)
	}
	h, err := server.New(db, log)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAPIAnswersMatchOpenAPI(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		staff, _, err := db.CreateToken(t.Context(), "test", "staff", "DIIAGE")
		if err != nil {
			t.Fatal(err)
		}
		const cert = "/api/v1/certifications/{code}"
		for _, c := range []call{
			{method: "GET", url: "/api/v1/certifications", doc: "/api/v1/certifications", status: 200},
			{method: "GET", url: "/api/v1/certifications/RNCP38478", doc: cert, status: 200},
			{method: "GET", url: "/api/v1/certifications/RNCP38478?version=1", doc: cert, status: 200},
			{method: "GET", url: "/api/v1/certifications/RNCP38478?version=9", doc: cert, status: 404},
			{method: "GET", url: "/api/v1/certifications/RNCP1", doc: cert, status: 404},
			{method: "GET", url: "/api/v1/certifications/nonsense", doc: cert, status: 400},
			{method: "GET", url: "/api/v1/certifications/RNCP38478/versions", doc: cert + "/versions", status: 200},
			{method: "POST", url: "/api/v1/certifications/RNCP38478/simulate", doc: cert + "/simulate", status: 200,
				body: `{"track":"one_year","evaluations":[{"block":"RNCP38478BC02","number":1,"passed":true,"date":"2026-03-10"}],"vae_blocks":[{"block":"RNCP38478BC01","validated":true,"date":"2025-11-02"}],"complementary":{"oral_defence":true,"technical_thesis":false}}`},
			{method: "POST", url: "/api/v1/certifications/RNCP38478/simulate", doc: cert + "/simulate", status: 400,
				body: `{"track":"one_year","evaluations":[{"block":"RNCP38478BC09","number":1,"passed":true,"date":"2026-03-10"}]}`},
			{method: "POST", url: "/api/v1/certifications/RNCP38478/simulate", doc: cert + "/simulate", status: 400, body: `{"track":`},
			{method: "POST", url: "/api/v1/certifications/RNCP38478/eligibility", doc: cert + "/eligibility", status: 200,
				body: `{"track":"one_year","level":4,"experience_months":14,"ects":60}`},
			{method: "POST", url: "/api/v1/certifications/RNCP38478/eligibility", doc: cert + "/eligibility", status: 400,
				body: `{"track":"one_year","level":-1}`},
			{method: "POST", url: "/api/v1/certifications/RNCP1/eligibility", doc: cert + "/eligibility", status: 404,
				body: `{"track":"one_year","level":5}`},
			{method: "POST", url: "/api/v1/imports/rncp", doc: "/api/v1/imports/rncp", status: 401, body: "<FICHES/>"},
			{method: "POST", url: "/api/v1/imports/rncp", doc: "/api/v1/imports/rncp", status: 403, body: "<FICHES/>", token: staff},
			{method: "POST", url: "/api/v1/imports/rncp", doc: "/api/v1/imports/rncp", status: 400, body: "not an export", token: admin},
			{method: "GET", url: "/api/v1/programmes", doc: "/api/v1/programmes", status: 200},
			{method: "GET", url: "/api/v1/programmes/" + defaultSlug(t), doc: "/api/v1/programmes/{slug}", status: 200},
			{method: "GET", url: "/api/v1/programmes/nope", doc: "/api/v1/programmes/{slug}", status: 404},
		} {
			do(t, h, o, c)
		}
	})
}

func defaultSlug(t *testing.T) string {
	p, err := seed.Programme()
	if err != nil {
		t.Fatal(err)
	}
	return p.Slug
}

// TestDefaultReferentialServed: the six blocks of RNCP38478, with the
// seed's competencies and evaluations, come back whole from the API.
func TestDefaultReferentialServed(t *testing.T) {
	o := loadOpenAPI(t)
	want, err := seed.Certification()
	if err != nil {
		t.Fatal(err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		do(t, h, o, call{method: "GET", url: "/api/v1/certifications/RNCP38478", doc: "/api/v1/certifications/{code}", status: 200,
			check: func(t *testing.T, body []byte) {
				var got certibloc.Certification
				if err := json.Unmarshal(body, &got); err != nil {
					t.Fatal(err)
				}
				if diff := certibloc.Changes(want, &got); len(diff) > 0 {
					t.Errorf("served referential differs from the seed: %v", diff)
				}
				if len(got.Blocks) != 6 || got.Level != 6 || !strings.Contains(string(body), `"nsf_codes":["326"]`) {
					t.Errorf("RNCP38478 = %d blocks, level %d:\n%.400s", len(got.Blocks), got.Level, body)
				}
				var kinds, evals string
				for _, b := range got.Blocks {
					kinds += string(b.Kind[0])
					evals += fmt.Sprint(len(b.Evaluations))
				}
				if kinds != "cccooo" || evals != "121222" {
					t.Errorf("kinds %s, evaluations per block %s; want cccooo, 121222", kinds, evals)
				}
			}})
	})
}
