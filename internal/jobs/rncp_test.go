package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/rncp"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestRNCPImportKilledMidFileResumesWithoutDuplicates: a worker imports
// the ten fiches of the fixture and dies after the fourth (its context
// cancelled, nothing more written, as kill -9 would leave it); once the
// lease ends the next attempt reads the file again from its chunks: the
// four fiches saved before are unchanged, the six others created, each
// certification has one version, and the chunks are gone with the job done.
func TestRNCPImportKilledMidFileResumesWithoutDuplicates(t *testing.T) {
	xml, err := os.ReadFile(filepath.Join("..", "rncp", "testdata", "export_fiches_RNCP_V4_1_excerpt_10fiches.xml"))
	if err != nil {
		t.Fatal(err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		admin := certibloc.Principal{Role: certibloc.Admin, Label: "test"}
		job, created, err := db.EnqueueJobChunks(t.Context(), certibloc.ImportRNCPJob, certibloc.RNCPJobKey,
			certibloc.ImportRNCP{Size: int64(len(xml)), By: admin}, 3, bytes.NewReader(xml))
		if err != nil || !created {
			t.Fatalf("queue the import: %v %v", created, err)
		}
		lease := 300 * time.Millisecond
		claimed, ok, err := db.ClaimJob(t.Context(), "first", lease, 0, certibloc.ImportRNCPJob)
		if err != nil || !ok || claimed.ID != job.ID {
			t.Fatalf("claim: %+v %v %v", claimed, ok, err)
		}
		ctx, die := context.WithCancel(t.Context())
		var before []string
		first := &RNCP{DB: db, Save: func(ctx context.Context, c *certibloc.Certification) (certibloc.SaveResult, error) {
			res, err := db.SaveCertification(ctx, c)
			if before = append(before, c.Code); len(before) == 4 {
				die()
			}
			return res, err
		}}
		err = first.Handle(ctx, NewAttempt(db, claimed, lease))
		die()
		mid, _ := db.Job(t.Context(), job.ID)
		if err == nil || mid.State != certibloc.JobRunning || len(before) != 4 {
			t.Fatalf("after the first worker died: %v, job %+v, %d fiches saved", err, mid, len(before))
		}
		if n, _ := db.JobChunks(t.Context(), job.ID); n == 0 {
			t.Fatal("the chunks went with the attempt that died")
		}
		if list, _ := db.Certifications(t.Context()); len(list) != 4 {
			t.Fatalf("after the kill, %d certifications, want 4", len(list))
		}

		r := New(db, slog.New(slog.DiscardHandler))
		r.Lease, r.Name = lease, "second"
		r.Handle(certibloc.ImportRNCPJob, (&RNCP{DB: db}).Handle)
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			ran, err := r.RunNext(t.Context(), 0)
			if err != nil || time.Now().After(deadline) {
				t.Fatalf("the second worker ran nothing: %v", err)
			}
			if ran {
				break
			}
		}
		end, _ := db.Job(t.Context(), job.ID)
		if end.State != certibloc.JobDone || end.Attempts != 2 || end.Done != 10 || end.Worker != "second" {
			t.Fatalf("job at the end: %+v", end)
		}
		out, err := db.JobFile(t.Context(), job.ID, certibloc.JobOutput)
		must(t, err)
		var o RNCPOutcome
		must(t, json.Unmarshal(out.Content, &o))
		unchanged := slices.Clone(o.Report.Unchanged)
		slices.Sort(unchanged)
		slices.Sort(before)
		if o.Error != nil || o.Report.Fiches != 10 || len(o.Report.Created) != 6 || !slices.Equal(unchanged, before) {
			t.Fatalf("the final report: %+v, error %+v; want the 4 fiches saved before the kill unchanged (%v), 6 created",
				o.Report, o.Error, before)
		}
		list, err := db.Certifications(t.Context())
		must(t, err)
		if len(list) != 10 {
			t.Errorf("%d certifications, want 10", len(list))
		}
		for _, c := range list {
			if vs, err := db.CertificationVersions(t.Context(), c.Code); err != nil || len(vs) != 1 {
				t.Errorf("%s has %d versions, want 1: %v", c.Code, len(vs), err)
			}
		}
		if n, err := db.JobChunks(t.Context(), job.ID); err != nil || n != 0 {
			t.Errorf("the done job keeps %d chunks: %v", n, err)
		}
		// A job whose upload is gone (or never was) ends dead, saying so.
		again, _, err := db.EnqueueJob(t.Context(), certibloc.ImportRNCPJob, certibloc.RNCPJobKey, certibloc.ImportRNCP{By: admin}, 3)
		must(t, err)
		if n, _ := db.JobChunks(t.Context(), again.ID); n != 0 {
			t.Fatalf("a job queued without upload has %d chunks", n)
		}
		if ran, err := r.RunNext(t.Context(), again.ID); !ran || err != nil {
			t.Fatal(ran, err)
		}
		if j, _ := db.Job(t.Context(), again.ID); j.State != certibloc.JobDead || j.Error == "" {
			t.Errorf("a job without upload: %+v, want dead with why", j)
		}
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestRNCPImportWaitsForTheCommandLine: on PostgreSQL, a job that finds
// the import's lock held (an import of the command line) waits for it,
// its lease renewed, rather than failing an attempt; then it imports.
func TestRNCPImportWaitsForTheCommandLine(t *testing.T) {
	xml, err := os.ReadFile(filepath.Join("..", "rncp", "testdata", "export_fiches_RNCP_V4_1_excerpt_10fiches.xml"))
	must(t, err)
	db := sqldbtest.Postgres(t)
	job, _, err := db.EnqueueJobChunks(t.Context(), certibloc.ImportRNCPJob, certibloc.RNCPJobKey,
		certibloc.ImportRNCP{Size: int64(len(xml)), By: certibloc.Principal{Role: certibloc.Admin, Label: "test"}}, 3, bytes.NewReader(xml))
	must(t, err)
	release, ok, err := db.TryLock(t.Context(), rncp.ImportLock)
	if err != nil || !ok {
		t.Fatalf("take the import's lock: %v %v", ok, err)
	}
	defer func() {
		if release != nil {
			release()
		}
	}()
	r := New(db, slog.New(slog.DiscardHandler))
	r.Lease = 300 * time.Millisecond
	r.Handle(certibloc.ImportRNCPJob, (&RNCP{DB: db}).Handle)
	ran := make(chan error, 1)
	go func() {
		_, err := r.RunNext(t.Context(), job.ID)
		ran <- err
	}()
	time.Sleep(4 * r.Lease) // leases that would have ended, were they not renewed
	if j, _ := db.Job(t.Context(), job.ID); j.State != certibloc.JobRunning || j.Attempts != 1 {
		t.Fatalf("while the command line imports: %+v, want running, its first attempt", j)
	}
	if list, _ := db.Certifications(t.Context()); len(list) != 0 {
		t.Fatalf("the job imported while the command line held the lock: %d", len(list))
	}
	release()
	release = nil
	must(t, <-ran)
	if j, _ := db.Job(t.Context(), job.ID); j.State != certibloc.JobDone || j.Attempts != 1 || j.Done != 10 {
		t.Fatalf("once the command line ended: %+v", j)
	}
}
