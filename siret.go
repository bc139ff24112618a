package certibloc

// laPosteSIREN is La Poste's SIREN number: its thousands of
// establishments were numbered before the Luhn key was the rule, so their
// SIRET numbers follow INSEE's own exception (ValidSIRET).
const laPosteSIREN = "356000000"

// ValidSIRET reports whether s is a SIRET number: 14 digits whose Luhn
// checksum holds, as INSEE gives them. La Poste's establishments (SIREN
// 356000000) are the one known exception: the sum of their 14 digits is a
// multiple of 5 instead (its head office, 35600000000048, has a Luhn key).
func ValidSIRET(s string) bool {
	if len(s) != 14 {
		return false
	}
	luhn, sum := 0, 0
	for i := 0; i < 14; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		sum += d
		// From the right, every second digit is doubled: with 14 digits,
		// those at even positions from the left.
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		luhn += d
	}
	if luhn%10 == 0 {
		return true
	}
	return s[:9] == laPosteSIREN && sum%5 == 0
}
