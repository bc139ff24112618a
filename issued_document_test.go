package certibloc

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func sampleIssued() *IssuedDocument {
	return &IssuedDocument{
		Number: "7K3M-Q9XZ-2HRT-8BWD-" + string(docCheck("7K3MQ9XZ2HRT8BWD")), Kind: Transcript, PersonID: 7, School: "ECOLE",
		Holder: DocumentHolder{FirstNames: "Hélène", LastName: "Lefèvre", BirthName: "Dupré", BirthDate: DateOf(1990, 3, 12)},
		Certification: DocumentCertification{Code: "RNCP38478", Version: 2, Title: "Coordinateur de projets informatiques",
			Level: 6, Certifier: "Établissement de démonstration"},
		Blocks: []DocumentBlock{
			{Code: "RNCP38478BC01", Title: "Piloter un projet", Date: DateOf(2026, 6, 1), Route: Training},
			{Code: "RNCP38478BC02", Title: "Concevoir une solution", Date: DateOf(2025, 6, 1), Route: VAE},
		},
		JuryDate: DateOf(2026, 7, 2), IssuedAt: time.Date(2026, 7, 3, 9, 0, 0, 0, time.UTC),
	}
}

func TestIssuedDocumentValidate(t *testing.T) {
	if err := sampleIssued().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		change func(d *IssuedDocument)
		want   string
	}{
		{"unknown kind", func(d *IssuedDocument) { d.Kind = "diploma" }, "not a kind"},
		{"number not canonical", func(d *IssuedDocument) { d.Number = strings.ToLower(d.Number) }, "canonical"},
		{"wrong check", func(d *IssuedDocument) { d.Number = d.Number[:20] + "Z" }, "canonical"},
		{"no person", func(d *IssuedDocument) { d.PersonID = 0 }, "person"},
		{"no name", func(d *IssuedDocument) { d.Holder.LastName = " " }, "last name"},
		{"no birth date", func(d *IssuedDocument) { d.Holder.BirthDate = Date{} }, "birth date"},
		{"no certifier", func(d *IssuedDocument) { d.Certification.Certifier = "" }, "certifier"},
		{"bad level", func(d *IssuedDocument) { d.Certification.Level = 9 }, "level 9"},
		{"no jury date", func(d *IssuedDocument) { d.JuryDate = Date{} }, "jury date"},
		{"attestation of two blocks", func(d *IssuedDocument) { d.Kind = Attestation }, "one block, not 2"},
		{"empty transcript", func(d *IssuedDocument) { d.Blocks = nil }, "at least one block"},
		{"block without route", func(d *IssuedDocument) { d.Blocks[0].Route = "" }, "route"},
		{"block after the jury", func(d *IssuedDocument) { d.Blocks[1].Date = DateOf(2026, 8, 1) }, "not after the jury"},
		{"block twice", func(d *IssuedDocument) { d.Blocks[1].Code = d.Blocks[0].Code }, "named twice"},
	} {
		d := sampleIssued()
		c.change(d)
		err := d.Validate()
		if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an invalid error with %q", c.name, err, c.want)
		}
	}
}

// The verification shows the holder's name as printed and the year of
// birth, never the birth date, the person's id, the school or the reason
// of a revocation.
func TestVerificationShowsTheMinimum(t *testing.T) {
	d := sampleIssued()
	d.Digest = strings.Repeat("ab", 32)
	v := d.Verify()
	if v.Status != DocumentValid || v.Holder != "Hélène Lefèvre (Dupré)" || v.BirthYear != 1990 || v.RevokedOn != nil {
		t.Fatalf("%+v", v)
	}
	revokedAt := time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC)
	d.RevokedAt, d.RevokeReason = &revokedAt, "fraude constatée à l'épreuve"
	v = d.Verify()
	if v.Status != DocumentRevoked || v.RevokedOn == nil || v.RevokedOn.String() != "2026-09-01" {
		t.Fatalf("%+v", v)
	}
	b, _ := json.Marshal(v)
	for _, leak := range []string{"1990-03-12", "fraude", "ECOLE", `"person_id"`, `"version"`, "training", "vae"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("the verification shows %q: %s", leak, b)
		}
	}
}

