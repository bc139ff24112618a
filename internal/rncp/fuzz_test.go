package rncp

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// checker returns a callback that holds every fiche to the contract, for
// the fuzzers: one of cert and err, valid certs, no empty competency,
// invalid-input errors only.
func checker(t *testing.T) Callback {
	return func(code string, cert *certibloc.Certification, err error) error {
		if (cert == nil) == (err == nil) {
			t.Fatalf("fiche %q: cert %v, err %v", code, cert, err)
		}
		if err != nil {
			checkFuzzError(t, err)
			return nil
		}
		if err := cert.Validate(); err != nil {
			t.Fatalf("fiche %q passed as valid: %v", code, err)
		}
		if cert.Code != code {
			t.Fatalf("callback code %q for certification %q", code, cert.Code)
		}
		for _, b := range cert.Blocks {
			for _, c := range b.Competencies {
				if strings.TrimSpace(c) == "" {
					t.Fatalf("block %s has an empty competency: %q", b.Code, b.Competencies)
				}
			}
		}
		for _, s := range append(cert.Sectors, cert.Jobs...) {
			if strings.TrimSpace(s) == "" {
				t.Fatalf("fiche %s has an empty sector or job", code)
			}
		}
		return nil
	}
}

// checkFuzzError fails unless err is an invalid-input *certibloc.Error: the
// input is in memory, so no failure can be the reader's.
func checkFuzzError(t *testing.T, err error) {
	var e *certibloc.Error
	if !errors.As(err, &e) || e.Code != certibloc.EINVALID || e.Message == "" {
		t.Fatalf("error %v (%T) is not an invalid-input *certibloc.Error", err, err)
	}
}

// oneFiche returns the fixture cut down to one of its fiches: whole
// fixtures would make the fuzzer crawl.
func oneFiche(tb testing.TB, name, code string) string {
	doc := string(readFile(tb, name))
	at := strings.Index(doc, "<NUMERO_FICHE>"+code+"</NUMERO_FICHE>")
	start := strings.LastIndex(doc[:at], "<FICHE>")
	end := at + strings.Index(doc[at:], "</FICHE>") + len("</FICHE>")
	head := doc[:strings.Index(doc, "<FICHE>")]
	return head + doc[start:end] + "\n</FICHES>\n"
}

func FuzzReadXML(f *testing.F) {
	f.Add(trapsXML)
	f.Add(oneFiche(f, rncpXML, "RNCP37488"))
	f.Add(oneFiche(f, rsXML, "RS6547"))
	f.Add("<FICHES><VERSION_FLUX>4.1</VERSION_FLUX><FICHE><NUMERO_FICHE>RS1</NUMERO_FICHE><INTITULE>x</INTITULE></FICHE></FICHES>")
	f.Add("<FICHES><VERSION_FLUX>4</VERSION_FLUX><FICHE><SI_JURY_VAE><ACTIF>Oui</ACTIF></SI_JURY_VAE></FICHE>")
	f.Add("\ufeff<?xml version=\"1.0\"?><FICHES/>")
	f.Fuzz(func(t *testing.T, doc string) {
		if err := ReadXML(strings.NewReader(doc), checker(t)); err != nil {
			checkFuzzError(t, err)
		}
	})
}

// FuzzReadCSVZip fuzzes the CSV members of a zip rather than the zip bytes,
// which the fuzzer would rarely get past the zip checksums.
func FuzzReadCSVZip(f *testing.F) {
	members := map[string]string{}
	for _, m := range fixtureMembers(f) {
		for _, key := range []string{"Standard", "Blocs", "Certificateurs", "Nsf", "VoixdAcc", "Ancienne"} {
			if strings.Contains(m.name, key) {
				members[key] = m.data
			}
		}
	}
	f.Add(members["Standard"], members["Blocs"], members["Certificateurs"], members["Nsf"], members["VoixdAcc"], members["Ancienne"])
	f.Add(standardHeader+`"1";"RS1";"T";"NIV9";"1/1/2020";"OUI"`, `"Numero_Fiche";"Bloc_Competences_Code"`+"\r\n"+`"RS1";"RS1BC1"`,
		`"Numero_Fiche";"Siret_Certificateur"`+"\n"+`"RS1";"	1"`, `"Numero_Fiche";"Nsf_Code";"Nsf_Intitule"`+"\r\n"+`"RS1";"1";"1 : a''b"`,
		`"Numero_Fiche";"Si_Jury"`+"\r\n"+`"RS1";"Par expérience"`, `"Numero_Fiche";"Ancienne_Certification"`+"\r\n"+`"RS1";"RS0"`)
	f.Fuzz(func(t *testing.T, standard, blocs, certificateurs, nsf, voies, ancienne string) {
		data := makeZip(t, []zipMember{
			{name: "export_fiches_CSV_Standard_2024_02_22.csv", data: standard},
			{name: "export_fiches_CSV_Blocs_De_Compétences_2024_02_22.csv", data: blocs},
			{name: "export_fiches_CSV_Certificateurs_2024_02_22.csv", data: certificateurs},
			{name: "export_fiches_CSV_Nsf_2024_02_22.csv", data: nsf},
			{name: "export_fiches_CSV_VoixdAccès_2024_02_22.csv", data: voies},
			{name: "export_fiches_CSV_Ancienne_Nouvelle_Certification_2024_02_22.csv", data: ancienne},
		})
		if err := ReadCSVZip(bytes.NewReader(data), int64(len(data)), checker(t)); err != nil {
			checkFuzzError(t, err)
		}
	})
}

// FuzzReadCSVZipBytes fuzzes the zip itself: a corrupt archive must give an
// error, never a panic.
func FuzzReadCSVZipBytes(f *testing.F) {
	f.Add(readFile(f, csvZip))
	f.Add([]byte("PK\x03\x04"))
	// A member inflating past its declared size, and one long line.
	f.Add(makeBombZip(f, nil, bomb{name: standardMember, head: standardHeader, chunk: chunkOf("\r\n", 1<<10), n: 64, declared: 100}))
	f.Add(makeBombZip(f, nil, bomb{name: standardMember, head: standardHeader + `"1";"`, chunk: chunkOf("a", 1<<10), n: 64, tail: `"`}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := ReadCSVZip(bytes.NewReader(data), int64(len(data)), checker(t)); err != nil {
			checkFuzzError(t, err)
		}
	})
}
