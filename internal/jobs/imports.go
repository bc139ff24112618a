package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/gradesheet"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Results imports a session's grade sheet, kept with its job
// (certibloc.ImportResultsJob), as the API's import does within a
// request: read whole, then recorded all or nothing. The results and the
// job's report are written in one transaction that checks the attempt
// still holds the job (sqldb.RecordJobResults): an attempt that finds the
// report knows the sheet is recorded, and a worker killed mid-import
// leaves nothing half done; the next attempt, once its lease ends, does it
// all. A sheet refused (its problems, each with its line and column) ends
// the job dead, the problems in the report.
type Results struct {
	DB *sqldb.DB
}

// ImportReport is the report of an import job: what it recorded, or
// the problems for which it recorded nothing.
type ImportReport struct {
	httpx.ImportedGrades
	Message  string          `json:"message,omitempty"`
	Problems []ReportProblem `json:"problems,omitempty"`
}

// ReportProblem is one problem of a refused sheet, with its words.
type ReportProblem struct {
	certibloc.Problem
	Message string `json:"message"`
}

// Handle is the handler of certibloc.ImportResultsJob.
func (h *Results) Handle(ctx context.Context, a *Attempt) error {
	var p certibloc.ImportResults
	if err := json.Unmarshal(a.Job.Payload, &p); err != nil || p.Session <= 0 {
		return Final(certibloc.Errorf(certibloc.EINVALID, "payload %s names no evaluation session", a.Job.Payload))
	}
	if out, err := h.DB.JobFile(ctx, a.Job.ID, certibloc.JobOutput); err == nil {
		// An earlier attempt recorded the sheet, or its refusal, with the
		// report, and stopped before it ended the job.
		var r ImportReport
		if json.Unmarshal(out.Content, &r) == nil && len(r.Problems) > 0 {
			return Final(certibloc.Errorf(certibloc.EINVALID, "the sheet was refused, nothing recorded: %d problem(s), see the report", len(r.Problems)))
		}
		return nil
	} else if certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	in, err := h.DB.JobFile(ctx, a.Job.ID, certibloc.JobInput)
	if err != nil {
		return Final(err)
	}
	l := certibloc.NegotiateLang(p.Lang, "")
	s, err := h.DB.EvalSession(ctx, &p.By, p.Session)
	if err != nil {
		return err
	}
	g, err := h.DB.Grid(ctx, s.GridID)
	if err != nil {
		return err
	}
	sh, err := gradesheet.Read(in.Content, s, g, l)
	if err != nil {
		return h.refused(ctx, a, p, l, err)
	}
	entries := make([]sqldb.ResultInput, len(sh.Entries))
	for i, e := range sh.Entries {
		entries[i] = sqldb.ResultInput{PersonID: e.PersonID, Round: sh.Round, Marks: e.Marks, Submit: e.Submit}
	}
	if err := a.Progress(ctx, 0, len(entries)); err != nil {
		return err
	}
	_, err = h.DB.RecordJobResults(ctx, a.Job.ID, a.Number(), a.Lease(), &p.By, p.Session, entries,
		func(saved []certibloc.Result) (certibloc.JobFile, error) {
			r := ImportReport{ImportedGrades: httpx.ImportedGrades{SessionID: p.Session, Recorded: len(saved)}}
			for _, x := range saved {
				if x.State == certibloc.ResultSubmitted {
					r.Submitted++
				}
			}
			return reportFile(a.Job.ID, r)
		})
	if err != nil {
		return h.refused(ctx, a, p, l, sh.Relines(err))
	}
	a.Job.Done, a.Job.Total = len(entries), len(entries)
	return nil
}

// refused keeps the problems of a refused sheet as the job's report, and
// ends the job dead; any other error is tried again.
func (h *Results) refused(ctx context.Context, a *Attempt, p certibloc.ImportResults, l certibloc.Lang, err error) error {
	var ps certibloc.Problems
	if !errors.As(err, &ps) {
		return err
	}
	r := ImportReport{ImportedGrades: httpx.ImportedGrades{SessionID: p.Session}}
	for _, x := range ps {
		r.Problems = append(r.Problems, ReportProblem{Problem: x, Message: x.In(l)})
	}
	r.Message = fmt.Sprintf(pick(l, "Rien n'a été enregistré, %d problème(s) : %s", "Nothing was recorded, %d problem(s): %s"),
		len(ps), strings.Join(ps.In(l)[:min(len(ps), 5)], pick(l, " ; ", "; ")))
	f, ferr := reportFile(a.Job.ID, r)
	if ferr != nil {
		return ferr
	}
	if ferr := h.DB.SaveJobOutput(ctx, a.Job.ID, a.Number(), a.Lease(), f, 0, a.Job.Total); ferr != nil {
		return ferr
	}
	return Final(certibloc.Errorf(certibloc.EINVALID, "the sheet was refused, nothing recorded: %d problem(s), see the report", len(ps)))
}

// reportFile is an import's report as a JSON file.
func reportFile(job int64, r ImportReport) (certibloc.JobFile, error) {
	body, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return certibloc.JobFile{}, err
	}
	return certibloc.JobFile{Name: fmt.Sprintf("import-%d-report.json", job), ContentType: "application/json", Content: body}, nil
}

// pick returns the French or the English words.
func pick(l certibloc.Lang, fr, en string) string {
	if l == certibloc.English {
		return en
	}
	return fr
}
