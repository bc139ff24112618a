package pdf

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
)

// TestMinutesText renders the minutes of a jury and reads them back with
// pdftotext: members, candidates, blocks with routes and dates, the title,
// each override with its reason, accents included; and the same minutes
// give the same bytes.
func TestMinutesText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	closed := time.Date(2027, 7, 1, 16, 0, 0, 0, time.UTC)
	c := &certibloc.Certification{Code: "RNCP38478", Version: 1, Title: "Coordinateur de projets informatiques", Level: 6,
		Certifiers: []certibloc.Certifier{{Name: "SUP DE VINCI"}},
		Blocks:     []certibloc.Block{{Code: "RNCP38478BC01", Title: "Piloter un projet informatique"}, {Code: "RNCP38478BC02", Title: "Coordonner une équipe projet"}}}
	m := &certibloc.Minutes{Certification: c,
		Jury: &certibloc.JurySession{ID: 7, Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon", ClosedAt: &closed,
			Members: []certibloc.JuryMember{{Name: "Hélène Bérard", Role: certibloc.JuryChair, Present: true}, {Name: "Zoé Leclerc", Role: certibloc.JuryProfessional}}},
		Candidates: []certibloc.MinutesCandidate{{PersonID: 1, Name: "Anaïs LEFÈVRE", BirthDate: certibloc.DateOf(1999, 2, 3), Decision: certibloc.JuryDecision{
			Blocks: []certibloc.BlockVerdict{{Block: "RNCP38478BC01", Proposed: true, Validated: true, Route: certibloc.Training, Date: certibloc.DateOf(2027, 6, 2)},
				{Block: "RNCP38478BC02", Validated: true, Route: certibloc.VAE, Date: certibloc.DateOf(2027, 7, 1), Reason: "Dossier et oral très solides."}}}}}}
	b, err := Minutes(m)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Minutes(m)
	if !bytes.Equal(b, again) {
		t.Error("the same minutes gave different bytes")
	}
	cmd := exec.Command("pdftotext", "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"SUP DE VINCI", "Procès-verbal du jury", "Coordinateur de projets informatiques — RNCP38478", "1 juillet 2027 à Dijon",
		"Hélène Bérard — président(e), présent(e)", "Zoé Leclerc — professionnel(le) du métier, absent(e)", "Anaïs LEFÈVRE, né(e) le 3 février 1999",
		"RNCP38478BC01 « Piloter un projet informatique », par formation, le 2 juin 2027",
		"par validation des acquis de l'expérience", "Certification non délivrée.",
		"Le jury valide le bloc RNCP38478BC02 contre la proposition du moteur de règles. Motif : Dossier et oral très solides."} {
		if !strings.Contains(text, want) {
			t.Errorf("the minutes lack %q:\n%s", want, text)
		}
	}
}
