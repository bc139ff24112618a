package rncp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/certibloc/certibloc"
)

// Saver stores one certification, making a new version when it changed
// (sqldb.DB.SaveCertification). Each call is its own transaction.
type Saver func(ctx context.Context, c *certibloc.Certification) (certibloc.SaveResult, error)

// Report is what an import did, fiche by fiche.
type Report struct {
	Format    string                 `json:"format"` // xml or csv-zip
	Fiches    int                    `json:"fiches"`
	Created   []certibloc.SaveResult `json:"created"`
	Updated   []certibloc.SaveResult `json:"updated"`
	Unchanged []string               `json:"unchanged"`
	Rejected  []Rejection            `json:"rejected"`
}

// Rejection is a fiche that was not imported, and why.
type Rejection struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Import reads an export (XML flux v4.1 or CSV zip, told apart by content)
// and saves each valid fiche. A fiche that is invalid, or that the store
// refuses as invalid, is listed in the report and the others go on; a
// document that cannot be read stops the import with an error, the fiches
// before it staying imported, each whole. The report is returned even then,
// listing what was done before the error.
//
// One import runs at a time in the process: another gets a nil report and
// an error of code conflict at once. Once ctx is done the import stops at
// its next read or fiche and returns ctx's error. Memory stays within the
// limits of limits.go whatever the input.
func Import(ctx context.Context, r io.Reader, save Saver) (*Report, error) {
	if !importing.TryLock() {
		return nil, ErrBusy
	}
	defer importing.Unlock()
	rep, err := importLocked(ctx, r, save)
	if ctx.Err() != nil {
		err = ctx.Err() // whatever the reader made of it
	}
	return rep, err
}

func importLocked(ctx context.Context, r io.Reader, save Saver) (*Report, error) {
	br := bufio.NewReaderSize(ctxReader{ctx, r}, 64<<10)
	head, _ := br.Peek(512)
	rep := &Report{Created: []certibloc.SaveResult{}, Updated: []certibloc.SaveResult{},
		Unchanged: []string{}, Rejected: []Rejection{}}
	each := func(code string, c *certibloc.Certification, err error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rep.Fiches++
		if err != nil {
			rep.Rejected = append(rep.Rejected, Rejection{code, certibloc.ErrorMessage(err)})
			return nil
		}
		res, err := save(ctx, c)
		switch {
		case certibloc.ErrorCode(err) == certibloc.EINVALID:
			rep.Rejected = append(rep.Rejected, Rejection{code, certibloc.ErrorMessage(err)})
		case err != nil:
			return err
		case res.Status == certibloc.Created:
			rep.Created = append(rep.Created, res)
		case res.Status == certibloc.Updated:
			rep.Updated = append(rep.Updated, res)
		default:
			rep.Unchanged = append(rep.Unchanged, res.Code)
		}
		return nil
	}
	switch Detect(head) {
	case XML:
		rep.Format = "xml"
		return rep, ReadXML(br, each)
	case CSVZip:
		rep.Format = "csv-zip"
		return rep, readZipStream(ctx, br, each)
	}
	return rep, ErrNotExport
}

// ErrNotExport is the answer to a file whose first bytes are those of
// neither format (Detect).
var ErrNotExport = certibloc.Errorf(certibloc.EINVALID,
	"the file is neither an RNCP XML export (it should start with <?xml or <FICHES>) nor a CSV zip (PK…)")

// readZipStream spools a zip to a temporary file: the zip directory is at
// its end, so it needs random access.
func readZipStream(ctx context.Context, r io.Reader, each Callback) error {
	f, err := os.CreateTemp("", "certibloc-rncp-*.zip")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	size, err := io.Copy(f, r)
	if err != nil {
		return fmt.Errorf("read the zip: %w", err)
	}
	return readCSVZip(ctx, f, size, each)
}

// Print writes the report for people: one line per fiche that changed or
// failed, and the totals.
func (rep *Report) Print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, r := range rep.Created {
		fmt.Fprintf(tw, "created\t%s\tversion %d\n", r.Code, r.Version)
	}
	for _, r := range rep.Updated {
		fmt.Fprintf(tw, "updated\t%s\tversion %d\t%s\n", r.Code, r.Version, strings.Join(r.Changes, "; "))
	}
	for _, code := range rep.Unchanged {
		fmt.Fprintf(tw, "unchanged\t%s\n", code)
	}
	for _, r := range rep.Rejected {
		fmt.Fprintf(tw, "rejected\t%s\t%s\n", or(r.Code, "(no code)"), r.Reason)
	}
	tw.Flush()
	fmt.Fprintf(w, "%s: %d fiches, %d created, %d updated, %d unchanged, %d rejected\n", rep.Format, rep.Fiches,
		len(rep.Created), len(rep.Updated), len(rep.Unchanged), len(rep.Rejected))
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
