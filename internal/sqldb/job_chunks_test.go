package sqldb_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestJobChunks: an upload kept with its job in chunks reads back the same,
// whatever its size against the chunk's; an upload whose reading fails
// leaves neither job nor chunk; the chunks go with the job's output or its
// end, or with the purge for a job found dead when its lease ended.
func TestJobChunks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		rnd := rand.New(rand.NewPCG(1, 2))
		for i, size := range []int{1, sqldb.JobChunkSize, 2*sqldb.JobChunkSize + sqldb.JobChunkSize/2} {
			in := make([]byte, size)
			for j := range in {
				in[j] = byte(rnd.Uint32())
			}
			job, created, err := db.EnqueueJobChunks(ctx, "test.chunks", string(rune('a'+i)), map[string]int{}, 1, bytes.NewReader(in))
			if err != nil || !created {
				t.Fatalf("queue %d bytes: %v %v", size, created, err)
			}
			n, err := db.JobChunks(ctx, job.ID)
			must(t, err)
			if want := (size + sqldb.JobChunkSize - 1) / sqldb.JobChunkSize; n != want {
				t.Errorf("%d bytes in %d chunks, want %d", size, n, want)
			}
			r, err := db.JobInput(ctx, job.ID)
			must(t, err)
			out, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(out, in) {
				t.Errorf("%d bytes read back as %d: %v", size, len(out), err)
			}
		}

		// The client's connection breaks after 1.5 chunks.
		broken := io.MultiReader(bytes.NewReader(make([]byte, sqldb.JobChunkSize*3/2)), errReader{errors.New("connection reset")})
		if _, _, err := db.EnqueueJobChunks(ctx, "test.chunks", "broken", map[string]int{}, 1, broken); err == nil {
			t.Fatal("an upload that breaks is queued")
		}
		if list, _ := db.Jobs(ctx, "test.chunks", "broken", 10); len(list) != 0 {
			t.Fatalf("an upload that broke left a job: %+v", list)
		}
		if _, err := db.JobInput(ctx, 1e9); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("the upload of no job: %v", err)
		}

		// Its output ends a job's need of its upload, and so does its end,
		// done or dead.
		for key, end := range map[string]string{"a": "output", "b": "dead"} {
			list, err := db.Jobs(ctx, "test.chunks", key, 1)
			must(t, err)
			job, ok, err := db.ClaimJob(ctx, "test", time.Minute, list[0].ID)
			if err != nil || !ok {
				t.Fatalf("claim: %v %v", ok, err)
			}
			if end == "output" {
				must(t, db.SaveJobOutput(ctx, job.ID, job.Attempts, time.Minute, certibloc.JobFile{Name: "r.json", ContentType: "application/json", Content: []byte("{}")}, 1, 1))
				if n, _ := db.JobChunks(ctx, job.ID); n != 0 {
					t.Errorf("a job with its output keeps %d chunks", n)
				}
				must(t, db.FinishJob(ctx, job.ID, job.Attempts))
			} else {
				must(t, db.FailJob(ctx, job.ID, job.Attempts, "gave up", true))
				if n, _ := db.JobChunks(ctx, job.ID); n != 0 {
					t.Errorf("a dead job keeps %d chunks", n)
				}
			}
		}
		// A job whose worker died in its last attempt is found dead by
		// the next claim; the purge then deletes its upload.
		c, _ := db.Jobs(ctx, "test.chunks", "c", 1)
		job, ok, err := db.ClaimJob(ctx, "test", time.Millisecond, c[0].ID)
		if err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		time.Sleep(10 * time.Millisecond)
		if _, _, err := db.ClaimJob(ctx, "test", time.Minute, 0, "none"); err != nil {
			t.Fatal(err)
		}
		if j, _ := db.Job(ctx, job.ID); j.State != certibloc.JobDead {
			t.Fatalf("a job whose last attempt's lease ended: %+v", j)
		}
		if n, _ := db.JobChunks(ctx, job.ID); n != 3 {
			t.Fatalf("the dead job's chunks before the purge: %d", n)
		}
		queued, _, err := db.EnqueueJobChunks(ctx, "test.chunks", "queued", map[string]int{}, 1, bytes.NewReader(make([]byte, 10)))
		must(t, err)
		_, err = db.PurgeRetention(ctx, 24, false)
		must(t, err)
		if n, _ := db.JobChunks(ctx, job.ID); n != 0 {
			t.Errorf("the dead job keeps %d chunks after the purge", n)
		}
		if n, _ := db.JobChunks(ctx, queued.ID); n != 1 {
			t.Errorf("the queued job has %d chunks after the purge, want its one", n)
		}
	})
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
