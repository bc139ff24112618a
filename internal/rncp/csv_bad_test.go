package rncp

import (
	"errors"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// withMember returns the fixture's members with the one whose name holds
// key replaced by data, or dropped when data is "-".
func withMember(t *testing.T, key, data string) []byte {
	var members []zipMember
	for _, m := range fixtureMembers(t) {
		if strings.Contains(m.name, key) {
			if data == "-" {
				continue
			}
			m.data = data
		}
		members = append(members, m)
	}
	return makeZip(t, members)
}

const standardHeader = `"Id_Fiche";"Numero_Fiche";"Intitule";"Nomenclature_Europe_Niveau";"Date_Decision";"Actif"` + "\r\n"

func TestReadCSVZipBadFiles(t *testing.T) {
	fixture := readFile(t, csvZip)
	twoStandards := append(fixtureMembers(t), zipMember{name: "copie/export_fiches_CSV_Standard_2024_02_22.csv", data: standardHeader})
	tests := []struct {
		name   string
		data   []byte
		fiches int
		msg    string
	}{
		{"not a zip", []byte("<FICHES></FICHES>"), 0, "CSV export: not a zip file"},
		{"empty", nil, 0, "CSV export: not a zip file"},
		{"truncated zip", fixture[:len(fixture)/2], 0, "CSV export: not a zip file"},
		{"no Standard member", withMember(t, "Standard", "-"), 0, "no Standard member (export_fiches_CSV_Standard_….csv) in the zip"},
		{"two Standard members", makeZip(t, twoStandards), 0, "two members look like the same table"},
		{"broken quote in Standard", withMember(t, "Standard", standardHeader+
			`"1";"RNCP1";"Titre";"NIV5";"01/01/2020";"ACTIVE"`+"\r\n"+
			`"2";"RNCP2";"Titre "cassé";"NIV5";;"ACTIVE"`+"\r\n"), 1,
			`member export_fiches_CSV_Standard_2024_02_22.csv, line 3, column 20: extraneous or missing " in quoted-field`},
		{"unterminated quote in Nsf", withMember(t, "Nsf", `"Numero_Fiche";"Nsf_Code";"Nsf_Intitule"`+"\r\n"+`"RNCP509";"251;"x"`), 0,
			`member export_fiches_CSV_Nsf_2024_02_22.csv, line 2, column`},
		{"Standard without Numero_Fiche", withMember(t, "Standard", `"Id_Fiche";"Intitule"`+"\r\n"), 0,
			"member export_fiches_CSV_Standard_2024_02_22.csv: no column Numero_Fiche"},
		{"empty Standard", withMember(t, "Standard", ""), 0, "export_fiches_CSV_Standard_2024_02_22.csv: empty, not even a header"},
		{"Latin-1 Standard", withMember(t, "Standard", standardHeader+`"1";"RNCP1";"Agent v`+"\xe9"+`rificateur";;;"ACTIVE"`+"\r\n"), 0,
			"export_fiches_CSV_Standard_2024_02_22.csv, line 2: not UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readZip(t, tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %v, want one saying %q", err, tt.msg)
			}
			checkInvalid(t, err)
			if len(got) != tt.fiches {
				t.Errorf("%d fiches before the error, want %d", len(got), tt.fiches)
			}
		})
	}
}

func TestReadCSVZipFicheErrors(t *testing.T) {
	data := withMember(t, "Standard", standardHeader+
		`"1";"RNCP509";"";"NIV3";;"INACTIVE"`+"\r\n"+
		`"2";"RNCP4049";"Chef de projet";"NIV6";"2011-02-02";"INACTIVE"`+"\r\n"+
		`"3";"RNCP22094";"Chef de projet";"NIV6";;"PEUT-ETRE"`+"\r\n"+
		`"4";"";"Sans numéro";"NIV6";;"ACTIVE"`+"\r\n"+
		`"5";"RS5000";"Exploiter la blockchain";;"13/06/2019";"ACTIVE"`+"\r\n")
	got, err := readZip(t, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ code, msg string }{
		{"RNCP509", "fiche RNCP509 (Standard line 2): has no INTITULE"},
		{"RNCP4049", `fiche RNCP4049 (Standard line 3): DATE_DECISION "2011-02-02" is not a date JJ/MM/AAAA`},
		{"RNCP22094", `ACTIF: "PEUT-ETRE" is neither`},
		{"", "fiche (Standard line 5): has no NUMERO_FICHE"},
		{"RS5000", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("%d fiches, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i]
		switch {
		case r.code != w.code:
			t.Errorf("fiche %d: code %q, want %q", i, r.code, w.code)
		case w.msg == "" && r.err != nil:
			t.Errorf("fiche %s: %v, want it valid", w.code, r.err)
		case w.msg != "" && (r.err == nil || !strings.Contains(r.err.Error(), w.msg)):
			t.Errorf("fiche %s: error %v, want one saying %q", w.code, r.err, w.msg)
		}
	}
	// The side members still join on the fiches that remain.
	if rs := got[4].cert; rs == nil || len(rs.Certifiers) != 1 || len(rs.NSFCodes) != 2 {
		t.Errorf("RS5000: %+v, want its certifier and NSF codes", rs)
	}
}

func TestReadCSVZipCallbackStops(t *testing.T) {
	data := readFile(t, csvZip)
	stop := errors.New("stop here")
	calls := 0
	err := ReadCSVZip(strings.NewReader(string(data)), int64(len(data)), func(string, *certibloc.Certification, error) error {
		if calls++; calls == 3 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 3 {
		t.Errorf("ReadCSVZip = %v after %d calls, want the callback's error after 3", err, calls)
	}
}
