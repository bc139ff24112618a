package certibloc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Block codes of RNCP38478, short for the tables below.
const (
	bc01 = "RNCP38478BC01"
	bc02 = "RNCP38478BC02"
	bc03 = "RNCP38478BC03"
	bc04 = "RNCP38478BC04"
	bc05 = "RNCP38478BC05"
	bc06 = "RNCP38478BC06"
)

// testRNCP38478 builds RNCP38478 as the seed describes it: the real block
// codes, titles, kinds, evaluations (with BC02's team then individual
// evaluation), entry rules, the three-year prerequisites and the validation
// rule. It stands apart from internal/seed, which the root package cannot
// import.
func testRNCP38478() *Certification {
	msp := func(n int, form Form, title string) Evaluation {
		return Evaluation{Number: n, Title: title, Form: form, Description: "Mise en situation professionnelle reconstituée"}
	}
	return &Certification{
		Code:    "RNCP38478",
		Version: 1,
		Title:   "Coordinateur de projets informatiques (infrastructures cloud, applicatives ou data)",
		Level:   6,
		Blocks: []Block{
			{Code: bc01, Title: "Piloter un projet informatique", Kind: Common, Evaluations: []Evaluation{
				msp(1, Individual, "Conception d'un projet informatique à partir d'un appel d'offres"),
			}},
			{Code: bc02, Title: "Coordonner une équipe projet", Kind: Common, Evaluations: []Evaluation{
				msp(1, Team, "Réunion de présentation du projet au client (avant-vente)"),
				msp(2, Individual, "Analyse de la dynamique du groupe projet"),
			}},
			{Code: bc03, Title: "Superviser la mise en œuvre d'un projet informatique", Kind: Common, Evaluations: []Evaluation{
				msp(1, Individual, "Documentation technique de mise en production"),
			}},
			{Code: bc04, Title: "Orchestrer l'infrastructure cloud", Kind: Optional, Evaluations: []Evaluation{
				msp(1, Individual, "Conception et migration d'une architecture cloud"),
				msp(2, Individual, "Planification et sécurisation d'une architecture cloud"),
			}},
			{Code: bc05, Title: "Coordonner le cycle de vie des applications", Kind: Optional, Evaluations: []Evaluation{
				msp(1, Individual, "API, microservices et interfaces utilisateur"),
				msp(2, Individual, "Démarche DevOps et automatisation"),
			}},
			{Code: bc06, Title: "Contrôler l'analyse et la qualité des données", Kind: Optional, Evaluations: []Evaluation{
				msp(1, Individual, "Qualité et analyse exploratoire des données"),
				msp(2, Individual, "Outils d'IA et visualisation de données"),
			}},
		},
		EntryRules: []EntryRule{
			{Track: OneYear, Rule: "level5", MinLevel: 5, Text: "Niveau 5 validé"},
			{Track: OneYear, Rule: "level4_experience", MinLevel: 4, MinExperienceMonths: 12, CommitteeReview: true,
				Text: "Niveau 4 validé avec expérience professionnelle dans le domaine visé d'au moins 1 an, et après étude du dossier de candidature par la commission d'admission"},
			{Track: OneYear, Rule: "level4_ects", MinLevel: 4, MinECTS: 120, Text: "Niveau 4 validé + 120 ECTS attestés"},
			{Track: ThreeYear, Rule: "level4", MinLevel: 4, Text: "Niveau 4 validé"},
		},
		BlockRules: []BlockRule{
			{Track: ThreeYear, Block: bc04, Requires: bc03},
			{Track: ThreeYear, Block: bc05, Requires: bc03},
			{Track: ThreeYear, Block: bc06, Requires: bc03},
		},
		Validation: &ValidationRule{
			MinOptional: 1,
			Complementary: []Complementary{
				{Code: "oral_defence", Title: "Soutenance orale"},
				{Code: "technical_thesis", Title: "Mémoire technique"},
			},
		},
	}
}

// testImported is a differently shaped certification, as an RNCP import
// gives it: three common blocks of one evaluation each, no validation rule,
// no entry rule, no track.
func testImported() *Certification {
	block := func(n, title string) Block {
		return Block{Code: "RNCP40000BC0" + n, Title: title, Kind: Common,
			Evaluations: []Evaluation{{Number: 1, Title: "Évaluation du bloc", Form: Individual}}}
	}
	return &Certification{
		Code:  "RNCP40000",
		Title: "Gestionnaire de paie",
		Level: 5,
		Blocks: []Block{
			block("1", "Assurer la tenue du dossier social"),
			block("2", "Établir la paie"),
			block("3", "Produire les déclarations sociales"),
		},
	}
}

// day parses a YYYY-MM-DD date for the tables.
func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// pass and fail are training results.
func pass(block string, n int, date string) EvaluationResult {
	return EvaluationResult{Block: block, Number: n, Passed: true, Date: day(date)}
}

func fail(block string, n int, date string) EvaluationResult {
	return EvaluationResult{Block: block, Number: n, Passed: false, Date: day(date)}
}

// blockByTraining passes every evaluation of an RNCP38478 block on date.
func blockByTraining(block, date string) []EvaluationResult {
	rs := []EvaluationResult{pass(block, 1, date)}
	if block != bc01 && block != bc03 {
		rs = append(rs, pass(block, 2, date))
	}
	return rs
}

// results joins lists of results.
func results(lists ...[]EvaluationResult) []EvaluationResult {
	var all []EvaluationResult
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}

// vae is a VAE jury decision validating a block.
func vae(block, date string) BlockDecision {
	return BlockDecision{Block: block, Validated: true, Date: day(date)}
}

// bothComplementary are the company-period evaluations, passed.
func bothComplementary() map[string]bool {
	return map[string]bool{"oral_defence": true, "technical_thesis": true}
}

// commonByTraining validates BC01–BC03 by training in spring 2026.
func commonByTraining() []EvaluationResult {
	return results(blockByTraining(bc01, "2026-02-10"), blockByTraining(bc02, "2026-03-24"), blockByTraining(bc03, "2026-04-15"))
}

