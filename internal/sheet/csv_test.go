package sheet

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"
)

// table is the table both formats' tests write: texts with accents and
// separators, numbers, dates, empty cells and a would-be formula.
func table() *Table {
	return &Table{
		Name:   "Candidatures 2027",
		Header: []string{"Nom", "Prénoms", "Niveau", "Note", "Dépôt", "Décision", "Admis"},
		Rows: [][]any{
			{"LEFÈVRE", "Éloïse; Marie", 5, 14.5, DateOf(time.Date(2027, 3, 14, 0, 0, 0, 0, time.UTC)),
				time.Date(2027, 6, 2, 9, 30, 0, 0, time.UTC), true},
			{"=HYPERLINK(\"http://evil\")", "Jean \"Jo\"\nPaul", int64(4), nil, DateOf(time.Time{}), time.Time{}, false},
		},
	}
}

func TestCSVOpensInFrenchExcel(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, table()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Fatalf("no UTF-8 byte-order mark: %q", out[:10])
	}
	if !strings.HasPrefix(out, "\uFEFFNom;Prénoms;Niveau;") || !strings.Contains(out, "\r\n") {
		t.Errorf("want semicolons and CRLF:\n%q", out)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 3 {
		t.Fatalf("%d records, want 3", len(records))
	}
	want := [][]string{
		{"LEFÈVRE", "Éloïse; Marie", "5", "14,5", "14/03/2027", "02/06/2027 09:30", "1"},
		{"'=HYPERLINK(\"http://evil\")", "Jean \"Jo\"\nPaul", "4", "", "", "", "0"},
	}
	for i, w := range want {
		if got := strings.Join(records[i+1], "|"); got != strings.Join(w, "|") {
			t.Errorf("row %d:\n got %q\nwant %q", i+1, got, strings.Join(w, "|"))
		}
	}
}

func TestCSVDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+33 6": "'+33 6", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx",
		"Martin": "Martin", "": "", "a=b": "a=b",
	} {
		if got := defuse(in); got != want {
			t.Errorf("defuse(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSVEmptyTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, &Table{Header: []string{"Nom"}}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "\uFEFFNom\r\n" {
		t.Errorf("got %q", b.String())
	}
}
