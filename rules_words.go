package certibloc

import (
	"fmt"
	"strings"
)

// The catalogue: every reason code and phrase of the rules, in French and
// in English. A test checks that each Code constant has both.

// Reason codes: the findings of a decision.
const (
	BlockNoResult       Code = "block_no_result"     // the record says nothing of the block
	BlockNotValidated   Code = "block_not_validated" // results or a refusal, but not validated
	BlockTraining       Code = "block_training"      // validated by training
	BlockVAE            Code = "block_vae"           // validated by a VAE jury
	BlockAcquired       Code = "block_acquired"      // acquired in an earlier session
	PrereqMet           Code = "prereq_met"          // validated after the block it requires
	PrereqSameDay       Code = "prereq_same_day"     // validated the same day as the block it requires
	PrereqBefore        Code = "prereq_before"       // validated before the block it requires: does not count
	PrereqUnvalidated   Code = "prereq_unvalidated"  // the block it requires is not validated: does not count
	PrereqNotApplied    Code = "prereq_not_applied"  // the prerequisites of other tracks do not apply
	RequiredMet         Code = "required_met"
	RequiredUnmet       Code = "required_unmet"
	OptionalRule        Code = "optional_rule"
	CompNone            Code = "complementary_none"     // the referential has no complementary evaluation
	CompVAE             Code = "complementary_vae"      // every block by VAE: not due
	CompTraining        Code = "complementary_training" // every block by training: due
	CompPresumed        Code = "complementary_presumed" // no block yet: training presumed, due
	CompMixed           Code = "complementary_mixed"    // training and VAE: due
	Certified           Code = "certified"
	NotCertified        Code = "not_certified"
	MissingBlock        Code = "missing_block"     // N evaluations to pass, or VAE
	MissingBlockOne     Code = "missing_block_one" // its evaluation to pass, or VAE
	MissingBlockVAE     Code = "missing_block_vae" // no evaluation: VAE only
	MissingOptional     Code = "missing_optional"  // N optional blocks count, fewer than required
	MissingComp         Code = "missing_complementary"
	MissingCompPresumed Code = "missing_complementary_presumed"
	EntryMet            Code = "entry_met"
	EntryUnmet          Code = "entry_unmet"
	Eligible            Code = "eligible"
	EligibleReview      Code = "eligible_review"
	NotEligible         Code = "not_eligible"
)

// Phrases the sentences are made of (unexported: words, not findings).
const (
	wLabel, wDetails, wClause, wAnd, wOr                      Code = "label", "details", "clause", "and", "or"
	wEvalPlain, wEvalIndividual, wEvalTeam                    Code = "eval", "eval_individual", "eval_team"
	wEvalPassed, wEvalFailedOnce, wEvalFailed, wEvalNoResult  Code = "eval_passed", "eval_failed_once", "eval_failed", "eval_no_result"
	wRefused, wRefusedOn, wByTraining, wByVAE                 Code = "refused", "refused_on", "by_training", "by_vae"
	wPassedOne, wPassedN, wRetake                             Code = "passed_one", "passed_n", "retake"
	wAfterFailure, wAfterFailures                             Code = "after_failure", "after_failures"
	wAlso, wAlsoAcquired, wAlsoTraining, wAlsoVAE             Code = "also", "also_acquired", "also_training", "also_vae"
	wTrackOneYear, wTrackThreeYear, wTrackNamed               Code = "track_one_year", "track_three_year", "track_named"
	wTrackRules, wRequires, wOfThe                            Code = "track_rules", "requires", "of_the"
	wHeadCommon, wHeadAll, wRuleMet, wRuleUnmet               Code = "head_common", "head_all", "rule_met", "rule_unmet"
	wOptionalNoneValidated, wOptionalNoneCounts               Code = "optional_none_validated", "optional_none_counts"
	wOptionalOneCounts, wOptionalNCount, wOptionalNotCounting Code = "optional_one_counts", "optional_n_count", "optional_not_counting"
	wOptionalBlock, wMissingOptionalOne                       Code = "optional_block", "missing_optional_one"
	wSoFarNone, wSoFarOne, wSoFarN                            Code = "so_far_none", "so_far_one", "so_far_n"
	wCompPassed, wCompFailed                                  Code = "complementary_passed", "complementary_failed"
	wEntryText, wEntryMonths, wEntryECTS, wEntryReview        Code = "entry_text", "entry_months", "entry_ects", "entry_review"
	wEntryLevelLow, wEntryMonthsLow, wEntryECTSLow            Code = "entry_level_low", "entry_months_low", "entry_ects_low"
)

