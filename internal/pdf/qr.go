package pdf

import (
	"fmt"

	"codeberg.org/go-pdf/fpdf"
	qr "github.com/piglig/go-qr"
)

// QRMatrix encodes text as a QR code (error correction M: 15 % of the
// symbol may be soiled) and returns its modules by row, true for dark,
// without the quiet zone. The encoding is deterministic (the mask of
// lowest penalty, the first on a tie), so a document renders to the same
// bytes every time.
func QRMatrix(text string) ([][]bool, error) {
	q, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code of %q: %w", text, err)
	}
	n := q.Size()
	rows := make([][]bool, n)
	cells := make([]bool, n*n)
	for y := range rows {
		rows[y] = cells[y*n : (y+1)*n]
		for x := range rows[y] {
			rows[y][x] = q.Module(x, y)
		}
	}
	return rows, nil
}

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
