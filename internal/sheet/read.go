package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Line is one non-empty line of a sheet read back: its number as the
// spreadsheet shows it (from 1) and its cells, from column A. Trailing
// empty cells are dropped.
type Line struct {
	Number int
	Cells  []string
}

// Limits of what Read accepts: a grade sheet of a large session is a few
// megabytes; anything far beyond is a mistake or an attack.
const (
	MaxReadBytes = 64 << 20  // the file, and each part of a workbook once inflated
	MaxLines     = 1_048_576 // Excel's last row
	MaxColumns   = 1000      // cells beyond are refused, not dropped
	MaxCellBytes = 32 << 10  // a cell: Excel's 32,767 characters, in bytes
)

// ReadError is why a file cannot be read as a table; Line is the line
// where it happened, or 0. Its Reason is one of the Reason… constants, for
// the caller to word in the user's language.
type ReadError struct {
	Line   int
	Reason string
	Err    error // the underlying error, if any, for logs
}

// Reasons a file is not read.
const (
	ReasonNotATable = "not_a_table" // neither CSV text nor an XLSX workbook
	ReasonTooLarge  = "too_large"   // beyond the limits above
	ReasonBadCSV    = "bad_csv"     // a quote left open or misplaced
	ReasonBadXLSX   = "bad_xlsx"    // a zip without a readable first sheet
)

func (e *ReadError) Error() string {
	msg := e.Reason
	if e.Line > 0 {
		msg = fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Read reads a table written by a spreadsheet: an XLSX workbook (its
// first sheet), or CSV text as Excel and LibreOffice save it — UTF-8 with
// or without a byte-order mark, UTF-16 (Excel's « Texte Unicode »), or
// Windows-1252 (Excel's « CSV (séparateur : point-virgule) »); semicolons,
// commas or tabs between cells, whichever the first line uses; quoted
// cells; CRLF or LF. Empty lines are left out; line numbers count them, as
// the spreadsheet does. Cells are returned as written, except that an
// XLSX number is written back the way Excel shows it (14.5, not
// 14.499999999999998) and an XLSX boolean as 1 or 0.
func Read(data []byte) ([]Line, error) {
	if len(data) > MaxReadBytes {
		return nil, &ReadError{Reason: ReasonTooLarge}
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return readWorkbook(data)
	}
	return readCSV(data)
}

// text decodes the CSV's bytes to UTF-8 text.
func text(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil || !utf8.Valid(out) {
			return "", &ReadError{Reason: ReasonNotATable, Err: err}
		}
		data = out
	case !utf8.Valid(data):
		// Not UTF-8: the Windows code page of French Excel's plain CSV.
		out, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return "", &ReadError{Reason: ReasonNotATable, Err: err}
		}
		data = out
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", &ReadError{Reason: ReasonNotATable, Err: errors.New("NUL byte: a binary file")}
	}
	return string(data), nil
}

// sniffSeparator guesses the separator from the first line: the most frequent
// of ; \t , outside quotes, semicolon on a tie (French Excel's).
func sniffSeparator(s string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range s {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (r == '\n' || r == '\r') {
			break
		}
		if !quoted {
			counts[r]++
		}
	}
	best := ';'
	for _, r := range []rune{'\t', ','} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// readCSV reads CSV text; a record's line is its row in a spreadsheet:
// a quoted cell over several lines is one row, an empty line is a row.
func readCSV(data []byte) ([]Line, error) {
	s, err := text(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(s))
	r.Comma = sniffSeparator(s)
	r.FieldsPerRecord = -1
	var out []Line
	row, prevEnd := 0, 0 // the last record's row and its last physical line
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			var pe *csv.ParseError
			line := row + 1
			if errors.As(err, &pe) {
				line = row + 1 + max(pe.StartLine-prevEnd-1, 0)
			}
			return nil, &ReadError{Line: line, Reason: ReasonBadCSV, Err: err}
		}
		start, _ := r.FieldPos(0)
		row += 1 + max(start-prevEnd-1, 0)
		last, _ := r.FieldPos(len(rec) - 1)
		prevEnd = last + strings.Count(rec[len(rec)-1], "\n")
		if row > MaxLines {
			return nil, &ReadError{Line: row, Reason: ReasonTooLarge}
		}
		cells := trimEmpty(rec)
		if len(cells) == 0 {
			continue
		}
		if len(cells) > MaxColumns {
			return nil, &ReadError{Line: row, Reason: ReasonTooLarge}
		}
		for _, c := range cells {
			if len(c) > MaxCellBytes {
				return nil, &ReadError{Line: row, Reason: ReasonTooLarge}
			}
		}
		out = append(out, Line{Number: row, Cells: cells})
	}
}

// trimEmpty drops the trailing cells that are empty or white space.
func trimEmpty(cells []string) []string {
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n:n]
}
