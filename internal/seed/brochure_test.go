package seed

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// The brochure test proves that everything the DIIAGE sheet says is in the
// seed: each competency and evaluation text word for word in the
// certification, in order; every other paragraph, bullet and heading in the
// certification or the programme, except the headings listed in structural,
// which the pages render from their own labels.

// structural are brochure headings and labels that carry no data.
var structural = map[string]bool{
	"CONTENU":                     true,
	"Blocs de compétences":        true,
	"Liste des compétences":       true,
	"Modalités d'évaluation":      true,
	"MODALITES ET DELAIS D'ACCES": true,
	"DUREE":                       true,
	"METHODES MOBILISEES":         true,
	"TARIF":                       true,
	"CONTACTS":                    true,
	"Réseaux sociaux":             true,
	"Objectifs et contexte de la certification":            true,
	"Pré-requis à l'entrée en formation pour le bloc":      true,
	"Pré-requis à la validation pour le bloc":              true,
	"ACCESSIBILITE AUX PERSONNES EN SITUATION DE HANDICAP": true,
	"Références juridiques des réglementations d'activité": true,
	"Description des modalités d'acquisition de la certification par " +
		"capitalisation des blocs de compétences et/ou par correspondance": true,
}

// corrections are the brochure's typos, fixed in the seed.
var corrections = strings.NewReplacer(
	"DIAGE", "DIIAGE", // heading; the school is the DIIAGE everywhere else
	"Référént", "Référent",
	"Contrôler l'analyse et de la qualité", "Contrôler l'analyse et la qualité", // as the block title
)

func TestBrochureIsInSeed(t *testing.T) {
	md, err := os.ReadFile("testdata/programme-rncp38478.md")
	if err != nil {
		t.Fatal(err)
	}
	gaps, err := brochureGaps(string(md), certificationJSON, programmeJSON)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gaps {
		t.Error(g)
	}
}

// TestBrochureCheckIsStrict drops one text at a time from the seed and
// expects the brochure check to notice.
func TestBrochureCheckIsStrict(t *testing.T) {
	md, err := os.ReadFile("testdata/programme-rncp38478.md")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		cert func(*certibloc.Certification)
		prog func(*certibloc.Programme)
	}{
		{name: "nothing dropped"},
		{name: "competency", cert: func(c *certibloc.Certification) {
			c.Blocks[2].Competencies = c.Blocks[2].Competencies[1:]
		}},
		{name: "word of a competency", cert: func(c *certibloc.Certification) {
			c.Blocks[0].Competencies[0] = strings.Replace(c.Blocks[0].Competencies[0], "client", "clients", 1)
		}},
		{name: "evaluation", cert: func(c *certibloc.Certification) { c.Blocks[5].Evaluations = c.Blocks[5].Evaluations[:1] }},
		{name: "evaluation lead", cert: func(c *certibloc.Certification) { c.Blocks[1].EvaluationText = "" }},
		{name: "block job", cert: func(c *certibloc.Certification) { c.Blocks[4].Jobs = c.Blocks[4].Jobs[1:] }},
		{name: "entry rule text", cert: func(c *certibloc.Certification) { c.EntryRules[2].Text = "Niveau 4" }},
		{name: "prerequisites text", cert: func(c *certibloc.Certification) { c.Prerequisites = "" }},
		{name: "legal references", cert: func(c *certibloc.Certification) { c.LegalReferences = "" },
			prog: func(p *certibloc.Programme) { p.Legal = "" }},
		{name: "content topic", prog: func(p *certibloc.Programme) { p.Content[1].Modules[2].Topics = nil }},
		{name: "phone", prog: func(p *certibloc.Programme) { p.Contacts[0].Phone = "" }},
		{name: "weekly hours", prog: func(p *certibloc.Programme) { p.Duration.WeeklyHours = 30 }},
		{name: "price", prog: func(p *certibloc.Programme) { p.Price = "" }},
		{name: "referent", prog: func(p *certibloc.Programme) { p.Access.Referent.Name = "" }},
		{name: "social link", prog: func(p *certibloc.Programme) { p.Social = p.Social[:3] }},
		{name: "method", prog: func(p *certibloc.Programme) { p.Methods[1].Text = "" }},
		{name: "updated on", prog: func(p *certibloc.Programme) { p.UpdatedOn = certibloc.Date{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Certification()
			if err != nil {
				t.Fatal(err)
			}
			p, err := Programme()
			if err != nil {
				t.Fatal(err)
			}
			if tt.cert != nil {
				tt.cert(c)
			}
			if tt.prog != nil {
				tt.prog(p)
			}
			cj, _ := json.Marshal(c)
			pj, _ := json.Marshal(p)
			gaps, err := brochureGaps(string(md), cj, pj)
			if err != nil {
				t.Fatal(err)
			}
			if dropped := tt.cert != nil || tt.prog != nil; dropped != (len(gaps) > 0) {
				t.Errorf("dropped a text: %v; gaps found: %q", dropped, gaps)
			}
		})
	}
}

