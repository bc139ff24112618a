package rncp

import (
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
)

// fiche is one fiche as read from either export, still as published text.
// The XML and CSV readers fill it in their own ways; build turns it into a
// certification, so both formats are interpreted by the same code.
type fiche struct {
	where string // "line 42", "Standard line 3": where the fiche starts, for messages
	err   error  // a problem noticed while reading, reported instead of building

	code, title, level, active, state, abbreviation string
	registrationType                                string
	// Dates, JJ/MM/AAAA. decision is DATE_DECISION; effect, publication and
	// lastJO stand in for it when a fiche has none (enregistrement de droit).
	decision, effect, publication, lastJO, end string

	objectives, activities, capacities, sectors, jobs string
	legal, prerequisites, url                         string

	nsf, rome, formacodes []certibloc.Label
	certifiers            []certibloc.Certifier
	juries                []jury
	previous, next        []string
	blocks                []block
}

// jury is one SI_JURY_* element (or one line of the CSV VoixdAccès member).
type jury struct {
	route, active, composition string
}

// block is one BLOC_COMPETENCES of the fiche itself.
type block struct {
	code, title, competencies, evaluation string
}

// build turns the fiche into a certification that passed Validate, or
// returns a *certibloc.Error naming the fiche and what is wrong.
func (f *fiche) build(source string) (*certibloc.Certification, error) {
	if f.err != nil {
		return nil, f.err
	}
	c := &certibloc.Certification{
		Code:             strings.TrimSpace(f.code),
		Title:            cleanLine(f.title),
		State:            cleanLine(f.state),
		Abbreviation:     cleanLine(f.abbreviation),
		NSFCodes:         labels(f.nsf),
		ROMECodes:        labels(f.rome),
		Formacodes:       labels(f.formacodes),
		Certifiers:       certifiers(f.certifiers),
		RegistrationType: cleanLine(f.registrationType),
		Objectives:       cleanText(f.objectives),
		Activities:       cleanText(f.activities),
		Capacities:       cleanText(f.capacities),
		Sectors:          splitList(f.sectors),
		Jobs:             splitList(f.jobs),
		LegalReferences:  cleanText(f.legal),
		Prerequisites:    cleanText(f.prerequisites),
		Previous:         slices.Clone(f.previous),
		Next:             slices.Clone(f.next),
		Source:           source,
	}
	if c.Code == "" {
		return nil, f.errorf("has no NUMERO_FICHE")
	}
	if c.Title == "" {
		return nil, f.errorf("has no INTITULE")
	}
	var err error
	if c.Level, err = parseLevel(f.level); err != nil {
		return nil, f.errorf("%v", err)
	}
	if c.Active, err = parseActive(f.active); err != nil {
		return nil, f.errorf("ACTIF: %v", err)
	}
	if c.DecisionDate, err = firstDate(
		"DATE_DECISION", f.decision, "DATE_EFFET", f.effect,
		"DATE_DE_PUBLICATION", f.publication, "DATE_DERNIER_JO", f.lastJO); err != nil {
		return nil, f.errorf("%v", err)
	}
	if c.EndDate, err = firstDate("DATE_FIN_ENREGISTREMENT", f.end); err != nil {
		return nil, f.errorf("%v", err)
	}
	if err := f.buildRoutes(c); err != nil {
		return nil, err
	}
	c.URL = pageURL(c.Code, f.url)
	for _, b := range f.blocks {
		c.Blocks = append(c.Blocks, b.build())
	}
	if err := c.Validate(); err != nil {
		return nil, f.errorf("%v", err)
	}
	return c, nil
}

// buildRoutes fills the published jury routes and derives from them the
// access routes the rules engine understands.
func (f *fiche) buildRoutes(c *certibloc.Certification) error {
	training, vae := false, false
	for _, j := range f.juries {
		open, err := parseActive(j.active)
		if err != nil {
			return f.errorf("SI_JURY_%s/ACTIF: %v", j.route, err)
		}
		c.JuryRoutes = append(c.JuryRoutes, certibloc.JuryRoute{
			Route: j.route, Open: open, Composition: cleanText(j.composition),
		})
		switch {
		case open && j.route == "VAE":
			vae = true
		case open:
			training = true
		}
	}
	if training {
		c.AccessRoutes = append(c.AccessRoutes, string(certibloc.Training))
	}
	if vae {
		c.AccessRoutes = append(c.AccessRoutes, string(certibloc.VAE))
	}
	if training && vae {
		c.AccessRoutes = append(c.AccessRoutes, string(certibloc.Mixed))
	}
	return nil
}

// build turns a block as published into a domain block. The export does not
// tell common blocks from optional ones, so all are common until someone
// edits the referential; the evaluation modalities become one individual
// evaluation so that the rules engine can run an imported certification.
func (b block) build() certibloc.Block {
	out := certibloc.Block{
		Code:           strings.TrimSpace(b.code),
		Title:          cleanLine(b.title),
		Kind:           certibloc.Common,
		Competencies:   splitCompetencies(b.competencies),
		EvaluationText: cleanText(b.evaluation),
	}
	if out.EvaluationText != "" {
		out.Evaluations = []certibloc.Evaluation{{
			Number:      1,
			Title:       "Modalités d'évaluation",
			Form:        certibloc.Individual,
			Description: out.EvaluationText,
		}}
	}
	return out
}

// errorf returns an invalid-input error that names the fiche.
func (f *fiche) errorf(format string, args ...any) *certibloc.Error {
	name := "fiche"
	if code := strings.TrimSpace(f.code); code != "" {
		name += " " + code
	}
	e := certibloc.Errorf(certibloc.EINVALID, format, args...)
	e.Message = name + " (" + f.where + "): " + e.Message
	return e
}

// labels returns the labels but the empty ones an element without CODE nor
// LIBELLE leaves. It copies, so that certifications share no arrays.
func labels(ls []certibloc.Label) []certibloc.Label {
	var out []certibloc.Label
	for _, l := range ls {
		if l.Code != "" || l.Label != "" {
			out = append(out, l)
		}
	}
	return out
}

// certifiers returns the certifiers but the empty ones a CERTIFICATEUR
// without SIRET nor name leaves. It copies, like labels.
func certifiers(cs []certibloc.Certifier) []certibloc.Certifier {
	var out []certibloc.Certifier
	for _, c := range cs {
		if c.SIRET != "" || c.Name != "" {
			out = append(out, c)
		}
	}
	return out
}
