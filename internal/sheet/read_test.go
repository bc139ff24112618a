package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func cellsOf(lines []Line) [][]string {
	var out [][]string
	for _, l := range lines {
		out = append(out, l.Cells)
	}
	return out
}

func numbersOf(lines []Line) []int {
	var out []int
	for _, l := range lines {
		out = append(out, l.Number)
	}
	return out
}

func TestReadBackWhatIsWritten(t *testing.T) {
	tb := &Table{Name: "Notes", Title: []any{"Session", 42, "Grille", 7},
		Header: []string{"N°", "Nom", "Note", "Commentaire"},
		Rows: [][]any{
			{101, "LEFÈVRE; Éloïse", 14.5, "=trop \"fort\"\nligne 2"},
			{102, "MARTIN", nil, nil},
		}}
	var c, x bytes.Buffer
	if err := WriteCSV(&c, tb); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&x, tb); err != nil {
		t.Fatal(err)
	}
	csvLines, err := Read(c.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	xlsxLines, err := Read(x.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	wantCSV := [][]string{{"Session", "42", "Grille", "7"}, {"N°", "Nom", "Note", "Commentaire"},
		{"101", "LEFÈVRE; Éloïse", "14,5", "'=trop \"fort\"\nligne 2"}, {"102", "MARTIN"}}
	if got := cellsOf(csvLines); !reflect.DeepEqual(got, wantCSV) {
		t.Errorf("CSV read back %q", got)
	}
	wantXLSX := [][]string{{"Session", "42", "Grille", "7"}, {"N°", "Nom", "Note", "Commentaire"},
		{"101", "LEFÈVRE; Éloïse", "14.5", "=trop \"fort\"\nligne 2"}, {"102", "MARTIN"}}
	if got := cellsOf(xlsxLines); !reflect.DeepEqual(got, wantXLSX) {
		t.Errorf("XLSX read back %q", got)
	}
	for _, lines := range [][]Line{csvLines, xlsxLines} {
		if got := numbersOf(lines); !reflect.DeepEqual(got, []int{1, 2, 3, 4}) {
			t.Errorf("line numbers %v", got)
		}
	}
}

func TestCSVLineNumbersAreTheSpreadsheetsRows(t *testing.T) {
	// A quoted cell over two lines is one row; an empty line is a row.
	lines, err := Read([]byte("a;b\r\n\"x\r\ny\";z\r\n\r\n;;\r\nlast;1\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := numbersOf(lines); !reflect.DeepEqual(got, []int{1, 2, 5}) {
		t.Errorf("rows %v, want [1 2 5]", got)
	}
	_, err = Read([]byte("a;b\r\n\"x\r\ny\";z\r\n\r\nc;\"open\r\n"))
	var re *ReadError
	if !errors.As(err, &re) || re.Reason != ReasonBadCSV || re.Line != 4 {
		t.Errorf("an open quote on row 4: %v", err)
	}
}

func TestSeparatorFromFirstLine(t *testing.T) {
	for in, want := range map[string][]string{
		"a;b,c;d\n":     {"a", "b,c", "d"},
		"a,b,\"c;d\"\n": {"a", "b", "c;d"},
		"a\tb;c\td\n":   {"a", "b;c", "d"},
		"\"a;b;c\",d\n": {"a;b;c", "d"},
		"solitaire\r\n": {"solitaire"},
	} {
		lines, err := Read([]byte(in))
		if err != nil || len(lines) != 1 || !reflect.DeepEqual(lines[0].Cells, want) {
			t.Errorf("%q: %q, %v", in, cellsOf(lines), err)
		}
	}
}

// workbook zips parts into an XLSX file.
func workbookOf(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReadExcelWorkbook reads what Excel writes and WriteXLSX does not:
// shared strings with rich text and phonetic guides, a prefixed
// namespace, cells and rows without references, formulas with their
// cached values, booleans, numbers stored in binary, and the second
// sheet of the zip being the workbook's first.
func TestReadExcelWorkbook(t *testing.T) {
	const ns = `xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	data := workbookOf(t, map[string]string{
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Notes" sheetId="1" r:id="rId3"/><sheet name="Autre" sheetId="2" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Target="/xl/worksheets/sheet2.xml"/></Relationships>`,
		"xl/sharedStrings.xml": `<x:sst ` + ns + `><x:si><x:t>N°</x:t></x:si><x:si><x:r><x:t>Lef</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space="preserve">èvre </x:t></x:r>` +
			`<x:rPh><x:t>ルフェーヴル</x:t></x:rPh></x:si><x:si><x:t>Note</x:t></x:si></x:sst>`,
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>`,
		"xl/worksheets/sheet2.xml": `<x:worksheet ` + ns + `><x:sheetData>` +
			`<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row>` +
			`<x:row r="3"><x:c r="A3"><x:v>101</x:v></x:c><x:c r="B3" t="s"><x:v>1</x:v></x:c><x:c r="C3"><x:f>29/2</x:f><x:v>14.499999999999998</x:v></x:c>` +
			`<x:c r="D3" t="b"><x:v>1</x:v></x:c><x:c r="E3" s="3"/><x:c r="F3" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c></x:row>` +
			`<x:row><x:c><x:v>102</x:v></x:c><x:c t="inlineStr"><x:is><x:t>Martin</x:t></x:is></x:c><x:c><x:v>1.2E1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>` +
			`<x:row r="9"><x:c r="XFD9" s="2"/></x:row>` +
			`</x:sheetData></x:worksheet>`,
	})
	lines, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"N°", "", "Note"}, {"101", "Lefèvre ", "14.5", "1", "", "ab"}, {"102", "Martin", "12", "#N/A"}}
	if got := cellsOf(lines); !reflect.DeepEqual(got, want) {
		t.Errorf("cells %q\nwant %q", got, want)
	}
	if got := numbersOf(lines); !reflect.DeepEqual(got, []int{1, 3, 4}) {
		t.Errorf("rows %v", got)
	}
}

func TestReadRefusesBrokenWorkbooks(t *testing.T) {
	sheetOf := func(body string) []byte {
		return workbookOf(t, map[string]string{"xl/worksheets/sheet1.xml": `<worksheet><sheetData>` + body + `</sheetData></worksheet>`})
	}
	for name, tc := range map[string]struct {
		data   []byte
		reason string
	}{
		"not a zip":                {[]byte("PK\x03\x04 not really"), ReasonBadXLSX},
		"no sheet":                 {workbookOf(t, map[string]string{"a.txt": "x"}), ReasonBadXLSX},
		"missing shared string":    {sheetOf(`<row r="1"><c r="A1" t="s"><v>4</v></c></row>`), ReasonBadXLSX},
		"rows out of order":        {sheetOf(`<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>`), ReasonBadXLSX},
		"cells out of order":       {sheetOf(`<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>1</v></c></row>`), ReasonBadXLSX},
		"bad reference":            {sheetOf(`<row r="1"><c r="1A"><v>1</v></c></row>`), ReasonBadXLSX},
		"beyond the last column":   {sheetOf(`<row r="1"><c r="ZZZZ1"><v>1</v></c></row>`), ReasonBadXLSX},
		"beyond the column limit":  {sheetOf(`<row r="1"><c r="AMM1"><v>1</v></c></row>`), ReasonTooLarge},
		"beyond Excel's last row":  {sheetOf(`<row r="1048577"><c><v>1</v></c></row>`), ReasonTooLarge},
		"malformed XML":            {sheetOf(`<row r="1"><c r="A1"><v>1</c></row>`), ReasonBadXLSX},
		"a cell of a megabyte":     {sheetOf(`<row r="1"><c r="A1" t="inlineStr"><is><t>` + strings.Repeat("x", 1<<20) + `</t></is></c></row>`), ReasonTooLarge},
		"CSV of too many columns":  {[]byte(strings.Repeat("x;", MaxColumns+1)), ReasonTooLarge},
		"CSV cell of a megabyte":   {[]byte(strings.Repeat("x", 1<<20)), ReasonTooLarge},
		"a file beyond the limits": {make([]byte, MaxReadBytes+1), ReasonTooLarge},
	} {
		_, err := Read(tc.data)
		var re *ReadError
		if !errors.As(err, &re) || re.Reason != tc.reason {
			t.Errorf("%s: %v, want %s", name, err, tc.reason)
		}
	}
}

func TestShownNumber(t *testing.T) {
	for in, want := range map[string]string{"14.499999999999998": "14.5", "14.55": "14.55", "0.1": "0.1", "3": "3",
		"-0": "0", "1E+21": "1000000000000000000000", "abc": "abc", "9.750000000000002": "9.75"} {
		if got := shownNumber(in); got != want {
			t.Errorf("shownNumber(%s) = %s, want %s", in, got, want)
		}
	}
}

// FuzzRead: whatever the bytes, Read returns lines in order, each with
// cells and no trailing empty one, or a ReadError; it never panics.
// Zip inputs are slow to minimise: go test -fuzz FuzzRead -fuzzminimizetime 200x
func FuzzRead(f *testing.F) {
	var x bytes.Buffer
	WriteXLSX(&x, &Table{Title: []any{"Session", 1}, Header: []string{"a", "b"}, Rows: [][]any{{1, "é"}, {2.5, nil}}})
	f.Add(x.Bytes())
	f.Add([]byte("\uFEFFa;b\r\n1;\"x\r\ny\"\r\n"))
	f.Add([]byte("a,b\n\"\"\"\",c\n"))
	f.Add([]byte("\xFF\xFEa\x00\t\x00b\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := Read(data)
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("an error that is not a ReadError: %v", err)
			}
			return
		}
		prev := 0
		for _, l := range lines {
			if l.Number <= prev || l.Number > MaxLines || len(l.Cells) == 0 || len(l.Cells) > MaxColumns {
				t.Fatalf("line %d after %d with %d cells", l.Number, prev, len(l.Cells))
			}
			if strings.TrimSpace(l.Cells[len(l.Cells)-1]) == "" {
				t.Fatalf("line %d ends with an empty cell", l.Number)
			}
			prev = l.Number
		}
	})
}
