package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/rncp"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// The fixtures belong to the rncp package; see its testdata/SOURCES.md.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "rncp", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func postImport(t *testing.T, h http.Handler, token string, body []byte) (int, rncp.Report, string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/imports/rncp", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var rep rncp.Report
	if rec.Code == 200 {
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
	}
	return rec.Code, rep, rec.Body.String()
}

func codes(results []certibloc.SaveResult) string {
	var s []string
	for _, r := range results {
		s = append(s, r.Code)
	}
	return strings.Join(s, " ")
}

func TestImportThroughAPI(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		xml := fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
		status, rep, body := postImport(t, h, admin, xml)
		if status != 200 || len(rep.Created) != 10 || len(rep.Rejected) != 0 {
			t.Fatalf("XML import = %d %s", status, body)
		}
		do(t, h, o, call{method: "GET", url: "/api/v1/certifications/RNCP35809", doc: "/api/v1/certifications/{code}", status: 200,
			check: func(t *testing.T, body []byte) {
				var c certibloc.Certification
				json.Unmarshal(body, &c)
				if len(c.Blocks) == 0 || len(c.Blocks[0].Competencies) < 2 || c.Source != "rncp-xml" {
					t.Errorf("imported RNCP35809 = %d blocks, first with %d competencies, from %q",
						len(c.Blocks), len(c.Blocks[0].Competencies), c.Source)
				}
			}})

		status, rep, body = postImport(t, h, admin, fixture(t, "export-fiches-csv-2024-02-22.zip"))
		if status != 200 || !strings.Contains(codes(rep.Created), "RNCP509") || len(rep.Rejected) != 0 {
			t.Fatalf("CSV zip import = %d %s", status, body)
		}
		c, err := db.Certification(t.Context(), "RNCP509", 0)
		if err != nil || len(c.Blocks) != 6 || c.Active {
			t.Errorf("RNCP509 from the zip = %+v, %v; want 6 blocks, inactive", c, err)
		}

		// The same fiche with a changed title is a new version; the first stays.
		changed := bytes.Replace(xml, []byte("<INTITULE>Programme Grande Ecole"), []byte("<INTITULE>Programme Grande École"), 1)
		status, rep, body = postImport(t, h, admin, changed)
		if status != 200 || codes(rep.Updated) != "RNCP34762" || len(rep.Unchanged) != 9 {
			t.Fatalf("re-import with a change = %d %s", status, body)
		}
		if rep.Updated[0].Version != 2 || rep.Updated[0].Changes[0] != "title changed" {
			t.Errorf("update = %+v", rep.Updated[0])
		}
		v1, err := db.Certification(t.Context(), "RNCP34762", 1)
		if err != nil || !strings.HasPrefix(v1.Title, "Programme Grande Ecole") {
			t.Errorf("version 1 = %v, %v", v1, err)
		}
	})
}

func TestImportBadInputWritesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		xml := fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
		for name, body := range map[string][]byte{
			"empty":          {},
			"not an export":  []byte("hello"),
			"truncated zip":  fixture(t, "export-fiches-csv-2024-02-22.zip")[:300],
			"wrong root":     []byte(`<?xml version="1.0"?><CERTIFS><FICHE/></CERTIFS>`),
			"broken at once": []byte(`<?xml version="1.0"?><FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RNCP1</NUMERO</FICHE></FICHES>`),
		} {
			status, _, resp := postImport(t, h, admin, body)
			if status != 400 || !strings.Contains(resp, `"code":"invalid"`) {
				t.Errorf("%s: %d %s, want 400 invalid", name, status, resp)
			}
		}
		list, _ := db.Certifications(t.Context())
		if len(list) != 1 {
			t.Errorf("bad imports wrote certifications: %+v", list)
		}

		// A fiche without a title is rejected and named; the others come in.
		noTitle := bytes.Replace(xml, []byte("<INTITULE>Programme Grande Ecole"), []byte("<INTITULE_X>Programme Grande Ecole"), 1)
		noTitle = bytes.Replace(noTitle, []byte("</INTITULE>"), []byte("</INTITULE_X>"), 1)
		status, rep, resp := postImport(t, h, admin, noTitle)
		if status != 200 || len(rep.Rejected) != 1 || rep.Rejected[0].Code != "RNCP34762" || len(rep.Created) != 9 {
			t.Fatalf("one bad fiche = %d %s", status, resp)
		}
		if _, err := db.Certification(t.Context(), "RNCP34762", 0); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("the rejected fiche was written: %v", err)
		}
	})
}
