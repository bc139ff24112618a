package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/rncp"
)

// maxImportBody bounds an uploaded export: the national XML file is a few
// hundred MB, and the importer streams it.
const maxImportBody = 2 << 30

// importRNCP keeps an RNCP XML export or CSV zip from the body with a new
// durable job (jobs.RNCP), which stores each fiche in its own transaction,
// and starts it on this instance (any other may finish it). By default
// the request waits for the job and answers its report, as the import
// within the request did: what was created, updated, unchanged and
// rejected, and why; an import that stopped on an error kept the fiches
// saved before it, and the answer is then the error with the report
// ({"error": {…}, "report": {…}}). With "Prefer: respond-async" it
// answers 202 at once with the job, to follow at its Location. A client
// that leaves does not stop the job. One import at a time, whatever the
// instance: another, while one is uploaded or runs, is answered 409.
//
// The upload is spooled to a temporary file, then copied into the
// database in chunks in the transaction that queues the job: a slow
// client does not hold a transaction (SQLite's single writer) open, and
// an upload that fails leaves nothing. A body that is not an export is
// refused before anything is written.
func (a *API) importRNCP(w http.ResponseWriter, r *http.Request) error {
	job, err := a.queueRNCP(w, r)
	if err != nil {
		return err
	}
	go a.runRNCP(job.ID)
	where := "/api/v1/imports/rncp/" + strconv.FormatInt(job.ID, 10)
	if preferAsync(r) {
		w.Header().Set("Location", where)
		w.Header().Set("Preference-Applied", "respond-async")
		return writeJSON(w, http.StatusAccepted, job)
	}
	job, err = a.awaitJob(r.Context(), job.ID)
	if err != nil {
		if r.Context().Err() != nil {
			return nil // the client left: nobody to answer, the job goes on
		}
		return err
	}
	out, err := a.rncpOutcome(r.Context(), job)
	if err != nil {
		return err
	}
	if rep := out.Report; rep != nil {
		a.log.Info("rncp import", "job", job.ID, "format", rep.Format, "created", len(rep.Created),
			"updated", len(rep.Updated), "unchanged", len(rep.Unchanged), "rejected", len(rep.Rejected), "err", out.Err())
	}
	if out.Error == nil {
		return writeJSON(w, http.StatusOK, out.Report)
	}
	code, status, message := httpx.Error(out.Err())
	httpx.SetHeaders(w.Header(), status)
	return writeJSON(w, status, map[string]any{
		"error":  map[string]string{"code": code, "message": message},
		"report": out.Report,
	})
}

// queueRNCP reads the upload and queues its job, one import at a time:
// it holds the database's lock (instances on PostgreSQL) and this API's
// (SQLite) while it reads, and refuses while an import job is active.
func (a *API) queueRNCP(w http.ResponseWriter, r *http.Request) (*certibloc.Job, error) {
	release, ok, err := a.db.TryLock(r.Context(), rncp.ImportLock)
	if err != nil {
		return nil, err
	} else if !ok {
		return nil, rncp.ErrBusy
	}
	defer release()
	if !a.uploading.TryLock() {
		return nil, rncp.ErrBusy
	}
	defer a.uploading.Unlock()
	if active, err := a.db.Jobs(r.Context(), certibloc.ImportRNCPJob, certibloc.RNCPJobKey, 1); err != nil {
		return nil, err
	} else if len(active) > 0 && active[0].Active() {
		return nil, rncp.ErrBusy
	}
	body := bufio.NewReaderSize(http.MaxBytesReader(w, r.Body, maxImportBody), 64<<10)
	if head, _ := body.Peek(512); rncp.Detect(head) == rncp.Unknown {
		return nil, rncp.ErrNotExport
	}
	f, err := os.CreateTemp("", "certibloc-rncp-upload-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	size, err := io.Copy(f, body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, err
	} else if err != nil {
		return nil, certibloc.Errorf(certibloc.EINVALID, "the upload stopped before its end (%v): nothing was imported", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	job, created, err := a.db.EnqueueJobChunks(r.Context(), certibloc.ImportRNCPJob, certibloc.RNCPJobKey,
		certibloc.ImportRNCP{Size: size, By: *certibloc.PrincipalFrom(r.Context())}, 3, f)
	if err != nil {
		return nil, err
	} else if !created {
		return nil, rncp.ErrBusy
	}
	return job, nil
}

// runRNCP runs import job id on this instance until it ends, whoever
// waits for it: claimed at once, and again after a failed attempt's
// back-off. Another instance's runner may take it instead (then this one
// only watches), or finish it if this process dies.
func (a *API) runRNCP(id int64) {
	ctx := context.Background()
	r := a.jobs
	if r == nil {
		r = jobs.New(a.db, a.log)
		r.Handle(certibloc.ImportRNCPJob, (&jobs.RNCP{DB: a.db}).Handle)
	}
	for {
		ran, err := r.RunNext(ctx, id)
		if err != nil {
			a.log.Warn("rncp import job: claim", "job", id, "err", err)
		}
		j, err := a.db.Job(ctx, id)
		if err != nil || !j.Active() {
			return
		}
		if !ran {
			time.Sleep(time.Second)
		}
	}
}

// awaitJob waits until job id ended or ctx is done, looking at it more
// and more seldom: every 5 ms at first, every half second at most.
func (a *API) awaitJob(ctx context.Context, id int64) (*certibloc.Job, error) {
	wait := 5 * time.Millisecond
	for {
		j, err := a.db.Job(ctx, id)
		if err != nil || !j.Active() {
			return j, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
}

// rncpOutcome is the report of an ended import job; a job given up
// without one (its last attempt failed on the database, or died) is an
// error naming why.
func (a *API) rncpOutcome(ctx context.Context, job *certibloc.Job) (*jobs.RNCPOutcome, error) {
	f, err := a.db.JobFile(ctx, job.ID, certibloc.JobOutput)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return nil, certibloc.Errorf(certibloc.EINTERNAL, "RNCP import job %d was given up: %s", job.ID, job.Error)
	} else if err != nil {
		return nil, err
	}
	var o jobs.RNCPOutcome
	if err := json.Unmarshal(f.Content, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// rncpImportJob answers an RNCP import job: its state and progress
// (fiches saved), and once it ended its report, with the error that
// stopped a broken document.
func (a *API) rncpImportJob(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "job", "job")
	if err != nil {
		return err
	}
	job, err := a.db.Job(r.Context(), id)
	if err != nil {
		return err
	}
	if job.Kind != certibloc.ImportRNCPJob {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no RNCP import %d", id)
	}
	out := map[string]any{"job": job}
	if f, err := a.db.JobFile(r.Context(), job.ID, certibloc.JobOutput); err == nil {
		var o jobs.RNCPOutcome
		if err := json.Unmarshal(f.Content, &o); err != nil {
			return err
		}
		out["report"] = o.Report
		if o.Error != nil {
			out["error"] = o.Error
		}
	} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// UseJobs runs the RNCP import jobs the requests start with r, the
// instance's runner (its lease, its name), which must handle
// certibloc.ImportRNCPJob; without it, with a runner of the defaults.
func (a *API) UseJobs(r *jobs.Runner) *API {
	a.jobs = r
	return a
}

// preferAsync reports whether the client asked for an answer at once
// (RFC 7240: Prefer: respond-async).
func preferAsync(r *http.Request) bool {
	for _, v := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(strings.SplitN(p, ";", 2)[0]), "respond-async") {
				return true
			}
		}
	}
	return false
}
