package certibloc

// The inputs and outputs of the rules engine (rules.go). Field names and JSON
// tags are those of the public API (POST …/simulate and …/eligibility); a
// Decision is serialised through Explain (rules_text.go).

import "slices"

// EvaluationResult is one attempt at one evaluation of a block, by training.
type EvaluationResult struct {
	Block  string `json:"block"`
	Number int    `json:"number"`
	Passed bool   `json:"passed"`
	Date   Date   `json:"date"`
}

// BlockDecision is a VAE jury's decision on one block.
type BlockDecision struct {
	Block     string `json:"block"`
	Validated bool   `json:"validated"`
	Date      Date   `json:"date"`
}

// AcquiredBlock is a block acquired earlier (capitalised), possibly under an
// earlier session or version: blocks once validated are acquired for good.
type AcquiredBlock struct {
	Block string `json:"block"`
	Route Route  `json:"route"` // training or vae
	Date  Date   `json:"date"`
}

// Record is what a candidate has obtained, as the jury would read it.
type Record struct {
	Track         Track              `json:"track"`
	Evaluations   []EvaluationResult `json:"evaluations"`
	VAEBlocks     []BlockDecision    `json:"vae_blocks"`
	Acquired      []AcquiredBlock    `json:"acquired_blocks,omitempty"`
	Complementary map[string]bool    `json:"complementary"`
}

// Missing is one thing that stands between a candidate and the title: a
// block code, "optional_block" or a complementary evaluation code, and why.
type Missing struct {
	Code   string
	Reason Reason
}

// BlockStatus is the engine's finding on one block of a record.
type BlockStatus struct {
	Block     string
	Route     Route
	Date      Date
	Rule      Code // how it was validated or why not, or the prerequisite that keeps it from counting
	Validated bool
	Counts    bool // validated and usable for the title
}

// Decision is what the rules say of a record: certified or not, which blocks
// are validated, what is missing, and the finding on each block. It is data:
// Reasons lists the rules applied and Explain words them.
type Decision struct {
	Certified bool
	Missing   []Missing
	Path      Code // how the complementary evaluations apply: CompTraining, CompVAE…

	// The finding on each block, packed without pointers so that deciding
	// allocates nothing for it: in the decision itself for a certification
	// of up to eight blocks, else on the heap. Blocks unpacks it.
	inline [8]blockFact
	more   []blockFact
	rules  *Rules
	record Record // the evidence the explanation cites
}

// blockFact is a BlockStatus packed: its block is its index, its date a day
// number, its route an index in factRoutes.
type blockFact struct {
	day               civilDay
	rule              Code
	route             uint8
	validated, counts bool
}

// The routes of a block, packed.
const (
	routeTraining uint8 = 1 + iota
	routeVAE
)

var factRoutes = [...]Route{"", Training, VAE}

func (d *Decision) facts() []blockFact {
	if d.more != nil || d.rules == nil {
		return d.more
	}
	return d.inline[:len(d.rules.blocks)]
}

// ValidatedBlocks lists the codes of every validated block, sorted.
func (d *Decision) ValidatedBlocks() []string {
	out := []string{}
	if d.rules == nil {
		return out
	}
	for b, f := range d.facts() {
		if f.validated {
			out = append(out, d.rules.blocks[b].code)
		}
	}
	slices.Sort(out)
	return out
}

// Blocks is the finding on each block, in the certification's order.
func (d *Decision) Blocks() []BlockStatus {
	facts := d.facts()
	if facts == nil {
		return nil
	}
	out := make([]BlockStatus, len(facts))
	for b, f := range facts {
		out[b] = BlockStatus{Block: d.rules.blocks[b].code, Rule: f.rule, Validated: f.validated, Counts: f.counts}
		if f.validated {
			out[b].Route = factRoutes[f.route]
			out[b].Date = f.day.Date()
		}
	}
	return out
}

// Code names a finding of the rules, or a phrase the catalogue words
// (words.go).
type Code uint8

// Reason is one finding of the rules: a code and its parameters. The rest
// of what its words cite (dates, evaluations, titles) is in the decision
// and its record.
type Reason struct {
	Code  Code   `json:"code"`
	N     int    `json:"n,omitempty"`     // a count: evaluations of a block, optional blocks that count
	Block string `json:"block,omitempty"` // the block it concerns
	Other string `json:"other,omitempty"` // the block it requires, or a complementary evaluation
}

// DecisionText is a decision in words, as the API answers it.
type DecisionText struct {
	Certified       bool          `json:"certified"`
	ValidatedBlocks []string      `json:"validated_blocks"`
	Missing         []MissingText `json:"missing"`
	Explanation     []string      `json:"explanation"` // one line per rule applied
	Blocks          []BlockText   `json:"blocks,omitempty"`
}

// MissingText is a Missing in words.
type MissingText struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// BlockText is a BlockStatus in words.
type BlockText struct {
	Block     string `json:"block"`
	Validated bool   `json:"validated"`
	Counts    bool   `json:"counts"`
	Route     Route  `json:"route,omitempty"`
	Date      Date   `json:"date"`
	Reason    string `json:"reason"`
}

// Applicant is what the entry rules look at.
type Applicant struct {
	Track            Track `json:"track"`
	Level            int   `json:"level"`
	ExperienceMonths int   `json:"experience_months"`
	ECTS             int   `json:"ects"`
}

// Eligibility is the verdict of the entry rules on an applicant.
type Eligibility struct {
	Eligible        bool     `json:"eligible"`
	CommitteeReview bool     `json:"committee_review"`
	Rule            string   `json:"rule"` // level5, level4_experience, level4_ects, level4, none
	Reasons         []string `json:"reasons"`
	// Applicant is what was checked, so that a page can word the reasons
	// again in its own language (Rules.EligibilityIn).
	Applicant *Applicant `json:"applicant,omitempty"`
}
