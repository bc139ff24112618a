// Package seed holds the default data certibloc runs out of the box: the
// referential of the title RNCP38478 « Coordinateur de projets informatiques
// (infrastructures cloud, applicatives ou data) », certified by SUP DE VINCI,
// and the DIIAGE programme sheet that prepares for it. Both were written from
// the DIIAGE brochure kept in testdata/, and a test holds them to it.
package seed

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"

	"github.com/certibloc/certibloc"
)

// The files are embedded as bytes and decoded on each call, so no caller can
// change the defaults another one sees.
var (
	//go:embed rncp38478.json
	certificationJSON []byte

	//go:embed programme-diiage.json
	programmeJSON []byte
)

// Certification decodes the embedded referential of RNCP38478 and checks it
// with Validate. Each call returns a fresh value the caller may change.
func Certification() (*certibloc.Certification, error) {
	var c certibloc.Certification
	if err := decodeStrict(certificationJSON, &c); err != nil {
		return nil, fmt.Errorf("seed: certification RNCP38478: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("seed: certification RNCP38478: %w", err)
	}
	return &c, nil
}

// Programme decodes the embedded DIIAGE programme sheet. Each call returns a
// fresh value the caller may change.
func Programme() (*certibloc.Programme, error) {
	var p certibloc.Programme
	if err := decodeStrict(programmeJSON, &p); err != nil {
		return nil, fmt.Errorf("seed: programme: %w", err)
	}
	if p.Slug == "" || p.CertificationCode == "" {
		return nil, fmt.Errorf("seed: programme needs a slug and a certification code")
	}
	return &p, nil
}

// decodeStrict decodes one JSON value into v, refusing fields v does not
// have (a typo in the seed must not silently drop a text) and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}
