package cdc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/cdc/cdctest"
)

const exampleFile = "testdata/exemple-officiel_kit-v2.0.0.xml"

var (
	Valid      = cdctest.Valid
	validBytes = cdctest.ValidBytes
)

func TestOfficialExampleIsValid(t *testing.T) { Valid(t, exampleFile) }

func TestOfficialExampleRoundTrips(t *testing.T) {
	raw, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if f.IDFlux != "6e3c7378-bda4-497a-9bd6-dc203f903ed9" || f.Emetteur != "AB123CDE" || f.Certificateur != "E564ACB0" || f.Contrat != "2560080000127J" {
		t.Errorf("header = %+v", f.Header)
	}
	if got := f.Horodatage.Format(StampLayout); got != "2020-12-18T14:24:12+01:00" {
		t.Errorf("horodatage = %s", got)
	}
	if len(f.Certifications) != 1 || len(f.Certifications[0].Passages) != 3 {
		t.Fatalf("certifications = %+v", f.Certifications)
	}
	ps := f.Certifications[0].Passages
	if ps[0].DateFinValidite != "" || ps[1].DateFinValidite != "2030-12-13" {
		t.Errorf("dateFinValidite: nil read as %q, value as %q", ps[0].DateFinValidite, ps[1].DateFinValidite)
	}
	if ps[1].Dossier == nil || ps[1].Dossier.IDDossier != "1234567891011" || ps[1].Titulaire != nil {
		t.Errorf("second passage identification = %+v %+v", ps[1].Dossier, ps[1].Titulaire)
	}
	tit := ps[0].Titulaire
	if tit == nil || tit.NomNaissance != "Dupont" || tit.CodeInsee != "31555" || tit.Jour != 15 || tit.Prenom3 != "Philippe" {
		t.Errorf("first titulaire = %+v", tit)
	}
	if n := ps[0].NiveauNumerique; n == nil || n.ScoreGeneral != 890 || len(n.Resultats) != 2 || n.Resultats[1].Niveau != 7 {
		t.Errorf("niveauNumeriqueEuropeen = %+v", n)
	}
	if ps[0].LibelleOption != "Mention spéciale" || ps[0].Inscription.VoieAccesVAE != "VAE_CLASSIQUE" {
		t.Errorf("first passage = %+v", ps[0])
	}

	var out bytes.Buffer
	if err := WriteFlux(&out, f); err != nil {
		t.Fatal(err)
	}
	validBytes(t, out.Bytes())
	again, err := Parse(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("re-emitted flux does not parse: %v\n%s", err, out.Bytes())
	}
	if !reflect.DeepEqual(f, again) {
		t.Errorf("round trip changed the flux:\n%+v\n%+v", f, again)
	}
}

// sample is a passage of certibloc's kind: a holder by birth data.
func sample(id string) Passage {
	return Passage{
		IDTechnique: id, Obtention: ParAdmission, DonneeCertifiee: true,
		DateDebutValidite: "2026-06-30", Inscription: Inscription{ModaliteAcces: FormationInitiale},
		Titulaire: &Titulaire{NomNaissance: "Martin", Prenom1: "Léa", Annee: 2001, Mois: 3, Jour: 9, Sexe: "F", CodeInsee: "69123", LibelleCommune: "Lyon"},
	}
}

func header() Header {
	return Header{IDFlux: "certibloc-test", Horodatage: time.Date(2026, 7, 1, 10, 0, 0, 0, time.FixedZone("", 2*3600)), Emetteur: "AB123CDE", Certificateur: "E564ACB0", Contrat: "2560080000127J"}
}

var rncp = Certification{Type: "RNCP", Code: "RNCP38478", NatureDeposant: Certificateur}

