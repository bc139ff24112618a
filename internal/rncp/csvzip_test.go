package rncp

import (
	"archive/zip"
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

func TestReadCSVZipFixture(t *testing.T) {
	got, err := readZip(t, readFile(t, csvZip))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, r := range got {
		codes = append(codes, r.code)
	}
	checkSlice(t, "fiches in Standard order", codes, []string{
		"RNCP509", "RNCP1197", "RNCP4049", "RNCP22094", "RNCP28155", "RNCP30271", "RS5000", "RNCP19468", "RS6117"})
	m := certs(t, got)

	c509 := m["RNCP509"]
	checkEq(t, "RNCP509 title", c509.Title, "Agent vérificateur d'appareils extincteurs")
	checkEq(t, "RNCP509 level", c509.Level, 3)
	checkEq(t, "RNCP509 INACTIVE", c509.Active, false)
	checkEq(t, "RNCP509 abbreviation", c509.Abbreviation, "CAP")
	checkEq(t, "RNCP509 source", c509.Source, "rncp-csv")
	checkEq(t, "RNCP509 end", c509.EndDate, certibloc.DateOf(2023, 8, 31))
	checkEq(t, "RNCP509 has no decision date", c509.DecisionDate.IsZero(), true)
	checkSlice(t, "RNCP509 certifiers (SIRET without its TAB)", c509.Certifiers, []certibloc.Certifier{
		{SIRET: "11004301500012", Name: "MINISTERE DE L'EDUCATION NATIONALE ET DE LA JEUNESSE"}})
	checkSlice(t, "RNCP509 NSF (code prefix gone)", c509.NSFCodes, []certibloc.Label{
		{Code: "251", Label: "Mécanique générale et de précision, usinage"}})
	checkSlice(t, "RNCP509 Formacodes", c509.Formacodes, []certibloc.Label{{Code: "42872", Label: "Sécurité incendie"}})
	checkSlice(t, "RNCP509 ROME", c509.ROMECodes, []certibloc.Label{{Code: "I1203", Label: "Maintenance des bâtiments et des locaux"}})
	var blocks []string
	for _, b := range c509.Blocks {
		blocks = append(blocks, b.Code+" "+b.Title)
		if b.Kind != certibloc.Common || len(b.Competencies) != 0 || len(b.Evaluations) != 0 {
			t.Errorf("block %+v: want common, without competencies or evaluations (the CSV has none)", b)
		}
	}
	checkSlice(t, "RNCP509 blocks, in code order", blocks, []string{
		"RNCP509BC01 UP1 : Vérification d’une installation et organisation de l’intervention",
		"RNCP509BC02 UP2 : Vérification d’une installation de robinet incendie armé",
		"RNCP509BC03 UP3 : Vérification d’extincteurs et démonstration d’utilisation",
		"RNCP509BC04 UG1 : Français – Histoire, géographie et enseignement moral et civique",
		"RNCP509BC05 UG2 : Mathématiques-Sciences physiques et chimiques",
		"RNCP509BC06 UG3 : Éducation physique et sportive",
	})
	var routes []string
	for _, j := range c509.JuryRoutes {
		if j.Open {
			routes = append(routes, j.Route)
		}
	}
	checkSlice(t, "RNCP509 jury routes, in XML order", routes, []string{"FI", "CA", "FC", "CQ", "CL", "VAE"})
	checkSlice(t, "RNCP509 access routes", c509.AccessRoutes, []string{"training", "vae", "mixed"})
	checkSlice(t, "RNCP509 next", c509.Next, []string{"RNCP38228"})
	checkEq(t, "RNCP509 url", c509.URL, "https://www.francecompetences.fr/recherche/rncp/509/")

	// The RNCP1197 → RNCP30271 chain, from Ancienne_Nouvelle_Certification.
	chain := []string{"RNCP1197", "RNCP4049", "RNCP22094", "RNCP28155", "RNCP30271"}
	for i, code := range chain {
		var prev, next []string
		if i > 0 {
			prev = chain[i-1 : i]
		}
		if i < len(chain)-1 {
			next = chain[i+1 : i+2]
		}
		checkSlice(t, code+" previous", m[code].Previous, prev)
		checkSlice(t, code+" next", m[code].Next, next)
		checkEq(t, code+" level", m[code].Level, 6)
	}
	// No Date_Decision: Date_dernier_jo stands in.
	checkEq(t, "RNCP1197 decision", m["RNCP1197"].DecisionDate, certibloc.DateOf(2002, 1, 25))
	// Rome doubles apostrophes: "d''affaires".
	checkEq(t, "RNCP4049 ROME H1102", m["RNCP4049"].ROMECodes[2], certibloc.Label{Code: "H1102", Label: "Management et ingénierie d'affaires"})
	checkSlice(t, "RNCP4049 jury routes", routesOf(m["RNCP4049"]), []string{"FI", "FC", "CL", "VAE"})

	rs := m["RS5000"]
	checkEq(t, "RS5000 ACTIVE", rs.Active, true)
	checkEq(t, "RS5000 level", rs.Level, 0)
	checkEq(t, "RS5000 decision", rs.DecisionDate, certibloc.DateOf(2019, 6, 13))
	checkSlice(t, "RS5000 NSF", rs.NSFCodes, []certibloc.Label{
		{Code: "326", Label: "Informatique, traitement de l'information, réseaux de transmission"},
		{Code: "114b", Label: "Modèles mathématiques ; Informatique mathématique"}})
	checkSlice(t, "RS5000 certifiers", rs.Certifiers, []certibloc.Certifier{{SIRET: "79279132900016", Name: "SIMPLON.CO"}})
	checkSlice(t, "RS5000 jury routes", routesOf(rs), []string{"FC", "CL", "VAE"})
	checkEq(t, "RS5000 url", rs.URL, "https://www.francecompetences.fr/recherche/rs/5000/")

	// RNCP19468 ("REPRISE", no level) became RS6117.
	checkEq(t, "RNCP19468 level", m["RNCP19468"].Level, 0)
	checkSlice(t, "RNCP19468 next", m["RNCP19468"].Next, []string{"RS6117"})
	checkSlice(t, "RS6117 previous", m["RS6117"].Previous, []string{"RNCP19468"})
	checkEq(t, "RS6117 active", m["RS6117"].Active, true)
	checkSlice(t, "RS6117 certifiers", m["RS6117"].Certifiers, []certibloc.Certifier{
		{SIRET: "78466840200018", Name: "CONFEDE. NATIONALE BOULANGERS PATISSIERS"},
		{SIRET: "31504294500032", Name: "INSTITUT NATIONAL BOULANGERIE PATISSERIE"}})
}

func routesOf(c *certibloc.Certification) []string {
	var rs []string
	for _, j := range c.JuryRoutes {
		rs = append(rs, j.Route)
	}
	return rs
}

// TestReadCSVZipTolerant rebuilds the fixture with its members renamed
// (another date, a folder, names flagged UTF-8 or not), lines repeated and
// the Standard columns shuffled with unknown ones added: nothing changes.
func TestReadCSVZipTolerant(t *testing.T) {
	want, err := readZip(t, readFile(t, csvZip))
	if err != nil {
		t.Fatal(err)
	}
	var members []zipMember
	for _, m := range fixtureMembers(t) {
		m.name = "export/" + strings.ReplaceAll(m.name, "2024_02_22", "2026_08_16")
		switch {
		case strings.Contains(m.name, "Standard"):
			m.data = shuffleColumns(t, m.data)
		case strings.Contains(m.name, "Blocs"):
			m.data += m.data[strings.Index(m.data, "\r\n")+2:] // every block twice
		}
		m.utf8 = strings.Contains(m.name, "Rome")
		members = append(members, m)
	}
	got, err := readZip(t, makeZip(t, members))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d fiches, want %d", len(got), len(want))
	}
	for i := range want {
		if w, g := want[i].cert, got[i].cert; g == nil || !sameCert(w, g) {
			t.Errorf("fiche %s:\n got %+v\nwant %+v", want[i].code, g, w)
		}
	}
}

