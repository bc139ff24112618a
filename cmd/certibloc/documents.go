package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/web"
)

// jobRunner is the runner of the durable jobs (a jury's documents, the
// large exports and imports; e-mails have their own, mail.Run), whose documents' QR codes
// lead to baseURL/verify/{number}.
func jobRunner(db *sqldb.DB, log *slog.Logger, baseURL string, chunk int) (*jobs.Runner, error) {
	renderer, err := pdf.New(baseURL)
	if err != nil {
		return nil, err
	}
	r := jobs.New(db, log)
	r.Handle(certibloc.GenerateDocumentsJob, (&jobs.Documents{DB: db, Renderer: renderer, Chunk: chunk}).Handle)
	r.Handle(certibloc.ExportApplicationsJob, web.ExportApplications(db))
	r.Handle(certibloc.ImportResultsJob, (&jobs.Results{DB: db}).Handle)
	r.Handle(certibloc.ImportRNCPJob, (&jobs.RNCP{DB: db}).Handle)
	return r, nil
}

// documentsCmd issues a closed jury's documents: certibloc documents
// generate --jury ID. It queues the batch (or finds the one queued or
// running), works on it here, and draws its progress on stderr until it
// is done; a server that holds it meanwhile finishes it instead, and the
// bar follows it all the same. Stopped (Ctrl-C, kill), the batch resumes
// where it was at the next run or on any server.
func documentsCmd(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	if len(args) == 0 || args[0] != "generate" {
		fmt.Fprintln(stderr, "usage: certibloc documents generate --jury ID [--base-url URL] [--lease D]")
		return errors.New("documents: the subcommand is generate")
	}
	fs := newFlagSet("documents generate", "documents generate --jury ID [--base-url URL] [--lease D] [--chunk N] [--data DIR] [--database URL]", stderr)
	cfg := commonFlags(fs, getenv)
	jury := fs.Int64("jury", 0, "the closed jury whose documents to issue")
	base := fs.String("base-url", or(getenv("CERTIBLOC_BASE_URL"), "http://localhost:8080"),
		"address of the site, which the documents' QR codes lead to (env CERTIBLOC_BASE_URL)")
	lease := fs.Duration("lease", 30*time.Second, "how long the batch stays this process's without news, before another worker takes it")
	chunk := fs.Int("chunk", 100, "documents written per transaction: what a crash may have to render again")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *jury <= 0 {
		return errors.New("--jury ID: the id of a closed jury is needed")
	}
	log := logger(stderr)
	db, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	j, err := db.Jury(ctx, *jury)
	if err != nil {
		return err
	}
	if err := j.CheckDocuments(certibloc.French); err != nil {
		return fmt.Errorf("%s\n%s", certibloc.ErrorMessage(err), certibloc.ErrorMessage(j.CheckDocuments(certibloc.English)))
	}
	job, created, err := db.EnqueueJob(ctx, certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(j.ID),
		certibloc.GenerateDocuments{Jury: j.ID}, 5)
	if err != nil {
		return err
	}
	if !created {
		fmt.Fprintf(stderr, "le lot %d de ce jury est déjà en cours (%s) : suivi ici / batch %d of this jury is under way already: followed here\n",
			job.ID, job.State, job.ID)
	}
	runner, err := jobRunner(db, slog.New(slog.DiscardHandler), *base, *chunk)
	if err != nil {
		return err
	}
	runner.Lease, runner.Name = *lease, runner.Name+" (cli)"
	work := make(chan error, 1)
	go func() {
		for {
			ran, err := runner.RunNext(ctx, job.ID)
			if err != nil || ran || ctx.Err() != nil {
				work <- err
				return
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Second): // held by another worker: take it over if its lease ends
			}
		}
	}()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-work:
			if err != nil {
				return err
			}
			work = nil
		case <-tick.C:
		}
		cur, err := db.Job(context.WithoutCancel(ctx), job.ID)
		if err != nil {
			return err
		}
		drawBar(stderr, cur, time.Since(start))
		switch cur.State {
		case certibloc.JobDone:
			fmt.Fprintln(stderr)
			fmt.Fprintf(stdout, "jury %d: %d documents (job %d)\n", j.ID, cur.Total, cur.ID)
			return nil
		case certibloc.JobDead:
			fmt.Fprintln(stderr)
			return fmt.Errorf("job %d given up: %s", cur.ID, cur.Error)
		}
	}
}

// drawBar draws a job's progress on one line of a terminal:
// [#########-----------]  45 % 120/266 documents.
func drawBar(w io.Writer, j *certibloc.Job, spent time.Duration) {
	const width = 30
	n := j.Percent() * width / 100
	line := fmt.Sprintf("\r[%s%s] %3d %% %d/%d documents, %s", strings.Repeat("#", n), strings.Repeat("-", width-n),
		j.Percent(), j.Done, j.Total, spent.Truncate(100*time.Millisecond))
	if j.State == certibloc.JobFailed {
		line += " — " + j.Error
	}
	fmt.Fprint(w, line)
	if f, ok := w.(*os.File); ok {
		f.Sync()
	}
}
