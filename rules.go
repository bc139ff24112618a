package certibloc

import (
	"strings"
	"sync"
)

// The rules engine. Everything it applies is data from the Certification:
// the blocks with their kind and evaluations, the block prerequisites of each
// track, the validation rule and the entry rules. Nothing here is named after
// one certification, so an imported fiche runs through the same code as the
// seeded RNCP38478.
//
// It decides first and explains after:
//   - NewRules compiles a certification once (this file); RulesCache keeps
//     the compiled rules of each certification version for every caller;
//   - Decide reads a record and applies the rules (rules_decide.go): the
//     Decision is data, each finding a Reason, a code with its parameters;
//   - Explain words a decision in French or English, only when it is shown
//     or serialised (rules_text.go).
//
// Eligibility (eligibility.go) applies the entry rules.

// Rules is a certification's rules compiled for repeated decisions. It is
// read-only once built, so safe for concurrent use: build one per
// certification version and keep it (RulesCache).
type Rules struct {
	code    string
	version int
	blocks  []ruleBlock
	nSlots  int // evaluations over all blocks: one slot each per record

	noRule        bool  // the referential publishes no validation rule: every block is required
	required      []int // blocks that must all count
	optional      []int
	minOptional   int
	complementary []Complementary
	tracks        []ruleTrack
	anyTrack      ruleTrack // the track of a certification that names none
}

// ruleBlock is a block with its evaluations.
type ruleBlock struct {
	code, title string
	firstSlot   int // slot of its first evaluation in the per-record table
	evals       []Evaluation
}

// ruleTrack is what a track changes: its block prerequisites and its entry rules.
type ruleTrack struct {
	track   Track
	prereqs []prereq
	entry   []EntryRule
}

// prereq says that block only counts once requires is validated, no later
// than block itself.
type prereq struct{ block, requires int }

// NewRules compiles the rules of c. It expects a certification that passes
// Validate; rules that name unknown blocks are ignored rather than fatal, so
// that a half-imported fiche can still be simulated.
func NewRules(c *Certification) *Rules {
	r := &Rules{code: c.Code, version: c.Version}
	for _, b := range c.Blocks {
		if r.blockIndex(b.Code) >= 0 {
			continue // Validate rejects duplicates; keep the first
		}
		// Without a validation rule (an imported fiche publishes none) every
		// block is required, whatever its kind.
		if b.Kind == Optional && c.Validation != nil {
			r.optional = append(r.optional, len(r.blocks))
		} else {
			r.required = append(r.required, len(r.blocks))
		}
		r.blocks = append(r.blocks, ruleBlock{code: b.Code, title: b.Title, firstSlot: r.nSlots, evals: b.Evaluations})
		r.nSlots += len(b.Evaluations)
	}
	r.noRule = c.Validation == nil
	if v := c.Validation; v != nil {
		r.minOptional, r.complementary = v.MinOptional, v.Complementary
	}

	// Entry rules and prerequisites by track, in the order the data first
	// names each track.
	find := func(t Track) *ruleTrack {
		for i := range r.tracks {
			if r.tracks[i].track == t {
				return &r.tracks[i]
			}
		}
		r.tracks = append(r.tracks, ruleTrack{track: t})
		return &r.tracks[len(r.tracks)-1]
	}
	for _, e := range c.EntryRules {
		t := find(e.Track)
		t.entry = append(t.entry, e)
	}
	for _, br := range c.BlockRules {
		b, req := r.blockIndex(br.Block), r.blockIndex(br.Requires)
		if b >= 0 && req >= 0 {
			t := find(br.Track)
			t.prereqs = append(t.prereqs, prereq{block: b, requires: req})
		}
	}
	return r
}

// blockIndex returns the index of the block with the given code, or -1.
// A certification has a few blocks: a scan beats a map.
func (r *Rules) blockIndex(code string) int {
	if code == "" {
		return -1
	}
	// Block codes share their prefix (RNCP38478BC0…): the last byte tells
	// most apart before the whole strings are compared.
	last := code[len(code)-1]
	for i := range r.blocks {
		if c := r.blocks[i].code; len(c) == len(code) && c[len(c)-1] == last && c == code {
			return i
		}
	}
	return -1
}

// track returns the compiled track t. A certification that names no track at
// all (an imported fiche) has no rule that depends on one, so any track,
// even none, is accepted; otherwise t must be one it names.
func (r *Rules) track(t Track) (*ruleTrack, error) {
	for i := range r.tracks {
		if r.tracks[i].track == t {
			return &r.tracks[i], nil
		}
	}
	if len(r.tracks) == 0 {
		return &r.anyTrack, nil
	}
	names := make([]string, len(r.tracks))
	for i, tr := range r.tracks {
		names[i] = string(tr.track)
	}
	if t == "" {
		return nil, Errorf(EINVALID, "the track is missing: certification %s has the tracks %s", r.code, strings.Join(names, ", "))
	}
	return nil, Errorf(EINVALID, "track %q does not exist in certification %s: its tracks are %s", t, r.code, strings.Join(names, ", "))
}

// RulesCache keeps the compiled rules of the newest version of each
// certification for every caller. A stored version never changes (a changed
// referential is a new version), and a newer version replaces the older one
// when first asked for. The zero value is ready; safe for concurrent use.
type RulesCache struct {
	mu    sync.Mutex
	rules map[string]*Rules // by certification code
}

// Rules returns the compiled rules of c, compiled once per code and version.
func (rc *RulesCache) Rules(c *Certification) *Rules {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if old := rc.rules[c.Code]; old != nil && old.version == c.Version {
		return old
	}
	r := NewRules(c)
	if old := rc.rules[c.Code]; old == nil || old.version < c.Version {
		if rc.rules == nil {
			rc.rules = map[string]*Rules{}
		}
		rc.rules[c.Code] = r
	}
	return r
}
