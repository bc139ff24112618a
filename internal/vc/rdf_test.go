package vc

import (
	"encoding/json"
	"testing"

	"github.com/piprate/json-gold/ld"
)

// toRDF gives the canonical form json-gold's own ToRDF gives, on
// documents with numbers, booleans, languages, lists, JSON literals, a
// named graph (a signed document's proof), an invalid http IRI (dropped)
// and an IRI that starts as the mark does.
func TestToRDFMatchesJSONGold(t *testing.T) {
	docs := []string{
		vector(t, "unsigned.json"),
		vector(t, "signedDataInt.json"),
		`{"@context": {"@vocab": "https://example.org/v#", "list": {"@container": "@list"}, "j": {"@type": "@json"},
		   "d": {"@type": "http://www.w3.org/2001/XMLSchema#date"}, "ref": {"@type": "@id"}},
		  "@id": "https://example.org/things/1", "@type": ["Thing", "https://example.org/Other"],
		  "n": 3, "f": 2.5, "b": true, "s": {"@value": "bonjour", "@language": "fr"}, "d": "2026-07-01",
		  "list": [1, "two", {"@id": "https://example.org/x"}], "j": {"z": 1, "a": [true, null]},
		  "ref": "https://exa mple.org/bad iri", "ref2": {"@id": "xcertiblocmarkhttps://odd.example/"},
		  "blank": {"name": "no id"}, "g": {"@graph": {"@id": "https://example.org/in-graph", "p": "v"}}}`,
	}
	for i, d := range docs {
		var doc any
		if err := json.Unmarshal([]byte(d), &doc); err != nil {
			t.Fatal(err)
		}
		got, err := Canonize(doc)
		if err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
		o := options()
		o.SafeMode = false
		o.Algorithm = ld.AlgorithmURDNA2015
		o.Format = "application/n-quads"
		want, err := ld.NewJsonLdProcessor().Normalize(doc, o)
		if err != nil {
			t.Fatalf("document %d, json-gold: %v", i, err)
		}
		if got != want {
			t.Errorf("document %d:\n%s\njson-gold:\n%s", i, got, want)
		}
	}
}
