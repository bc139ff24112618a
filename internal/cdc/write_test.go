package cdc

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// edgePassages are passages that take every branch of the writer: born
// abroad, by VAE, with a usage name, text to escape, a postal code, an
// unknown route, a CPF file, the European levels.
func edgePassages() []Passage {
	abroad := sample("abroad")
	abroad.Titulaire.CodeInsee, abroad.Titulaire.LibelleCommune = "", ""
	abroad.Titulaire.CodePays, abroad.Titulaire.LibellePays = "MAR", "Maroc"
	abroad.Titulaire.Mois, abroad.Titulaire.Jour = 0, 0
	vae := sample("vae")
	vae.Inscription = Inscription{ModaliteAcces: AccesVAE, VoieAccesVAE: VAEClassique, InitiativeInscription: "OF", DateInscription: "2025-09-01"}
	vae.Titulaire.NomUsage = "Dubois-Martin"
	escaped := sample("esc & <\"quotes\"> 'é'\t\r\nz")
	escaped.Titulaire.NomNaissance = `L'Hôpital & <Fils> 😀`
	escaped.Titulaire.Prenom1 = strings.Repeat("É", 60)
	escaped.Scoring, escaped.MentionValidee = "15,2/20", "MENTION_BIEN"
	postal := sample("postal")
	postal.Titulaire.CodeInsee, postal.Titulaire.CodePostal = "", "75011"
	postal.Titulaire.Prenom2, postal.Titulaire.Prenom3, postal.Titulaire.CommentairesMEN = "Anne", "Marie", "né à l'étranger"
	unknown := sample("nil-acces")
	unknown.Inscription.ModaliteAcces = ""
	dossier := sample("dossier")
	dossier.Titulaire = nil
	dossier.Dossier = &DossierFormation{IDDossier: "1234567891011", Nom: "Durand", Prenom: "Zoé"}
	levels := sample("levels")
	levels.URLPreuve, levels.LibelleOption, levels.Verbatim = "https://example.org/p/1", "Option réseaux", "verbatim"
	levels.DateDebutExamen, levels.DateFinExamen, levels.ModalitePassageExamen, levels.CodePostalCentreExamen = "2026-06-01", "2026-06-02", "MIXTE", "21000"
	levels.DateFinValidite, levels.PresenceNiveauLangueEuro, levels.NiveauLangueEuropeen = "2031-06-30", true, "B2"
	levels.PresenceNiveauNumeriqueEuro = true
	levels.NiveauNumerique = &NiveauNumerique{ScoreGeneral: 890, Resultats: []Resultat{{Niveau: 7, DomaineCompetenceID: "1", CompetenceID: "2"}, {}}}
	empty := sample("empty-results")
	empty.NiveauNumerique = &NiveauNumerique{Resultats: []Resultat{}}
	return []Passage{sample("plain"), abroad, vae, escaped, postal, unknown, dossier, levels, empty}
}

// The hand-written writer writes the very bytes encoding/xml's Encoder
// wrote, escaping included, and xmllint takes them.
func TestWriterMatchesEncodingXML(t *testing.T) {
	other := Certification{Type: "RS", Code: "RS5678"}
	var got, want bytes.Buffer
	w, err := NewWriter(&got, header())
	if err != nil {
		t.Fatal(err)
	}
	ref, err := newRefWriter(&want, header())
	if err != nil {
		t.Fatal(err)
	}
	ps := edgePassages()
	for i := range ps {
		ct := &rncp
		if i > 5 {
			ct = &other
		}
		if err := w.Write(ct, &ps[i]); err != nil {
			t.Fatal(err)
		}
		if err := ref.write(ct, &ps[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ref.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("the writer's bytes differ from encoding/xml's:\n%s\nwant\n%s", got.Bytes(), want.Bytes())
	}
	validBytes(t, got.Bytes())

	// The official example too, header and all.
	raw, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	got.Reset()
	want.Reset()
	if err := WriteFlux(&got, f); err != nil {
		t.Fatal(err)
	}
	if ref, err = newRefWriter(&want, f.Header); err != nil {
		t.Fatal(err)
	}
	for i := range f.Certifications {
		for j := range f.Certifications[i].Passages {
			if err := ref.write(&f.Certifications[i], &f.Certifications[i].Passages[j]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := ref.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("the official example re-emitted differs from encoding/xml's:\n%s\nwant\n%s", got.Bytes(), want.Bytes())
	}
}

// Writing a passage allocates nothing: the buffer is reused, the text
// escaped into it. (encoding/xml's Encoder allocated 20 times a
// passage, most of an export's time.)
func TestWriterAllocatesNothingPerPassage(t *testing.T) {
	w, err := NewWriter(io.Discard, header())
	if err != nil {
		t.Fatal(err)
	}
	ps := edgePassages()
	for i := range ps { // grow the buffer to its size first
		if err := w.Write(&rncp, &ps[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range []int{0, 1, 3} {
		p := &ps[i]
		if n := testing.AllocsPerRun(50, func() {
			if err := w.write(&rncp, p); err != nil {
				t.Fatal(err)
			}
		}); n > 0 {
			t.Errorf("writing passage %s allocates %.0f times, want none", p.IDTechnique, n)
		}
	}
}

// checkDate says what the XSD's pattern and the calendar say, for every
// day of the years around the pattern's bounds and malformed dates.
func TestCheckDateAgreesWithThePatternAndTheCalendar(t *testing.T) {
	cases := []string{"", "2026-1-01", "2026-01-1", "2026/01/01", "2026-01-01 ", "1899-12-31", "2100-01-01", "20a6-01-01",
		"2026-00-10", "2026-13-10", "2026-02-00", "2026-02-32", "+026-01-01", "2026-01-+1"}
	for _, y := range []int{1900, 1999, 2000, 2024, 2025, 2099} {
		for m := 0; m <= 13; m++ {
			for d := 0; d <= 32; d++ {
				cases = append(cases, fmt.Sprintf("%04d-%02d-%02d", y, m, d))
			}
		}
	}
	for _, v := range cases {
		wantPattern := datePat.MatchString(v)
		_, err := time.Parse(time.DateOnly, v)
		pattern, calendar := checkDate(v)
		if pattern != wantPattern || pattern && calendar != (err == nil) {
			t.Errorf("%q: pattern %v calendar %v, want %v %v", v, pattern, calendar, wantPattern, err == nil)
		}
	}
}