var blockHeadingRE = regexp.MustCompile(`^(RNCP\d+BC\d+) - (.+)$`)

// brochureGaps lists what the brochure says that the seed does not.
func brochureGaps(md string, certJSON, progJSON []byte) ([]string, error) {
	var c certibloc.Certification
	var p certibloc.Programme
	if err := json.Unmarshal(certJSON, &c); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(progJSON, &p); err != nil {
		return nil, err
	}
	corpus, err := seedCorpus(&c, &p, certJSON, progJSON)
	if err != nil {
		return nil, err
	}
	var gaps []string
	found := map[string]map[string][]string{} // block code → section → texts
	entryTexts := map[string]bool{}           // the bullets of entry prerequisites
	for _, u := range parseMarkdown(md) {
		text := normalise(corrections.Replace(u.text))
		if u.section == "Pré-requis à l'entrée en formation pour le bloc" && u.kind == "li" {
			entryTexts[text] = true
		}
		if m := blockHeadingRE.FindStringSubmatch(text); m != nil && u.kind == "h" {
			if b := c.Block(m[1]); b == nil || normalise(b.Title) != m[2] {
				gaps = append(gaps, fmt.Sprintf("block heading %q: no block %s with that title", text, m[1]))
			}
			continue
		}
		if u.block != "" && (u.section == "Liste des compétences" || u.section == "Modalités d'évaluation") && u.kind != "h" {
			if found[u.block] == nil {
				found[u.block] = map[string][]string{}
			}
			found[u.block][u.section] = append(found[u.block][u.section], text)
			continue
		}
		if structural[text] {
			continue
		}
		if !strings.Contains(corpus, text) {
			gaps = append(gaps, fmt.Sprintf("%s (under %q) is in neither JSON file: %q", u.kind, u.section, text))
		}
	}
	for _, r := range c.EntryRules {
		if !entryTexts[normalise(r.Text)] {
			gaps = append(gaps, fmt.Sprintf("entry rule %s/%s: text %q is not a prerequisite of the brochure", r.Track, r.Rule, r.Text))
		}
	}
	for code, sections := range found {
		b := c.Block(code)
		if b == nil {
			gaps = append(gaps, fmt.Sprintf("block %s of the brochure is missing", code))
			continue
		}
		var evals []string
		if b.EvaluationText != "" {
			evals = append(evals, b.EvaluationText)
		}
		for _, e := range b.Evaluations {
			evals = append(evals, e.Description)
		}
		gaps = append(gaps, compareTexts(code+" competencies", sections["Liste des compétences"], b.Competencies)...)
		gaps = append(gaps, compareTexts(code+" evaluations", sections["Modalités d'évaluation"], evals)...)
	}
	return gaps, nil
}

// compareTexts wants the seed texts equal to the brochure's, one for one.
func compareTexts(what string, brochure, seed []string) []string {
	var gaps []string
	if len(brochure) != len(seed) {
		gaps = append(gaps, fmt.Sprintf("%s: brochure has %d texts, seed %d", what, len(brochure), len(seed)))
	}
	for i := range min(len(brochure), len(seed)) {
		if s := normalise(seed[i]); s != brochure[i] {
			gaps = append(gaps, fmt.Sprintf("%s #%d differs:\nbrochure %q\nseed     %q", what, i+1, brochure[i], s))
		}
	}
	return gaps
}
