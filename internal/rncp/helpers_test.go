package rncp

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// The fixtures: excerpts of the real exports, see testdata/SOURCES.md.
var (
	rncpXML = filepath.Join("testdata", "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
	rsXML   = filepath.Join("testdata", "export_fiches_RS_V4_1_excerpt_8fiches.xml")
	csvZip  = filepath.Join("testdata", "export-fiches-csv-2024-02-22.zip")
)

func readFile(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// result is what one call of the callback received.
type result struct {
	code string
	cert *certibloc.Certification
	err  error
}

// collector returns a callback that records every call, checking the
// contract on the way: exactly one of cert and err, a valid cert, an
// *certibloc.Error of code invalid.
func collector(tb testing.TB, out *[]result) Callback {
	return func(code string, cert *certibloc.Certification, err error) error {
		tb.Helper()
		if (cert == nil) == (err == nil) {
			tb.Errorf("fiche %q: cert %v and err %v: want exactly one", code, cert != nil, err)
		}
		if cert != nil {
			if verr := cert.Validate(); verr != nil {
				tb.Errorf("fiche %s passed as valid but Validate says: %v", code, verr)
			}
			if cert.Code != code {
				tb.Errorf("callback code %q, cert code %q", code, cert.Code)
			}
		}
		if err != nil {
			checkInvalid(tb, err)
		}
		*out = append(*out, result{code, cert, err})
		return nil
	}
}

// checkInvalid fails unless err is a *certibloc.Error of code invalid.
func checkInvalid(tb testing.TB, err error) {
	tb.Helper()
	var e *certibloc.Error
	if !errors.As(err, &e) || e.Code != certibloc.EINVALID {
		tb.Errorf("error %v (%T): want a *certibloc.Error of code invalid", err, err)
	}
}

// readXMLString reads an XML export held in a string.
func readXMLString(t *testing.T, doc string) ([]result, error) {
	t.Helper()
	var got []result
	err := ReadXML(strings.NewReader(doc), collector(t, &got))
	return got, err
}

// readZip reads a CSV zip export held in memory.
func readZip(t *testing.T, data []byte) ([]result, error) {
	t.Helper()
	var got []result
	err := ReadCSVZip(bytes.NewReader(data), int64(len(data)), collector(t, &got))
	return got, err
}

// certs indexes the valid certifications of results by code, failing on
// any per-fiche error.
func certs(t *testing.T, results []result) map[string]*certibloc.Certification {
	t.Helper()
	m := map[string]*certibloc.Certification{}
	for _, r := range results {
		if r.err != nil {
			t.Errorf("fiche %s: %v", r.code, r.err)
			continue
		}
		m[r.code] = r.cert
	}
	return m
}
