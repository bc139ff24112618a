package sheet

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
)

// CSV conventions, chosen for the staff's spreadsheet rather than for
// machines (XLSX is the exact format; the API serves JSON):
//
//   - a UTF-8 byte-order mark, without which Excel reads the file as
//     Windows-1252 and turns « é » into « Ã© »;
//   - semicolons between fields, the list separator of the French locale:
//     with commas French Excel puts every line in one column;
//   - decimal commas (12,5) and dates as 21/12/2023, which French Excel
//     takes as numbers and dates;
//   - CRLF line ends, as RFC 4180 says and every spreadsheet expects.
const (
	bom       = "\uFEFF"
	separator = ';'
)

// WriteCSV writes the table as CSV with the conventions above. A text
// that a spreadsheet would run as a formula (starting with =, +, -, @, a
// tab or a carriage return) is written with a leading apostrophe, so that
// a candidate's name cannot become a formula on a staff member's machine.
func WriteCSV(w io.Writer, t *Table) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(bom); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma = separator
	cw.UseCRLF = true
	record := make([]string, 0, len(t.Header))
	if len(t.Title) > 0 {
		for _, v := range t.Title {
			record = append(record, csvField(classify(v)))
		}
		if err := cw.Write(record); err != nil {
			return err
		}
		record = record[:0]
	}
	for _, h := range t.Header {
		record = append(record, defuse(h))
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for _, row := range t.Rows {
		record = record[:0]
		for _, v := range row {
			record = append(record, csvField(classify(v)))
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// csvField writes a cell as French Excel reads it.
func csvField(c cell) string {
	switch c.kind {
	case kString:
		return defuse(c.s)
	case kNumber:
		return strings.Replace(number(c.n), ".", ",", 1)
	case kBool:
		if c.n != 0 {
			return "1"
		}
		return "0"
	case kDate:
		return c.t.Format("02/01/2006")
	case kDateTime:
		return c.t.Format("02/01/2006 15:04")
	}
	return ""
}

// defuse keeps a text from being read as a formula (OWASP's advice on
// CSV injection).
func defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