// want is what a case expects of a decision. Nil fields are not checked.
type want struct {
	certified bool
	validated []string
	missing   []string          // codes, in order
	counts    map[string]bool   // block → Counts
	route     map[string]Route  // block → kept route
	date      map[string]string // block → kept date
	explain   []string          // substrings, each in some explanation line
	notExpl   []string          // substrings in no line
	reason    map[string]string // block → substring of its BlockStatus reason
	why       map[string]string // missing code → substring of its reason
	rule      map[string]Code   // block → code of its rule
	whyCode   map[string]Code   // missing code → code of its reason
}

func TestDecide(t *testing.T) {
	rules := NewRules(testRNCP38478())
	tests := []struct {
		name string
		rec  Record
		want want
	}{
		{
			name: "BC01 is validated by training by its single evaluation",
			rec:  Record{Track: OneYear, Evaluations: []EvaluationResult{pass(bc01, 1, "2026-01-20")}},
			want: want{
				validated: []string{bc01},
				route:     map[string]Route{bc01: Training},
				date:      map[string]string{bc01: "2026-01-20"},
				explain:   []string{"RNCP38478BC01 « Piloter un projet informatique » : validé par la formation le 20 janvier 2026 (évaluation réussie)."},
			},
		},
		{
			name: "BC02 is validated when the team and the individual evaluations are passed, on the later date",
			rec: Record{Track: OneYear, Evaluations: []EvaluationResult{
				pass(bc02, 1, "2026-03-10"), pass(bc02, 2, "2026-03-24"),
			}},
			want: want{
				validated: []string{bc02},
				date:      map[string]string{bc02: "2026-03-24"},
				explain:   []string{"RNCP38478BC02 « Coordonner une équipe projet » : validé par la formation le 24 mars 2026 (2 évaluations réussies)."},
			},
		},
		{
			name: "BC02 with only the team evaluation passed is not validated",
			rec:  Record{Track: OneYear, Evaluations: []EvaluationResult{pass(bc02, 1, "2026-03-10")}},
			want: want{
				validated: []string{},
				explain:   []string{"RNCP38478BC02 « Coordonner une équipe projet » : non validé : évaluation 1 (en équipe) réussie le 10 mars 2026, évaluation 2 (individuelle) sans résultat."},
				why:       map[string]string{bc02: "il faut réussir ses 2 évaluations ou le faire valider par un jury de VAE"},
			},
		},
		{
			name: "each optional block is validated by its two evaluations",
			rec: Record{Track: OneYear, Evaluations: results(
				blockByTraining(bc04, "2026-05-04"), blockByTraining(bc05, "2026-05-05"), blockByTraining(bc06, "2026-05-06"))},
			want: want{
				validated: []string{bc04, bc05, bc06},
				date:      map[string]string{bc04: "2026-05-04", bc05: "2026-05-05", bc06: "2026-05-06"},
				explain:   []string{"Blocs optionnels (au moins 1 requis) : 3 comptent, RNCP38478BC04, RNCP38478BC05, RNCP38478BC06 ; la règle est remplie."},
			},
		},
		{
			name: "a failed evaluation leaves the block not validated",
			rec:  Record{Track: OneYear, Evaluations: []EvaluationResult{fail(bc03, 1, "2026-04-15")}},
			want: want{
				validated: []string{},
				missing:   []string{bc01, bc02, bc03, "optional_block", "oral_defence", "technical_thesis"},
				explain:   []string{"RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » : non validé : évaluation 1 (individuelle) échouée."},
			},
		},
		{
			name: "a retake passed after a failure validates the block on the retake's date",
			rec: Record{Track: OneYear, Evaluations: []EvaluationResult{
				pass(bc04, 1, "2026-05-04"), fail(bc04, 2, "2026-05-04"), pass(bc04, 2, "2026-06-20"),
			}},
			want: want{
				validated: []string{bc04},
				date:      map[string]string{bc04: "2026-06-20"},
				explain:   []string{"RNCP38478BC04 « Orchestrer l'infrastructure cloud » : validé par la formation le 20 juin 2026 (2 évaluations réussies, l'évaluation 2 après un échec)."},
			},
		},
		{
			name: "an evaluation passed twice keeps its earliest passing date",
			rec: Record{Track: OneYear, Evaluations: []EvaluationResult{
				pass(bc01, 1, "2026-06-01"), pass(bc01, 1, "2026-01-20"),
			}},
			want: want{date: map[string]string{bc01: "2026-01-20"}},
		},
		{
			name: "the title by training with the common blocks, one optional block and both complementary evaluations",
			rec: Record{Track: OneYear, Evaluations: results(commonByTraining(), blockByTraining(bc05, "2026-05-20")),
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				validated: []string{bc01, bc02, bc03, bc05},
				missing:   []string{},
				explain: []string{
					"Blocs communs : 3 sur 3 comptent, la règle est remplie.",
					"Blocs optionnels (au moins 1 requis) : 1 compte, RNCP38478BC05 ; la règle est remplie.",
					"Voie de la formation : tous les blocs retenus sont acquis par la formation, les évaluations complémentaires sont donc exigées : évaluation « Soutenance orale » réussie, évaluation « Mémoire technique » réussie.",
					"Certification RNCP38478 obtenue : toutes les conditions sont remplies.",
				},
			},
		},
		{
			name: "the title by training with two optional blocks",
			rec: Record{Track: OneYear, Evaluations: results(commonByTraining(),
				blockByTraining(bc04, "2026-05-20"), blockByTraining(bc06, "2026-06-02")),
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				validated: []string{bc01, bc02, bc03, bc04, bc06},
				missing:   []string{},
				counts:    map[string]bool{bc04: true, bc06: true, bc05: false},
				explain:   []string{"2 comptent, RNCP38478BC04, RNCP38478BC06 ;"},
			},
		},
		{
			name: "all blocks but no optional one: the optional block is missing",
			rec:  Record{Track: OneYear, Evaluations: commonByTraining(), Complementary: bothComplementary()},
			want: want{
				missing: []string{"optional_block"},
				why:     map[string]string{"optional_block": "Au moins 1 bloc optionnel doit compter pour le titre, parmi RNCP38478BC04 « Orchestrer l'infrastructure cloud », RNCP38478BC05 « Coordonner le cycle de vie des applications » ou RNCP38478BC06 « Contrôler l'analyse et la qualité des données » : aucun ne compte pour l'instant."},
				explain: []string{"Certification RNCP38478 non obtenue : il manque un bloc optionnel qui compte."},
			},
		},
		{
			name: "blocks by training without the oral defence",
			rec: Record{Track: OneYear, Evaluations: results(commonByTraining(), blockByTraining(bc04, "2026-05-20")),
				Complementary: map[string]bool{"oral_defence": false, "technical_thesis": true}},
			want: want{
				missing: []string{"oral_defence"},
				why:     map[string]string{"oral_defence": "Évaluation complémentaire « Soutenance orale » non réussie : elle est exigée dès qu'un bloc est acquis par la formation."},
				explain: []string{"les évaluations complémentaires sont donc exigées : évaluation « Soutenance orale » non réussie, évaluation « Mémoire technique » réussie.", "il manque Soutenance orale."},
			},
		},
		{
			name: "blocks by training without the technical thesis",
			rec: Record{Track: OneYear, Evaluations: results(commonByTraining(), blockByTraining(bc04, "2026-05-20")),
				Complementary: map[string]bool{"oral_defence": true}},
			want: want{
				missing: []string{"technical_thesis"},
				explain: []string{": évaluation « Soutenance orale » réussie, évaluation « Mémoire technique » non réussie."},
			},
		},
		{
			name: "the title entirely by VAE needs no complementary evaluation",
			rec: Record{Track: OneYear, VAEBlocks: []BlockDecision{
				vae(bc01, "2025-11-02"), vae(bc02, "2025-11-02"), vae(bc03, "2025-11-02"), vae(bc06, "2025-11-02"),
			}},
			want: want{
				certified: true,
				validated: []string{bc01, bc02, bc03, bc06},
				missing:   []string{},
				route:     map[string]Route{bc01: VAE, bc06: VAE},
				explain: []string{
					"RNCP38478BC01 « Piloter un projet informatique » : validé par la VAE le 2 novembre 2025 (décision du jury).",
					"Voie de la VAE : évaluations complémentaires (Soutenance orale et Mémoire technique) non exigées",
					"ne dit rien d'un parcours entièrement par la VAE",
				},
				notExpl: []string{"« Soutenance orale » non réussie", "« Soutenance orale » réussie"},
			},
		},
		{
			name: "mixed routes combine, and the blocks by training call for the complementary evaluations",
			rec: Record{Track: OneYear,
				Evaluations:   results(blockByTraining(bc02, "2026-03-24"), blockByTraining(bc04, "2026-05-20")),
				VAEBlocks:     []BlockDecision{vae(bc01, "2025-11-02"), vae(bc03, "2025-11-02")},
				Complementary: map[string]bool{"oral_defence": true}},
			want: want{
				validated: []string{bc01, bc02, bc03, bc04},
				missing:   []string{"technical_thesis"},
				route:     map[string]Route{bc01: VAE, bc02: Training, bc03: VAE, bc04: Training},
				explain:   []string{"Parcours mixte (formation et VAE) : les évaluations complémentaires sont exigées car des blocs sont acquis par la formation (RNCP38478BC02, RNCP38478BC04) ; les blocs validés par la VAE (RNCP38478BC01, RNCP38478BC03) n'en demandent pas davantage : évaluation « Soutenance orale » réussie, évaluation « Mémoire technique » non réussie."},
			},
		},
		{
			name: "mixed routes with everything give the title",
			rec: Record{Track: OneYear,
				Evaluations:   results(blockByTraining(bc02, "2026-03-24"), blockByTraining(bc04, "2026-05-20")),
				VAEBlocks:     []BlockDecision{vae(bc01, "2025-11-02"), vae(bc03, "2025-11-02")},
				Complementary: bothComplementary()},
			want: want{certified: true, missing: []string{}},
		},
		{
			name: "blocks capitalised in an earlier session count, for good",
			rec: Record{Track: OneYear,
				Acquired: []AcquiredBlock{
					{Block: bc01, Route: Training, Date: day("2024-06-28")},
					{Block: bc03, Route: VAE, Date: day("2023-12-01")},
				},
				Evaluations:   results(blockByTraining(bc02, "2026-03-24"), blockByTraining(bc05, "2026-05-20")),
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				validated: []string{bc01, bc02, bc03, bc05},
				route:     map[string]Route{bc01: Training, bc03: VAE},
				date:      map[string]string{bc01: "2024-06-28", bc03: "2023-12-01"},
				explain: []string{
					"RNCP38478BC01 « Piloter un projet informatique » : acquis lors d'une session antérieure, par la formation, le 28 juin 2024 (capitalisé : acquis définitivement).",
					"RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » : acquis lors d'une session antérieure, par la VAE, le 1er décembre 2023",
				},
			},
		},
		{
			name: "a block validated several ways keeps the earliest date and says which route",
			rec: Record{Track: OneYear,
				Evaluations: []EvaluationResult{pass(bc01, 1, "2026-01-20")},
				VAEBlocks:   []BlockDecision{vae(bc01, "2025-11-02")},
				Acquired:    []AcquiredBlock{{Block: bc01, Route: Training, Date: day("2025-12-15")}}},
			want: want{
				validated: []string{bc01},
				route:     map[string]Route{bc01: VAE},
				date:      map[string]string{bc01: "2025-11-02"},
				explain:   []string{"RNCP38478BC01 « Piloter un projet informatique » : validé par la VAE le 2 novembre 2025 (décision du jury) ; également acquis lors d'une session antérieure le 15 décembre 2025, validé par la formation le 20 janvier 2026 ; la date la plus ancienne est retenue."},
			},
		},
		{
			name: "a VAE jury's refusal leaves the block not validated and says so",
			rec:  Record{Track: OneYear, VAEBlocks: []BlockDecision{{Block: bc03, Validated: false, Date: day("2025-11-02")}}},
			want: want{
				validated: []string{},
				explain:   []string{"RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » : non validé : refusé par le jury de VAE le 2 novembre 2025."},
			},
		},
		{
			name: "a block refused by a VAE jury, then validated by training, says both",
			rec: Record{Track: OneYear,
				VAEBlocks:   []BlockDecision{{Block: bc03, Validated: false, Date: day("2025-11-02")}},
				Evaluations: []EvaluationResult{pass(bc03, 1, "2026-04-15")}},
			want: want{
				validated: []string{bc03},
				route:     map[string]Route{bc03: Training},
				explain:   []string{"RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » : validé par la formation le 15 avril 2026 (évaluation réussie) ; refusé par le jury de VAE le 2 novembre 2025."},
			},
		},
		{
			name: "an empty record misses everything and presumes the training route",
			rec:  Record{Track: OneYear},
			want: want{
				validated: []string{},
				missing:   []string{bc01, bc02, bc03, "optional_block", "oral_defence", "technical_thesis"},
				why:       map[string]string{"oral_defence": "présumée tant qu'aucun bloc n'est validé"},
				explain: []string{
					"RNCP38478BC04 « Orchestrer l'infrastructure cloud » : non validé, aucune évaluation réussie ni validation par la VAE.",
					"Aucun bloc retenu pour l'instant : la voie de la formation est présumée, les évaluations complémentaires sont donc exigées (elles ne le seraient pas si tous les blocs étaient obtenus par la VAE) : évaluation « Soutenance orale » non réussie, évaluation « Mémoire technique » non réussie.",
					"Certification RNCP38478 non obtenue : il manque RNCP38478BC01, RNCP38478BC02, RNCP38478BC03, un bloc optionnel qui compte, Soutenance orale, Mémoire technique.",
				},
			},
		},
		{
			name: "one-year track: an optional block validated before BC03 counts",
			rec: Record{Track: OneYear,
				Evaluations:   results(blockByTraining(bc04, "2025-12-10"), commonByTraining()),
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				counts:    map[string]bool{bc04: true},
				explain:   []string{"Parcours en 1 an : les prérequis entre blocs du parcours en 3 ans (RNCP38478BC04 exige RNCP38478BC03, RNCP38478BC05 exige RNCP38478BC03, RNCP38478BC06 exige RNCP38478BC03) ne s'appliquent pas ici."},
			},
		},
		{
			name: "three-year track: an optional block validated before BC03 does not count",
			rec: Record{Track: ThreeYear,
				Evaluations:   results(blockByTraining(bc04, "2025-12-10"), commonByTraining()),
				Complementary: bothComplementary()},
			want: want{
				validated: []string{bc01, bc02, bc03, bc04}, // validated, even though it does not count
				missing:   []string{"optional_block"},
				counts:    map[string]bool{bc04: false, bc03: true},
				explain: []string{
					"Parcours en 3 ans : RNCP38478BC04 « Orchestrer l'infrastructure cloud » ne compte pas pour le titre : validé le 10 décembre 2025, avant RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » (validé le 15 avril 2026) ; sur ce parcours, ce bloc n'est retenu que si RNCP38478BC03 a été validé d'abord, par la formation ou la VAE.",
					"Blocs optionnels (au moins 1 requis) : aucun ne compte (validé sans compter sur ce parcours : RNCP38478BC04) ; la règle n'est pas remplie.",
				},
				reason: map[string]string{bc04: "ne compte pas pour le titre"},
			},
		},
		{
			name: "three-year track: an optional block validated after BC03 counts",
			rec: Record{Track: ThreeYear,
				Evaluations:   results(commonByTraining(), blockByTraining(bc05, "2026-06-10")),
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				counts:    map[string]bool{bc05: true},
				explain:   []string{"Parcours en 3 ans : RNCP38478BC05 « Coordonner le cycle de vie des applications » compte, validé le 10 juin 2026, après RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » (validé le 15 avril 2026) : le prérequis est respecté."},
			},
		},
		{
			name: "three-year track: an optional block validated the same day as BC03 counts",
			rec: Record{Track: ThreeYear,
				Evaluations:   results(commonByTraining(), blockByTraining(bc06, "2026-04-15")),
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				counts:    map[string]bool{bc06: true},
				explain:   []string{"compte, validé le 15 avril 2026, le même jour que RNCP38478BC03"},
			},
		},
		{
			name: "three-year track: BC03 validated by VAE opens the optional blocks",
			rec: Record{Track: ThreeYear,
				Evaluations: results(blockByTraining(bc01, "2026-02-10"), blockByTraining(bc02, "2026-03-24"),
					blockByTraining(bc04, "2026-05-20")),
				VAEBlocks:     []BlockDecision{vae(bc03, "2025-11-02")},
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				route:     map[string]Route{bc03: VAE},
				counts:    map[string]bool{bc04: true},
				explain:   []string{"après RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » (validé le 2 novembre 2025) : le prérequis est respecté."},
			},
		},
		{
			name: "three-year track: an optional block validated while BC03 is not does not count",
			rec: Record{Track: ThreeYear,
				Evaluations: results(blockByTraining(bc01, "2026-02-10"), blockByTraining(bc02, "2026-03-24"),
					blockByTraining(bc06, "2026-05-20"), []EvaluationResult{fail(bc03, 1, "2026-04-15")}),
				Complementary: bothComplementary()},
			want: want{
				validated: []string{bc01, bc02, bc06},
				missing:   []string{bc03, "optional_block"},
				counts:    map[string]bool{bc06: false},
				explain:   []string{"RNCP38478BC06 « Contrôler l'analyse et la qualité des données » ne compte pas pour le titre : validé le 20 mai 2026 alors que RNCP38478BC03 « Superviser la mise en œuvre d'un projet informatique » n'est pas validé"},
				why:       map[string]string{"optional_block": "aucun ne compte pour l'instant"},
			},
		},
		{
			name: "three-year track: two optional blocks, one before and one after BC03, give the title",
			rec: Record{Track: ThreeYear,
				Evaluations: results(blockByTraining(bc04, "2025-12-10"), commonByTraining(),
					blockByTraining(bc05, "2026-06-10")),
				Complementary: bothComplementary()},
			want: want{
				certified: true,
				validated: []string{bc01, bc02, bc03, bc04, bc05},
				counts:    map[string]bool{bc04: false, bc05: true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.Decide(tt.rec)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			check(t, got, tt.want)
		})
	}
}

// check compares a decision with what a case wants.
func check(t *testing.T, got Decision, w want) {
	t.Helper()
	if got.Certified != w.certified {
		t.Errorf("Certified = %v, want %v; missing %+v", got.Certified, w.certified, got.Missing)
	}
	words := got.Explain(French)
	if words.Missing == nil || words.Explanation == nil || words.ValidatedBlocks == nil {
		t.Errorf("Missing, Explanation and ValidatedBlocks must not be nil: %#v", words)
	}
	if got.Certified != (len(got.Missing) == 0) {
		t.Errorf("Certified = %v with %d missing", got.Certified, len(got.Missing))
	}
	if w.validated != nil && !slices.Equal(got.ValidatedBlocks(), w.validated) {
		t.Errorf("ValidatedBlocks = %v, want %v", got.ValidatedBlocks(), w.validated)
	}
	if w.missing != nil {
		var codes []string
		for _, m := range got.Missing {
			codes = append(codes, m.Code)
		}
		if !slices.Equal(codes, w.missing) && len(codes)+len(w.missing) > 0 {
			t.Errorf("Missing = %v, want %v", codes, w.missing)
		}
	}
	for _, m := range words.Missing {
		if m.Reason == "" {
			t.Errorf("Missing %s has no reason", m.Code)
		}
	}
	for b, code := range w.rule {
		if s := got.Blocks()[slices.IndexFunc(got.Blocks(), func(s BlockStatus) bool { return s.Block == b })]; s.Rule != code {
			t.Errorf("%s: rule %q, want %q", b, s.Rule, code)
		}
	}
	for m, code := range w.whyCode {
		if i := slices.IndexFunc(got.Missing, func(x Missing) bool { return x.Code == m }); i < 0 || got.Missing[i].Reason.Code != code {
			t.Errorf("missing %s: want reason code %q in %+v", m, code, got.Missing)
		}
	}
	status := map[string]BlockText{}
	for _, s := range words.Blocks {
		status[s.Block] = s
	}
	for b, c := range w.counts {
		if status[b].Counts != c {
			t.Errorf("%s: Counts = %v, want %v (%s)", b, status[b].Counts, c, status[b].Reason)
		}
	}
	for b, r := range w.route {
		if status[b].Route != r {
			t.Errorf("%s: Route = %q, want %q", b, status[b].Route, r)
		}
	}
	for b, d := range w.date {
		if status[b].Date.String() != d {
			t.Errorf("%s: Date = %s, want %s", b, status[b].Date, d)
		}
	}
	for b, r := range w.reason {
		if !strings.Contains(status[b].Reason, r) {
			t.Errorf("%s: Reason = %q, want it to contain %q", b, status[b].Reason, r)
		}
	}
	for code, r := range w.why {
		found := false
		for _, m := range words.Missing {
			found = found || (m.Code == code && strings.Contains(m.Reason, r))
		}
		if !found {
			t.Errorf("no missing %s with a reason containing %q in %+v", code, r, got.Missing)
		}
	}
	text := strings.Join(words.Explanation, "\n")
	for _, s := range w.explain {
		if !strings.Contains(text, s) {
			t.Errorf("explanation lacks %q:\n%s", s, text)
		}
	}
	for _, s := range w.notExpl {
		if strings.Contains(text, s) {
			t.Errorf("explanation has %q:\n%s", s, text)
		}
	}
}

func TestDecideBlockStatuses(t *testing.T) {
	rules := NewRules(testRNCP38478())
	got, err := rules.Decide(Record{Track: OneYear, Evaluations: []EvaluationResult{pass(bc01, 1, "2026-01-20")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Blocks()) != 6 {
		t.Fatalf("Blocks has %d statuses, want one per block of the certification", len(got.Blocks()))
	}
	words := got.Explain(French)
	for i, s := range got.Blocks() {
		if want := testRNCP38478().Blocks[i].Code; s.Block != want || words.Blocks[i].Block != want {
			t.Errorf("Blocks[%d] = %s, want %s: the certification's order", i, s.Block, want)
		}
		if words.Blocks[i].Reason == "" {
			t.Errorf("%s has no reason: %+v", s.Block, s.Rule)
		}
		if !s.Validated && (s.Route != "" || !s.Date.IsZero()) {
			t.Errorf("%s is not validated but has route %q and date %s", s.Block, s.Route, s.Date)
		}
	}
	if s := got.Blocks()[0]; !s.Validated || !s.Counts || s.Route != Training || s.Date.String() != "2026-01-20" || s.Rule != BlockTraining {
		t.Errorf("BC01 = %+v", s)
	}
	if s := got.Blocks()[1]; s.Rule != BlockNoResult {
		t.Errorf("BC02 = %+v", s)
	}
}

func TestDecideJSONShowsEmptyLists(t *testing.T) {
	rules := NewRules(testRNCP38478())
	certified, err := rules.Decide(Record{Track: OneYear,
		VAEBlocks: []BlockDecision{vae(bc01, "2025-11-02"), vae(bc02, "2025-11-02"), vae(bc03, "2025-11-02"), vae(bc04, "2025-11-02")}})
	if err != nil {
		t.Fatal(err)
	}
	empty, err := rules.Decide(Record{Track: OneYear})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		d    Decision
		want string
	}{{certified, `"missing":[]`}, {empty, `"validated_blocks":[]`}, {empty, `"date":null,"reason":"RNCP38478BC01`}} {
		b, err := json.Marshal(tc.d.Explain(French))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want) {
			t.Errorf("JSON lacks %s: %s", tc.want, b)
		}
	}
}

// TestExplainIsWholeSentences words varied records in both languages: every
// line is a whole sentence, with no formatting error and no code left
// unworded, and French and English differ.
func TestExplainIsWholeSentences(t *testing.T) {
	rules := NewRules(testRNCP38478())
	for i, rec := range append(benchRecords(500), benchScattered(500)...) {
		d, err := rules.Decide(rec)
		if err != nil {
			t.Fatal(err)
		}
		fr, en := d.Explain(French), d.Explain(English)
		if len(fr.Explanation) < len(rules.blocks)+2 || len(en.Explanation) != len(fr.Explanation) {
			t.Fatalf("record %d: %d French lines, %d English lines", i, len(fr.Explanation), len(en.Explanation))
		}
		all := slices.Concat(fr.Explanation, en.Explanation)
		for _, m := range slices.Concat(fr.Missing, en.Missing) {
			all = append(all, m.Reason)
		}
		for _, l := range all {
			if !strings.HasSuffix(l, ".") || strings.Contains(l, "%!") || !strings.Contains(l, " ") || strings.Contains(l, "  ") {
				t.Fatalf("record %d: line %q is not a whole sentence", i, l)
			}
		}
		if slices.Equal(fr.Explanation, en.Explanation) {
			t.Fatalf("record %d: English is French: %q", i, en.Explanation)
		}
	}
}

// TestExplainInEnglish checks the English words and dates of a decision.
func TestExplainInEnglish(t *testing.T) {
	rules := NewRules(testRNCP38478())
	d, err := rules.Decide(Record{Track: ThreeYear,
		Evaluations:   results(blockByTraining(bc04, "2025-12-01"), commonByTraining()),
		Complementary: map[string]bool{"oral_defence": true}})
	if err != nil {
		t.Fatal(err)
	}
	en := d.Explain(English)
	for _, want := range []string{
		"RNCP38478BC01 “Piloter un projet informatique”: validated by training on 10 February 2026 (evaluation passed).",
		"Three-year track: RNCP38478BC04 “Orchestrer l'infrastructure cloud” does not count for the title: validated on 1 December 2025, before RNCP38478BC03",
		"Optional blocks (at least 1 required): none counts (validated without counting on this track: RNCP38478BC04); the rule is not met.",
		"Certification RNCP38478 not obtained: missing an optional block that counts, Mémoire technique.",
	} {
		if !strings.Contains(strings.Join(en.Explanation, "\n"), want) {
			t.Errorf("English explanation lacks %q:\n%s", want, strings.Join(en.Explanation, "\n"))
		}
	}
	if fr := d.Explain(French); !strings.Contains(fr.Explanation[3], "le 1er décembre 2025") {
		t.Errorf("French dates: %q", fr.Explanation[3])
	}
}

// TestCatalogueHasBothLanguages checks that every code and phrase has its
// words in French and in English, and every reason code a name of its own.
func TestCatalogueHasBothLanguages(t *testing.T) {
	names := map[string]Code{}
	for c := range codeCount {
		w := catalogue[c]
		if w.fr == "" || w.en == "" || w.name == "" {
			t.Errorf("code %d (%q) lacks a name or a language in the catalogue: %q", c, w.name, w)
		}
		if other, dup := names[c.String()]; dup {
			t.Errorf("codes %d and %d are both named %s", other, c, c)
		}
		names[c.String()] = c
	}
	if b, _ := json.Marshal(Reason{Code: PrereqBefore}); string(b) != `{"code":"prereq_before"}` {
		t.Errorf("a reason in JSON: %s", b)
	}
}

func TestNegotiateLang(t *testing.T) {
	for _, tc := range []struct {
		query, header string
		want          Lang
	}{
		{"", "", French},
		{"", "en", English},
		{"", "en-GB,en;q=0.9,fr;q=0.8", English},
		{"", "fr-FR,fr;q=0.9,en;q=0.8", French},
		{"", "de-DE,de;q=0.9,en;q=0.5", English},
		{"", "fr;q=0.2, en;q=0.7", English},
		{"", "en;q=0", French},
		{"", "de, *", French},
		{"fr", "en", French},
		{"EN", "fr", English},
		{"de", "en", English},
	} {
		if got := NegotiateLang(tc.query, tc.header); got != tc.want {
			t.Errorf("NegotiateLang(%q, %q) = %s, want %s", tc.query, tc.header, got, tc.want)
		}
	}
}

func TestRulesCache(t *testing.T) {
	var cache RulesCache
	v1 := testRNCP38478()
	first := cache.Rules(v1)
	if again := cache.Rules(testRNCP38478()); again != first {
		t.Error("the same version is compiled twice")
	}
	v2 := testRNCP38478()
	v2.Version = 2
	v2.Blocks[0].Title = "Piloter un projet"
	second := cache.Rules(v2)
	if second == first {
		t.Fatal("a new version reuses the rules of the old one")
	}
	d, _ := second.Decide(Record{Track: OneYear, Evaluations: []EvaluationResult{pass(bc01, 1, "2026-01-20")}})
	if line := d.Explain(French).Explanation[0]; !strings.Contains(line, "« Piloter un projet » :") {
		t.Errorf("version 2 explains with %q", line)
	}
	if cache.Rules(v2) != second {
		t.Error("version 2 is compiled twice")
	}
	if cache.Rules(v1) == first {
		t.Error("version 1 was kept after version 2 was imported")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if cache.Rules(v2) == nil {
					t.Error("no rules")
				}
			}
		})
	}
	wg.Wait()
}

