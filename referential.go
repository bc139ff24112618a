package certibloc

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
)

// Certification is one version of a certification's referential, as
// registered with France Compétences: its identity, its blocks of
// competencies and the rules by which it is entered and awarded. Each change
// makes a new version; earlier candidates stay on the version they started.
type Certification struct {
	Code             string      `json:"code"` // RNCP38478, RS5000
	Version          int         `json:"version"`
	Title            string      `json:"title"`
	Level            int         `json:"level"` // European level 3..8, 0 when none (RS)
	Active           bool        `json:"active"`
	State            string      `json:"state,omitempty"` // ETAT_FICHE: Publiée…
	Abbreviation     string      `json:"abbreviation,omitempty"`
	NSFCodes         []Label     `json:"nsf"` // in the API also as nsf_codes: the codes alone
	ROMECodes        []Label     `json:"rome_codes,omitempty"`
	Formacodes       []Label     `json:"formacodes,omitempty"`
	Certifiers       []Certifier `json:"certifiers"`
	RegistrationType string      `json:"registration_type,omitempty"`
	DecisionDate     Date        `json:"decision_date"`
	EndDate          Date        `json:"end_date"`
	Objectives       string      `json:"objectives,omitempty"`
	Activities       string      `json:"activities,omitempty"`
	Capacities       string      `json:"capacities,omitempty"`
	Jobs             []string    `json:"jobs,omitempty"`
	Sectors          []string    `json:"sectors,omitempty"`
	LegalReferences  string      `json:"legal_references,omitempty"`
	Prerequisites    string      `json:"prerequisites_text,omitempty"` // free text, as published
	AccessRoutes     []string    `json:"access_routes,omitempty"`      // Route values open to candidates
	JuryRoutes       []JuryRoute `json:"jury_routes,omitempty"`        // SI_JURY_*: the ways in, as published
	Previous         []string    `json:"previous_codes,omitempty"`     // ANCIENNES_CERTIFICATIONS
	Next             []string    `json:"next_codes,omitempty"`         // NOUVELLES_CERTIFICATIONS
	URL              string      `json:"url,omitempty"`
	Source           string      `json:"source,omitempty"` // seed, rncp-xml, rncp-csv

	Blocks     []Block         `json:"blocks"`
	EntryRules []EntryRule     `json:"entry_rules,omitempty"`
	BlockRules []BlockRule     `json:"block_prerequisites,omitempty"`
	Validation *ValidationRule `json:"validation_rule,omitempty"`
	// Correspondences carry blocks acquired on older versions over to this
	// one (ledger.go).
	Correspondences []Correspondence `json:"correspondences,omitempty"`
	// Jury is the composition a jury needs to deliberate; nil means
	// DefaultJuryRule.
	Jury *JuryRule `json:"jury_rule,omitempty"`
	// English is the referential in English, when a translation exists:
	// France Compétences publishes it in French only.
	English *Translation `json:"english,omitempty"`
}

// Translation is a certification's title, blocks and competencies in
// another language, each block's competencies in the order of the French.
type Translation struct {
	Title  string             `json:"title"`
	Blocks []BlockTranslation `json:"blocks,omitempty"`
}

// BlockTranslation is a block's title and competencies translated.
type BlockTranslation struct {
	Code         string   `json:"code"`
	Title        string   `json:"title"`
	Competencies []string `json:"competencies"`
}

// EnglishBlock returns the English translation of a block, if any.
func (c *Certification) EnglishBlock(code string) (BlockTranslation, bool) {
	if c.English == nil {
		return BlockTranslation{}, false
	}
	for _, b := range c.English.Blocks {
		if b.Code == code {
			return b, true
		}
	}
	return BlockTranslation{}, false
}

// MarshalJSON writes the certification with, beside its NSF labels, the
// list of NSF codes alone (nsf_codes), as the public API promises.
func (c Certification) MarshalJSON() ([]byte, error) {
	type plain Certification // without this method
	codes := make([]string, len(c.NSFCodes))
	for i, l := range c.NSFCodes {
		codes[i] = l.Code
	}
	return json.Marshal(struct {
		plain
		NSF []string `json:"nsf_codes"`
	}{plain(c), codes})
}

// Label is a code with its wording, as in nomenclatures (NSF, ROME, Formacode).
type Label struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Certifier is a body that awards the certification.
type Certifier struct {
	SIRET string `json:"siret,omitempty"`
	Name  string `json:"name"`
}

