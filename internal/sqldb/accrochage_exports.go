package sqldb

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Exports kept: each accrochage export is recorded with its scope, and the
// files it produced, when the writer can read them back, are stored
// gzip-compressed in the export's transaction, so that the very file handed
// to the Caisse can be downloaded again later.

// CDCExport is one export: when, which scope, what it produced.
type CDCExport struct {
	ID            int64          `json:"id"`
	CreatedAt     time.Time      `json:"created_at"`
	JuryID        int64          `json:"jury,omitempty"`
	From          certibloc.Date `json:"from,omitzero"`
	To            certibloc.Date `json:"to,omitzero"`
	Certification string         `json:"certification,omitempty"`
	Passages      int            `json:"passages"`
	Files         int            `json:"files"`
	Bytes         int64          `json:"bytes"`
	// Stored says the files' contents are kept and can be downloaded.
	Stored bool `json:"stored"`
}

// newExport records an export about to be written, empty until finishExport.
func (db *DB) newExport(ctx context.Context, tx *sql.Tx, s AccrochageScope, at time.Time) (int64, error) {
	var jury sql.NullInt64
	if s.JuryID != 0 {
		jury = sql.NullInt64{Int64: s.JuryID, Valid: true}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO cdc_exports (created_at, jury_id, from_on, to_on, certification_code, passages, files, bytes)
		VALUES ($1, $2, $3, $4, $5, 0, 0, 0) RETURNING id`, at, jury, s.From, s.To, s.Certification).Scan(&id)
	return id, err
}

// finishExport records what the export produced and, when w can read its
// files back, stores their contents.
func (db *DB) finishExport(ctx context.Context, tx *sql.Tx, id int64, files []certibloc.ExportedFile, w AccrochageWriter) error {
	passages, size := 0, int64(0)
	for _, f := range files {
		passages += f.Passages
		size += f.Bytes
	}
	if _, err := tx.ExecContext(ctx, `UPDATE cdc_exports SET passages = $1, files = $2, bytes = $3 WHERE id = $4`,
		passages, len(files), size, id); err != nil {
		return err
	}
	c, ok := w.(AccrochageContents)
	if !ok {
		return nil
	}
	var buf bytes.Buffer
	for _, f := range files {
		buf.Reset()
		if err := compress(&buf, c, f.IDFlux); err != nil {
			return fmt.Errorf("keeping file %s: %w", f.IDFlux, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cdc_file_contents (id_flux, gzip) VALUES ($1, $2)`, f.IDFlux, buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// compress writes the gzip of file idFlux to buf: the XML of a file
// shrinks about tenfold.
func compress(buf *bytes.Buffer, c AccrochageContents, idFlux string) error {
	in, err := c.Content(idFlux)
	if err != nil {
		return err
	}
	defer in.Close()
	zw, err := gzip.NewWriterLevel(buf, gzip.BestSpeed)
	if err != nil {
		return err
	}
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return zw.Close()
}

const exportColumns = `SELECT e.id, e.created_at, e.jury_id, e.from_on, e.to_on, e.certification_code, e.passages, e.files, e.bytes,
	EXISTS (SELECT 1 FROM cdc_files f JOIN cdc_file_contents c ON c.id_flux = f.id_flux WHERE f.export_id = e.id)
	FROM cdc_exports e`

// CDCExports lists the exports, the latest first (at most limit, 100 when 0).
func (db *DB) CDCExports(ctx context.Context, limit int) ([]CDCExport, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, exportColumns+` ORDER BY e.created_at DESC, e.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CDCExport
	for rows.Next() {
		e, err := scanExport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// CDCExportByID is one export with its files, in the order written.
func (db *DB) CDCExportByID(ctx context.Context, id int64) (*CDCExport, []CDCFile, error) {
	e, err := scanExport(db.read.QueryRowContext(ctx, exportColumns+` WHERE e.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "no accrochage export %d", id)
	}
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.read.QueryContext(ctx, `
		SELECT id_flux, client, contract, passages, bytes, created_at, processing_id, accepted, rejected
		FROM cdc_files WHERE export_id = $1 ORDER BY id_flux`, id)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var files []CDCFile
	for rows.Next() {
		var f CDCFile
		if err := rows.Scan(&f.IDFlux, &f.Client, &f.Contract, &f.Passages, &f.Bytes, &f.CreatedAt, &f.ProcessingID, &f.Accepted, &f.Rejected); err != nil {
			return nil, nil, err
		}
		f.CreatedAt = f.CreatedAt.UTC()
		files = append(files, f)
	}
	// The split numbers its files -2, -3… after the first: by their
	// number, -2 comes before -10, as they were written.
	slices.SortStableFunc(files, func(a, b CDCFile) int { return naturalCompare(a.IDFlux, b.IDFlux) })
	return e, files, rows.Err()
}

// naturalCompare orders a and b as text, save that runs of digits compare
// by their value: "f-2" comes before "f-10".
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		la, lb := digits(a), digits(b)
		if la > 0 && lb > 0 {
			na, nb := strings.TrimLeft(a[:la], "0"), strings.TrimLeft(b[:lb], "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[la:], b[lb:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// digits is the length of the run of ASCII digits s begins with.
func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func scanExport(row interface{ Scan(...any) error }) (*CDCExport, error) {
	var e CDCExport
	var jury sql.NullInt64
	if err := row.Scan(&e.ID, &e.CreatedAt, &jury, &e.From, &e.To, &e.Certification, &e.Passages, &e.Files, &e.Bytes, &e.Stored); err != nil {
		return nil, err
	}
	e.CreatedAt = e.CreatedAt.UTC()
	e.JuryID = jury.Int64
	return &e, nil
}

// CDCFileContent reads back the XML of a file an export stored.
func (db *DB) CDCFileContent(ctx context.Context, idFlux string) (io.ReadCloser, error) {
	var gz []byte
	err := db.read.QueryRowContext(ctx, `SELECT gzip FROM cdc_file_contents WHERE id_flux = $1`, idFlux).Scan(&gz)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "file %s was not kept: it was written before certibloc kept its files", certibloc.Cut(idFlux))
	}
	if err != nil {
		return nil, err
	}
	return gzip.NewReader(bytes.NewReader(gz))
}
