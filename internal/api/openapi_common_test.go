package api

import (
	"encoding/json"
	"testing"
)

// TestEveryOperationDocumentsRefusalAndOutage: the 400 of the input check
// and the 503 of an unreachable database can come from any route, so the
// document lists them on every operation.
func TestEveryOperationDocumentsRefusalAndOutage(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, ops := range doc.Paths {
		for method, raw := range ops {
			if method == "parameters" {
				continue
			}
			var op struct {
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			for _, status := range []string{"400", "503"} {
				if _, ok := op.Responses[status]; !ok {
					t.Errorf("%s %s does not document %s", method, path, status)
				}
			}
			n++
		}
	}
	if n < 20 {
		t.Fatalf("only %d operations read: the document's shape changed", n)
	}
}
