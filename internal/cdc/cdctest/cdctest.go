// Package cdctest validates files against the Caisse des Dépôts' XSD
// (kit v2.0.0, XSD 1.1.2, copied from the fixtures: see
// ../testdata/SOURCES.md) with xmllint, as every test that writes a flux
// must.
package cdctest

import (
	_ "embed"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// XSD is the Caisse's schema of the accrochage flux.
//
//go:embed certifications-cdc_kit-v2.0.0_xsd-v1.1.2.xsd
var XSD []byte

// Valid checks files against the XSD with xmllint; without xmllint
// (Debian's libxml2-utils, which scripts/test installs) the test skips, or
// fails under CI=true.
func Valid(t testing.TB, paths ...string) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but xmllint (libxml2-utils) is not installed")
		}
		t.Skip("xmllint (libxml2-utils) is not installed")
	}
	xsd := filepath.Join(t.TempDir(), "flux.xsd")
	if err := os.WriteFile(xsd, XSD, 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--noout", "--schema", xsd}, paths...)
	if out, err := exec.Command("xmllint", args...).CombinedOutput(); err != nil {
		t.Fatalf("xmllint rejects %v: %v\n%s", paths, err, out)
	}
}

// ValidBytes writes b to a temporary file and validates it.
func ValidBytes(t testing.TB, b []byte) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "flux.xml")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	Valid(t, p)
}
