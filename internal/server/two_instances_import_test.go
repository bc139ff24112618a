package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/gradesheet"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// importJobAcrossInstances posts a grade sheet as an import job to
// instance a, and follows it on instance b until one of the two ran it:
// every line recorded once.
func importJobAcrossInstances(t *testing.T, db *sqldb.DB, a, b *instance) {
	staff := &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "test"}
	co := enrolCohort(t, db, "Import", "BC04")
	evaluator, _ := evaluatorAccount(t, db, "import.correcteur@example.org", certibloc.Evaluator)
	s := &certibloc.EvalSession{School: ownSchool, Block: "RNCP38478BC01", Evaluation: 1, CohortID: co.ID, Title: "Import",
		Date: db.Today(), Place: "Dijon", Evaluators: []int64{evaluator}}
	must(t, db.CreateEvalSession(t.Context(), staff, s))
	es, err := db.EvalSession(t.Context(), staff, s.ID)
	must(t, err)
	g, err := db.Grid(t.Context(), es.GridID)
	must(t, err)
	tbl := gradesheet.Template(es, g, 1, certibloc.French, nil)
	for _, row := range tbl.Rows {
		row[2] = "2"
	}
	var body bytes.Buffer
	must(t, sheet.WriteCSV(&body, tbl))
	token, _, err := db.CreateToken(t.Context(), "import", "admin", "")
	must(t, err)
	do := func(method, url string, body []byte, out any) int {
		req, _ := http.NewRequest(method, url, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(out)
		return resp.StatusCode
	}
	var job certibloc.Job
	if code := do("POST", fmt.Sprintf("%s/api/v1/evaluations/%d/results/imports", a.url, s.ID), body.Bytes(), &job); code != http.StatusAccepted {
		t.Fatalf("POST the import on instance A: %d", code)
	}
	var got struct {
		Job    certibloc.Job
		Report struct{ Recorded int }
	}
	for deadline := time.Now().Add(30 * time.Second); got.Job.State != certibloc.JobDone; time.Sleep(50 * time.Millisecond) {
		if code := do("GET", fmt.Sprintf("%s/api/v1/evaluations/%d/results/imports/%d", b.url, s.ID, job.ID), nil, &got); code != 200 || time.Now().After(deadline) {
			t.Fatalf("the import on instance B: %d %+v", code, got)
		}
	}
	results, err := db.Results(t.Context(), staff, s.ID)
	must(t, err)
	if got.Report.Recorded != len(co.Learners) || len(results) != len(co.Learners) || got.Job.Attempts != 1 {
		t.Fatalf("imported across instances: %+v, %d results for %d learners", got, len(results), len(co.Learners))
	}
}
