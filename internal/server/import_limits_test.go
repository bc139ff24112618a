package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/rncp"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// importAnswer is the answer of an import that stopped on an error.
type importAnswer struct {
	Error  struct{ Code, Message string } `json:"error"`
	Report *rncp.Report                   `json:"report"`
}

func TestImportFailingMidFileAnswersWhatItDid(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		// The document breaks inside its fourth fiche.
		xml := fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
		at := 0
		for range 4 {
			at += bytes.Index(xml[at:], []byte("<FICHE>")) + 1
		}
		broken := string(xml[:at+20]) + "</FICHES>"
		body := do(t, h, o, call{method: "POST", url: "/api/v1/imports/rncp", doc: "/api/v1/imports/rncp", body: broken,
			token: admin, status: 400})
		var answer importAnswer
		if err := json.Unmarshal(body, &answer); err != nil {
			t.Fatal(err)
		}
		if answer.Error.Code != "invalid" || !strings.Contains(answer.Error.Message, "XML export, line") ||
			answer.Report == nil || codes(answer.Report.Created) != "RNCP34762 RNCP35809 RNCP35419" {
			t.Fatalf("answer %s", body)
		}
		for _, r := range answer.Report.Created {
			if _, err := db.Certification(t.Context(), r.Code, 0); err != nil {
				t.Errorf("%s is in the report but not in the store: %v", r.Code, err)
			}
		}
	})
}

func TestImportOneAtATimeThroughAPI(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		// A first import whose body is still coming.
		pr, pw := io.Pipe()
		first := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			defer close(done)
			req := httptest.NewRequest("POST", "/api/v1/imports/rncp", pr)
			req.Header.Set("Authorization", "Bearer "+admin)
			h.ServeHTTP(first, req)
		}()
		defer func() { pw.CloseWithError(io.ErrUnexpectedEOF); <-done }() // even if the test fails
		wrote := make(chan struct{})
		go func() {
			pw.Write(fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")[:1000])
			close(wrote)
		}()
		select {
		case <-wrote: // the first import is reading its body
		case <-time.After(10 * time.Second):
			t.Fatalf("the first import does not read its body: %d %s", first.Code, first.Body)
		}
		body := do(t, h, o, call{method: "POST", url: "/api/v1/imports/rncp", doc: "/api/v1/imports/rncp",
			body: "<FICHES/>", token: admin, status: 409})
		if !strings.Contains(string(body), "another RNCP import is running") {
			t.Errorf("the second import: %s", body)
		}
		pw.CloseWithError(io.ErrUnexpectedEOF)
		<-done
		if first.Code == http.StatusOK || first.Code == http.StatusConflict {
			t.Errorf("the first import, cut short: %d %s", first.Code, first.Body)
		}
		status, rep, resp := postImport(t, h, admin, fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml"))
		if status != 200 || len(rep.Created) != 10 {
			t.Errorf("an import after: %d %s", status, resp)
		}
	})
}

func TestImportZipBombThroughAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		// A Standard member of one 64 MB line, in 70 KB of zip.
		bomb := zipOfOneLine(t, 64<<20)
		status, _, resp := postImport(t, h, admin, bomb)
		if status != 400 || !strings.Contains(resp, "larger than 1 MB, the most one may be") {
			t.Errorf("a zip bomb: %d %.500s", status, resp)
		}
		if list, _ := db.Certifications(t.Context()); len(list) != 1 {
			t.Errorf("the bomb wrote certifications: %d", len(list))
		}
	})
}

// zipOfOneLine is a CSV zip whose Standard member is its header and one
// line of n bytes.
func zipOfOneLine(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("export_fiches_CSV_Standard_2024_02_22.csv")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `"Numero_Fiche";"Intitule"`+"\r\n"+`"RNCP1";"`)
	line := bytes.Repeat([]byte("a"), 1<<20)
	for range n >> 20 {
		w.Write(line)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
