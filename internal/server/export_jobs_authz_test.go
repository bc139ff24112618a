package server_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The export and import jobs in the authorisation matrix: a campaign's
// export as a job, like its export, for staff of its school and the
// admin, who alone download its file; a grade sheet imported as a job,
// like its import, and followed by those who may import it.

func init() {
	walkDownloads["GET /app/jobs/{id}/file"] = "text/csv"
	maps.Copy(webMatrix, map[string]matrixRoute{
		"POST /app/campaigns/{id}/export": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				return fmt.Sprintf("/app/campaigns/%d/export", m.campaign().ID), "format=csv&state=submitted"
			}},
		"GET /app/jobs/{id}/file": {ok: 200, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				return fmt.Sprintf("/app/jobs/%d/file", doneExportJob(m.t, m.db, m.campaign())), ""
			}},
	})
	maps.Copy(apiMatrix, map[string]matrixRoute{
		"POST /api/v1/evaluations/{id}/results/imports": {ok: 202, own: evalStaff, other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				r := &evalRecords{}
				r.session, r.learner = m.newEvalSession(false) // one import at a time per session: a session per call
				return fmt.Sprintf("/api/v1/evaluations/%d/results/imports", r.session), m.filledSheet(r)
			}},
		"GET /api/v1/evaluations/{id}/results/imports/{job}": {ok: 200, own: evalStaff, other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				r := m.evalSession()
				job, _, err := m.db.EnqueueJobFile(m.t.Context(), certibloc.ImportResultsJob, certibloc.SessionJobKey(r.session),
					certibloc.ImportResults{Session: r.session, Lang: "fr", By: *m.staffCtx()}, 3,
					&certibloc.JobFile{Name: "sheet.csv", ContentType: "text/csv", Content: []byte(m.filledSheet(r))})
				must(m.t, err)
				return fmt.Sprintf("/api/v1/evaluations/%d/results/imports/%d", r.session, job.ID), ""
			}},
	})
}

// doneExportJob is the export of campaign c as a job, done, its file kept.
func doneExportJob(t *testing.T, db *sqldb.DB, c *certibloc.Campaign) int64 {
	t.Helper()
	job, _, err := db.EnqueueJob(t.Context(), certibloc.ExportApplicationsJob, certibloc.ExportJobKey(c.ID, "csv", "", "fr"),
		certibloc.ExportApplications{Campaign: c.ID, School: c.School, Format: "csv", Lang: "fr",
			By: certibloc.Principal{Role: certibloc.Admin, Label: "test"}}, 3)
	must(t, err)
	claimed, ok, err := db.ClaimJob(t.Context(), "test", time.Minute, job.ID)
	if err != nil || !ok {
		t.Fatalf("claim the export: %v %v", ok, err)
	}
	must(t, db.SaveJobOutput(t.Context(), job.ID, claimed.Attempts, time.Minute,
		certibloc.JobFile{Name: "candidatures.csv", ContentType: "text/csv; charset=utf-8", Content: []byte("\uFEFFN°;Nom\r\n")}, 0, 0))
	must(t, db.FinishJob(t.Context(), job.ID, claimed.Attempts))
	return job.ID
}

// walkExportJobs are the addresses of the export jobs' pages in the
// browser walk.
func walkExportJobs(t *testing.T, db *sqldb.DB) map[string][]string {
	return map[string][]string{
		"GET /app/jobs/{id}/file": {fmt.Sprintf("/app/jobs/%d/file", doneExportJob(t, db, admCampaign(t, db, "Campagne 2028")))},
	}
}

// doneRNCPJob is an RNCP import job, ended with its report: it leaves
// room for the next import (one at a time).
func doneRNCPJob(t *testing.T, db *sqldb.DB) int64 {
	t.Helper()
	job, created, err := db.EnqueueJobChunks(t.Context(), certibloc.ImportRNCPJob, certibloc.RNCPJobKey,
		certibloc.ImportRNCP{Size: 9, By: certibloc.Principal{Role: certibloc.Admin, Label: "test"}}, 3, strings.NewReader("<FICHES/>"))
	if err != nil || !created {
		t.Fatalf("queue an RNCP import: %v %v", created, err)
	}
	claimed, ok, err := db.ClaimJob(t.Context(), "test", time.Minute, job.ID)
	if err != nil || !ok {
		t.Fatalf("claim the import: %v %v", ok, err)
	}
	must(t, db.SaveJobOutput(t.Context(), job.ID, claimed.Attempts, time.Minute, certibloc.JobFile{Name: "report.json",
		ContentType: "application/json", Content: []byte(`{"report":{"format":"xml","fiches":0,"created":[],"updated":[],"unchanged":[],"rejected":[]}}`)}, 0, 0))
	must(t, db.FinishJob(t.Context(), job.ID, claimed.Attempts))
	return job.ID
}