// say words code c in language l with its arguments (fmt verbs, indexed
// where a language orders them differently).
func say(l Lang, c Code, args ...any) string {
	text := catalogue[c][l]
	if !strings.Contains(text, "%") {
		return text
	}
	return fmt.Sprintf(text, args...)
}

var catalogue = map[Code][2]string{
	BlockNoResult: {"%[1]s : non validé, aucune évaluation réussie ni validation par la VAE.",
		"%[1]s: not validated, no evaluation passed and no validation by VAE."},
	BlockNotValidated: {"%[1]s : non validé%[2]s.", "%[1]s: not validated%[2]s."},
	BlockTraining: {"%[1]s : validé par la formation le %[2]s (%[3]s)%[4]s.",
		"%[1]s: validated by training on %[2]s (%[3]s)%[4]s."},
	BlockVAE: {"%[1]s : validé par la VAE le %[2]s (décision du jury)%[3]s.",
		"%[1]s: validated by VAE on %[2]s (jury decision)%[3]s."},
	BlockAcquired: {"%[1]s : acquis lors d'une session antérieure, %[2]s, le %[3]s (capitalisé : acquis définitivement)%[4]s.",
		"%[1]s: acquired in an earlier session, %[2]s, on %[3]s (capitalised: acquired for good)%[4]s."},
	PrereqMet: {"%[1]s : %[2]s compte, validé le %[3]s, après %[4]s (validé le %[5]s) : le prérequis est respecté.",
		"%[1]s: %[2]s counts, validated on %[3]s, after %[4]s (validated on %[5]s): the prerequisite is met."},
	PrereqSameDay: {"%[1]s : %[2]s compte, validé le %[3]s, le même jour que %[4]s (validé le %[5]s) : le prérequis est respecté.",
		"%[1]s: %[2]s counts, validated on %[3]s, the same day as %[4]s (validated on %[5]s): the prerequisite is met."},
	PrereqBefore: {"%[1]s : %[2]s ne compte pas pour le titre : validé le %[3]s, avant %[4]s (validé le %[5]s) ; sur ce parcours, ce bloc n'est retenu que si %[6]s a été validé d'abord, par la formation ou la VAE.",
		"%[1]s: %[2]s does not count for the title: validated on %[3]s, before %[4]s (validated on %[5]s); on this track, the block only counts if %[6]s was validated first, by training or VAE."},
	PrereqUnvalidated: {"%[1]s : %[2]s ne compte pas pour le titre : validé le %[3]s alors que %[4]s n'est pas validé ; sur ce parcours, ce bloc n'est retenu que si %[6]s a été validé d'abord, par la formation ou la VAE.",
		"%[1]s: %[2]s does not count for the title: validated on %[3]s while %[4]s is not validated; on this track, the block only counts if %[6]s was validated first, by training or VAE."},
	PrereqNotApplied: {"%[1]s : les prérequis entre blocs du %[2]s ne s'appliquent pas ici.",
		"%[1]s: the prerequisites between blocks of the %[2]s do not apply here."},
	RequiredMet: {"%[1]s : %[2]d sur %[3]d comptent, la règle est remplie.", "%[1]s: %[2]d of %[3]d count, the rule is met."},
	RequiredUnmet: {"%[1]s : %[2]d sur %[3]d comptent ; manque %[4]s : la règle n'est pas remplie.",
		"%[1]s: %[2]d of %[3]d count; missing %[4]s: the rule is not met."},
	OptionalRule: {"Blocs optionnels (au moins %[1]d requis) : %[2]s ; %[3]s.", "Optional blocks (at least %[1]d required): %[2]s; %[3]s."},
	CompNone: {"Évaluations complémentaires : le référentiel n'en prévoit aucune.",
		"Complementary evaluations: the referential provides none."},
	CompVAE: {"Voie de la VAE : évaluations complémentaires (%[1]s) non exigées, car tous les blocs retenus ont été validés par la VAE. " +
		"La fiche ne les prévoit que pour la voie de la formation et ne dit rien d'un parcours entièrement par la VAE : " +
		"certibloc considère que la soutenance devant le jury de VAE en tient lieu. Elles deviendront exigées si un bloc est obtenu par la formation.",
		"VAE route: complementary evaluations (%[1]s) not required, since every block kept was validated by VAE. " +
			"The fiche provides them for the training route only and says nothing of a path entirely by VAE: " +
			"certibloc considers the defence before the VAE jury takes their place. They become required if a block is obtained by training."},
	CompTraining: {"Voie de la formation : tous les blocs retenus sont acquis par la formation, les évaluations complémentaires sont donc exigées : %[1]s.",
		"Training route: every block kept was acquired by training, so the complementary evaluations are required: %[1]s."},
	CompPresumed: {"Aucun bloc retenu pour l'instant : la voie de la formation est présumée, les évaluations complémentaires sont donc exigées (elles ne le seraient pas si tous les blocs étaient obtenus par la VAE) : %[1]s.",
		"No block kept yet: the training route is presumed, so the complementary evaluations are required (they would not be if every block were obtained by VAE): %[1]s."},
	CompMixed: {"Parcours mixte (formation et VAE) : les évaluations complémentaires sont exigées car des blocs sont acquis par la formation (%[2]s) ; les blocs validés par la VAE (%[3]s) n'en demandent pas davantage : %[1]s.",
		"Mixed path (training and VAE): the complementary evaluations are required since blocks were acquired by training (%[2]s); the blocks validated by VAE (%[3]s) ask for nothing more: %[1]s."},
	Certified:    {"Certification %[1]s obtenue : toutes les conditions sont remplies.", "Certification %[1]s obtained: every condition is met."},
	NotCertified: {"Certification %[1]s non obtenue : il manque %[2]s.", "Certification %[1]s not obtained: missing %[2]s."},
	MissingBlock: {"Bloc requis %[1]s non validé : il faut réussir ses %[2]d évaluations ou le faire valider par un jury de VAE.",
		"Required block %[1]s not validated: its %[2]d evaluations must be passed, or a VAE jury must validate it."},
	MissingBlockOne: {"Bloc requis %[1]s non validé : il faut réussir son évaluation ou le faire valider par un jury de VAE.",
		"Required block %[1]s not validated: its evaluation must be passed, or a VAE jury must validate it."},
	MissingBlockVAE: {"Bloc requis %[1]s non validé : il doit être validé par un jury de VAE.",
		"Required block %[1]s not validated: a VAE jury must validate it."},
	MissingOptional: {"Au moins %[1]d blocs optionnels doivent compter pour le titre, parmi %[2]s : %[3]s.",
		"At least %[1]d optional blocks must count for the title, among %[2]s: %[3]s."},
	wMissingOptionalOne: {"Au moins 1 bloc optionnel doit compter pour le titre, parmi %[2]s : %[3]s.",
		"At least 1 optional block must count for the title, among %[2]s: %[3]s."},
	MissingComp: {"Évaluation complémentaire « %[1]s » (%[2]s) non réussie : elle est exigée dès qu'un bloc est acquis par la formation.",
		"Complementary evaluation “%[1]s” (%[2]s) not passed: it is required as soon as a block is acquired by training."},
	MissingCompPresumed: {"Évaluation complémentaire « %[1]s » (%[2]s) non réussie : elle est exigée pour la voie de la formation, présumée tant qu'aucun bloc n'est validé.",
		"Complementary evaluation “%[1]s” (%[2]s) not passed: it is required on the training route, presumed while no block is validated."},
	EntryMet:       {"Règle %[1]s : remplie (niveau %[2]d pour %[3]d exigé%[4]s)%[5]s.", "Rule %[1]s: met (level %[2]d for %[3]d required%[4]s)%[5]s."},
	EntryUnmet:     {"Règle %[1]s : non remplie, %[2]s.", "Rule %[1]s: not met, %[2]s."},
	Eligible:       {"Éligible au %[1]s par la règle %[2]s.", "Eligible for the %[1]s by rule %[2]s."},
	EligibleReview: {"Éligible au %[1]s par la règle %[2]s, sous réserve de l'étude du dossier de candidature par la commission d'admission.", "Eligible for the %[1]s by rule %[2]s, subject to the admission commission's review of the application."},
	NotEligible:    {"Non éligible au %[1]s : aucune des conditions d'accès n'est remplie.", "Not eligible for the %[1]s: none of the entry conditions is met."},

	wLabel:          {"%[1]s « %[2]s »", "%[1]s “%[2]s”"},
	wDetails:        {" : %[1]s", ": %[1]s"},
	wClause:         {" ; %[1]s", "; %[1]s"},
	wAnd:            {"et", "and"},
	wOr:             {"ou", "or"},
	wEvalPlain:      {"évaluation %[1]d", "evaluation %[1]d"},
	wEvalIndividual: {"évaluation %[1]d (individuelle)", "evaluation %[1]d (individual)"},
	wEvalTeam:       {"évaluation %[1]d (en équipe)", "evaluation %[1]d (team)"},
	wEvalPassed:     {"%[1]s réussie le %[2]s", "%[1]s passed on %[2]s"},
	wEvalFailedOnce: {"%[1]s échouée", "%[1]s failed"},
	wEvalFailed:     {"%[1]s échouée %[2]d fois", "%[1]s failed %[2]d times"},
	wEvalNoResult:   {"%[1]s sans résultat", "%[1]s without result"},
	wRefused:        {"refusé par le jury de VAE", "refused by the VAE jury"},
	wRefusedOn:      {"refusé par le jury de VAE le %[1]s", "refused by the VAE jury on %[1]s"},
	wByTraining:     {"par la formation", "by training"},
	wByVAE:          {"par la VAE", "by VAE"},
	wPassedOne:      {"évaluation réussie", "evaluation passed"},
	wPassedN:        {"%[1]d évaluations réussies", "%[1]d evaluations passed"},
	wRetake:         {", l'évaluation %[1]d %[2]s", ", evaluation %[1]d %[2]s"},
	wAfterFailure:   {"après un échec", "after one failure"},
	wAfterFailures:  {"après %[1]d échecs", "after %[1]d failures"},
	wAlso:           {" ; également %[1]s ; la date la plus ancienne est retenue", "; also %[1]s; the earliest date is kept"},
	wAlsoAcquired:   {"acquis lors d'une session antérieure le %[1]s", "acquired in an earlier session on %[1]s"},
	wAlsoTraining:   {"validé par la formation le %[1]s", "validated by training on %[1]s"},
	wAlsoVAE:        {"validé par la VAE le %[1]s", "validated by VAE on %[1]s"},
	wTrackOneYear:   {"parcours en 1 an", "one-year track"},
	wTrackThreeYear: {"parcours en 3 ans", "three-year track"},
	wTrackNamed:     {"parcours « %[1]s »", "track “%[1]s”"},
	wTrackRules:     {"%[1]s (%[2]s)", "%[1]s (%[2]s)"},
	wRequires:       {"%[1]s exige %[2]s", "%[1]s requires %[2]s"},
	wOfThe:          {", du ", ", of the "},
	wHeadCommon:     {"Blocs communs", "Common blocks"},
	wHeadAll: {"Blocs requis (le référentiel ne publie pas de règle de validation : tous les blocs sont exigés)",
		"Required blocks (the referential publishes no validation rule: every block is required)"},
	wRuleMet:               {"la règle est remplie", "the rule is met"},
	wRuleUnmet:             {"la règle n'est pas remplie", "the rule is not met"},
	wOptionalNoneValidated: {"aucun n'est validé", "none is validated"},
	wOptionalNoneCounts:    {"aucun ne compte", "none counts"},
	wOptionalOneCounts:     {"1 compte, %[2]s", "1 counts, %[2]s"},
	wOptionalNCount:        {"%[1]d comptent, %[2]s", "%[1]d count, %[2]s"},
	wOptionalNotCounting:   {" (validé sans compter sur ce parcours : %[1]s)", " (validated without counting on this track: %[1]s)"},
	wOptionalBlock:         {"un bloc optionnel qui compte", "an optional block that counts"},
	wSoFarNone:             {"aucun ne compte pour l'instant", "none counts so far"},
	wSoFarOne:              {"un seul compte pour l'instant", "only one counts so far"},
	wSoFarN:                {"seulement %[1]d comptent pour l'instant", "only %[1]d count so far"},
	wCompPassed:            {"évaluation « %[1]s » réussie", "evaluation “%[1]s” passed"},
	wCompFailed:            {"évaluation « %[1]s » non réussie", "evaluation “%[1]s” not passed"},
	wEntryText:             {" (« %[1]s »)", " (“%[1]s”)"},
	wEntryMonths:           {", %[1]d mois d'expérience pour %[2]d", ", %[1]d months of experience for %[2]d"},
	wEntryECTS:             {", %[1]d ECTS pour %[2]d", ", %[1]d ECTS for %[2]d"},
	wEntryReview:           {", sous réserve de l'avis de la commission d'admission", ", subject to the admission commission's opinion"},
	wEntryLevelLow:         {"niveau %[1]d inférieur au niveau %[2]d exigé", "level %[1]d below the required level %[2]d"},
	wEntryMonthsLow:        {"%[1]d mois d'expérience professionnelle sur les %[2]d exigés", "%[1]d months of professional experience of the %[2]d required"},
	wEntryECTSLow:          {"%[1]d ECTS attestés sur les %[2]d exigés", "%[1]d ECTS certified of the %[2]d required"},
}
