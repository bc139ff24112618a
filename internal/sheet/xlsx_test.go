package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// readXLSX opens a workbook and returns its parts, each checked to be
// well-formed XML.
func readXLSX(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
		parts[f.Name] = b
	}
	return parts
}

// xCell is a cell as the sheet's XML has it.
type xCell struct {
	Ref    string `xml:"r,attr"`
	Type   string `xml:"t,attr"`
	Style  string `xml:"s,attr"`
	Value  string `xml:"v"`
	Inline string `xml:"is>t"`
}

// readSheet returns the cells of sheet1 by reference.
func readSheet(t *testing.T, parts map[string][]byte) (map[string]xCell, string) {
	t.Helper()
	var ws struct {
		Dimension struct {
			Ref string `xml:"ref,attr"`
		} `xml:"dimension"`
		Rows []struct {
			R     string  `xml:"r,attr"`
			Cells []xCell `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(parts["xl/worksheets/sheet1.xml"], &ws); err != nil {
		t.Fatal(err)
	}
	cells := map[string]xCell{}
	for _, r := range ws.Rows {
		for _, c := range r.Cells {
			if !strings.HasSuffix(c.Ref, r.R) {
				t.Errorf("cell %s is in row %s", c.Ref, r.R)
			}
			cells[c.Ref] = c
		}
	}
	return cells, ws.Dimension.Ref
}

func TestXLSXCells(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, table()); err != nil {
		t.Fatal(err)
	}
	parts := readXLSX(t, b.Bytes())
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
		"xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"} {
		if parts[name] == nil {
			t.Errorf("no part %s", name)
		}
	}
	cells, dim := readSheet(t, parts)
	if dim != "A1:G3" {
		t.Errorf("dimension %s, want A1:G3", dim)
	}
	for ref, want := range map[string]xCell{
		"A1": {Type: "inlineStr", Style: "1", Inline: "Nom"},
		"B1": {Type: "inlineStr", Style: "1", Inline: "Prénoms"},
		"A2": {Type: "inlineStr", Inline: "LEFÈVRE"},
		"B2": {Type: "inlineStr", Inline: "Éloïse; Marie"},
		"C2": {Value: "5"},
		"D2": {Value: "14.5"},
		"E2": {Style: "2", Value: "46460"},          // 14 March 2027
		"F2": {Style: "3", Value: "46540.39583333"}, // 2 June 2027, 09:30
		"G2": {Type: "b", Value: "1"},
		"A3": {Type: "inlineStr", Inline: `=HYPERLINK("http://evil")`}, // a string, never a formula
		"B3": {Type: "inlineStr", Inline: "Jean \"Jo\"\nPaul"},
		"C3": {Value: "4"},
		"G3": {Type: "b", Value: "0"},
	} {
		got, ok := cells[ref]
		got.Ref = ""
		if !ok || got != want {
			t.Errorf("%s = %+v, want %+v", ref, got, want)
		}
	}
	for _, ref := range []string{"D3", "E3", "F3"} {
		if _, ok := cells[ref]; ok {
			t.Errorf("%s should be left out: it is empty", ref)
		}
	}
	var wb struct {
		Sheet struct {
			Name string `xml:"name,attr"`
		} `xml:"sheets>sheet"`
		Filter string `xml:"definedNames>definedName"`
	}
	if err := xml.Unmarshal(parts["xl/workbook.xml"], &wb); err != nil {
		t.Fatal(err)
	}
	if wb.Sheet.Name != "Candidatures 2027" || wb.Filter != "'Candidatures 2027'!$A$1:$G$3" {
		t.Errorf("workbook: %+v", wb)
	}
	if ws := string(parts["xl/worksheets/sheet1.xml"]); !strings.Contains(ws, `<autoFilter ref="A1:G3"/>`) ||
		!strings.Contains(ws, `state="frozen"`) {
		t.Errorf("no filter or frozen header: %s", ws)
	}
}

func TestXLSXIsTheSameEveryTime(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteXLSX(&a, table()); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&b, table()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of one table differ")
	}
}

func TestXLSXStripsWhatXMLCannotCarry(t *testing.T) {
	var b bytes.Buffer
	tb := &Table{Name: "a/b:c?", Header: []string{"x"}, Rows: [][]any{{"bell\x07 and nul\x00"}}}
	if err := WriteXLSX(&b, tb); err != nil {
		t.Fatal(err)
	}
	parts := readXLSX(t, b.Bytes())
	cells, _ := readSheet(t, parts)
	if got := cells["A2"].Inline; got != "bell\uFFFD and nul\uFFFD" {
		t.Errorf("A2 = %q", got)
	}
	if !strings.Contains(string(parts["xl/workbook.xml"]), `name="a b c"`) {
		t.Errorf("sheet name not cleaned: %s", parts["xl/workbook.xml"])
	}
}

func TestCellRef(t *testing.T) {
	for col, want := range map[int]string{0: "A1", 25: "Z1", 26: "AA1", 27: "AB1", 701: "ZZ1", 702: "AAA1"} {
		if got := cellRef(col, 1); got != want {
			t.Errorf("cellRef(%d) = %s, want %s", col, got, want)
		}
	}
}