func TestWriterEdgeCasesAreValid(t *testing.T) {
	abroad := sample("abroad")
	abroad.Titulaire.CodeInsee, abroad.Titulaire.LibelleCommune = "", ""
	abroad.Titulaire.CodePays, abroad.Titulaire.LibellePays = "MAR", "Maroc"
	abroad.Titulaire.Mois, abroad.Titulaire.Jour = 0, 0
	vae := sample("vae")
	vae.Inscription = Inscription{ModaliteAcces: AccesVAE, VoieAccesVAE: VAEClassique}
	vae.Titulaire.NomUsage = "Dubois-Martin"
	escaped := sample(`esc & <"quotes"> 'é'`)
	escaped.Titulaire.NomNaissance = `L'Hôpital & <Fils>`
	escaped.Titulaire.Prenom1 = strings.Repeat("É", 60)
	escaped.Scoring, escaped.MentionValidee = "15,2/20", "MENTION_BIEN"
	postal := sample("postal")
	postal.Titulaire.CodeInsee, postal.Titulaire.CodePostal = "", "75011"
	unknown := sample("nil-acces")
	unknown.Inscription.ModaliteAcces = ""
	other := Certification{Type: "RS", Code: "RS5678"}

	var out bytes.Buffer
	w, err := NewWriter(&out, header())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []Passage{sample("plain"), abroad, vae, escaped, postal, unknown} {
		if err := w.Write(&rncp, &p); err != nil {
			t.Fatal(err)
		}
	}
	last := sample("other-cert")
	if err := w.Write(&other, &last); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	validBytes(t, out.Bytes())
	f, err := Parse(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Certifications) != 2 || len(f.Certifications[0].Passages) != 6 || f.Certifications[1].Code != "RS5678" {
		t.Fatalf("read back %d certifications", len(f.Certifications))
	}
	got := f.Certifications[0].Passages[3]
	if got.IDTechnique != escaped.IDTechnique || got.Titulaire.NomNaissance != escaped.Titulaire.NomNaissance {
		t.Errorf("escaping changed values: %+v", got.Titulaire)
	}
	if !reflect.DeepEqual(f.Certifications[0].Passages[1], abroad) {
		t.Errorf("born abroad read back as %+v", f.Certifications[0].Passages[1].Titulaire)
	}
}

func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		field string
		edit  func(p *Passage)
	}{
		{"idTechnique", func(p *Passage) { p.IDTechnique = "" }},
		{"idTechnique", func(p *Passage) { p.IDTechnique = strings.Repeat("x", 256) }},
		{"sexe", func(p *Passage) { p.Titulaire.Sexe = "" }},
		{"sexe", func(p *Passage) { p.Titulaire.Sexe = "X" }},
		{"nomNaissance", func(p *Passage) { p.Titulaire.NomNaissance = "" }},
		{"nomNaissance", func(p *Passage) { p.Titulaire.NomNaissance = strings.Repeat("é", 61) }},
		{"prenom1", func(p *Passage) { p.Titulaire.Prenom1 = "a\x01b" }},
		{"anneeNaissance", func(p *Passage) { p.Titulaire.Annee = 1899 }},
		{"moisNaissance", func(p *Passage) { p.Titulaire.Mois = 13 }},
		{"codeInsee", func(p *Passage) { p.Titulaire.CodeInsee = "6912" }},
		{"codeCommuneNaissance", func(p *Passage) { p.Titulaire.CodePostal = "69001" }},
		{"codePaysNaissance", func(p *Passage) { p.Titulaire.CodePays = "MA" }},
		{"dateDebutValidite", func(p *Passage) { p.DateDebutValidite = "2026-02-30" }},
		{"dateDebutValidite", func(p *Passage) { p.DateDebutValidite = "2126-01-01" }},
		{"modaliteAcces", func(p *Passage) { p.Inscription.ModaliteAcces = "APPRENTISSAGE" }},
		{"identificationTitulaire", func(p *Passage) { p.Titulaire = nil }},
		{"identificationTitulaire", func(p *Passage) { p.Dossier = &DossierFormation{IDDossier: "1", Nom: "a", Prenom: "b"} }},
		{"obtentionCertification", func(p *Passage) { p.Obtention = "" }},
	}
	for _, c := range cases {
		p := sample("bad")
		c.edit(&p)
		err := p.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: Validate = %v", c.field, err)
			continue
		}
		var out bytes.Buffer
		w, _ := NewWriter(&out, header())
		before := out.Len()
		if err := w.Write(&rncp, &p); err == nil || out.Len() != before {
			t.Errorf("%s: the writer took an invalid passage (%v, %d bytes)", c.field, err, out.Len()-before)
		}
	}
}

