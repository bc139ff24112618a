package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
)

// The OpenAPI 3.1 description of the API is written in parts, one per area
// (openapi/*.json, each with paths and components), merged at start-up in
// name order. A test holds the result against the real handlers: every
// route documented, every answer valid.
//
//go:embed openapi/*.json
var openAPIParts embed.FS

// OpenAPIDocument is the merged document, as served at /api/openapi.json.
var OpenAPIDocument = mustMergeOpenAPI()

func mustMergeOpenAPI() []byte {
	doc, err := mergeOpenAPI(openAPIParts)
	if err != nil {
		panic(err) // embedded files: a broken one is a build mistake
	}
	return doc
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	doc := map[string]any{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := merge(doc, part, name); err != nil {
			return nil, err
		}
	}
	addCommonResponses(doc)
	return json.MarshalIndent(doc, "", " ")
}

// commonResponses are the answers any operation may give, whatever its
// part says: a request whose text or numbers are refused before the
// handler (400), and the database unreachable for a moment (503).
var commonResponses = map[string]string{
	"400": "Invalid request: a control character, an out-of-range number or a text too long, in the path, query or body; the message names the field",
	"503": "The database is unavailable for a moment: try again after Retry-After seconds",
}

func addCommonResponses(doc map[string]any) {
	paths, _ := doc["paths"].(map[string]any)
	for _, item := range paths {
		ops, _ := item.(map[string]any)
		for method, op := range ops {
			o, ok := op.(map[string]any)
			if !ok || method == "parameters" {
				continue
			}
			responses, ok := o["responses"].(map[string]any)
			if !ok {
				continue
			}
			for status, description := range commonResponses {
				if _, ok := responses[status]; !ok {
					responses[status] = map[string]any{
						"description": description,
						"content": map[string]any{"application/json": map[string]any{
							"schema": map[string]any{"$ref": "#/components/schemas/Error"}}},
					}
				}
			}
		}
	}
}

// merge adds src into dst: objects merge key by key, and a key defined
// twice with different values is an error.
func merge(dst, src map[string]any, where string) error {
	for k, v := range src {
		old, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		om, ok1 := old.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			if fmt.Sprint(old) != fmt.Sprint(v) {
				return fmt.Errorf("%s: %q is defined twice", where, k)
			}
			continue
		}
		if err := merge(om, vm, where+": "+k); err != nil {
			return err
		}
	}
	return nil
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(OpenAPIDocument)
	return err
}
