package pdf

import (
	"fmt"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yeqown/go-qrcode/v2"
)

// QRMatrix encodes text as a QR code (error correction M: 15 % of the
// symbol may be soiled) and returns its modules by row, true for dark,
// without the quiet zone.
func QRMatrix(text string) ([][]bool, error) {
	q, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("qr code of %q: %w", text, err)
	}
	var m matrixCopy
	if err := q.Save(&m); err != nil {
		return nil, err
	}
	return m.rows, nil
}

// matrixCopy is a qrcode.Writer that keeps the modules.
type matrixCopy struct{ rows [][]bool }

func (m *matrixCopy) Write(mat qrcode.Matrix) error { m.rows = mat.Bitmap(); return nil }
func (m *matrixCopy) Close() error                  { return nil }

// drawQR draws the QR code of text as filled squares in a side×side area
// at (x, y), its quiet zone (four modules) inside the area. A run of dark
// modules in a row is one rectangle, which keeps the page's content short.
func drawQR(f *fpdf.Fpdf, text string, x, y, side float64) error {
	rows, err := QRMatrix(text)
	if err != nil {
		return err
	}
	n := len(rows)
	module := side / float64(n+8)
	x0, y0 := x+4*module, y+4*module
	f.SetFillColor(0, 0, 0)
	for j, row := range rows {
		for i := 0; i < n; {
			if !row[i] {
				i++
				continue
			}
			start := i
			for i < n && row[i] {
				i++
			}
			f.Rect(x0+float64(start)*module, y0+float64(j)*module, float64(i-start)*module, module, "F")
		}
	}
	return nil
}