func TestHeaderAndEmptyFluxRefused(t *testing.T) {
	h := header()
	h.Emetteur = "SHORT"
	if _, err := NewWriter(io.Discard, h); err == nil || !strings.Contains(err.Error(), "emetteur/idClient") {
		t.Errorf("short emitter: %v", err)
	}
	w, err := NewWriter(io.Discard, header())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty flux: %v", err)
	}
}

type memFile struct{ bytes.Buffer }

func (m *memFile) Close() error { return nil }

func TestSplitKeepsEveryFileUnderTheLimit(t *testing.T) {
	files := map[string]*bytes.Buffer{}
	var order []string
	s := &Split{Header: header(), Limit: 20_000, Open: func(id string) (io.WriteCloser, error) {
		b := &memFile{}
		files[id] = &b.Buffer
		order = append(order, id)
		return b, nil
	}}
	const n = 40
	for i := range n {
		p := sample(fmt.Sprintf("p%03d", i))
		if err := s.Write(&rncp, &p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 2 {
		t.Fatalf("%d files for %d passages under 20 KB", len(got), n)
	}
	total := 0
	var paths []string
	for i, f := range got {
		b := files[f.IDFlux]
		if int64(b.Len()) > s.Limit || int64(b.Len()) != f.Bytes {
			t.Errorf("file %s: %d bytes, reported %d, limit %d", f.IDFlux, b.Len(), f.Bytes, s.Limit)
		}
		fl, err := Parse(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if fl.IDFlux != order[i] || len(fl.Certifications[0].Passages) != f.Passages {
			t.Errorf("file %d: idFlux %s, %d passages (reported %d)", i, fl.IDFlux, len(fl.Certifications[0].Passages), f.Passages)
		}
		for j, p := range fl.Certifications[0].Passages {
			if want := fmt.Sprintf("p%03d", total+j); p.IDTechnique != want {
				t.Errorf("passage %s where %s was expected", p.IDTechnique, want)
			}
		}
		total += f.Passages
		path := filepath.Join(t.TempDir(), f.IDFlux+".xml")
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	if total != n {
		t.Errorf("%d passages written, want %d", total, n)
	}
	Valid(t, paths...)
}

// The bound that splitting trusts holds for the worst passage: every
// field at its longest, in characters that escape to the most bytes.
func TestBoundHoldsForTheWorstPassage(t *testing.T) {
	q := func(n int) string { return strings.Repeat(`"`, n) }
	p := Passage{IDTechnique: q(255), URLPreuve: q(255), LibelleOption: q(255), Obtention: ParAdmission,
		DateDebutExamen: "2026-01-01", DateFinExamen: "2026-01-02", ModalitePassageExamen: "MIXTE", CodePostalCentreExamen: q(9),
		DateDebutValidite: "2026-01-03", DateFinValidite: "2036-01-03", NiveauLangueEuropeen: "C2",
		NiveauNumerique: &NiveauNumerique{ScoreGeneral: 1000, Resultats: []Resultat{{8, "1", "2"}, {7, "3", "4"}}},
		Scoring:         q(255), MentionValidee: "MENTION_TRES_BIEN_AVEC_FELICITATIONS_DU_JURY",
		Inscription: Inscription{ModaliteAcces: ContratPro, VoieAccesVAE: "CONGES_VAE", InitiativeInscription: "POLE_EMPLOI", DateInscription: "2025-01-01"},
		Titulaire: &Titulaire{NomNaissance: q(60), NomUsage: q(60), Prenom1: q(60), Prenom2: q(60), Prenom3: q(60), Annee: 2000, Mois: 12, Jour: 31,
			Sexe: "M", CodePostal: q(9), LibelleCommune: q(60), CodePays: q(3), LibellePays: q(60), CommentairesMEN: q(250)},
		Verbatim: q(255)}
	ct := Certification{Type: q(255), Code: q(100), NatureDeposant: "TIERS_CONFIANCE"}
	var out bytes.Buffer
	w, err := NewWriter(&out, header())
	if err != nil {
		t.Fatal(err)
	}
	before := w.Written()
	if err := w.Write(&ct, &p); err != nil {
		t.Fatal(err)
	}
	if used := w.Written() - before; used > Bound(&ct, &p) {
		t.Errorf("a passage took %d bytes, more than its bound %d", used, Bound(&ct, &p))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	validBytes(t, out.Bytes())
}

func TestParseRefusesWhatTheXSDRefuses(t *testing.T) {
	raw, err := os.ReadFile(exampleFile)
	if err != nil {
		t.Fatal(err)
	}
	ex := string(raw)
	cases := []struct {
		name, from, to, want string
	}{
		{"wrong namespace", "urn:cdc:cpf:pc5:schema:1.0.0", "urn:other", "namespace"},
		{"unknown element", "<cpf:verbatim>TOSA</cpf:verbatim>", "<cpf:surprise>x</cpf:surprise>", "surprise"},
		{"missing sexe", "<cpf:sexe>M</cpf:sexe>", "", "sexe"},
		{"bad sexe", "<cpf:sexe>M</cpf:sexe>", "<cpf:sexe>H</cpf:sexe>", "sexe"},
		{"empty idTechnique", "<cpf:idTechnique>db855769-bcd6-4253-93cf-e666db666c0a</cpf:idTechnique>", "<cpf:idTechnique></cpf:idTechnique>", "idTechnique is empty"},
		{"nil where not nillable", "<cpf:dateDebutValidite>2020-12-12</cpf:dateDebutValidite>", `<cpf:dateDebutValidite xsi:nil="true"></cpf:dateDebutValidite>`, "may not be nil"},
		{"Z timestamp", "2020-12-18T14:24:12+01:00", "2020-12-18T14:24:12Z", "horodatage"},
		{"truncated", "</cpf:flux>", "", "EOF"},
		{"doctype", `<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY a "b">]>`, "DOCTYPE"},
		{"both identifications", "</cpf:titulaire>", "</cpf:titulaire><cpf:dossierFormation><cpf:idDossier>1</cpf:idDossier></cpf:dossierFormation>", "both"},
	}
	for _, c := range cases {
		in := strings.Replace(ex, c.from, c.to, 1)
		if in == ex {
			t.Fatalf("%s: the replacement changed nothing", c.name)
		}
		_, err := Parse(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Parse = %v, want an error about %q", c.name, err, c.want)
		}
	}
}

func TestReportRoundTripAndRefusals(t *testing.T) {
	r := &Report{NomFichier: "certibloc-1.xml", IDFlux: "certibloc-1", IDTraitement: "51354",
		OK: []string{"a", "b"}, KO: []Rejected{{"c", "Aucun titulaire ne correspond aux critères obligatoires"}}}
	var out bytes.Buffer
	if err := WriteReport(&out, r); err != nil {
		t.Fatal(err)
	}
	got, err := ParseReport(&out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("report read back as %+v", got)
	}
	for in, want := range map[string]string{
		`<rapport><nomFichier>x</nomFichier></rapport>`: "no idFlux",
		`<other/>`:                    "not rapport",
		`<rapport><idFlux>x</idFlux>`: "not well-formed",
		`<cpf:flux xmlns:cpf="urn:cdc:cpf:pc5:schema:1.0.0"/>`:                                                                   "accrochage flux",
		`<rapport><idFlux>x</idFlux><PassagesOK><idTechnique>a</idTechnique><idTechnique>a</idTechnique></PassagesOK></rapport>`: "twice",
	} {
		if _, err := ParseReport(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
	// Elements in the report's namespace read the same.
	q := `<r:rapport xmlns:r="urn:cdc:cpf:pc5:rapport:schema"><r:idFlux>f</r:idFlux><r:PassagesKO><r:passage><r:idTechnique>x</r:idTechnique><r:messageErreur>Plusieurs titulaires ont été identifiés</r:messageErreur></r:passage></r:PassagesKO></r:rapport>`
	got, err = ParseReport(strings.NewReader(q))
	if err != nil || len(got.KO) != 1 || got.KO[0].Message != "Plusieurs titulaires ont été identifiés" {
		t.Errorf("namespaced report: %+v, %v", got, err)
	}
}
