package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/binarytest"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestDocumentsGenerateSurvivesKill9: a certibloc process issuing a
// jury's documents is killed with SIGKILL in the middle; a second run
// takes the batch over when its lease ends and issues only what is
// missing, with its progress bar on stderr. On each engine.
func TestDocumentsGenerateSurvivesKill9(t *testing.T) {
	bin := binarytest.Build(t)
	for _, engine := range []string{sqldb.SQLite, sqldb.Postgres} {
		t.Run(engine, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "kill.db")
			if engine == sqldb.Postgres {
				url = sqldbtest.PostgresSchema(t)
			}
			db, err := sqldb.Open(t.Context(), url, "")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			cj := sqldbtest.NewClosedJury(t, db, 120, pdf.Minutes)
			args := []string{"documents", "generate", "--jury", strconv.FormatInt(cj.Jury.ID, 10), "--database", url,
				"--lease", "1s", "--chunk", "5"}

			cmd := binarytest.Start(t, bin, nil, args...)
			var mid *certibloc.Job
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
				jobs, _ := db.Jobs(t.Context(), certibloc.GenerateDocumentsJob, "", 1)
				if len(jobs) == 1 && jobs[0].Done >= 20 {
					break
				}
			}
			cmd.Kill(t)
			jobs, err := db.Jobs(t.Context(), certibloc.GenerateDocumentsJob, "", 1)
			if err != nil || len(jobs) != 1 {
				t.Fatalf("jobs: %v, %v", jobs, err)
			}
			mid = &jobs[0]
			if mid.State != certibloc.JobRunning || mid.Done < 20 || mid.Done >= cj.Documents {
				t.Fatalf("after kill -9: %+v (want running, 20 ≤ done < %d)", mid, cj.Documents)
			}
			docs, _ := db.JuryDocuments(t.Context(), cj.Jury.ID)
			if len(docs) != mid.Done {
				t.Fatalf("%d documents issued, the job says %d", len(docs), mid.Done)
			}

			out, stderr, err := cli(t, nil, args...)
			if err != nil || !strings.Contains(out, strconv.Itoa(cj.Documents)+" documents") ||
				!strings.Contains(stderr, "100 % "+strconv.Itoa(cj.Documents)+"/"+strconv.Itoa(cj.Documents)) ||
				!strings.Contains(stderr, "déjà en cours") {
				t.Fatalf("second run: %v\nstdout %s\nstderr %s", err, out, stderr)
			}
			sqldbtest.CheckIssuedOnce(t, db, cj.Jury.ID, cj.Documents)
			end, _ := db.Job(t.Context(), mid.ID)
			if end.State != certibloc.JobDone || end.Attempts != 2 {
				t.Fatalf("job at the end: %+v", end)
			}
		})
	}
}

// TestDocumentsGenerateRefusesAnOpenJury: in French and English.
func TestDocumentsGenerateRefusesAnOpenJury(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "open.db")
	db, err := sqldb.Open(t.Context(), url, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	cj := sqldbtest.NewClosedJury(t, db, 1, pdf.Minutes)
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	open := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 9, 1), Place: "Dijon",
		Members: cj.Jury.Members, Candidates: cj.People}
	if err := db.CreateJury(ctx, open); err != nil {
		t.Fatal(err)
	}
	_, _, err = cli(t, nil, "documents", "generate", "--jury", strconv.FormatInt(open.ID, 10), "--database", url)
	if err == nil || !strings.Contains(err.Error(), "procès-verbal n'est pas encore clos") || !strings.Contains(err.Error(), "minutes are not closed") {
		t.Fatalf("generating for an open jury: %v", err)
	}
	if jobs, _ := db.Jobs(t.Context(), "", "", 10); len(jobs) != 0 {
		t.Fatalf("a job was queued: %+v", jobs)
	}
}
