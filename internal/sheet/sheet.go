// Package sheet writes tables for the staff who live in spreadsheets: CSV
// as French Excel opens it (UTF-8 with a byte-order mark, semicolons,
// decimal commas, dates as 21/12/2023) and XLSX, written by hand as the
// smallest valid Office Open XML workbook: one sheet, inline strings, a
// bold frozen header with a filter, dates as real dates.
//
// A cell is a string, a whole number (int, int64), a float64, a bool, a
// Date, a time.Time (a moment, shown in its own location), or nil for an
// empty cell; any other value is written as its fmt.Sprint.
package sheet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Table is what both formats write: a header row and rows of cells.
type Table struct {
	// Name names the XLSX worksheet; it is shortened to 31 characters and
	// cleared of the characters Excel refuses in sheet names.
	Name string
	// Title, when not empty, is a line of cells above the header: what the
	// table is, in words and in fields a reader can check (a grade sheet
	// names its session and grid there). The header stays the frozen,
	// filtered line, now the second.
	Title  []any
	Header []string
	Rows   [][]any
}

// top is the line of the header: 2 under a title, 1 otherwise.
func (t *Table) top() int {
	if len(t.Title) > 0 {
		return 2
	}
	return 1
}

// Date is a civil date cell (no time of day): only its year, month and
// day count.
type Date time.Time

// DateOf makes a Date cell of t, or an empty cell (nil) when t is zero.
func DateOf(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return Date(t)
}

// kind is how a cell is written.
type kind int

const (
	kEmpty kind = iota
	kString
	kNumber
	kBool
	kDate
	kDateTime
)

// cell is a value made ready for either format.
type cell struct {
	kind kind
	s    string    // kString
	n    float64   // kNumber, kBool (0 or 1)
	t    time.Time // kDate, kDateTime: the wall clock counts
}

// classify reads a value of a row.
func classify(v any) cell {
	switch v := v.(type) {
	case nil:
		return cell{}
	case string:
		return cell{kind: kString, s: v}
	case int:
		return cell{kind: kNumber, n: float64(v)}
	case int64:
		return cell{kind: kNumber, n: float64(v)}
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return cell{}
		}
		return cell{kind: kNumber, n: v}
	case bool:
		if v {
			return cell{kind: kBool, n: 1}
		}
		return cell{kind: kBool}
	case Date:
		if time.Time(v).IsZero() {
			return cell{}
		}
		return cell{kind: kDate, t: time.Time(v)}
	case time.Time:
		if v.IsZero() {
			return cell{}
		}
		return cell{kind: kDateTime, t: v}
	case *time.Time:
		if v == nil {
			return cell{}
		}
		return classify(*v)
	}
	return cell{kind: kString, s: fmt.Sprint(v)}
}

// number writes a number the way a machine reads it: 12.5, 3, 1E+21.
func number(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'G', -1, 64)
}

// sheetName makes a name Excel accepts: 1 to 31 characters, none of
// []:*?/\, not starting or ending with an apostrophe.
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || r < 0x20 {
			return ' '
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), "'")
	if r := []rune(name); len(r) > 31 {
		name = strings.TrimSpace(string(r[:31]))
	}
	if name == "" {
		return "Sheet1"
	}
	return name
}
