package server_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

const (
	importJobsDoc = "/api/v1/evaluations/{id}/results/imports"
	importJobDoc  = "/api/v1/evaluations/{id}/results/imports/{job}"
)

// TestGradeSheetImportJob: a sheet imported as a job through the API is
// answered at once (202, the job's address); a second while the first is
// queued is refused (409); a worker records it, and the job's address then
// answers the report; a refused sheet's report lists its problems, in the
// language of its upload, and nothing is recorded. Every answer matches
// the OpenAPI document.
func TestGradeSheetImportJob(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newSheetSite(t, db)
		a, b := s.learners[0], s.learners[1]
		_, lines := s.template(s.oral, "csv", "fr")
		good := fill(t, lines, "csv", map[int64]map[string]string{a: {"NOTE": "14,5", "Soumettre": "oui"}, b: {"NOTE": "9,75"}})
		base := fmt.Sprintf("/api/v1/evaluations/%d/results/imports", s.oral.ID)
		rec, out := s.send("POST", base+"?lang=fr", importJobsDoc, good, "text/csv", "", nil, 202)
		var job certibloc.Job
		must(t, json.Unmarshal(out, &job))
		where := rec.Header().Get("Location")
		if job.Kind != certibloc.ImportResultsJob || job.State != certibloc.JobQueued || where != fmt.Sprintf("%s/%d", base, job.ID) {
			t.Fatalf("queued import: %s at %q", out, where)
		}
		_, out = s.send("POST", base+"?lang=en", importJobsDoc, good, "text/csv", "", nil, 409)
		if !strings.Contains(string(out), "under way already") || !strings.Contains(string(out), where) {
			t.Fatalf("a second import while the first waits: %s", out)
		}
		if _, out = s.send("GET", where, importJobDoc, nil, "", "", nil, 200); strings.Contains(string(out), `"report"`) {
			t.Fatalf("a report before the job ran: %s", out)
		}
		if len(s.results(s.oral)) != 0 {
			t.Fatal("recorded before the job ran")
		}
		r := jobs.New(db, slog.New(slog.DiscardHandler))
		r.Handle(certibloc.ImportResultsJob, (&jobs.Results{DB: db}).Handle)
		run := func() {
			t.Helper()
			if ran, err := r.RunNext(t.Context(), 0); !ran || err != nil {
				t.Fatalf("the import did not run: %v", err)
			}
		}
		run()
		_, out = s.send("GET", where, importJobDoc, nil, "", "", nil, 200)
		var done struct {
			Job    certibloc.Job     `json:"job"`
			Report jobs.ImportReport `json:"report"`
		}
		must(t, json.Unmarshal(out, &done))
		if done.Job.State != certibloc.JobDone || done.Report.Recorded != 2 || done.Report.Submitted != 1 || len(done.Report.Problems) != 0 {
			t.Fatalf("the import's job once run: %s", out)
		}
		before := s.results(s.oral)
		if len(before) != 2 || before[a].State != certibloc.ResultSubmitted {
			t.Fatalf("results after the job: %+v", before)
		}

		// A refused sheet, sent in English: nothing recorded, its problems reported.
		bad := fill(t, lines, "csv", map[int64]map[string]string{b: {"NOTE": "vingt"}})
		rec, out = s.send("POST", base+"?lang=en", importJobsDoc, bad, "text/csv", "", nil, 202)
		where = rec.Header().Get("Location")
		run()
		_, out = s.send("GET", where, importJobDoc, nil, "", "", nil, 200)
		must(t, json.Unmarshal(out, &done))
		if done.Job.State != certibloc.JobDead || len(done.Report.Problems) != 1 || done.Report.Problems[0].Row != 4 ||
			done.Report.Problems[0].Column != "NOTE" || !strings.Contains(done.Report.Problems[0].Message, "is not a grade") ||
			!strings.HasPrefix(done.Report.Message, "Nothing was recorded") {
			t.Fatalf("the job of a refused sheet: %s", out)
		}
		for id, r := range s.results(s.oral) {
			if !r.UpdatedAt.Equal(before[id].UpdatedAt) {
				t.Fatalf("a refused sheet changed the result of %d: %+v", id, r)
			}
		}
		// Another session's address does not show this import.
		s.send("GET", fmt.Sprintf("/api/v1/evaluations/%d/results/imports/%d", s.bc01.ID, job.ID), importJobDoc, nil, "", "", nil, 404)
	})
}
