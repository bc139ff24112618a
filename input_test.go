package certibloc

import (
	"strings"
	"testing"
)

func TestCheckChars(t *testing.T) {
	for _, c := range []struct {
		s         string
		multiline bool
		ok        bool
	}{
		{"Éloïse Dupont-Martin", false, true},
		{"日本語 😀 \uFFFD", false, true}, // U+FFFD written as such is text
		{"a\x00b", true, false},
		{"a\x1fb", true, false},
		{"a\x7fb", true, false},   // DEL
		{"a\u0085b", true, false}, // NEL, a C1 control
		{"a\u009fb", true, false}, // the last C1
		{"a\u00a0b", false, true}, // no-break space is text
		{"a\xffb", true, false},   // invalid UTF-8
		{"a\xc3", true, false},    // a cut sequence
		{"two\r\nlines\tand a tab", true, true},
		{"two\nlines", false, false},
		{"a\tb", false, false},
	} {
		err := CheckChars("field_x", c.s, c.multiline)
		if (err == nil) != c.ok {
			t.Errorf("CheckChars(%+q, multiline %v) = %v, want ok %v", c.s, c.multiline, err, c.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "field_x")) {
			t.Errorf("CheckChars(%+q): %v does not name the field as invalid", c.s, err)
		}
	}
}

func TestCheckTextCountsCharacters(t *testing.T) {
	if err := CheckText("name", strings.Repeat("é", MaxName), MaxName, false); err != nil {
		t.Errorf("%d accented letters: %v", MaxName, err)
	}
	err := CheckText("name", strings.Repeat("é", MaxName+1), MaxName, false)
	if err == nil || !strings.Contains(err.Error(), "at most 200") {
		t.Errorf("%d letters: %v", MaxName+1, err)
	}
}

func TestPersonValidateLimits(t *testing.T) {
	ok := func() Person { return Person{School: "DIIAGE", BirthName: "Durand", FirstNames: "Léa"} }
	for field, change := range map[string]func(*Person){
		"birth_name":        func(p *Person) { p.BirthName = strings.Repeat("a", MaxName+1) },
		"first_names":       func(p *Person) { p.FirstNames = "Léa\nJeanne" },
		"usage_name":        func(p *Person) { p.UsageName = "x\x00" },
		"email":             func(p *Person) { p.Email = strings.Repeat("a", 250) + "@x.org" },
		"phone":             func(p *Person) { p.Phone = strings.Repeat("0", MaxShort+1) },
		"address":           func(p *Person) { p.Address = strings.Repeat("a", MaxLine+1) },
		"ects":              func(p *Person) { p.ECTS = MaxECTS + 1 },
		"experience_months": func(p *Person) { p.ExperienceMonths = MaxExperienceMonths + 1 },
	} {
		p := ok()
		change(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: Validate = %v", field, err)
		}
	}
	p := ok()
	p.FirstNames = "E\u0301loi\u0308se" // NFD
	if err := p.Validate(); err != nil || p.FirstNames != "\u00c9lo\u00efse" {
		t.Errorf("Validate = %v, first names %+q, want NFC", err, p.FirstNames)
	}
}
