package certibloc

import "testing"

func TestValidSIRET(t *testing.T) {
	for _, c := range []struct {
		siret string
		ok    bool
	}{
		{"73282932000074", true},  // INSEE's example (Luhn)
		{"73282932000075", false}, // its last digit wrong
		{"35600000000048", true},  // La Poste's head office: Luhn holds
		{"35600000049837", true},  // a post office: digit sum 45, a multiple of 5, Luhn does not hold
		{"35600000049838", false}, // neither
		{"35600000000049", false},
		{"12345678901234", false},
		{"7328293200007", false},   // 13 digits
		{"732829320000740", false}, // 15
		{"7328293200007A", false},
		{"", false},
	} {
		if got := ValidSIRET(c.siret); got != c.ok {
			t.Errorf("ValidSIRET(%q) = %v, want %v", c.siret, got, c.ok)
		}
	}
}

func TestEnrolmentRefusesWrongSIRET(t *testing.T) {
	e := Enrolment{Mode: Apprenticeship, Employer: "ACME", EmployerSIRET: "73282932000075", Tutor: "Jean Dupont",
		ContractStart: DateOf(2026, 9, 1), ContractEnd: DateOf(2027, 8, 31)}
	if err := e.Check(); ErrorCode(err) != EINVALID {
		t.Fatalf("a SIRET whose key is wrong: %v", err)
	}
	e.EmployerSIRET = "73282932000074"
	if err := e.Check(); err != nil {
		t.Fatalf("a right SIRET: %v", err)
	}
}
