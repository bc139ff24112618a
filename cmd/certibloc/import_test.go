package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCommandReportsWhatItDidBeforeAnError(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	xml, err := os.ReadFile(filepath.Join("..", "..", "internal", "rncp", "testdata", "export_fiches_RNCP_V4_1_excerpt_10fiches.xml"))
	if err != nil {
		t.Fatal(err)
	}
	// The document breaks inside its fourth fiche.
	at := 0
	for range 4 {
		at += bytes.Index(xml[at:], []byte("<FICHE>")) + 1
	}
	broken := filepath.Join(t.TempDir(), "broken.xml")
	if err := os.WriteFile(broken, append(xml[:at+20:at+20], "</FICHES>"...), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := cli(t, env, "import", "rncp", broken)
	if err == nil || !strings.Contains(err.Error(), "XML export, line") ||
		!strings.Contains(err.Error(), "the 3 fiche(s) created or updated above, before the error, stay saved") {
		t.Errorf("error %v", err)
	}
	for _, want := range []string{"created  RNCP34762", "created  RNCP35809", "created  RNCP35419", "xml: 3 fiches, 3 created"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
}
