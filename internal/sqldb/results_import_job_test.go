package sqldb_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/gradesheet"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// gradingSession stores DIIAGE, RNCP38478, an evaluator and a session of
// n learners that they grade; it returns the evaluator, the session and
// its grid.
func gradingSession(t *testing.T, db *sqldb.DB, n int) (*certibloc.Principal, *certibloc.EvalSession, *certibloc.Grid) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
		t.Fatal(err)
	}
	cert, err := seed.Certification()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveCertification(ctx, cert); err != nil {
		t.Fatal(err)
	}
	grids, err := db.Grids(ctx, cert.Code, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := &grids[0]
	account, err := db.CreateAccount(ctx, certibloc.Account{Email: "correcteur@example.org", Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}})
	if err != nil {
		t.Fatal(err)
	}
	id, err := db.SeedGradingSessionForBench(ctx, "DIIAGE", g, account.ID, n)
	if err != nil {
		t.Fatal(err)
	}
	evaluator := account.Principal()
	s, err := db.EvalSession(ctx, evaluator, id)
	if err != nil {
		t.Fatal(err)
	}
	return evaluator, s, g
}

// queueImport keeps sheet with a new import job of session s.
func queueImport(t *testing.T, db *sqldb.DB, by *certibloc.Principal, s *certibloc.EvalSession, data []byte) *certibloc.Job {
	t.Helper()
	job, created, err := db.EnqueueJobFile(t.Context(), certibloc.ImportResultsJob, certibloc.SessionJobKey(s.ID),
		certibloc.ImportResults{Session: s.ID, Lang: "fr", By: *by}, 3,
		&certibloc.JobFile{Name: "sheet.csv", ContentType: "text/csv", Content: data})
	if err != nil || !created {
		t.Fatalf("queue the import: %v %v", created, err)
	}
	return job
}

func importRunner(db *sqldb.DB, name string, lease time.Duration) *jobs.Runner {
	r := jobs.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r.Name, r.Lease = name, lease
	r.Handle(certibloc.ImportResultsJob, (&jobs.Results{DB: db}).Handle)
	return r
}

// runOnce waits until r has run a job.
func runOnce(t *testing.T, r *jobs.Runner) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ran, err := r.RunNext(t.Context(), 0)
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("%s ran nothing: %v", r.Name, err)
		}
		if ran {
			return
		}
	}
}

// TestImportJobResumesWithoutDuplicates: a grade sheet imported as a job.
// A first worker dies without a trace (kill -9 before its transaction
// commits: nothing of it stays); a second, once the lease ends, records
// the sheet with its report in one transaction and dies before it ends
// the job; a third finds the report and ends the job without recording
// anything again. The first, back, may write nothing.
func TestImportJobResumesWithoutDuplicates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		const n = 60
		evaluator, s, g := gradingSession(t, db, n)
		job := queueImport(t, db, evaluator, s, filledSheet(t, s, g, true))
		if again, created, err := db.EnqueueJobFile(t.Context(), certibloc.ImportResultsJob, certibloc.SessionJobKey(s.ID),
			certibloc.ImportResults{Session: s.ID}, 3, &certibloc.JobFile{Content: []byte("x")}); err != nil || created || again.ID != job.ID {
			t.Fatalf("a second import while the first is queued: %v %v %v", again, created, err)
		}
		const lease = 300 * time.Millisecond
		// The first worker claims the job and dies.
		if first, ok, err := db.ClaimJob(t.Context(), "first", lease, 0, certibloc.ImportResultsJob); err != nil || !ok || first.ID != job.ID {
			t.Fatalf("claim: %v %v", ok, err)
		}
		// The second records the sheet, and dies before it ends the job.
		var second *certibloc.Job
		for deadline := time.Now().Add(10 * time.Second); second == nil; time.Sleep(20 * time.Millisecond) {
			j, ok, err := db.ClaimJob(t.Context(), "second", lease, 0, certibloc.ImportResultsJob)
			if err != nil || time.Now().After(deadline) {
				t.Fatalf("the second worker claimed nothing: %v", err)
			}
			if ok {
				second = j
			}
		}
		if err := (&jobs.Results{DB: db}).Handle(t.Context(), jobs.NewAttempt(db, second, lease)); err != nil {
			t.Fatal(err)
		}
		results, err := db.Results(t.Context(), evaluator, s.ID)
		if err != nil || len(results) != n {
			t.Fatalf("after the second worker, %d results (want %d), %v", len(results), n, err)
		}
		// The third ends the job, recording nothing again.
		third := importRunner(db, "third", lease)
		runOnce(t, third)
		end, _ := db.Job(t.Context(), job.ID)
		if end.State != certibloc.JobDone || end.Attempts != 3 || end.Done != n || end.Total != n {
			t.Fatalf("job at the end: %+v", end)
		}
		again, _ := db.Results(t.Context(), evaluator, s.ID)
		if len(again) != n {
			t.Fatalf("%d results after the third worker, want %d", len(again), n)
		}
		for i := range again {
			if again[i].ID != results[i].ID || !again[i].UpdatedAt.Equal(results[i].UpdatedAt) {
				t.Fatalf("result %d written again: %+v then %+v", i, results[i], again[i])
			}
		}
		out, err := db.JobFile(t.Context(), job.ID, certibloc.JobOutput)
		var report jobs.ImportReport
		if err != nil || json.Unmarshal(out.Content, &report) != nil || report.Recorded != n || report.Submitted != n || len(report.Problems) != 0 {
			t.Fatalf("report %s, %v", out.Content, err)
		}
		// The first worker, back from the dead, may write nothing.
		if _, err := db.RecordJobResults(t.Context(), job.ID, 1, lease, evaluator, s.ID, []sqldb.ResultInput{{PersonID: s.Learners[0].PersonID, Round: 1}},
			func([]certibloc.Result) (certibloc.JobFile, error) { return certibloc.JobFile{}, nil }); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a write of the lost attempt: %v", err)
		}
	})
}

// TestImportJobRefusedSheet: a sheet with a problem records nothing; the
// job is dead at once, and its report names the line, the column and
// the problem in the upload's language.
func TestImportJobRefusedSheet(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		evaluator, s, g := gradingSession(t, db, 5)
		tbl := gradesheet.Template(s, g, 1, certibloc.French, nil)
		tbl.Rows[0][2] = "99" // a level that is not on the scale
		var buf bytes.Buffer
		if err := sheet.WriteCSV(&buf, tbl); err != nil {
			t.Fatal(err)
		}
		job := queueImport(t, db, evaluator, s, buf.Bytes())
		runOnce(t, importRunner(db, "worker", time.Minute))
		end, _ := db.Job(t.Context(), job.ID)
		if end.State != certibloc.JobDead || end.Attempts != 1 || !strings.Contains(end.Error, "refused") {
			t.Fatalf("job of a refused sheet: %+v", end)
		}
		if results, _ := db.Results(t.Context(), evaluator, s.ID); len(results) != 0 {
			t.Fatalf("a refused sheet recorded %d results", len(results))
		}
		out, err := db.JobFile(t.Context(), job.ID, certibloc.JobOutput)
		var report jobs.ImportReport
		if err != nil || json.Unmarshal(out.Content, &report) != nil || len(report.Problems) == 0 || report.Recorded != 0 ||
			report.Problems[0].Row < 2 || report.Problems[0].Message == "" || !strings.HasPrefix(report.Message, "Rien n'a été enregistré") {
			t.Fatalf("report %s, %v", out.Content, err)
		}
	})
}
