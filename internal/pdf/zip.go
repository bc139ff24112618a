package pdf

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/certibloc/certibloc"
)

// Zip writes a batch of issued documents as one zip archive, a folder per
// holder (their person id), each file named by its kind, block and
// number. The PDFs are stored as they are: their content is compressed
// already.
type Zip struct{ z *zip.Writer }

// NewZip starts an archive on w.
func NewZip(w io.Writer) *Zip { return &Zip{zip.NewWriter(w)} }

// ZipName is the name of a document in the archive:
// 000042/attestation-RNCP38478BC01-7Q4M-….pdf.
func ZipName(d *certibloc.IssuedDocument) string {
	kind := string(d.Kind)
	if d.Kind == certibloc.Attestation && len(d.Blocks) == 1 {
		kind += "-" + d.Blocks[0].Code
	}
	return fmt.Sprintf("%06d/%s-%s.pdf", d.PersonID, kind, d.Number)
}

// Add adds a document's PDF.
func (z *Zip) Add(d *certibloc.IssuedDocument, pdf []byte) error {
	w, err := z.z.CreateHeader(&zip.FileHeader{Name: ZipName(d), Method: zip.Store, Modified: d.IssuedAt.In(time.UTC)})
	if err != nil {
		return err
	}
	_, err = w.Write(pdf)
	return err
}

// Close writes the archive's directory.
func (z *Zip) Close() error { return z.z.Close() }
