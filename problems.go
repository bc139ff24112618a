package certibloc

import (
	"fmt"
	"strings"
)

// Problem is what is wrong with one row of a batch of grades (a grade
// sheet's line, or an entry of an API request's list): a code with its
// parameters, worded in the reader's language. A batch with problems is
// refused whole.
type Problem struct {
	Row    int    `json:"row,omitempty"`    // the sheet's line (the header is line 1), or the list index from 1
	Column string `json:"column,omitempty"` // the sheet's column or the field
	Code   string `json:"code"`
	Value  string `json:"value,omitempty"` // what was found, cut to 80 characters
	Detail string `json:"detail,omitempty"`
	// Field and Link, on a record's problem: the field to correct and the
	// page that corrects it.
	Field string `json:"field,omitempty"`
	Link  string `json:"link,omitempty"`
}

// Problem codes and their words, French then English; {value} is the
// value and {detail} the detail.
var problemWords = map[string][2]string{
	"not_a_grade":           {"« {value} » n'est pas une note : écrivez un nombre comme 14 ou 14,5 (deux décimales au plus)", "“{value}” is not a grade: write a number such as 14 or 14.5 (two decimals at most)"},
	"outside_scale":         {"{value} est hors de l'échelle ({detail})", "{value} is outside the scale ({detail})"},
	"missing_grade":         {"la note manque", "the grade is missing"},
	"unknown_learner":       {"l'apprenant {value} n'est pas inscrit à cette session", "learner {value} is not in this session"},
	"duplicate_row":         {"l'apprenant {value} figure deux fois (aussi ligne {detail})", "learner {value} appears twice (also on line {detail})"},
	"missing_column":        {"la colonne {value} manque : téléchargez le modèle de la session", "column {value} is missing: download the session's template"},
	"unknown_column":        {"la colonne « {value} » n'est pas dans la grille", "column “{value}” is not in the grid"},
	"wrong_grid":            {"la feuille est faite pour la grille {value}, la session note avec la grille {detail}", "the sheet was made for grid {value}, the session grades with grid {detail}"},
	"wrong_session":         {"la feuille est celle de la session {value}, pas de celle-ci ({detail})", "the sheet belongs to session {value}, not to this one ({detail})"},
	"locked":                {"le résultat de {value} est déjà soumis et verrouillé : une correction demande un motif et un rôle du personnel", "the result of {value} is already submitted and locked: a correction needs a reason and a staff role"},
	"same_marker":           {"vous avez noté ce candidat à l'autre tour : la double correction demande un second correcteur pour le tour {value}", "you graded this learner at the other round: double marking needs a second marker for round {value}"},
	"other_marker":          {"le résultat de {value} à ce tour est celui d'un autre correcteur : la double correction se fait à l'aveugle, notez le tour qui vous revient", "the result of {value} at this round is another marker's: double marking is blind, grade your own round"},
	"not_assigned":          {"vous n'êtes pas évaluateur de cette session", "you are not an evaluator of this session"},
	"not_enrolled":          {"{value} n'est pas inscrit sur ce bloc ({detail})", "{value} is not enrolled on this block ({detail})"},
	"already_passed":        {"{value} a déjà réussi cette évaluation le {detail} : un rattrapage ne concerne qu'une évaluation échouée", "{value} already passed this evaluation on {detail}: a resit is only for a failed evaluation"},
	"bad_text":              {"le texte n'est pas accepté : {detail}", "the text is refused: {detail}"},
	"bad_round":             {"la double correction n'est pas prévue pour cette session (correcteur {value})", "this session has no second marking (marker {value})"},
	"empty_sheet":           {"la feuille ne contient aucune ligne de notes", "the sheet has no row of grades"},
	"jury_role":             {"« {value} » n'est pas un rôle de jury (président, professionnel, enseignant)", "“{value}” is not a jury role (chair, professional, teaching)"},
	"jury_quorum":           {"{value} membres présents : le quorum est de {detail}", "{value} members present: the quorum is {detail}"},
	"jury_chair":            {"le jury doit avoir un président présent, et un seul ({value})", "the jury needs one chair present, and only one ({value})"},
	"jury_professionals":    {"{value} professionnels présents : il en faut au moins {detail} % des présents", "{value} professionals present: at least {detail}% of those present are needed"},
	"jury_teaching":         {"{value} enseignants présents : au plus {detail} % des présents", "{value} teaching staff present: at most {detail}% of those present"},
	"override_reason":       {"la décision s'écarte de la proposition pour {value} : écrivez un motif d'au moins 10 caractères", "the decision departs from the proposal for {value}: write a reason of at least 10 characters"},
	"block_route":           {"le bloc {value} est validé sans voie (formation ou VAE)", "block {value} is validated without a route (training or VAE)"},
	"block_twice":           {"le bloc {value} figure deux fois", "block {value} is given twice"},
	"block_unknown":         {"le bloc « {value} » n'existe pas dans cette version du référentiel", "block “{value}” does not exist in this version of the referential"},
	"block_acquired":        {"le bloc {value} est déjà acquis : inutile de le viser", "block {value} is already acquired: no need to aim at it"},
	"too_many":              {"{value} éléments : {detail} au plus", "{value} items: at most {detail}"},
	"dates_reversed":        {"la fin ({detail}) précède le début ({value})", "the end ({detail}) comes before the start ({value})"},
	"no_such_competency":    {"la compétence {value} n'existe pas parmi les blocs visés", "competency {value} is not among the blocks aimed at"},
	"no_block":              {"choisissez au moins un bloc", "choose at least one block"},
	"no_experience":         {"décrivez au moins une expérience", "describe at least one period of experience"},
	"experience_incomplete": {"l'expérience doit avoir un emploi, un employeur, une date de début et des activités", "the experience needs a job, an employer, a start date and activities"},
	"competency_blank":      {"la compétence {value} n'a pas de réponse : « {detail} »", "competency {value} has no answer: “{detail}”"},
	"block_not_aimed":       {"le bloc {value} n'est pas visé par la candidature VAE", "block {value} is not aimed at by the VAE candidacy"},
	"undecided":             {"le candidat {value} n'a pas encore de décision", "candidate {value} has no decision yet"},
	"conflict_declared":     {"{value} a déclaré un conflit d'intérêts pour ce candidat : il ne peut pas prendre part à la décision", "{value} declared a conflict of interest about this candidate and cannot take part in the decision"},
	"conflict_undeclared":   {"{value} n'a pas encore déclaré l'absence de conflit d'intérêts pour ce candidat", "{value} has not yet declared no conflict of interest about this candidate"},
	"holder_birth_name":     {"{value} : le nom de naissance manque", "{value}: the birth name is missing"},
	"holder_first_names":    {"{value} : le prénom manque", "{value}: the first name is missing"},
	"holder_too_long":       {"{value} : un nom ou un prénom dépasse {detail} caractères, ce que la Caisse des Dépôts refuse", "{value}: a name is longer than {detail} characters, which the Caisse des Dépôts refuses"},
	"holder_birth_date":     {"{value} : la date de naissance manque ou n'est pas plausible", "{value}: the birth date is missing or implausible"},
	"holder_sex":            {"{value} : le sexe (F ou M) manque", "{value}: the sex (F or M) is missing"},
	"holder_birth_place":    {"{value} : la commune de naissance (code INSEE) manque, ou le pays de naissance pour une personne née à l'étranger", "{value}: the commune of birth (INSEE code) is missing, or the country of birth for someone born abroad"},
	"holder_birth_place_abroad": {"{value} : né(e) à l'étranger ({detail}) mais avec une commune de naissance française : corrigez l'un ou l'autre",
		"{value}: born abroad ({detail}) yet with a French commune of birth: correct one or the other"},
	"cdc_account": {"la certification {value} n'a pas de compte à la Caisse des Dépôts (numéro client de 8 caractères, contrat) : renseignez-le",
		"certification {value} has no account at the Caisse des Dépôts (8-character client number, contract): set it"},
	"unreadable":      {"le fichier ne se lit pas : {detail}", "the file cannot be read: {detail}"},
	"unknown_team":    {"l'équipe « {value} » n'est pas dans cette session", "team “{value}” is not in this session"},
	"duplicate_grade": {"le critère {value} est noté deux fois sur la même ligne", "criterion {value} is graded twice on the same line"},
	"individual_criterion": {"le critère {value} est individuel : notez-le pour chaque membre de l'équipe, pas pour l'équipe",
		"criterion {value} is individual: grade it for each member of the team, not for the team"},
	"team_disagrees": {"l'équipe {value} reçoit deux notes différentes pour le critère {detail} : une note d'équipe est la même pour tous ses membres",
		"team {value} is given two different grades for criterion {detail}: a team grade is the same for every member"},
}

