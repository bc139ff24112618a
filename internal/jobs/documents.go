package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Documents issues a closed jury's documents (certibloc.PlanDocuments):
// it renders them Chunk at a time over every core, and records each chunk
// with the job's progress in one transaction (sqldb.IssueJobDocuments). A
// resumed batch renders only what no earlier attempt recorded, so no
// document is issued twice.
type Documents struct {
	DB       *sqldb.DB
	Renderer *pdf.Renderer
	Chunk    int // documents per transaction (100)
	Workers  int // rendering goroutines (GOMAXPROCS)
}

// Handle is the handler of certibloc.GenerateDocumentsJob.
func (g *Documents) Handle(ctx context.Context, a *Attempt) error {
	var p certibloc.GenerateDocuments
	if err := json.Unmarshal(a.Job.Payload, &p); err != nil || p.Jury <= 0 {
		return Final(certibloc.Errorf(certibloc.EINVALID, "payload %s names no jury", a.Job.Payload))
	}
	todo, issued, err := g.DB.JuryDocumentsToIssue(ctx, p.Jury, time.Now().UTC().Truncate(time.Second))
	if certibloc.ErrorCode(err) == certibloc.ECONFLICT {
		return Final(err) // not closed: the minutes decide, not a retry
	} else if err != nil {
		return err
	}
	total := issued + len(todo)
	if err := a.Progress(ctx, issued, total); err != nil {
		return err
	}
	chunk := g.Chunk
	if chunk <= 0 {
		chunk = 100
	}
	workers := g.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Render the next chunk while the last one is written: the database
	// and the renderer then share the cores.
	type rendered struct {
		docs []*certibloc.IssuedDocument
		pdfs [][]byte
		err  error
	}
	out := make(chan rendered, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(out)
		for start := 0; start < len(todo); start += chunk {
			docs := todo[start:min(start+chunk, len(todo))]
			pdfs, err := g.Renderer.RenderAll(ctx, docs, workers)
			select {
			case out <- rendered{docs, pdfs, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	done := issued
	for r := range out {
		if r.err != nil {
			return fmt.Errorf("render: %w", r.err)
		}
		done += len(r.docs)
		if err := g.DB.IssueJobDocuments(ctx, a.Job.ID, a.Number(), a.Lease(), r.docs, r.pdfs, done, total); err != nil {
			return err
		}
		a.Job.Done, a.Job.Total = done, total
	}
	return ctx.Err()
}
