package certibloc

// The problems of a grade sheet read back (internal/gradesheet), beside
// those any batch of grades has (problems.go): the file itself, its first
// line naming the session and the grid, and the cells the template has
// besides the grades. Kept in their own table so that the two lists grow
// apart; init adds them to the catalogue.
var sheetProblemWords = map[string][2]string{
	"not_a_sheet": {"le fichier n'est ni un CSV ni un classeur XLSX lisible : enregistrez la feuille au format CSV ou XLSX",
		"the file is neither a CSV file nor a readable XLSX workbook: save the sheet as CSV or XLSX"},
	"bad_csv": {"le CSV est mal formé : un guillemet est mal placé ou n'est pas refermé",
		"the CSV is malformed: a quote is misplaced or never closed"},
	"sheet_too_large": {"la feuille dépasse les limites (64 Mo, 1 000 colonnes, 32 000 caractères par cellule)",
		"the sheet is beyond the limits (64 MB, 1,000 columns, 32,000 characters a cell)"},
	"not_a_template": {"la première ligne doit nommer la session et la grille, comme dans le modèle : téléchargez le modèle de la session",
		"the first line must name the session and the grid, as in the template: download the session's template"},
	"duplicate_column": {"la colonne « {value} » figure deux fois", "column “{value}” appears twice"},
	"not_a_choice": {"« {value} » n'est pas une réponse : écrivez oui ou non (ou laissez vide)",
		"“{value}” is not an answer: write yes or no (or leave it empty)"},
	"wrong_name": {"le nom « {value} » n'est pas celui de l'apprenant de ce numéro ({detail}) : les lignes ont-elles été décalées ?",
		"the name “{value}” is not that of the learner with this number ({detail}): were the rows shifted?"},
	"wrong_team": {"l'équipe « {value} » n'est pas celle de l'apprenant ({detail})",
		"team “{value}” is not the learner's team ({detail})"},
	"team_grade_differs": {"l'équipe {value} a deux notes différentes pour ce critère commun (voir ligne {detail}) : il est noté une fois pour toute l'équipe",
		"team {value} has two different grades for this shared criterion (see line {detail}): it is graded once for the whole team"},
	"missing_learner": {"le numéro d'apprenant manque", "the learner number is missing"},
	"not_a_level": {"« {value} » n'est pas un niveau : écrivez son rang (de 1 à {detail}) ou son nom",
		"“{value}” is not a level: write its rank (from 1 to {detail}) or its label"},
	"bad_characters":   {"la cellule contient un caractère de contrôle", "the cell holds a control character"},
	"comment_too_long": {"le commentaire a {value} caractères, {detail} au plus", "the comment has {value} characters, {detail} at most"},
}

func init() {
	for code, words := range sheetProblemWords {
		if _, dup := problemWords[code]; dup {
			panic("problem code " + code + " is worded twice") // caught by any test of the package
		}
		problemWords[code] = words
	}
}
