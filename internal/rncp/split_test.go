package rncp

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// The inputs marked "real" are LISTE_COMPETENCES, SECTEURS_ACTIVITE and
// TYPE_EMPLOI_ACCESSIBLES excerpts of testdata/export_fiches_RNCP_V4_1_…
// (cut short where long), white space kept byte for byte.
func TestSplitCompetencies(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{{
		name: "real RNCP35419BC02: C.6. numbering, runs of spaces",
		in:   "C.6. Etablir une liste priorisée des fonctionnalités à livrer.      C.7. Planifier l’exécution du projet.      C.8. Assurer le suivi du projet.",
		want: []string{"C.6. Etablir une liste priorisée des fonctionnalités à livrer.", "C.7. Planifier l’exécution du projet.", "C.8. Assurer le suivi du projet."},
	}, {
		name: "real RNCP34762BC01: A1C2. glued to its text",
		in:   "A1C1. Evaluer les contextes économiques et la conduite opérationnelle des activités        A1C2.Apprécier, depuis son périmètre d'activité, les incidences    A1C3.Anticiper les enjeux",
		want: []string{"A1C1. Evaluer les contextes économiques et la conduite opérationnelle des activités", "A1C2.Apprécier, depuis son périmètre d'activité, les incidences", "A1C3.Anticiper les enjeux"},
	}, {
		name: "real RNCP34762BC05: a lead-in stays an item, dashes inside stay",
		in:   "En mobilisant une analyse du contexte organisationnel et humain :    A5.C1. Réaliser un diagnostic       A5.C2. Valider – le cas échéant - les modalités d’encadrement du métier",
		want: []string{"En mobilisant une analyse du contexte organisationnel et humain :", "A5.C1. Réaliser un diagnostic", "A5.C2. Valider – le cas échéant - les modalités d’encadrement du métier"},
	}, {
		name: "real RNCP35809BC03: dash bullets",
		in:   "- Réceptionner un support avant intervention  - Organiser la pré-réception de l’ouvrage réalisé  - Réceptionner les ouvrages exécutés  - Lever les réserves le cas échéant",
		want: []string{"Réceptionner un support avant intervention", "Organiser la pré-réception de l’ouvrage réalisé", "Réceptionner les ouvrages exécutés", "Lever les réserves le cas échéant"},
	}, {
		name: "real RNCP35809BC02: a wrapped line is joined",
		in:   "- Valider une solution   technique  - Renseigner la maquette numérique du projet  - Prévenir les risques  professionnels",
		want: []string{"Valider une solution technique", "Renseigner la maquette numérique du projet", "Prévenir les risques professionnels"},
	}, {
		name: "real RNCP37488BC01: star bullets",
		in:   "* Valider le fonctionnement d’un réseau      * Coder          * Installer une infrastructure réseau      * Exploiter une installation réseau      * Maintenir un réseau",
		want: []string{"Valider le fonctionnement d’un réseau", "Coder", "Installer une infrastructure réseau", "Exploiter une installation réseau", "Maintenir un réseau"},
	}, {
		name: "real RNCP37674BC02: nothing but two spaces",
		in:   "Mettre en place une base de données relationnelle  Développer des composants d'accès aux données SQL et NoSQL  Développer des composants métier coté serveur",
		want: []string{"Mettre en place une base de données relationnelle", "Développer des composants d'accès aux données SQL et NoSQL", "Développer des composants métier coté serveur"},
	}, {
		name: "real RNCP36490BC03: outline numbers, two spaces after 3.1",
		in:   "3.1  Organiser le déploiement : coût/qualité/délai    3.1.1 Concevoir un plan de déploiement    3.1.2. Configurer l’environnement    3.2 Assurer la maintenance",
		want: []string{"3.1 Organiser le déploiement : coût/qualité/délai", "3.1.1 Concevoir un plan de déploiement", "3.1.2. Configurer l’environnement", "3.2 Assurer la maintenance"},
	}, {
		name: "real RNCP39568BC06: an item without its bullet",
		in:   "- Identifier diverses sources de savoirs hautement spécialisés   Définir et instruire une problématique  - Défendre, à l’écrit, l’analyse proposée",
		want: []string{"Identifier diverses sources de savoirs hautement spécialisés", "Définir et instruire une problématique", "Défendre, à l’écrit, l’analyse proposée"},
	}, {
		name: "newlines, CRLF and a wrapped line",
		in:   "C1 : Analyser le besoin\r\nC2 : Concevoir la\r\nsolution\nC3 : Tester",
		want: []string{"C1 : Analyser le besoin", "C2 : Concevoir la solution", "C3 : Tester"},
	}, {
		name: "C1 : numbering on one line",
		in:   "C1 : Analyser le besoin du client. C2 : Concevoir une solution. C3 : Tester la solution.",
		want: []string{"C1 : Analyser le besoin du client.", "C2 : Concevoir une solution.", "C3 : Tester la solution."},
	}, {
		name: "A1C2. numbering on one line, a mention of another shape stays",
		in:   "A1C1. Evaluer le niveau B2. en anglais A1C2. Apprécier les incidences",
		want: []string{"A1C1. Evaluer le niveau B2. en anglais", "A1C2. Apprécier les incidences"},
	}, {
		name: "round bullets on one line",
		in:   "• Bloc 1. Stratégie • Bloc 2. Management ● Bloc 3. Gestion",
		want: []string{"Bloc 1. Stratégie", "Bloc 2. Management", "Bloc 3. Gestion"},
	}, {
		name: "a dash after a semicolon is a bullet",
		in:   "carrelages et mosaïques; - cloisonnements",
		want: []string{"carrelages et mosaïques", "cloisonnements"},
	}, {
		name: "tabs and no-break spaces",
		in:   "\tAnalyser\u00a0: le besoin\t\tConcevoir la solution",
		want: []string{"Analyser : le besoin", "Concevoir la solution"},
	}, {
		name: "a single paragraph is one competency",
		in:   "  Conduire un projet en utilisant les outils adéquats - pilotage, coordination - afin de produire les livrables.  ",
		want: []string{"Conduire un projet en utilisant les outils adéquats - pilotage, coordination - afin de produire les livrables."},
	}, {
		name: "stray bullets and punctuation are no competencies",
		in:   "*   -   •  .  ;",
		want: nil,
	}, {
		name: "empty",
		in:   "",
		want: nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitCompetencies(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("splitCompetencies(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitList(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{{
		name: "real RNCP35419 jobs: round bullets",
		in:   "● Analyste-Programmeur    ● Architecte logiciel    ● Ingénieur informatique     ● Ingénieur test et recette",
		want: []string{"Analyste-Programmeur", "Architecte logiciel", "Ingénieur informatique", "Ingénieur test et recette"},
	}, {
		name: "real RNCP35959 jobs: short lines under a lead-in",
		in:   "Les fonctions les plus couramment rencontrées sont :    Développeur web    Développeur front end    Développeur CMS      Intégrateur",
		want: []string{"Les fonctions les plus couramment rencontrées sont :", "Développeur web", "Développeur front end", "Développeur CMS", "Intégrateur"},
	}, {
		name: "real RNCP36612 jobs: names between dashes, spaced anyhow",
		in:   "Assistant carrières et paie - Assistant de service formation- Assistant du service personnel - Secrétaire du service personnel -Assistant paie",
		want: []string{"Assistant carrières et paie", "Assistant de service formation", "Assistant du service personnel", "Secrétaire du service personnel", "Assistant paie"},
	}, {
		name: "real RNCP37488 sectors: lead-in, star bullets, a closing paragraph",
		in:   "Le titulaire intervient dans les secteurs suivants :        * informatique industrielle ;      * télécommunications ;      * santé…    Toutes les tailles de structures sont susceptibles d’accueillir le titulaire.",
		want: []string{"Le titulaire intervient dans les secteurs suivants :", "informatique industrielle", "télécommunications", "santé…", "Toutes les tailles de structures sont susceptibles d’accueillir le titulaire."},
	}, {
		name: "real RNCP39568 sectors: two paragraphs of prose are one item",
		in:   "Le certifié exerce ses fonctions au sein de grands groupes, en France comme à l’international.    Il évolue principalement dans tous types de secteurs d’activités des entreprises.",
		want: []string{"Le certifié exerce ses fonctions au sein de grands groupes, en France comme à l’international. Il évolue principalement dans tous types de secteurs d’activités des entreprises."},
	}, {
		name: "real RNCP35809 jobs: a comma list is one item",
		in:   "Chef de chantier second œuvre, responsable de chantier second œuvre, conducteur de travaux second œuvre.",
		want: []string{"Chef de chantier second œuvre, responsable de chantier second œuvre, conducteur de travaux second œuvre."},
	}, {
		name: "empty",
		in:   "   ",
		want: nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitList(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("splitList(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzSplitCompetencies checks that no input makes the splitter panic or
// give an empty or untrimmed competency, and that it loses no word.
func FuzzSplitCompetencies(f *testing.F) {
	f.Add("A1C1. Evaluer        A1C2.Apprécier    A1C3.Anticiper")
	f.Add("- Valider une solution   technique  - Renseigner la maquette")
	f.Add("* Coder          * Installer\r\n• Bloc 1 ● Bloc 2; - x")
	f.Add("3.1  Organiser    3.1.1 Concevoir C1 : a C2 : b")
	f.Add("C.10. Développer      C.11. Assurer")
	f.Fuzz(func(t *testing.T, s string) {
		got := splitCompetencies(s)
		for _, c := range got {
			if c == "" || strings.TrimSpace(c) != c || strings.Contains(c, "  ") {
				t.Fatalf("competency %q of %q is empty or badly trimmed", c, s)
			}
		}
		// Every letter of the input is in some competency: splitting
		// drops bullets and spaces, never text. (Joined with a space, so
		// that two halves of a broken UTF-8 sequence make no new letter.)
		if letters(strings.Join(got, " ")) != letters(s) {
			t.Fatalf("splitCompetencies(%q) = %q loses letters", s, got)
		}
	})
}

// letters keeps the letters of s.
func letters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, s)
}
