package certibloc

import (
	"strconv"
	"strings"
)

// The catalogue of the rules engine's words: every reason code and phrase,
// with its name and its sentence in French and in English (fmt verbs,
// indexed where a language orders them differently). A test checks that
// each Code constant has both languages.

// Reason codes: the findings of a decision, then the phrases their
// sentences are made of (unexported: words, not findings).
const (
	BlockNoResult     Code = iota // the record says nothing of the block
	BlockNotValidated             // results or a refusal, but not validated
	BlockTraining                 // validated by training
	BlockVAE                      // validated by a VAE jury
	BlockAcquired                 // acquired in an earlier session
	PrereqMet                     // validated after the block it requires
	PrereqSameDay                 // validated the same day as the block it requires
	PrereqBefore                  // validated before the block it requires: does not count
	PrereqUnvalidated             // the block it requires is not validated: does not count
	PrereqNotApplied              // the prerequisites of other tracks do not apply
	RequiredMet
	RequiredUnmet
	OptionalRule
	CompNone     // the referential has no complementary evaluation
	CompVAE      // every block by VAE: not due
	CompTraining // every block by training: due
	CompPresumed // no block yet: training presumed, due
	CompMixed    // training and VAE: due
	Certified
	NotCertified
	MissingBlock    // a required block not validated, with N evaluations to pass, or VAE
	MissingOptional // N optional blocks count, fewer than required
	MissingComp
	MissingCompPresumed
	EntryMet
	EntryUnmet
	Eligible
	EligibleReview
	NotEligible
	wLabel // the first phrase
	wDetails
	wClause
	wAnd
	wOr
	wEvalPlain
	wEvalIndividual
	wEvalTeam
	wEvalPassed
	wEvalFailedOnce
	wEvalFailed
	wEvalNoResult
	wRefused
	wRefusedOn
	wByTraining
	wByVAE
	wPassedOne
	wPassedN
	wRetake
	wAfterFailure
	wAfterFailures
	wAlso
	wAlsoAcquired
	wAlsoTraining
	wAlsoVAE
	wTrackOneYear
	wTrackThreeYear
	wTrackNamed
	wTrackRules
	wRequires
	wOfThe
	wHeadCommon
	wHeadAll
	wRuleMet
	wRuleUnmet
	wOptionalNoneValidated
	wOptionalNoneCounts
	wOptionalOneCounts
	wOptionalNCount
	wOptionalNotCounting
	wOptionalBlock
	wMissingOptionalOne
	wMissingBlockOne
	wMissingBlockVAE
	wSoFarNone
	wSoFarOne
	wSoFarN
	wCompPassed
	wCompFailed
	wEntryText
	wEntryMonths
	wEntryECTS
	wEntryReview
	wEntryLevelLow
	wEntryMonthsLow
	wEntryECTSLow
	codeCount
)

// String is the code's name, as JSON writes it.
func (c Code) String() string {
	if c < wLabel {
		return catalogue[c].name
	}
	return "phrase_" + catalogue[c].name
}

