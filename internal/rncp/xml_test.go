package rncp

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/certibloc/certibloc"
)

// The ten RNCP fiches of the fixture, checked by hand against the XML.
// competencies gives the number of competencies of each block, counted in
// LISTE_COMPETENCES (lead-ins and numbered headings count as one, see
// split.go).
var rncpFiches = []struct {
	code, title  string
	level        int
	active       bool
	competencies []int
}{
	{"RNCP34762", "Programme Grande Ecole – Diplôme d’études supérieures en management", 7, false, []int{7, 10, 10, 8, 6}},
	{"RNCP35809", "Finition, aménagement des bâtiments : conception et réalisation", 5, true, []int{9, 20, 6, 14}},
	{"RNCP35419", "Expert en ingénierie du logiciel", 7, false, []int{5, 4, 4, 5}},
	{"RNCP37488", "Cybersécurité", 4, true, []int{5, 4}},
	{"RNCP40344", "Auxiliaire spécialisé vétérinaire", 4, true, []int{6, 6, 5, 7}},
	{"RNCP36612", "Assistant en ressources humaines", 5, true, []int{9, 9, 8, 7}},
	{"RNCP37674", "Développeur web et web mobile", 5, true, []int{4, 4}},
	{"RNCP36490", "Concepteur développeur d'applications", 6, true, []int{10, 9, 12, 12}},
	{"RNCP35959", "Développeur web", 5, true, []int{12, 11, 9, 11, 12}},
	{"RNCP39568", "Diplôme d’études supérieures en management (Programme Grande École)", 7, true, []int{2, 4, 5, 3, 2, 3}},
}

