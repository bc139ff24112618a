package seed

import (
	"slices"
	"testing"

	"github.com/certibloc/certibloc"
)

func TestCertificationDecodesAndValidates(t *testing.T) {
	c, err := Certification()
	if err != nil {
		t.Fatal(err)
	}
	if c.Code != "RNCP38478" || c.Level != 6 || !c.Active || c.Version != 1 || c.Source != "seed" {
		t.Errorf("identity = %s v%d level %d active %v source %q", c.Code, c.Version, c.Level, c.Active, c.Source)
	}
	if len(c.NSFCodes) != 1 || c.NSFCodes[0].Code != "326" || len(c.Certifiers) != 1 || c.Certifiers[0].Name != "SUP DE VINCI" {
		t.Errorf("NSF %v, certifiers %v", c.NSFCodes, c.Certifiers)
	}
	if got := c.DecisionDate.String(); got != "2023-12-21" {
		t.Errorf("decision date = %s, want 2023-12-21", got)
	}
	if !slices.Equal(c.AccessRoutes, []string{"training", "vae", "mixed"}) {
		t.Errorf("access routes = %v", c.AccessRoutes)
	}
}

func TestCertificationBlocks(t *testing.T) {
	c, err := Certification()
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		code  string
		kind  certibloc.BlockKind
		evals int
	}{
		{"RNCP38478BC01", certibloc.Common, 1},
		{"RNCP38478BC02", certibloc.Common, 2},
		{"RNCP38478BC03", certibloc.Common, 1},
		{"RNCP38478BC04", certibloc.Optional, 2},
		{"RNCP38478BC05", certibloc.Optional, 2},
		{"RNCP38478BC06", certibloc.Optional, 2},
	}
	if len(c.Blocks) != len(want) {
		t.Fatalf("%d blocks, want %d", len(c.Blocks), len(want))
	}
	for i, w := range want {
		b := c.Blocks[i]
		if b.Code != w.code || b.Kind != w.kind || len(b.Evaluations) != w.evals {
			t.Errorf("block %d = %s %s with %d evaluations, want %s %s with %d",
				i, b.Code, b.Kind, len(b.Evaluations), w.code, w.kind, w.evals)
		}
		if len(b.Competencies) == 0 {
			t.Errorf("block %s has no competency", b.Code)
		}
		for j, e := range b.Evaluations {
			wantForm := certibloc.Individual
			if b.Code == "RNCP38478BC02" && e.Number == 1 {
				wantForm = certibloc.Team
			}
			if e.Number != j+1 || e.Form != wantForm || e.Title == "" || e.Description == "" {
				t.Errorf("block %s evaluation %d: number %d, form %s, title %q", b.Code, j+1, e.Number, e.Form, e.Title)
			}
		}
		if optional := b.Kind == certibloc.Optional; optional != (len(b.Jobs) > 0) {
			t.Errorf("block %s (%s) has %d jobs: only optional blocks list jobs", b.Code, b.Kind, len(b.Jobs))
		}
	}
}

func TestCertificationRules(t *testing.T) {
	c, err := Certification()
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, r := range c.EntryRules {
		rules = append(rules, string(r.Track)+"/"+r.Rule)
		if r.Text == "" {
			t.Errorf("entry rule %s has no text", r.Rule)
		}
	}
	wantRules := []string{"one_year/level5", "one_year/level4_experience", "one_year/level4_ects", "three_year/level4"}
	if !slices.Equal(rules, wantRules) {
		t.Errorf("entry rules = %v, want %v", rules, wantRules)
	}
	exp := c.EntryRules[1]
	if exp.MinLevel != 4 || exp.MinExperienceMonths != 12 || !exp.CommitteeReview {
		t.Errorf("level4_experience = %+v", exp)
	}
	if ects := c.EntryRules[2]; ects.MinLevel != 4 || ects.MinECTS != 120 {
		t.Errorf("level4_ects = %+v", ects)
	}
	for i, r := range c.BlockRules {
		want := certibloc.BlockRule{Track: certibloc.ThreeYear, Block: c.Blocks[3+i].Code, Requires: "RNCP38478BC03"}
		if r != want {
			t.Errorf("block rule %d = %+v, want %+v", i, r, want)
		}
	}
	if len(c.BlockRules) != 3 {
		t.Errorf("%d block rules, want 3", len(c.BlockRules))
	}
	v := c.Validation
	if v == nil || v.MinOptional != 1 || len(v.Complementary) != 2 ||
		v.Complementary[0].Code != "oral_defence" || v.Complementary[1].Code != "technical_thesis" || v.Text == "" {
		t.Errorf("validation rule = %+v", v)
	}
}

func TestProgrammeDecodes(t *testing.T) {
	p, err := Programme()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Certification()
	if err != nil {
		t.Fatal(err)
	}
	if p.CertificationCode != c.Code || p.School.Code != "DIIAGE" || p.UpdatedOn.String() != "2025-05-13" {
		t.Errorf("programme %s of %s by %s, updated %s", p.Slug, p.CertificationCode, p.School.Code, p.UpdatedOn)
	}
	for _, g := range p.Content {
		for _, m := range g.Modules {
			if c.Block(m.Block) == nil {
				t.Errorf("module %q names block %q, not in %s", m.Title, m.Block, c.Code)
			}
		}
	}
	for _, s := range p.Outcomes {
		if s.Block != "" && c.Block(s.Block) == nil {
			t.Errorf("outcome %q names block %q, not in %s", s.Title, s.Block, c.Code)
		}
	}
	if len(p.Duration.Tracks) != 2 || p.Duration.WeeklyHours != 35 || p.Duration.Tracks[0].InternshipMons != 6 {
		t.Errorf("duration = %+v", p.Duration)
	}
}

func TestDecodeRefusesUnknownFields(t *testing.T) {
	var c certibloc.Certification
	if err := decodeStrict([]byte(`{"code":"RNCP1","titel":"typo"}`), &c); err == nil {
		t.Error("an unknown field was accepted")
	}
	if err := decodeStrict([]byte(`{"code":"RNCP1"} {}`), &c); err == nil {
		t.Error("trailing data was accepted")
	}
}
