package rncp

import (
	"testing"

	"github.com/certibloc/certibloc"
)

func TestCleanText(t *testing.T) {
	tests := []struct{ in, line, text string }{
		{"", "", ""},
		{"déjà propre", "déjà propre", "déjà propre"},
		{"  Étude   de\tcas \u00a0: écrit  ", "Étude de cas : écrit", "Étude de cas : écrit"},
		{"Un.\r\nDeux.\r\n\r\n\r\nTrois.\n", "Un. Deux. Trois.", "Un.\nDeux.\n\nTrois."},
		{"a\rb", "a b", "a\nb"},
		{"\n\n  x  \n\n", "x", "x"},
	}
	for _, tt := range tests {
		if got := cleanLine(tt.in); got != tt.line {
			t.Errorf("cleanLine(%q) = %q, want %q", tt.in, got, tt.line)
		}
		if got := cleanText(tt.in); got != tt.text {
			t.Errorf("cleanText(%q) = %q, want %q", tt.in, got, tt.text)
		}
	}
}

func TestParseLevel(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"NIV6", 6, true}, {" niv3 ", 3, true}, {"NIV8", 8, true}, {"", 0, true},
		{"REPRISE", 0, true}, // the CSV's "Sans niveau"
		{"NIV9", 0, false}, {"NIV0", 0, false}, {"NIV", 0, false}, {"NIV10", 0, false},
	}
	for _, tt := range tests {
		got, err := parseLevel(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("parseLevel(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseActive(t *testing.T) {
	for in, want := range map[string]bool{"Oui": true, "OUI": true, "ACTIVE": true, " Non ": false, "INACTIVE": false, "": false} {
		if got, err := parseActive(in); got != want || err != nil {
			t.Errorf("parseActive(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"Actif", "1", "true"} {
		if _, err := parseActive(in); err == nil {
			t.Errorf("parseActive(%q): no error", in)
		}
	}
}

func TestFirstDate(t *testing.T) {
	got, err := firstDate("A", "", "B", " 29/02/2024 ", "C", "01/01/2000")
	if err != nil || got != certibloc.DateOf(2024, 2, 29) {
		t.Errorf("firstDate skips blanks: got %v, %v", got, err)
	}
	if got, err := firstDate("A", "", "B", ""); err != nil || !got.IsZero() {
		t.Errorf("no date: got %v, %v", got, err)
	}
	for _, bad := range []string{"2024-02-29", "29/02/2023", "1/2/2024", "32/01/2024", "29/02/24"} {
		if _, err := firstDate("DATE_X", bad, "DATE_Y", "01/01/2000"); err == nil {
			t.Errorf("firstDate(%q): no error", bad)
		}
	}
}

func TestPageURL(t *testing.T) {
	tests := []struct{ code, published, want string }{
		{"RNCP36612", "https://a.fr/x    https://b.fr/y", "https://a.fr/x"},
		{"RNCP37488", "*       *", "https://www.francecompetences.fr/recherche/rncp/37488/"},
		{"RS6232", "Certificat – ADX Formation (adx-formation.com)", "https://www.francecompetences.fr/recherche/rs/6232/"},
		{"RS7485", "http://old.example/", "http://old.example/"},
		{"X1", "", ""},
	}
	for _, tt := range tests {
		if got := pageURL(tt.code, tt.published); got != tt.want {
			t.Errorf("pageURL(%q, %q) = %q, want %q", tt.code, tt.published, got, tt.want)
		}
	}
}

func TestLabel(t *testing.T) {
	tests := []struct {
		code, wording string
		want          certibloc.Label
	}{
		{"326", "326 : Informatique, traitement de l'information", certibloc.Label{Code: "326", Label: "Informatique, traitement de l'information"}},
		{"114b", "114b: Modèles mathématiques ; Informatique mathématique", certibloc.Label{Code: "114b", Label: "Modèles mathématiques ; Informatique mathématique"}},
		{"I1203", "Maintenance des bâtiments", certibloc.Label{Code: "I1203", Label: "Maintenance des bâtiments"}},
		{"31", "3100 : Autre", certibloc.Label{Code: "31", Label: "3100 : Autre"}}, // a prefix of the number is no code prefix
		{"", " : rien", certibloc.Label{Label: ": rien"}},
	}
	for _, tt := range tests {
		if got := label(tt.code, tt.wording); got != tt.want {
			t.Errorf("label(%q, %q) = %+v, want %+v", tt.code, tt.wording, got, tt.want)
		}
	}
}
