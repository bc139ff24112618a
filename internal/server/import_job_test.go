package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/rncp"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The RNCP import as a durable job (jobs.RNCP): the same answer as the
// import within the request (import_test.go, import_limits_test.go), and
// besides the answer at once with Prefer: respond-async, a job that goes on
// when its client leaves, and nothing kept of a body that is not an export.

const rncpJobDoc = "/api/v1/imports/rncp/{job}"

// sendImport posts body to the RNCP import with header (name: value
// pairs), checks the answer against the OpenAPI document, and returns it.
func sendImport(t *testing.T, h http.Handler, o *openAPI, ctx context.Context, token string, body io.Reader, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(ctx, "POST", "/api/v1/imports/rncp", body)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ctx.Err() == nil {
		checkAnswer(t, o, "POST", "/api/v1/imports/rncp", rec)
	}
	return rec
}

func checkAnswer(t *testing.T, o *openAPI, method, doc string, rec *httptest.ResponseRecorder) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("%s %s = %d, not JSON: %v %.300s", method, doc, rec.Code, err, rec.Body)
	}
	if err := o.schema(t, method, doc, rec.Code).Validate(v); err != nil {
		t.Fatalf("%s %s = %d: the answer does not match the OpenAPI document: %v\n%.300s", method, doc, rec.Code, err, rec.Body)
	}
}

// rncpJobAnswer is the answer of GET /api/v1/imports/rncp/{job}.
type rncpJobAnswer struct {
	Job    certibloc.Job                   `json:"job"`
	Report *rncp.Report                    `json:"report"`
	Error  *struct{ Code, Message string } `json:"error"`
}

// followImport reads the job at where until it ended.
func followImport(t *testing.T, h http.Handler, o *openAPI, token, where string) rncpJobAnswer {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		req := httptest.NewRequest("GET", where, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d %s", where, rec.Code, rec.Body)
		}
		checkAnswer(t, o, "GET", rncpJobDoc, rec)
		var a rncpJobAnswer
		if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if !a.Job.Active() {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import job is still %s: %s", a.Job.State, rec.Body)
		}
	}
}

// noChunksLeft checks that no job kept an upload.
func noChunksLeft(t *testing.T, db *sqldb.DB) {
	t.Helper()
	list, err := db.Jobs(t.Context(), certibloc.ImportRNCPJob, "", 100)
	must(t, err)
	for _, j := range list {
		if n, err := db.JobChunks(t.Context(), j.ID); err != nil || n != 0 {
			t.Errorf("job %d (%s) keeps %d chunks of its upload: %v", j.ID, j.State, n, err)
		}
	}
}

func TestImportRNCPAsync(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		must(t, err)
		rec := sendImport(t, h, o, t.Context(), admin, bytes.NewReader(fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")),
			"Prefer", "respond-async")
		var job certibloc.Job
		if err := json.Unmarshal(rec.Body.Bytes(), &job); rec.Code != http.StatusAccepted || err != nil {
			t.Fatalf("an import with Prefer: respond-async = %d %s", rec.Code, rec.Body)
		}
		where := rec.Header().Get("Location")
		if job.Kind != certibloc.ImportRNCPJob || where != fmt.Sprint("/api/v1/imports/rncp/", job.ID) ||
			rec.Header().Get("Preference-Applied") != "respond-async" {
			t.Fatalf("job %+v at %q", job, where)
		}
		end := followImport(t, h, o, admin, where)
		if end.Job.State != certibloc.JobDone || end.Job.Done != 10 || end.Job.Total != 10 || end.Error != nil ||
			end.Report == nil || len(end.Report.Created) != 10 || end.Report.Format != "xml" {
			t.Fatalf("the import job at its end: %+v, report %+v, error %+v", end.Job, end.Report, end.Error)
		}
		if _, err := db.Certification(t.Context(), "RNCP35809", 0); err != nil {
			t.Errorf("an imported fiche: %v", err)
		}
		noChunksLeft(t, db)

		// A document broken in its fourth fiche: the job is dead with the
		// error, its report lists the three fiches before.
		xml := fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
		at := 0
		for range 4 {
			at += bytes.Index(xml[at:], []byte("<FICHE>")) + 1
		}
		broken := strings.NewReader(string(xml[:at+20]) + "</FICHES>")
		rec = sendImport(t, h, o, t.Context(), admin, broken, "Prefer", "respond-async")
		if rec.Code != http.StatusAccepted {
			t.Fatalf("a broken export, async = %d %s", rec.Code, rec.Body)
		}
		end = followImport(t, h, o, admin, rec.Header().Get("Location"))
		if end.Job.State != certibloc.JobDead || end.Error == nil || end.Error.Code != "invalid" ||
			!strings.Contains(end.Error.Message, "XML export, line") || end.Report == nil || len(end.Report.Unchanged) != 3 {
			t.Fatalf("a broken export's job: %+v, report %+v, error %+v", end.Job, end.Report, end.Error)
		}
		noChunksLeft(t, db)

		// Another kind of job is not an RNCP import.
		other, _, err := db.EnqueueJob(t.Context(), certibloc.ExportApplicationsJob, "campaign:1:csv:fr:", map[string]int{"campaign": 1}, 3)
		must(t, err)
		req := httptest.NewRequest("GET", fmt.Sprint("/api/v1/imports/rncp/", other.ID), nil)
		req.Header.Set("Authorization", "Bearer "+admin)
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		if rr.Code != http.StatusNotFound {
			t.Errorf("an export's job as an RNCP import: %d %s", rr.Code, rr.Body)
		}
		checkAnswer(t, o, "GET", rncpJobDoc, rr)
	})
}

