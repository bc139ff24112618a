package web

import (
	"errors"
	"strconv"
	"strings"
)

// What people type and send beyond words: files over the limit, SIRET
// numbers, decimals written the French way.

func init() {
	addMessages(map[string]string{
		"upload_too_large_f": "Le fichier envoyé est trop volumineux (plus de %d Mo) : rien n'a été enregistré. Choisissez un fichier plus petit ; la taille permise est indiquée sous le champ du fichier.",
		"siret_e_key_f":      "%s n'est pas un numéro SIRET : sa clé de contrôle est fausse. Vérifiez les 14 chiffres sur l'avis de situation Sirene ou un bulletin de paie.",
	}, map[string]string{
		"upload_too_large_f": "The file sent is too large (over %d MB): nothing was saved. Choose a smaller file; the size allowed is given under the file field.",
		"siret_e_key_f":      "%s is not a SIRET number: its check digit is wrong. Check the 14 digits on the Sirene record or a payslip.",
	})
}

// documentAccept is what the pickers of documents and proofs offer: the
// types the server takes (certibloc.SniffDocument), by ending and by type.
const documentAccept = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"

// errNotDecimal is parseDecimal's refusal.
var errNotDecimal = errors.New("not a decimal number")

// parseDecimal reads a decimal number as people type it: « 14,5 » as well
// as "14.5", spaces around or between thousands (« 1 250,5 »), a sign. It
// refuses what strconv.ParseFloat would take but no one types: exponents,
// hexadecimal, "NaN", "Inf", two separators.
func parseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	s = strings.Replace(s, ",", ".", 1)
	digits, seps := 0, 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			seps++
		case (c == '-' || c == '+') && i == 0:
		default:
			return 0, errNotDecimal
		}
	}
	if digits == 0 || seps > 1 || len(s) > 20 {
		return 0, errNotDecimal
	}
	return strconv.ParseFloat(s, 64)
}
