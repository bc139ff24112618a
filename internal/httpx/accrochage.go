package httpx

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Accrochage exports, which the JSON API and the pages both make and
// serve: the export written to a temporary directory, recorded as sent and
// kept in the database in one transaction, then answered as the one XML
// file, or a zip of the files when the size limit split it; and a past
// export downloaded again the same way.

// ExportAccrochage exports the passages to send in scope, split at limit
// (cdc.DefaultLimit when 0), keeps the files and answers them to w. Before
// anything is written to w, an error (the holders missing data among
// them, as certibloc.Problems) comes back for the caller to answer.
func ExportAccrochage(w http.ResponseWriter, r *http.Request, db *sqldb.DB, scope sqldb.AccrochageScope, limit int64) error {
	if limit != 0 && (limit < MinSizeLimit || limit > MaxSizeLimit) {
		return certibloc.Errorf(certibloc.EINVALID, "size_limit must be between %d and %d bytes", MinSizeLimit, MaxSizeLimit)
	}
	dir, err := os.MkdirTemp("", "certibloc-accrochage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	exp := &tempExport{Export: cdc.Export{Now: time.Now(), Limit: limit, Open: func(id string) (io.WriteCloser, error) {
		return os.Create(filepath.Join(dir, id+".xml"))
	}}, dir: dir}
	files, err := db.ExportAccrochage(r.Context(), scope, exp)
	if err != nil {
		return err
	}
	return serveFiles(r.Context(), w, files, exp.Content)
}

// The bounds of an export's size limit.
const (
	MinSizeLimit = 64 << 10
	MaxSizeLimit = cdc.DefaultLimit * 10
)

// tempExport is an export to files in a directory, which it reads back
// for the database to keep them.
type tempExport struct {
	cdc.Export
	dir string
}

func (t *tempExport) Content(idFlux string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(t.dir, idFlux+".xml"))
}

// ServeAccrochageExport answers the files of a past export as they were
// made: the XML of one, a zip of several.
func ServeAccrochageExport(w http.ResponseWriter, r *http.Request, db *sqldb.DB, id int64) error {
	e, list, err := db.CDCExportByID(r.Context(), id)
	if err != nil {
		return err
	}
	if !e.Stored || len(list) == 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "the files of export %d were not kept: it was made before certibloc kept them", id)
	}
	files := make([]certibloc.ExportedFile, len(list))
	for i, f := range list {
		files[i] = f.ExportedFile
	}
	return serveFiles(r.Context(), w, files, func(idFlux string) (io.ReadCloser, error) {
		return db.CDCFileContent(r.Context(), idFlux)
	})
}

// serveFiles answers one file as XML, several as a zip named after the
// first, with the number of files and passages in headers.
func serveFiles(ctx context.Context, w http.ResponseWriter, files []certibloc.ExportedFile, open func(idFlux string) (io.ReadCloser, error)) error {
	passages := 0
	for _, f := range files {
		passages += f.Passages
	}
	h := w.Header()
	h.Set("X-Accrochage-Files", strconv.Itoa(len(files)))
	h.Set("X-Accrochage-Passages", strconv.Itoa(passages))
	if len(files) == 1 {
		in, err := open(files[0].IDFlux)
		if err != nil {
			return err
		}
		defer in.Close()
		h.Set("Content-Type", "application/xml")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xml"`, files[0].IDFlux))
		_, err = io.Copy(w, in)
		return err
	}
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.zip"`, files[0].IDFlux))
	zw := zip.NewWriter(w)
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		zf, err := zw.Create(file.IDFlux + ".xml")
		if err != nil {
			return err
		}
		in, err := open(file.IDFlux)
		if err != nil {
			return err
		}
		_, err = io.Copy(zf, in)
		in.Close()
		if err != nil {
			return err
		}
	}
	return zw.Close()
}