// shuffleColumns reverses the columns of a CSV and adds unknown ones.
func shuffleColumns(t *testing.T, data string) string {
	var out strings.Builder
	for i, line := range strings.Split(strings.TrimSuffix(data, "\r\n"), "\r\n") {
		fields := strings.Split(line, ";")
		slices.Reverse(fields)
		extra := `"Colonne_Inconnue"`
		if i > 0 {
			extra = `"valeur; avec ""guillemets"""`
		}
		out.WriteString(extra + ";" + strings.Join(fields, ";") + ";" + extra + "\r\n")
	}
	return out.String()
}

func sameCert(a, b *certibloc.Certification) bool {
	return a.Code == b.Code && a.Title == b.Title && a.Level == b.Level && a.Active == b.Active &&
		a.DecisionDate == b.DecisionDate && a.EndDate == b.EndDate && a.Abbreviation == b.Abbreviation &&
		slices.Equal(a.Certifiers, b.Certifiers) && slices.Equal(a.NSFCodes, b.NSFCodes) &&
		slices.Equal(a.ROMECodes, b.ROMECodes) && slices.Equal(a.Formacodes, b.Formacodes) &&
		slices.Equal(a.JuryRoutes, b.JuryRoutes) && slices.Equal(a.Previous, b.Previous) &&
		slices.Equal(a.Next, b.Next) && slices.EqualFunc(a.Blocks, b.Blocks, func(x, y certibloc.Block) bool {
		return x.Code == y.Code && x.Title == y.Title
	})
}

// zipMember is one file to put in a test zip.
type zipMember struct {
	name, data string
	utf8       bool // set the zip's UTF-8 flag, which the real export does not
}

// fixtureMembers returns the members of the fixture zip.
func fixtureMembers(t testing.TB) []zipMember {
	data := readFile(t, csvZip)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out []zipMember
	for _, f := range zr.File {
		if !f.NonUTF8 && strings.ContainsFunc(f.Name, func(r rune) bool { return r > 127 }) {
			t.Errorf("member %q: the fixture's quirk (no UTF-8 flag) is gone", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, zipMember{name: f.Name, data: string(b)})
	}
	return out
}

// makeZip writes members into a zip, without the UTF-8 flag unless asked.
// It stores them uncompressed, which keeps the fuzzer fast; the fixture
// covers deflated members.
func makeZip(t testing.TB, members []zipMember) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Store, NonUTF8: !m.utf8})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, m.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