// TestImportRNCPNothingKeptOfABadUpload: a body that is not an export is
// refused before anything is written, and so is an upload cut short: no
// job, no chunk.
func TestImportRNCPNothingKeptOfABadUpload(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		must(t, err)
		for _, async := range []string{"", "respond-async"} {
			rec := sendImport(t, h, o, t.Context(), admin, strings.NewReader("hello, this is no export"), "Prefer", async)
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "neither an RNCP XML export") {
				t.Errorf("not an export (Prefer %q): %d %s", async, rec.Code, rec.Body)
			}
		}
		pr, pw := io.Pipe()
		go func() {
			pw.Write(fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")[:3<<10])
			pw.CloseWithError(io.ErrUnexpectedEOF) // the client's connection breaks
		}()
		rec := sendImport(t, h, o, t.Context(), admin, pr, "Prefer", "respond-async")
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "the upload stopped before its end") {
			t.Errorf("an upload cut short: %d %s", rec.Code, rec.Body)
		}
		if list, err := db.Jobs(t.Context(), certibloc.ImportRNCPJob, "", 10); err != nil || len(list) != 0 {
			t.Errorf("bad uploads left jobs: %+v %v", list, err)
		}
		noChunksLeft(t, db)
		status, rep, body := postImport(t, h, admin, fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml"))
		if status != 200 || len(rep.Created) != 10 {
			t.Errorf("an import after: %d %s", status, body)
		}
	})
}

// TestImportRNCPGoesOnWhenTheClientLeaves: the client of a waiting import
// leaves once its job is queued; the job ends all the same.
func TestImportRNCPGoesOnWhenTheClientLeaves(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		must(t, err)
		ctx, leave := context.WithCancel(t.Context())
		defer leave()
		go func() {
			for ctx.Err() == nil {
				if list, _ := db.Jobs(t.Context(), certibloc.ImportRNCPJob, "", 1); len(list) > 0 {
					leave()
				}
				time.Sleep(time.Millisecond)
			}
		}()
		sendImport(t, h, o, ctx, admin, bytes.NewReader(fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")))
		list, err := db.Jobs(t.Context(), certibloc.ImportRNCPJob, "", 1)
		if err != nil || len(list) != 1 {
			t.Fatalf("the import's job: %+v %v", list, err)
		}
		end := followImport(t, h, o, admin, fmt.Sprint("/api/v1/imports/rncp/", list[0].ID))
		if end.Job.State != certibloc.JobDone || len(end.Report.Created) != 10 {
			t.Fatalf("the job of a client that left: %+v, report %+v", end.Job, end.Report)
		}
		noChunksLeft(t, db)
	})
}

// TestImportRNCPMemoryFlat: a 50 MB export (the fixture's ten fiches
// repeated a hundred times between its header and its footer) goes through
// the upload, the chunks and the job with the heap growing by a few MB,
// not by the file.
func TestImportRNCPMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("a 50 MB upload")
	}
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		must(t, err)
		xml := fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
		from := bytes.Index(xml, []byte("<FICHE>"))
		to := bytes.LastIndex(xml, []byte("</FICHE>")) + len("</FICHE>")
		parts := []io.Reader{bytes.NewReader(xml[:from])}
		size, reps := int64(from+len(xml)-to), 0
		for ; size < 50<<20; reps++ {
			parts = append(parts, bytes.NewReader(xml[from:to]))
			size += int64(to - from)
		}
		body := io.MultiReader(append(parts, bytes.NewReader(xml[to:]))...)

		// The live heap (marked by the last collection, whatever garbage
		// waits), with collections frequent enough to see its peak.
		defer debug.SetGCPercent(debug.SetGCPercent(10))
		live := func() uint64 {
			m := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			metrics.Read(m)
			return m[0].Value.Uint64()
		}
		runtime.GC()
		base := live()
		var peak atomic.Uint64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for {
				if l := live(); l > peak.Load() {
					peak.Store(l)
				}
				select {
				case <-stop:
					return
				case <-time.After(time.Millisecond):
				}
			}
		}()
		rec := sendImport(t, h, o, t.Context(), admin, body)
		close(stop)
		<-sampled
		var rep rncp.Report
		if err := json.Unmarshal(rec.Body.Bytes(), &rep); rec.Code != 200 || err != nil || len(rep.Created) != 10 || len(rep.Unchanged) != 10*reps-10 {
			t.Fatalf("a %d MB export = %d %.300s", size>>20, rec.Code, rec.Body)
		}
		grew := int64(peak.Load()) - int64(base)
		t.Logf("%d MB export, %d fiches: live heap %d MB before, %d MB at the peak (+%d MB)", size>>20, 10*reps,
			base>>20, peak.Load()>>20, grew>>20)
		if grew > 16<<20 {
			t.Errorf("the live heap grew by %d MB for a 50 MB upload, want it flat (under 16 MB more)", grew>>20)
		}
		noChunksLeft(t, db)
	})
}