func TestDecideRejectsBadInput(t *testing.T) {
	rules := NewRules(testRNCP38478())
	tests := []struct {
		name string
		rec  Record
		want string
	}{
		{"an unknown block in the evaluations",
			Record{Track: OneYear, Evaluations: []EvaluationResult{pass("RNCP38478BC09", 1, "2026-01-20")}},
			`block "RNCP38478BC09" (evaluations[0]) does not exist in certification RNCP38478: its blocks are RNCP38478BC01, RNCP38478BC02, RNCP38478BC03, RNCP38478BC04, RNCP38478BC05, RNCP38478BC06`},
		{"an unknown evaluation number",
			Record{Track: OneYear, Evaluations: []EvaluationResult{pass(bc01, 3, "2026-01-20")}},
			"evaluation 3 of block RNCP38478BC01 does not exist: the block has 1 numbered evaluation(s)"},
		{"evaluation number 0",
			Record{Track: OneYear, Evaluations: []EvaluationResult{fail(bc02, 0, "2026-01-20")}},
			"evaluation 0 of block RNCP38478BC02 does not exist: the block has 2 numbered evaluation(s)"},
		{"a passed result without a date",
			Record{Track: OneYear, Evaluations: []EvaluationResult{{Block: bc02, Number: 2, Passed: true}}},
			"evaluation 2 of block RNCP38478BC02 is passed but has no date (evaluations[0])"},
		{"an unknown block in the VAE decisions",
			Record{Track: OneYear, VAEBlocks: []BlockDecision{vae("RNCP99999BC01", "2025-11-02")}},
			`block "RNCP99999BC01" (vae_blocks[0]) does not exist in certification RNCP38478`},
		{"a VAE validation without a date",
			Record{Track: OneYear, VAEBlocks: []BlockDecision{{Block: bc01, Validated: true}}},
			"the VAE decision on block RNCP38478BC01 (vae_blocks[0]) validates it but has no date"},
		{"an unknown acquired block",
			Record{Track: OneYear, Acquired: []AcquiredBlock{{Block: "RNCP38478BC07", Route: VAE, Date: day("2024-01-01")}}},
			`block "RNCP38478BC07" (acquired_blocks[0]) does not exist`},
		{"an acquired block with a mixed route",
			Record{Track: OneYear, Acquired: []AcquiredBlock{{Block: bc01, Route: Mixed, Date: day("2024-01-01")}}},
			`acquired block RNCP38478BC01 (acquired_blocks[0]) has route "mixed": it must be training or vae`},
		{"an acquired block without a date",
			Record{Track: OneYear, Acquired: []AcquiredBlock{{Block: bc01, Route: VAE}}},
			"acquired block RNCP38478BC01 (acquired_blocks[0]) has no date"},
		{"an unknown complementary evaluation",
			Record{Track: OneYear, Complementary: map[string]bool{"oral_defense": true, "thesis": false, "oral_defence": true}},
			"complementary evaluation oral_defense, thesis does not exist: certification RNCP38478 has oral_defence, technical_thesis"},
		{"an unknown track",
			Record{Track: "two_year"},
			`track "two_year" does not exist in certification RNCP38478: its tracks are one_year, three_year`},
		{"no track",
			Record{},
			"the track is missing: certification RNCP38478 has the tracks one_year, three_year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.Decide(tt.rec)
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error = %v (code %q), want %s", err, ErrorCode(err), EINVALID)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDecideImportedCertification(t *testing.T) {
	c := testImported()
	if err := c.Validate(); err != nil {
		t.Fatalf("the test certification is invalid: %v", err)
	}
	rules := NewRules(c)
	all := []EvaluationResult{
		pass("RNCP40000BC01", 1, "2026-01-10"), pass("RNCP40000BC02", 1, "2026-02-10"), pass("RNCP40000BC03", 1, "2026-03-10"),
	}
	tests := []struct {
		name string
		rec  Record
		want want
	}{
		{
			name: "every block validated by training gives the title without complementary evaluations",
			rec:  Record{Evaluations: all},
			want: want{
				certified: true,
				validated: []string{"RNCP40000BC01", "RNCP40000BC02", "RNCP40000BC03"},
				missing:   []string{},
				explain: []string{
					"Blocs requis (le référentiel ne publie pas de règle de validation : tous les blocs sont exigés) : 3 sur 3 comptent, la règle est remplie.",
					"Évaluations complémentaires : le référentiel n'en prévoit aucune.",
					"Certification RNCP40000 obtenue",
				},
				notExpl: []string{"Blocs optionnels", "Parcours"},
			},
		},
		{
			name: "a missing block is named, and no optional block is asked for",
			rec:  Record{Track: "whatever: the fiche names no track", Evaluations: all[:2], VAEBlocks: []BlockDecision{{Block: "RNCP40000BC03", Validated: false}}},
			want: want{
				missing: []string{"RNCP40000BC03"},
				why:     map[string]string{"RNCP40000BC03": "Bloc requis RNCP40000BC03 « Produire les déclarations sociales » non validé : il faut réussir son évaluation ou le faire valider par un jury de VAE."},
				explain: []string{"RNCP40000BC03 « Produire les déclarations sociales » : non validé : refusé par le jury de VAE."},
			},
		},
		{
			name: "VAE and training mix on an imported certification",
			rec:  Record{Evaluations: all[:1], VAEBlocks: []BlockDecision{vae("RNCP40000BC02", "2025-10-01"), vae("RNCP40000BC03", "2025-10-01")}},
			want: want{certified: true, route: map[string]Route{"RNCP40000BC01": Training, "RNCP40000BC02": VAE}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.Decide(tt.rec)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			check(t, got, tt.want)
		})
	}

	t.Run("complementary evaluations it does not have are rejected", func(t *testing.T) {
		_, err := rules.Decide(Record{Evaluations: all, Complementary: map[string]bool{"oral_defence": true}})
		if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "certification RNCP40000 has none") {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("an optional block with no validation rule is required like the others", func(t *testing.T) {
		c := testImported()
		c.Blocks[2].Kind = Optional
		got, err := NewRules(c).Decide(Record{Evaluations: all[:2]})
		if err != nil {
			t.Fatal(err)
		}
		check(t, got, want{missing: []string{"RNCP40000BC03"}})
	})
}

// TestDecideConcurrently runs decisions from many goroutines on one Rules,
// as the HTTP server does; run with -race.
func TestDecideConcurrently(t *testing.T) {
	rules := NewRules(testRNCP38478())
	recs := benchRecords(2000)
	want := make([]DecisionText, len(recs))
	for i, rec := range recs {
		d, _ := NewRules(testRNCP38478()).Decide(rec)
		want[i] = d.Explain(French)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for k := range recs {
				i := (k*7 + g*251) % len(recs)
				d, err := rules.Decide(recs[i])
				got := d.Explain(French)
				if err != nil || !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("record %d decided differently: %v\n%q\n%q", i, err, got.Explanation, want[i].Explanation)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestLinesAreTrackSpecific decides the same record on two tracks that
// share a prerequisite: each must read its own track's line.
func TestLinesAreTrackSpecific(t *testing.T) {
	c := testRNCP38478()
	c.EntryRules = append(c.EntryRules, EntryRule{Track: "work_study", Rule: "level4", MinLevel: 4})
	c.BlockRules = append([]BlockRule{{Track: "work_study", Block: bc04, Requires: bc03}}, c.BlockRules...)
	rules := NewRules(c)
	for _, tc := range []struct {
		track Track
		name  string
	}{{"work_study", "Parcours « work_study »"}, {ThreeYear, "Parcours en 3 ans"}} {
		got, err := rules.Decide(Record{Track: tc.track, Evaluations: results(blockByTraining(bc04, "2025-12-10"), commonByTraining())})
		if err != nil {
			t.Fatal(err)
		}
		line := tc.name + " : RNCP38478BC04 « Orchestrer l'infrastructure cloud » ne compte pas pour le titre"
		check(t, got, want{counts: map[string]bool{bc04: false}, explain: []string{line}, rule: map[string]Code{bc04: PrereqBefore}})
	}
}

// TestDecideManyComplementaryEvaluations takes the path where the lines of
// the complementary rule are written per decision, not prepared.
func TestDecideManyComplementaryEvaluations(t *testing.T) {
	c := testRNCP38478()
	for _, code := range []string{"portfolio", "internship_report", "english_test"} {
		c.Validation.Complementary = append(c.Validation.Complementary, Complementary{Code: code, Title: "Épreuve " + code})
	}
	rules := NewRules(c)
	passed := map[string]bool{"oral_defence": true, "technical_thesis": true, "portfolio": true, "internship_report": true}
	training := Record{Track: OneYear, Evaluations: results(commonByTraining(), blockByTraining(bc05, "2026-05-20")), Complementary: passed}
	mixed := training
	mixed.Evaluations = results(blockByTraining(bc02, "2026-03-24"), blockByTraining(bc03, "2026-04-15"), blockByTraining(bc05, "2026-05-20"))
	mixed.VAEBlocks = []BlockDecision{vae(bc01, "2025-11-02")}
	for _, rec := range []Record{training, mixed, training, mixed} {
		got, err := rules.Decide(rec)
		if err != nil {
			t.Fatal(err)
		}
		check(t, got, want{
			missing: []string{"english_test"},
			explain: []string{": évaluation « Soutenance orale » réussie, évaluation « Mémoire technique » réussie, évaluation « Épreuve portfolio » réussie, évaluation « Épreuve internship_report » réussie, évaluation « Épreuve english_test » non réussie."},
		})
	}
}

// TestLinesDoNotLeakBetweenRules alternates two certifications whose keys
// are the same but whose words differ: each decision must use its own.
func TestLinesDoNotLeakBetweenRules(t *testing.T) {
	other := testRNCP38478()
	other.Blocks[0].Title = "Piloter un projet"
	a, b := NewRules(testRNCP38478()), NewRules(other)
	rec := Record{Track: OneYear, Evaluations: []EvaluationResult{pass(bc01, 1, "2026-01-20")}}
	for range 100 {
		for _, tc := range []struct {
			rules *Rules
			want  string
		}{{a, "« Piloter un projet informatique »"}, {b, "« Piloter un projet » :"}} {
			got, err := tc.rules.Decide(rec)
			if err != nil {
				t.Fatal(err)
			}
			if line := got.Explain(French).Explanation[0]; !strings.Contains(line, tc.want) {
				t.Fatalf("line %q, want %s", line, tc.want)
			}
		}
	}
}

// TestDecideManyBlocks: beyond the eight block findings a decision holds in
// itself, they go to the heap, and read back the same.
func TestDecideManyBlocks(t *testing.T) {
	c := testImported()
	c.Blocks = nil
	var recs []EvaluationResult
	for i := range 12 {
		code := fmt.Sprintf("RNCP40000BC%02d", i+1)
		c.Blocks = append(c.Blocks, Block{Code: code, Title: "Bloc " + code, Kind: Common,
			Evaluations: []Evaluation{{Number: 1, Title: "Évaluation du bloc", Form: Individual}}})
		if i%2 == 0 {
			recs = append(recs, pass(code, 1, fmt.Sprintf("2026-01-%02d", i+1)))
		}
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("the test certification is invalid: %v", err)
	}
	d, err := NewRules(c).Decide(Record{Evaluations: recs})
	if err != nil {
		t.Fatal(err)
	}
	blocks := d.Blocks()
	if len(blocks) != 12 || d.Certified || len(d.ValidatedBlocks()) != 6 || len(d.Missing) != 6 {
		t.Fatalf("12 blocks, 6 passed: got %d statuses, certified %v, validated %v, %d missing", len(blocks), d.Certified, d.ValidatedBlocks(), len(d.Missing))
	}
	for i, s := range blocks {
		passed := i%2 == 0
		if s.Block != c.Blocks[i].Code || s.Validated != passed || s.Counts != passed {
			t.Errorf("block %d: %+v, want validated %v", i, s, passed)
		}
		if passed && (s.Route != Training || s.Date.String() != fmt.Sprintf("2026-01-%02d", i+1)) {
			t.Errorf("block %d: route %q date %s", i, s.Route, s.Date)
		}
	}
}
