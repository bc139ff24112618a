package cdc

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// FuzzParse: whatever a flux holds, Parse either refuses it with an error
// or returns a model that writes back to a flux that reads the same: what
// the reader accepts, the writer can emit (the writer itself is held to
// the XSD by the tests that run xmllint).
func FuzzParse(f *testing.F) {
	raw, err := os.ReadFile(exampleFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	var small bytes.Buffer
	if err := WriteFlux(&small, &Flux{Header: header(), Certifications: []Certification{{Type: "RNCP", Code: "RNCP38478", Passages: []Passage{sample("a")}}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(small.Bytes())
	f.Fuzz(func(t *testing.T, in []byte) {
		fl, err := Parse(bytes.NewReader(in))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteFlux(&out, fl); err != nil {
			t.Fatalf("a flux Parse accepted does not write: %v", err)
		}
		again, err := Parse(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("the flux written does not read: %v\n%s", err, out.Bytes())
		}
		if !reflect.DeepEqual(fl, again) {
			t.Fatalf("round trip changed the flux:\n%+v\n%+v", fl, again)
		}
	})
}

// FuzzParseReport: a report either reads or is refused, never a panic.
func FuzzParseReport(f *testing.F) {
	f.Add([]byte(`<rapport><idFlux>f</idFlux><PassagesOK><idTechnique>a</idTechnique></PassagesOK></rapport>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := ParseReport(bytes.NewReader(in))
		if err == nil && r.IDFlux == "" {
			t.Fatal("a report without idFlux was accepted")
		}
	})
}