// ProblemCodes lists the known problem codes (for the catalogue test).
func ProblemCodes() []string {
	out := make([]string, 0, len(problemWords))
	for c := range problemWords {
		out = append(out, c)
	}
	return out
}

// In words the problem in language l, prefixed with its line and column.
func (p Problem) In(l Lang) string {
	w, ok := problemWords[p.Code]
	text := p.Code
	if ok {
		text = strings.NewReplacer("{value}", p.Value, "{detail}", p.Detail).Replace(w[int(l)])
	}
	var where []string
	if p.Row > 0 {
		where = append(where, fmt.Sprintf(pick(l == French, "ligne %d", "line %d"), p.Row))
	}
	if p.Column != "" {
		where = append(where, fmt.Sprintf(pick(l == French, "colonne %s", "column %s"), p.Column))
	}
	if len(where) > 0 {
		return strings.Join(where, ", ") + pick(l == French, " : ", ": ") + text
	}
	return text
}

// Problems is a batch refused whole, with every problem found (up to a
// hundred). It is an error with code EINVALID.
type Problems []Problem

// MaxProblems bounds the problems reported for one batch.
const MaxProblems = 100

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.In(English)
	}
	return fmt.Sprintf("%d problem(s), nothing was recorded: %s", len(ps), strings.Join(lines, "; "))
}

// In words every problem in language l.
func (ps Problems) In(l Lang) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.In(l)
	}
	return out
}

// Cut shortens a value quoted in a problem.
func Cut(s string) string { return shorten(s, 80) }