// JuryRoute is one way of obtaining the certification as published in the
// RNCP fiche (SI_JURY_FI, SI_JURY_VAE…): whether it is open and how its jury is made.
type JuryRoute struct {
	Route       string `json:"route"` // FI, CA, FC, CQ, CL, VAE
	Open        bool   `json:"open"`
	Composition string `json:"composition,omitempty"`
}

// BlockKind tells a common block from an optional one.
type BlockKind string

// Block kinds.
const (
	Common   BlockKind = "common"
	Optional BlockKind = "optional"
)

// Block is a bloc de compétences: a part of the certification that can be
// assessed and acquired on its own.
type Block struct {
	Code         string       `json:"code"` // RNCP38478BC01
	Title        string       `json:"title"`
	Kind         BlockKind    `json:"kind"`
	Competencies []string     `json:"competencies"`
	Evaluations  []Evaluation `json:"evaluations"`
	// EvaluationText is the evaluation modalities as published: the whole
	// text for imported fiches, or the sentence introducing the evaluations.
	EvaluationText string   `json:"evaluation_text,omitempty"`
	Jobs           []string `json:"jobs,omitempty"` // jobs the block particularly opens
}

// Form says whether an evaluation is taken alone or as a team.
type Form string

// Evaluation forms.
const (
	Individual Form = "individual"
	Team       Form = "team"
)

// Evaluation is one of the assessments of a block (a mise en situation
// professionnelle reconstituée, say). A block is validated by training when
// all its evaluations are passed.
type Evaluation struct {
	Number      int    `json:"number"`
	Title       string `json:"title"`
	Form        Form   `json:"form"`
	Description string `json:"description"`
}

// Track is a training track: how long the learner studies before the title.
type Track string

// Tracks of RNCP38478; other certifications may name their own.
const (
	OneYear   Track = "one_year"
	ThreeYear Track = "three_year"
)

// Route is a way of acquiring blocks.
type Route string

// Access routes.
const (
	Training Route = "training"
	VAE      Route = "vae"
	Mixed    Route = "mixed"
)

// EntryRule is one way into a track: a minimum qualification level plus,
// optionally, experience or ECTS. Rules of a track are alternatives.
type EntryRule struct {
	Track               Track  `json:"track"`
	Rule                string `json:"rule"` // level5, level4_experience, level4_ects, level4
	MinLevel            int    `json:"min_level"`
	MinExperienceMonths int    `json:"min_experience_months,omitempty"`
	MinECTS             int    `json:"min_ects,omitempty"`
	CommitteeReview     bool   `json:"committee_review,omitempty"`
	Text                string `json:"text"` // the rule as the referential words it
}

// BlockRule says that, on a track, a block only counts when another was
// validated first (three-year track: an optional block requires BC03).
type BlockRule struct {
	Track    Track  `json:"track"`
	Block    string `json:"block"`
	Requires string `json:"requires"`
}

// ValidationRule is what it takes to be awarded the whole certification.
type ValidationRule struct {
	// CommonBlocks must all be validated; MinOptional optional blocks too.
	MinOptional int `json:"min_optional"`
	// Complementary evaluations (company period) required when any block
	// was acquired by training; a candidate whose blocks all came by VAE
	// needs none.
	Complementary []Complementary `json:"complementary,omitempty"`
	Text          string          `json:"text,omitempty"`
}

// Complementary is an evaluation outside the blocks, such as the oral
// defence or the technical thesis of the company period.
type Complementary struct {
	Code  string `json:"code"` // oral_defence, technical_thesis
	Title string `json:"title"`
}

// Block returns the block with the given code, or nil.
func (c *Certification) Block(code string) *Block {
	for i := range c.Blocks {
		if c.Blocks[i].Code == code {
			return &c.Blocks[i]
		}
	}
	return nil
}

// Tracks returns the tracks named by the entry rules, in their order.
func (c *Certification) Tracks() []Track {
	var ts []Track
	for _, r := range c.EntryRules {
		if !slices.Contains(ts, r.Track) {
			ts = append(ts, r.Track)
		}
	}
	return ts
}

var (
	certCodeRE  = regexp.MustCompile(`^(RNCP|RS)[0-9]{1,6}$`)
	blockCodeRE = regexp.MustCompile(`^(RNCP|RS)[0-9]{1,6}BC[0-9]{1,3}$`)
)