func TestHolderOf(t *testing.T) {
	p := &Person{FirstNames: "Léa", BirthName: "Martin", UsageName: "Durand", BirthDate: DateOf(2001, 1, 2)}
	if h := HolderOf(p); h.Name() != "Léa Durand (Martin)" {
		t.Errorf("%q", h.Name())
	}
	p.UsageName = ""
	if h := HolderOf(p); h.Name() != "Léa Martin" {
		t.Errorf("%q", h.Name())
	}
}

func TestDocumentNumberErrorsInFrench(t *testing.T) {
	n, _ := NewDocumentNumber(strings.NewReader(strings.Repeat("x", 16)))
	for _, c := range []struct{ in, fr, en string }{
		{"7K3M", "compte 17 symboles", "has 17 symbols"},
		{"7K3M-Q9XZ-2HRT-8BWD-" + "é", "compte 17 symboles", "has 17 symbols"},
		{"7K3M-Q9XZ-2HRT-8BWU-J", "« U » n'est pas un symbole", "“U” is not a symbol"},
		{n[:20] + string(crockfordChecks[(strings.IndexByte(crockfordChecks, n[20])+1)%37]), "symbole de contrôle", "check symbol"},
	} {
		_, fr := ParseDocumentNumberIn(c.in, French)
		_, en := ParseDocumentNumberIn(c.in, English)
		if fr == nil || en == nil || !strings.Contains(fr.Error(), c.fr) || !strings.Contains(en.Error(), c.en) ||
			strings.Contains(fr.Error(), "%!") {
			t.Errorf("%q: %v / %v", c.in, fr, en)
		}
	}
}

func TestNewIssuedDocument(t *testing.T) {
	p := &Person{ID: 4, School: "ECOLE", FirstNames: "Zoé", BirthName: "Œuvray", BirthDate: DateOf(2000, 2, 29)}
	c := &Certification{Code: "RNCP38478", Version: 1, Title: "Coordinateur de projets informatiques", Level: 6,
		Certifiers: []Certifier{{Name: "SUP DE VINCI"}}, Blocks: []Block{{Code: "BC01", Title: "Piloter"}, {Code: "BC02", Title: "Coordonner"}}}
	n, _ := NewDocumentNumber(strings.NewReader(strings.Repeat("k", 16)))
	verdicts := []BlockVerdict{{Block: "BC01", Validated: true, Route: Training, Date: DateOf(2026, 6, 1)},
		{Block: "BC02", Validated: false}}
	d, err := NewIssuedDocument(Transcript, n, p, c, verdicts, 9, DateOf(2026, 7, 1), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) != 1 || d.Blocks[0].Title != "Piloter" || d.Certification.Certifier != "SUP DE VINCI" ||
		d.Holder.Name() != "Zoé Œuvray" || d.School != "ECOLE" || d.JuryID != 9 {
		t.Errorf("%+v", d)
	}
	verdicts[0].Block = "BC09"
	if _, err := NewIssuedDocument(Transcript, n, p, c, verdicts, 9, DateOf(2026, 7, 1), time.Now()); err == nil ||
		!strings.Contains(err.Error(), "BC09 is not a block") {
		t.Errorf("an unknown block: %v", err)
	}
	if _, err := NewIssuedDocument(Attestation, n, p, c, verdicts[1:], 9, DateOf(2026, 7, 1), time.Now()); err == nil {
		t.Error("an attestation of a block the jury did not validate")
	}
}

func TestAuthorizeDownload(t *testing.T) {
	d := sampleIssued()
	for _, c := range []struct {
		p    *Principal
		want string
	}{
		{&Principal{}, EUNAUTHORIZED},
		{&Principal{Role: Candidate, PersonID: 7}, ""},
		{&Principal{Role: Candidate, PersonID: 8}, EFORBIDDEN},
		{&Principal{Role: Admin}, ""},
		{&Principal{Role: Staff, Schools: []string{"ECOLE"}}, ""},
		{&Principal{Role: Staff, Schools: []string{"AUTRE"}}, EFORBIDDEN},
		{&Principal{Role: Evaluator, Schools: []string{"ECOLE"}}, EFORBIDDEN},
		{&Principal{Role: Jury, Schools: []string{"ECOLE"}}, EFORBIDDEN},
	} {
		if got := ErrorCode(d.AuthorizeDownload(c.p)); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}
