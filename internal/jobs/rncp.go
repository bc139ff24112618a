package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/rncp"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// RNCP imports a France Compétences export kept with its job
// (certibloc.ImportRNCPJob) in chunks, read back one at a time: each fiche
// is saved in its own transaction, as the import within a request did.
// An attempt killed mid-file leaves the fiches saved before it; the next
// attempt reads the file again and finds them unchanged, so nothing is
// saved twice. The report, with the error that stopped a broken document,
// is the job's output, written with the deletion of the chunks; a broken
// document ends the job dead. One import runs at a time among the
// instances (rncp.ImportLock): an attempt that finds another running (the
// command line's) waits for it to end.
type RNCP struct {
	DB   *sqldb.DB
	Save rncp.Saver // what saves a fiche: DB.SaveCertification when nil
}

// RNCPOutcome is the output of an RNCP import job: its report and, when a
// document could not be read to its end, the error that stopped it.
type RNCPOutcome struct {
	Report *rncp.Report  `json:"report"`
	Error  *OutcomeError `json:"error,omitempty"`
}

// OutcomeError is an error as the API answers it.
type OutcomeError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Err is the outcome's error, or nil.
func (o *RNCPOutcome) Err() error {
	if o.Error == nil {
		return nil
	}
	return certibloc.Errorf(o.Error.Code, "%s", o.Error.Message)
}

// RNCPBusyRetry is how long an RNCP import waits for another of this
// process to finish.
var RNCPBusyRetry = 2 * time.Second

// Handle is the handler of certibloc.ImportRNCPJob.
func (h *RNCP) Handle(ctx context.Context, a *Attempt) error {
	var p certibloc.ImportRNCP
	if err := json.Unmarshal(a.Job.Payload, &p); err != nil {
		return Final(certibloc.Errorf(certibloc.EINVALID, "payload %s is not an RNCP import's", a.Job.Payload))
	}
	if out, err := h.DB.JobFile(ctx, a.Job.ID, certibloc.JobOutput); err == nil {
		// An earlier attempt wrote the report and stopped before it
		// ended the job.
		var o RNCPOutcome
		if err := json.Unmarshal(out.Content, &o); err != nil {
			return Final(fmt.Errorf("the report of job %d: %w", a.Job.ID, err))
		}
		if err := o.Err(); err != nil {
			return Final(err)
		}
		return nil
	} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	// Wait for an import of another process (the command line), if
	// any, to end: the job's lease is renewed meanwhile.
	release, err := h.DB.Lock(ctx, rncp.ImportLock)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	defer release()
	in, err := h.DB.JobInput(ctx, a.Job.ID)
	if err != nil {
		return Final(err)
	}
	save := h.Save
	if save == nil {
		save = h.DB.SaveCertification
	}
	ctx = certibloc.WithPrincipal(ctx, &p.By)
	saved, last := 0, time.Now()
	counted := func(ctx context.Context, c *certibloc.Certification) (certibloc.SaveResult, error) {
		res, err := save(ctx, c)
		if err != nil {
			return res, err
		}
		saved++
		if saved%100 == 0 || time.Since(last) >= time.Second {
			last = time.Now()
			if err := a.Progress(ctx, saved, 0); err != nil {
				return res, err
			}
		}
		return res, nil
	}
	rep, err := rncp.Import(ctx, in, counted)
	switch {
	case ctx.Err() != nil:
		return ctx.Err() // stopped or killed: the next attempt reads the file again
	case rep == nil: // another import in this process (the command line)
		return RetryAfter(err, RNCPBusyRetry)
	case err != nil && certibloc.ErrorCode(err) != certibloc.EINVALID:
		return err // the database: tried again
	}
	o := RNCPOutcome{Report: rep}
	if err != nil {
		o.Error = &OutcomeError{Code: certibloc.ErrorCode(err), Message: certibloc.ErrorMessage(err)}
	}
	body, merr := json.Marshal(o)
	if merr != nil {
		return merr
	}
	f := certibloc.JobFile{Name: fmt.Sprintf("rncp-import-%d-report.json", a.Job.ID), ContentType: "application/json", Content: body}
	if serr := h.DB.SaveJobOutput(ctx, a.Job.ID, a.Number(), a.Lease(), f, rep.Fiches, rep.Fiches); serr != nil {
		return serr
	}
	if err != nil {
		return Final(err)
	}
	return nil
}
