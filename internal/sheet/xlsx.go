package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// ContentTypeXLSX is the media type of an XLSX workbook.
const ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Styles of styles.xml, by index in cellXfs.
const (
	styleHeader   = 1 // bold
	styleDate     = 2 // dd/mm/yyyy
	styleDateTime = 3 // dd/mm/yyyy hh:mm
)

// maxCellText is Excel's limit on the characters of a cell.
const maxCellText = 32767

// epoch is day 0 of Excel's 1900 date system, as its serial numbers count
// (30 December 1899, which absorbs Lotus's phantom 29 February 1900).
var epoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

// zipTime stamps every part, so that the same table makes the same file.
var zipTime = time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)

// WriteXLSX writes the table as a workbook of one sheet: the header in
// bold, frozen and with a filter, texts as inline strings, numbers as
// numbers, dates as dates.
func WriteXLSX(w io.Writer, t *Table) error {
	z := zip.NewWriter(w)
	name := sheetName(t.Name)
	cols := max(len(t.Header), len(t.Title), widest(t.Rows))
	last := cellRef(max(cols-1, 0), len(t.Rows)+t.top())
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook(name, t.top(), last, len(t.Header) > 0)},
		{"xl/_rels/workbook.xml.rels", workbookRels},
		{"xl/styles.xml", styles},
	}
	for _, p := range parts {
		if err := writePart(z, p.name, []byte(p.body)); err != nil {
			return err
		}
	}
	if err := writePart(z, "xl/worksheets/sheet1.xml", worksheet(t, cols, last)); err != nil {
		return err
	}
	return z.Close()
}

func writePart(z *zip.Writer, name string, body []byte) error {
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return err
	}
	_, err = f.Write(body)
	return err
}

// worksheet writes the sheet's XML.
func worksheet(t *Table, cols int, last string) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<worksheet xmlns="` + nsMain + `">`)
	top := t.top()
	b.WriteString(`<dimension ref="A1:` + last + `"/>`)
	b.WriteString(`<sheetViews><sheetView workbookViewId="0">` +
		`<pane ySplit="` + strconv.Itoa(top) + `" topLeftCell="A` + strconv.Itoa(top+1) +
		`" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	b.WriteString(`<sheetFormatPr defaultRowHeight="15"/>`)
	if cols > 0 {
		b.WriteString(`<cols>`)
		for i, wd := range widths(t, cols) {
			n := strconv.Itoa(i + 1)
			b.WriteString(`<col min="` + n + `" max="` + n + `" width="` + strconv.Itoa(wd) + `" customWidth="1"/>`)
		}
		b.WriteString(`</cols>`)
	}
	b.WriteString(`<sheetData>`)
	if top == 2 {
		b.WriteString(`<row r="1">`)
		for i, v := range t.Title {
			c := classify(v)
			if c.kind == kString {
				inline(&b, cellRef(i, 1), c.s, styleHeader)
				continue
			}
			writeCell(&b, cellRef(i, 1), c)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`<row r="` + strconv.Itoa(top) + `">`)
	for i, h := range t.Header {
		inline(&b, cellRef(i, top), h, styleHeader)
	}
	b.WriteString(`</row>`)
	for r, row := range t.Rows {
		rn := r + top + 1
		b.WriteString(`<row r="` + strconv.Itoa(rn) + `">`)
		for i, v := range row {
			writeCell(&b, cellRef(i, rn), classify(v))
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData>`)
	if len(t.Header) > 0 {
		b.WriteString(`<autoFilter ref="A` + strconv.Itoa(top) + `:` + last + `"/>`)
	}
	b.WriteString(`</worksheet>`)
	return b.Bytes()
}

// writeCell writes one cell of a row; an empty one is left out.
func writeCell(b *bytes.Buffer, ref string, c cell) {
	switch c.kind {
	case kString:
		inline(b, ref, c.s, 0)
	case kNumber:
		b.WriteString(`<c r="` + ref + `"><v>` + number(c.n) + `</v></c>`)
	case kBool:
		b.WriteString(`<c r="` + ref + `" t="b"><v>` + number(c.n) + `</v></c>`)
	case kDate:
		y, m, d := c.t.Date()
		days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24
		b.WriteString(`<c r="` + ref + `" s="` + strconv.Itoa(styleDate) + `"><v>` + number(days) + `</v></c>`)
	case kDateTime:
		y, m, d := c.t.Date()
		wall := time.Date(y, m, d, c.t.Hour(), c.t.Minute(), c.t.Second(), 0, time.UTC)
		serial := float64(wall.Sub(epoch)/time.Second) / 86400
		b.WriteString(`<c r="` + ref + `" s="` + strconv.Itoa(styleDateTime) + `"><v>` +
			strconv.FormatFloat(serial, 'f', 8, 64) + `</v></c>`)
	}
}

// inline writes a text cell as an inline string, cut to Excel's limit;
// characters XML cannot carry become U+FFFD (xml.EscapeText does it).
func inline(b *bytes.Buffer, ref, s string, style int) {
	if utf8.RuneCountInString(s) > maxCellText {
		s = string([]rune(s)[:maxCellText])
	}
	b.WriteString(`<c r="` + ref + `" t="inlineStr"`)
	if style != 0 {
		b.WriteString(` s="` + strconv.Itoa(style) + `"`)
	}
	b.WriteString(`><is><t xml:space="preserve">`)
	xml.EscapeText(b, []byte(s))
	b.WriteString(`</t></is></c>`)
}

// cellRef is the A1 reference of a column (from 0) and a row (from 1).
func cellRef(col, row int) string {
	var letters []byte
	for col++; col > 0; col = (col - 1) / 26 {
		letters = append([]byte{byte('A' + (col-1)%26)}, letters...)
	}
	return string(letters) + strconv.Itoa(row)
}

// widest is the number of cells of the longest row.
func widest(rows [][]any) int {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	return n
}

// widths are the columns' widths in characters: the longest value, the
// bold header a little wider, between 8 and 60.
func widths(t *Table, cols int) []int {
	ws := make([]int, cols)
	for i, h := range t.Header {
		ws[i] = utf8.RuneCountInString(h) + 3
	}
	for i, v := range t.Title {
		if c := classify(v); c.kind == kString {
			ws[i] = max(ws[i], min(utf8.RuneCountInString(c.s), 30)+1)
		}
	}
	for _, row := range t.Rows {
		for i, v := range row {
			n := 0
			switch c := classify(v); c.kind {
			case kString:
				n = utf8.RuneCountInString(c.s)
			case kNumber:
				n = len(number(c.n))
			case kDate:
				n = 10
			case kDateTime:
				n = 16
			}
			ws[i] = max(ws[i], n+1)
		}
	}
	for i := range ws {
		ws[i] = min(max(ws[i], 8), 60)
	}
	return ws
}