// ValidCode reports whether code looks like an RNCP or RS certification code.
func ValidCode(code string) bool { return certCodeRE.MatchString(code) }

// Validate checks that the certification is whole enough to be stored:
// a code, a title, blocks with codes and known kinds, evaluations numbered
// once, and rules that name existing blocks.
func (c *Certification) Validate() error {
	if !ValidCode(c.Code) {
		return Errorf(EINVALID, "certification code %q is not of the form RNCPnnnnn or RSnnnn", c.Code)
	}
	if c.Title == "" {
		return Errorf(EINVALID, "certification %s has no title", c.Code)
	}
	if c.Level < 0 || c.Level > 8 {
		return Errorf(EINVALID, "certification %s: level %d is not a European level (1 to 8)", c.Code, c.Level)
	}
	seen := map[string]bool{}
	for _, b := range c.Blocks {
		if !blockCodeRE.MatchString(b.Code) {
			return Errorf(EINVALID, "certification %s: block code %q is not of the form %sBCnn", c.Code, b.Code, c.Code)
		}
		if seen[b.Code] {
			return Errorf(EINVALID, "certification %s: block %s appears twice", c.Code, b.Code)
		}
		seen[b.Code] = true
		if b.Kind != Common && b.Kind != Optional {
			return Errorf(EINVALID, "block %s: kind %q is neither common nor optional", b.Code, b.Kind)
		}
		nums := map[int]bool{}
		for _, e := range b.Evaluations {
			if e.Number < 1 || nums[e.Number] {
				return Errorf(EINVALID, "block %s: evaluation number %d is not positive or appears twice", b.Code, e.Number)
			}
			nums[e.Number] = true
			if e.Form != Individual && e.Form != Team {
				return Errorf(EINVALID, "block %s evaluation %d: form %q is neither individual nor team", b.Code, e.Number, e.Form)
			}
		}
	}
	if err := c.validateEnglish(); err != nil {
		return err
	}
	for _, r := range c.BlockRules {
		if !seen[r.Block] || !seen[r.Requires] {
			return Errorf(EINVALID, "certification %s: block prerequisite %s → %s names an unknown block", c.Code, r.Requires, r.Block)
		}
	}
	for _, r := range c.EntryRules {
		if r.Track == "" || r.Rule == "" || r.MinLevel < 0 {
			return Errorf(EINVALID, "certification %s: entry rule %+v needs a track, a name and a level", c.Code, r)
		}
	}
	for _, k := range c.Correspondences {
		if k.FromVersion < 1 || (c.Version > 0 && k.FromVersion >= c.Version) || k.From == "" || !seen[k.To] {
			return Errorf(EINVALID, "certification %s: correspondence %s (version %d) → %s must come from an older version and lead to one of its blocks", c.Code, k.From, k.FromVersion, k.To)
		}
	}
	if j := c.Jury; j != nil && (j.Quorum < 1 || j.Quorum > 50 || j.MinProfessionalPct < 0 || j.MinProfessionalPct > 100 || j.MaxTeachingPct < 1 || j.MaxTeachingPct > 100) {
		return Errorf(EINVALID, "certification %s: the jury rule needs a quorum from 1 to 50 and shares from 0 to 100 %%", c.Code)
	}
	return nil
}

// validateEnglish checks the English translation against the French: its
// title, each block known once, as many competencies as in French.
func (c *Certification) validateEnglish() error {
	if c.English == nil {
		return nil
	}
	if strings.TrimSpace(c.English.Title) == "" {
		return Errorf(EINVALID, "certification %s: the English translation has no title", c.Code)
	}
	seen := map[string]bool{}
	for _, t := range c.English.Blocks {
		i := slices.IndexFunc(c.Blocks, func(b Block) bool { return b.Code == t.Code })
		if i < 0 || seen[t.Code] {
			return Errorf(EINVALID, "certification %s: the English translation names block %q, which is not one of its blocks or comes twice", c.Code, t.Code)
		}
		seen[t.Code] = true
		if strings.TrimSpace(t.Title) == "" {
			return Errorf(EINVALID, "block %s: the English translation has no title", t.Code)
		}
		if len(t.Competencies) != len(c.Blocks[i].Competencies) {
			return Errorf(EINVALID, "block %s: the English translation has %d competencies, the French %d",
				t.Code, len(t.Competencies), len(c.Blocks[i].Competencies))
		}
	}
	return nil
}