// MarshalText writes the code's name.
func (c Code) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// say words code c in language l with its arguments, strings or ints,
// which the sentence cites as %[1]s, %[2]d… (any order, one digit). An
// argument of another type is written %!(…), which the tests look for.
func say(l Lang, c Code, args ...any) string {
	text := catalogue[c].fr
	if l == English {
		text = catalogue[c].en
	}
	if !strings.Contains(text, "%[") {
		return text
	}
	n := len(text)
	for _, a := range args {
		if v, ok := a.(string); ok {
			n += len(v)
		} else {
			n += 20
		}
	}
	var b strings.Builder
	b.Grow(n) // one allocation: the arguments are known
	for {
		i := strings.Index(text, "%[")
		if i < 0 || i+4 >= len(text) {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		switch v := args[text[i+2]-'1'].(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			b.WriteString("%!(" + text[i:i+5] + ")")
		}
		text = text[i+5:]
	}
}

var catalogue = [codeCount]struct{ name, fr, en string }{
	BlockNoResult: {"block_no_result", "%[1]s : non validé, aucune évaluation réussie ni validation par la VAE.",
		"%[1]s: not validated, no evaluation passed and no validation by VAE."},
	BlockNotValidated: {"block_not_validated", "%[1]s : non validé%[2]s.", "%[1]s: not validated%[2]s."},
	BlockTraining: {"block_training", "%[1]s : validé par la formation le %[2]s (%[3]s)%[4]s.",
		"%[1]s: validated by training on %[2]s (%[3]s)%[4]s."},
	BlockVAE: {"block_vae", "%[1]s : validé par la VAE le %[2]s (décision du jury)%[3]s.",
		"%[1]s: validated by VAE on %[2]s (jury decision)%[3]s."},
	BlockAcquired: {"block_acquired", "%[1]s : acquis lors d'une session antérieure, %[2]s, le %[3]s (capitalisé : acquis définitivement)%[4]s.",
		"%[1]s: acquired in an earlier session, %[2]s, on %[3]s (capitalised: acquired for good)%[4]s."},
	PrereqMet: {"prereq_met", "%[1]s : %[2]s compte, validé le %[3]s, après %[4]s (validé le %[5]s) : le prérequis est respecté.",
		"%[1]s: %[2]s counts, validated on %[3]s, after %[4]s (validated on %[5]s): the prerequisite is met."},
	PrereqSameDay: {"prereq_same_day", "%[1]s : %[2]s compte, validé le %[3]s, le même jour que %[4]s (validé le %[5]s) : le prérequis est respecté.",
		"%[1]s: %[2]s counts, validated on %[3]s, the same day as %[4]s (validated on %[5]s): the prerequisite is met."},
	PrereqBefore: {"prereq_before", "%[1]s : %[2]s ne compte pas pour le titre : validé le %[3]s, avant %[4]s (validé le %[5]s) ; sur ce parcours, ce bloc n'est retenu que si %[6]s a été validé d'abord, par la formation ou la VAE.",
		"%[1]s: %[2]s does not count for the title: validated on %[3]s, before %[4]s (validated on %[5]s); on this track, the block only counts if %[6]s was validated first, by training or VAE."},
	PrereqUnvalidated: {"prereq_unvalidated", "%[1]s : %[2]s ne compte pas pour le titre : validé le %[3]s alors que %[4]s n'est pas validé ; sur ce parcours, ce bloc n'est retenu que si %[6]s a été validé d'abord, par la formation ou la VAE.",
		"%[1]s: %[2]s does not count for the title: validated on %[3]s while %[4]s is not validated; on this track, the block only counts if %[6]s was validated first, by training or VAE."},
	PrereqNotApplied: {"prereq_not_applied", "%[1]s : les prérequis entre blocs du %[2]s ne s'appliquent pas ici.",
		"%[1]s: the prerequisites between blocks of the %[2]s do not apply here."},
	RequiredMet: {"required_met", "%[1]s : %[2]d sur %[3]d comptent, la règle est remplie.", "%[1]s: %[2]d of %[3]d count, the rule is met."},
	RequiredUnmet: {"required_unmet", "%[1]s : %[2]d sur %[3]d comptent ; manque %[4]s : la règle n'est pas remplie.",
		"%[1]s: %[2]d of %[3]d count; missing %[4]s: the rule is not met."},
	OptionalRule: {"optional_rule", "Blocs optionnels (au moins %[1]d requis) : %[2]s ; %[3]s.", "Optional blocks (at least %[1]d required): %[2]s; %[3]s."},
	CompNone: {"complementary_none", "Évaluations complémentaires : le référentiel n'en prévoit aucune.",
		"Complementary evaluations: the referential provides none."},
	CompVAE: {"complementary_vae", "Voie de la VAE : évaluations complémentaires (%[1]s) non exigées, car tous les blocs retenus ont été validés par la VAE. " +
		"La fiche ne les prévoit que pour la voie de la formation et ne dit rien d'un parcours entièrement par la VAE : " +
		"certibloc considère que la soutenance devant le jury de VAE en tient lieu. Elles deviendront exigées si un bloc est obtenu par la formation.",
		"VAE route: complementary evaluations (%[1]s) not required, since every block kept was validated by VAE. " +
			"The fiche provides them for the training route only and says nothing of a path entirely by VAE: " +
			"certibloc considers the defence before the VAE jury takes their place. They become required if a block is obtained by training."},
	CompTraining: {"complementary_training", "Voie de la formation : tous les blocs retenus sont acquis par la formation, les évaluations complémentaires sont donc exigées : %[1]s.",
		"Training route: every block kept was acquired by training, so the complementary evaluations are required: %[1]s."},
	CompPresumed: {"complementary_presumed", "Aucun bloc retenu pour l'instant : la voie de la formation est présumée, les évaluations complémentaires sont donc exigées (elles ne le seraient pas si tous les blocs étaient obtenus par la VAE) : %[1]s.",
		"No block kept yet: the training route is presumed, so the complementary evaluations are required (they would not be if every block were obtained by VAE): %[1]s."},
	CompMixed: {"complementary_mixed", "Parcours mixte (formation et VAE) : les évaluations complémentaires sont exigées car des blocs sont acquis par la formation (%[2]s) ; les blocs validés par la VAE (%[3]s) n'en demandent pas davantage : %[1]s.",
		"Mixed path (training and VAE): the complementary evaluations are required since blocks were acquired by training (%[2]s); the blocks validated by VAE (%[3]s) ask for nothing more: %[1]s."},
	Certified:    {"certified", "Certification %[1]s obtenue : toutes les conditions sont remplies.", "Certification %[1]s obtained: every condition is met."},
	NotCertified: {"not_certified", "Certification %[1]s non obtenue : il manque %[2]s.", "Certification %[1]s not obtained: missing %[2]s."},
	MissingBlock: {"missing_block", "Bloc requis %[1]s non validé : il faut réussir ses %[2]d évaluations ou le faire valider par un jury de VAE.",
		"Required block %[1]s not validated: its %[2]d evaluations must be passed, or a VAE jury must validate it."},
	wMissingBlockOne: {"missing_block_one", "Bloc requis %[1]s non validé : il faut réussir son évaluation ou le faire valider par un jury de VAE.",
		"Required block %[1]s not validated: its evaluation must be passed, or a VAE jury must validate it."},
	wMissingBlockVAE: {"missing_block_vae", "Bloc requis %[1]s non validé : il doit être validé par un jury de VAE.",
		"Required block %[1]s not validated: a VAE jury must validate it."},
	MissingOptional: {"missing_optional", "Au moins %[1]d blocs optionnels doivent compter pour le titre, parmi %[2]s : %[3]s.",
		"At least %[1]d optional blocks must count for the title, among %[2]s: %[3]s."},
	wMissingOptionalOne: {"missing_optional_one", "Au moins 1 bloc optionnel doit compter pour le titre, parmi %[2]s : %[3]s.",
		"At least 1 optional block must count for the title, among %[2]s: %[3]s."},
	MissingComp: {"missing_complementary", "Évaluation complémentaire « %[1]s » non réussie : elle est exigée dès qu'un bloc est acquis par la formation.",
		"Complementary evaluation “%[1]s” not passed: it is required as soon as a block is acquired by training."},
	MissingCompPresumed: {"missing_complementary_presumed", "Évaluation complémentaire « %[1]s » non réussie : elle est exigée pour la voie de la formation, présumée tant qu'aucun bloc n'est validé.",
		"Complementary evaluation “%[1]s” not passed: it is required on the training route, presumed while no block is validated."},
	EntryMet:       {"entry_met", "Règle %[1]s : remplie (niveau %[2]d pour %[3]d exigé%[4]s)%[5]s.", "Rule %[1]s: met (level %[2]d for %[3]d required%[4]s)%[5]s."},
	EntryUnmet:     {"entry_unmet", "Règle %[1]s : non remplie, %[2]s.", "Rule %[1]s: not met, %[2]s."},
	Eligible:       {"eligible", "Éligible au %[1]s par la règle %[2]s.", "Eligible for the %[1]s by rule %[2]s."},
	EligibleReview: {"eligible_review", "Éligible au %[1]s par la règle %[2]s, sous réserve de l'étude du dossier de candidature par la commission d'admission.", "Eligible for the %[1]s by rule %[2]s, subject to the admission commission's review of the application."},
	NotEligible:    {"not_eligible", "Non éligible au %[1]s : aucune des conditions d'accès n'est remplie.", "Not eligible for the %[1]s: none of the entry conditions is met."},

	wLabel:          {"label", "%[1]s « %[2]s »", "%[1]s “%[2]s”"},
	wDetails:        {"details", " : %[1]s", ": %[1]s"},
	wClause:         {"clause", " ; %[1]s", "; %[1]s"},
	wAnd:            {"and", "et", "and"},
	wOr:             {"or", "ou", "or"},
	wEvalPlain:      {"eval", "évaluation %[1]d", "evaluation %[1]d"},
	wEvalIndividual: {"eval_individual", "évaluation %[1]d (individuelle)", "evaluation %[1]d (individual)"},
	wEvalTeam:       {"eval_team", "évaluation %[1]d (en équipe)", "evaluation %[1]d (team)"},
	wEvalPassed:     {"eval_passed", "%[1]s réussie le %[2]s", "%[1]s passed on %[2]s"},
	wEvalFailedOnce: {"eval_failed_once", "%[1]s échouée", "%[1]s failed"},
	wEvalFailed:     {"eval_failed", "%[1]s échouée %[2]d fois", "%[1]s failed %[2]d times"},
	wEvalNoResult:   {"eval_no_result", "%[1]s sans résultat", "%[1]s without result"},
	wRefused:        {"refused", "refusé par le jury de VAE", "refused by the VAE jury"},
	wRefusedOn:      {"refused_on", "refusé par le jury de VAE le %[1]s", "refused by the VAE jury on %[1]s"},
	wByTraining:     {"by_training", "par la formation", "by training"},
	wByVAE:          {"by_vae", "par la VAE", "by VAE"},
	wPassedOne:      {"passed_one", "évaluation réussie", "evaluation passed"},
	wPassedN:        {"passed_n", "%[1]d évaluations réussies", "%[1]d evaluations passed"},
	wRetake:         {"retake", ", l'évaluation %[1]d %[2]s", ", evaluation %[1]d %[2]s"},
	wAfterFailure:   {"after_failure", "après un échec", "after one failure"},
	wAfterFailures:  {"after_failures", "après %[1]d échecs", "after %[1]d failures"},
	wAlso:           {"also", " ; également %[1]s ; la date la plus ancienne est retenue", "; also %[1]s; the earliest date is kept"},
	wAlsoAcquired:   {"also_acquired", "acquis lors d'une session antérieure le %[1]s", "acquired in an earlier session on %[1]s"},
	wAlsoTraining:   {"also_training", "validé par la formation le %[1]s", "validated by training on %[1]s"},
	wAlsoVAE:        {"also_vae", "validé par la VAE le %[1]s", "validated by VAE on %[1]s"},
	wTrackOneYear:   {"track_one_year", "parcours en 1 an", "one-year track"},
	wTrackThreeYear: {"track_three_year", "parcours en 3 ans", "three-year track"},
	wTrackNamed:     {"track_named", "parcours « %[1]s »", "track “%[1]s”"},
	wTrackRules:     {"track_rules", "%[1]s (%[2]s)", "%[1]s (%[2]s)"},
	wRequires:       {"requires", "%[1]s exige %[2]s", "%[1]s requires %[2]s"},
	wOfThe:          {"of_the", ", du ", ", of the "},
	wHeadCommon:     {"head_common", "Blocs communs", "Common blocks"},
	wHeadAll: {"head_all", "Blocs requis (le référentiel ne publie pas de règle de validation : tous les blocs sont exigés)",
		"Required blocks (the referential publishes no validation rule: every block is required)"},
	wRuleMet:               {"rule_met", "la règle est remplie", "the rule is met"},
	wRuleUnmet:             {"rule_unmet", "la règle n'est pas remplie", "the rule is not met"},
	wOptionalNoneValidated: {"optional_none_validated", "aucun n'est validé", "none is validated"},
	wOptionalNoneCounts:    {"optional_none_counts", "aucun ne compte", "none counts"},
	wOptionalOneCounts:     {"optional_one_counts", "1 compte, %[2]s", "1 counts, %[2]s"},
	wOptionalNCount:        {"optional_n_count", "%[1]d comptent, %[2]s", "%[1]d count, %[2]s"},
	wOptionalNotCounting:   {"optional_not_counting", " (validé sans compter sur ce parcours : %[1]s)", " (validated without counting on this track: %[1]s)"},
	wOptionalBlock:         {"optional_block", "un bloc optionnel qui compte", "an optional block that counts"},
	wSoFarNone:             {"so_far_none", "aucun ne compte pour l'instant", "none counts so far"},
	wSoFarOne:              {"so_far_one", "un seul compte pour l'instant", "only one counts so far"},
	wSoFarN:                {"so_far_n", "seulement %[1]d comptent pour l'instant", "only %[1]d count so far"},
	wCompPassed:            {"complementary_passed", "évaluation « %[1]s » réussie", "evaluation “%[1]s” passed"},
	wCompFailed:            {"complementary_failed", "évaluation « %[1]s » non réussie", "evaluation “%[1]s” not passed"},
	wEntryText:             {"entry_text", "« %[1]s »", "“%[1]s”"},
	wEntryMonths:           {"entry_months", ", %[1]d mois d'expérience pour %[2]d", ", %[1]d months of experience for %[2]d"},
	wEntryECTS:             {"entry_ects", ", %[1]d ECTS pour %[2]d", ", %[1]d ECTS for %[2]d"},
	wEntryReview:           {"entry_review", ", sous réserve de l'avis de la commission d'admission", ", subject to the admission commission's opinion"},
	wEntryLevelLow:         {"entry_level_low", "niveau %[1]d inférieur au niveau %[2]d exigé", "level %[1]d below the required level %[2]d"},
	wEntryMonthsLow:        {"entry_months_low", "%[1]d mois d'expérience professionnelle sur les %[2]d exigés", "%[1]d months of professional experience of the %[2]d required"},
	wEntryECTSLow:          {"entry_ects_low", "%[1]d ECTS attestés sur les %[2]d exigés", "%[1]d ECTS certified of the %[2]d required"},
}