func TestReadXMLRNCPFixture(t *testing.T) {
	got, err := readXMLString(t, string(readFile(t, rncpXML)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(rncpFiches) {
		t.Fatalf("%d fiches, want %d", len(got), len(rncpFiches))
	}
	for i, want := range rncpFiches {
		r := got[i] // in file order
		if r.err != nil {
			t.Errorf("fiche %d: %v", i, r.err)
			continue
		}
		c := r.cert
		t.Run(want.code, func(t *testing.T) {
			if c.Code != want.code || c.Title != want.title || c.Level != want.level || c.Active != want.active {
				t.Errorf("got %s %q level %d active %v, want %s %q level %d active %v",
					c.Code, c.Title, c.Level, c.Active, want.code, want.title, want.level, want.active)
			}
			if c.Source != "rncp-xml" || c.Version != 0 {
				t.Errorf("source %q version %d, want rncp-xml 0", c.Source, c.Version)
			}
			var codes []string
			var counts []int
			for _, b := range c.Blocks {
				codes = append(codes, b.Code)
				counts = append(counts, len(b.Competencies))
				checkBlock(t, b)
			}
			var wantCodes []string
			for j := range want.competencies {
				wantCodes = append(wantCodes, fmt.Sprintf("%sBC%02d", want.code, j+1))
			}
			if !slices.Equal(codes, wantCodes) {
				t.Errorf("blocks %v, want %v", codes, wantCodes)
			}
			if !slices.Equal(counts, want.competencies) {
				t.Errorf("competencies per block %v, want %v", counts, want.competencies)
			}
		})
	}
}

// checkBlock checks what every imported block must be.
func checkBlock(t *testing.T, b certibloc.Block) {
	t.Helper()
	if b.Kind != certibloc.Common || b.Title == "" || b.EvaluationText == "" {
		t.Errorf("block %s: kind %q, title %q, evaluation text %d bytes", b.Code, b.Kind, b.Title, len(b.EvaluationText))
	}
	want := []certibloc.Evaluation{{Number: 1, Title: "Modalités d'évaluation", Form: certibloc.Individual, Description: b.EvaluationText}}
	if !slices.Equal(b.Evaluations, want) {
		t.Errorf("block %s: evaluations %+v, want one from the text", b.Code, b.Evaluations)
	}
}

// TestReadXMLRNCPDetails checks the other fields on fiches where they are
// telling, against the values in the XML.
func TestReadXMLRNCPDetails(t *testing.T) {
	got, err := readXMLString(t, string(readFile(t, rncpXML)))
	if err != nil {
		t.Fatal(err)
	}
	m := certs(t, got)
	gem, asv, cda := m["RNCP34762"], m["RNCP40344"], m["RNCP36490"]

	// RNCP34762 has no DATE_DECISION (enregistrement de droit): DATE_EFFET stands in.
	checkEq(t, "RNCP34762 decision", gem.DecisionDate, certibloc.DateOf(2020, 9, 1))
	checkEq(t, "RNCP34762 end", gem.EndDate, certibloc.DateOf(2024, 8, 31))
	checkEq(t, "RNCP34762 state", gem.State, "Publiée")
	checkEq(t, "RNCP34762 abbreviation", gem.Abbreviation, "DipViGrM")
	checkEq(t, "RNCP34762 type", gem.RegistrationType, "Enregistrement de droit")
	checkEq(t, "RNCP34762 url", gem.URL, "https://www.grenoble-em.com/programme-grande-ecole")
	checkSlice(t, "RNCP34762 previous", gem.Previous, []string{"RNCP24998"})
	checkSlice(t, "RNCP34762 next", gem.Next, []string{"RNCP39568"})
	checkSlice(t, "RNCP34762 certifiers", gem.Certifiers, []certibloc.Certifier{
		{SIRET: "81738914100018", Name: "ETABLISSEMENT D'ENSEIGNEMENT SUPERIEUR CONSULAIRE GRENOBLE ECOLE DE MANAGEMENT"},
		{SIRET: "11004401300040", Name: "MINISTERE DE L'ENSEIGNEMENT SUPERIEUR ET DE LA RECHERCHE"},
	})
	checkSlice(t, "RNCP34762 NSF", gem.NSFCodes, []certibloc.Label{
		{Code: "313", Label: "Finances, banque, assurances, immobilier"},
		{Code: "310", Label: "Spécialités plurivalentes des échanges et de la gestion"},
		{Code: "315p", Label: "Spécialités plurivalentes des échanges et de la gestion (organisation, gestion)"},
	})
	checkEq(t, "RNCP34762 ROME", len(gem.ROMECodes), 5)
	checkEq(t, "RNCP34762 Formacodes", len(gem.Formacodes), 5)
	checkEq(t, "RNCP34762 first competency", gem.Blocks[0].Competencies[0],
		"A1C1. Evaluer, depuis son périmètre et/ou son métier, avec les outils adéquats, les contextes économiques et géopolitiques qui peuvent venir impacter les choix stratégiques de l'entreprise et la conduite opérationnelle des activités")
	checkEq(t, "RNCP34762 jobs are prose", len(gem.Jobs), 1)

	// RNCP40344: a DATE_DECISION, a certifier without SIRET, routes partly closed.
	checkEq(t, "RNCP40344 decision", asv.DecisionDate, certibloc.DateOf(2025, 3, 28))
	checkEq(t, "RNCP40344 state", asv.State, "Modifications à valider")
	checkEq(t, "RNCP40344 url", asv.URL, "https://devenir-asv.com/")
	checkSlice(t, "RNCP40344 certifiers", asv.Certifiers, []certibloc.Certifier{
		{SIRET: "52875765100013", Name: "ANIMAL PRO FORMATION"}, {Name: "SNVEL"}})
	var open []string
	for _, j := range asv.JuryRoutes {
		if j.Open {
			open = append(open, j.Route)
		}
		if j.Open != (j.Composition != "") { // only the open routes have a jury
			t.Errorf("RNCP40344 route %s: open %v, composition %q", j.Route, j.Open, j.Composition)
		}
	}
	checkSlice(t, "RNCP40344 open routes", open, []string{"CA", "CQ", "VAE"})
	checkSlice(t, "RNCP40344 access routes", asv.AccessRoutes, []string{"training", "vae", "mixed"})
	checkEq(t, "RNCP40344 last competency of BC04", asv.Blocks[3].Competencies[6],
		"Réaliser les soins et/ou les traitements non invasifs autorisés aux ASV, dans le respect du bien-être animal, de la prescription et des limites du rôle de l’ASV, pour seconder le vétérinaire dans la prise en charge des animaux pris en charge dans l’établissement de soins vétérinaires.")

	// RNCP36490: outline numbering, a bulleted list of jobs.
	checkEq(t, "RNCP36490 BC03 first", cda.Blocks[2].Competencies[0],
		"3.1 Organiser le déploiement de la solution logicielle retenue en respectant la triple-contrainte : coût/qualité/délai")
	checkSlice(t, "RNCP36490 jobs", cda.Jobs, []string{
		"Concepteur développeur d'applications", "Concepteur et/ou développeur",
		"Ingénieur d’études et de développement informatique", "Ingénieur logiciel informatique",
		"Ingénieur développement logiciel", "Chef de projet études et développement informatique",
		"Chargé études et développement informatique"})

	// A LIEN_URL_DESCRIPTION that is no address ("*       *") gives the fiche's page.
	checkEq(t, "RNCP37488 url", m["RNCP37488"].URL, "https://www.francecompetences.fr/recherche/rncp/37488/")
}

func TestReadXMLRSFixture(t *testing.T) {
	want := []struct {
		code, title string
		active      bool
		routes      []string
	}{
		{"RS6232", "Repérage de l’amiante dans le domaine des navires, bateaux, engins flottants et autres constructions flottantes", false, []string{"training"}},
		{"RS5719", "Premiers secours en équipe de niveau 1", true, []string{"training"}},
		{"RS6547", "Enseigner l’anglais (CELTA)", true, []string{"training"}},
		{"RS5000", "Exploiter la blockchain dans le développement d’applications", false, []string{"training", "vae", "mixed"}},
		{"RS5568", "Référent cybersécurité en TPE/PME", true, []string{"training"}},
		{"RS6604", "Exploiter la blockchain dans le développement d’applications", true, []string{"training"}},
		{"RS7485", "Repérage de l’amiante avant certaines opérations à bord des navires, bateaux, engins flottants et autres constructions flottantes", true, []string{"training"}},
		{"RS7423", "Intégrer l’intelligence artificielle (IA) dans les pratiques en Ressources Humaines", true, []string{"training"}},
	}
	var got []result
	if err := ReadXML(bytes.NewReader(readFile(t, rsXML)), collector(t, &got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d fiches, want %d", len(got), len(want))
	}
	for i, w := range want {
		c := got[i].cert
		if c == nil {
			t.Errorf("%s: %v", w.code, got[i].err)
			continue
		}
		if c.Code != w.code || c.Title != w.title || c.Level != 0 || c.Active != w.active || len(c.Blocks) != 0 {
			t.Errorf("got %s %q level %d active %v %d blocks, want %s %q level 0 active %v no block",
				c.Code, c.Title, c.Level, c.Active, len(c.Blocks), w.code, w.title, w.active)
		}
		checkSlice(t, w.code+" access routes", c.AccessRoutes, w.routes)
		checkEq(t, w.code+" has capacities", c.Capacities != "", true)
	}
	rs5000 := got[3].cert
	checkEq(t, "RS5000 url", rs5000.URL, "https://www.francecompetences.fr/recherche/rs/5000/")
	checkSlice(t, "RS5000 next", rs5000.Next, []string{"RS6604"})
	checkEq(t, "RS5000 decision", rs5000.DecisionDate, certibloc.DateOf(2019, 5, 24))
}

func checkEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func checkSlice[T comparable](t *testing.T, what string, got, want []T) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}
