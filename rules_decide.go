package certibloc

import (
	"slices"
	"strings"
	"time"
)

// slotState is what a record says of one evaluation: an evaluation is passed
// when any attempt passed, on the date of its earliest passing attempt.
type slotState struct {
	passed   bool
	date     civilDay
	failures int
}

// blockState is what a record says of one block, route by route, and what
// the rules conclude.
type blockState struct {
	training, vae, acquired, refused bool
	trainingDate, vaeDate, acqDate   civilDay
	refusedDate                      civilDay
	acqVAE                           bool // acquired by VAE, else by training
	tried                            bool // an evaluation passed or failed

	validated, counts bool
	kept              Code  // BlockTraining, BlockVAE or BlockAcquired: which validation gives route and date
	route             uint8 // packed: routeTraining or routeVAE
	date              civilDay
	stop              int32 // 1 + index of the track's prerequisite that keeps the block from counting
}

// facts is what a record says, read into tables the rules index.
type facts struct {
	track  *ruleTrack
	blocks []blockState
	slots  []slotState
	comp   []bool // complementary evaluations passed
}

// Decide applies the validation rules of the certification to rec.
//
// A block is validated by training when all its evaluations are passed, on
// the latest of their dates; by VAE on the date of a favourable jury
// decision; or earlier, when rec.Acquired lists it. Blocks once validated
// are acquired for good, so the earliest date and its route are kept.
//
// Decision.ValidatedBlocks lists every validated block, sorted, including
// one that does not count for the title (an optional block validated before
// its prerequisite on the three-year track): the block is still acquired and
// belongs on a transcript. Decision.Blocks tells, block by block, whether it
// counts and why. No word is written: Explain does that, from rec, which the
// decision keeps (so rec's slices must not change in between).
//
// Malformed input (unknown track, block, evaluation number, complementary
// evaluation or route; a validation without a date) is an *Error with code
// EINVALID that names the culprit.
func (r *Rules) Decide(rec Record) (Decision, error) {
	var blocks [8]blockState // the tables of a usual certification, on the stack
	var slots [16]slotState
	var comp [4]bool
	f := facts{blocks: sized(blocks[:0], len(r.blocks)), slots: sized(slots[:0], r.nSlots), comp: sized(comp[:0], len(r.complementary))}
	if err := r.read(&rec, &f); err != nil {
		return Decision{}, err
	}
	return r.conclude(&rec, &f), nil
}

// read fills f, whose tables are sized for r and zero, from rec.
func (r *Rules) read(rec *Record, f *facts) error {
	tr, err := r.track(rec.Track)
	if err != nil {
		return err
	}
	f.track = tr
	if err := r.collect(rec, f.blocks, f.slots, f.comp); err != nil {
		return err
	}
	r.settle(f.blocks, f.slots)
	// The block prerequisites of the track: a block validated before the
	// block it requires, or while that block is not validated, does not
	// count. The same day counts.
	for i, p := range tr.prereqs {
		s, req := &f.blocks[p.block], &f.blocks[p.requires]
		if s.counts && !(req.validated && s.date >= req.date) {
			s.counts, s.stop = false, int32(i+1)
		}
	}
	return nil
}

// civilDay is a civil date as the rules compare it: days since 1970-01-01.
// The zero Date is day -719162, and reads back as the zero Date.
type civilDay int32

func (d Date) day() civilDay { return civilDay(d.Unix() / 86400) }

// Date is the civil date of d.
func (d civilDay) Date() Date { return Date{time.Unix(int64(d)*86400, 0).UTC()} }

// earliest keeps the earliest date a result was obtained on.
func earliest(has *bool, at *civilDay, d civilDay) {
	if !*has || d < *at {
		*has, *at = true, d
	}
}

// sized returns s with length n, reusing its array when it can.
func sized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// collect reads the record into the per-block, per-evaluation and
// complementary tables, rejecting what the certification does not know.
func (r *Rules) collect(rec *Record, bs []blockState, slots []slotState, comp []bool) error {
	b := -1 // a record lists a block's evaluations together: look up only a new block
	for i := range rec.Evaluations {
		e := &rec.Evaluations[i]
		if b < 0 || r.blocks[b].code != e.Block {
			b = r.blockIndex(e.Block)
		}
		if b < 0 {
			return r.unknownBlock("evaluations", i, e.Block)
		}
		rb := &r.blocks[b]
		k := e.Number - 1 // evaluations are usually numbered from 1
		if k < 0 || k >= len(rb.evals) || rb.evals[k].Number != e.Number {
			k = slices.IndexFunc(rb.evals, func(ev Evaluation) bool { return ev.Number == e.Number })
		}
		if k < 0 {
			return Errorf(EINVALID, "evaluation %d of block %s does not exist: the block has %d numbered evaluation(s)", e.Number, rb.code, len(rb.evals))
		}
		s := &slots[rb.firstSlot+k]
		bs[b].tried = true
		if !e.Passed {
			s.failures++
			continue
		}
		if e.Date.IsZero() {
			return Errorf(EINVALID, "evaluation %d of block %s is passed but has no date (evaluations[%d]): a passed result needs the date it was obtained", e.Number, rb.code, i)
		}
		earliest(&s.passed, &s.date, e.Date.day())
	}
	for i := range rec.VAEBlocks {
		v := &rec.VAEBlocks[i]
		b := r.blockIndex(v.Block)
		if b < 0 {
			return r.unknownBlock("vae_blocks", i, v.Block)
		}
		s := &bs[b]
		if !v.Validated {
			if d := v.Date.day(); !s.refused || s.refusedDate < d {
				s.refused, s.refusedDate = true, d
			}
			continue
		}
		if v.Date.IsZero() {
			return Errorf(EINVALID, "the VAE decision on block %s (vae_blocks[%d]) validates it but has no date: a validation needs its date", v.Block, i)
		}
		earliest(&s.vae, &s.vaeDate, v.Date.day())
	}
	for i := range rec.Acquired {
		a := &rec.Acquired[i]
		b := r.blockIndex(a.Block)
		if b < 0 {
			return r.unknownBlock("acquired_blocks", i, a.Block)
		}
		if a.Route != Training && a.Route != VAE {
			return Errorf(EINVALID, "acquired block %s (acquired_blocks[%d]) has route %q: it must be %s or %s", a.Block, i, a.Route, Training, VAE)
		}
		if a.Date.IsZero() {
			return Errorf(EINVALID, "acquired block %s (acquired_blocks[%d]) has no date: an acquired block needs the date it was validated", a.Block, i)
		}
		if s, d := &bs[b], a.Date.day(); !s.acquired || d < s.acqDate {
			s.acquired, s.acqDate, s.acqVAE = true, d, a.Route == VAE
		}
	}
	// Look each known complementary evaluation up once; a key left over
	// is one the certification does not have.
	found := 0
	for k := 0; k < len(r.complementary) && len(rec.Complementary) > 0; k++ {
		passed, ok := rec.Complementary[r.complementary[k].Code]
		comp[k] = passed
		if ok {
			found++
		}
	}
	if found != len(rec.Complementary) {
		return r.unknownComplementary(rec.Complementary)
	}
	return nil
}

// settle decides, block by block, whether training validated it and which
// route and date are kept.
func (r *Rules) settle(bs []blockState, slots []slotState) {
	for b := range r.blocks {
		rb, s := &r.blocks[b], &bs[b]
		// A block without numbered evaluations (an imported fiche that only
		// publishes its modalities as text) cannot be validated by training
		// here: there is nothing to pass.
		if len(rb.evals) > 0 {
			s.training = true
			for _, st := range slots[rb.firstSlot : rb.firstSlot+len(rb.evals)] {
				if !st.passed {
					s.training = false
					break
				}
				if s.trainingDate < st.date {
					s.trainingDate = st.date
				}
			}
		}
		// The earliest validation wins. On the same day the ledger's earlier
		// acquisition is kept first, then training, then VAE: the order is
		// arbitrary but fixed, so the same record always reads the same.
		if s.acquired {
			s.validated, s.kept, s.route, s.date = true, BlockAcquired, pick(s.acqVAE, routeVAE, routeTraining), s.acqDate
		}
		if s.training && (!s.validated || s.trainingDate < s.date) {
			s.validated, s.kept, s.route, s.date = true, BlockTraining, routeTraining, s.trainingDate
		}
		if s.vae && (!s.validated || s.vaeDate < s.date) {
			s.validated, s.kept, s.route, s.date = true, BlockVAE, routeVAE, s.vaeDate
		}
		s.counts = s.validated
	}
}

// conclude applies the title rules to the facts of a record.
func (r *Rules) conclude(rec *Record, f *facts) Decision {
	bs := f.blocks
	d := Decision{rules: r, record: *rec}
	facts := d.inline[:]
	if len(bs) > len(d.inline) {
		d.more = make([]blockFact, len(bs))
		facts = d.more
	}
	training, vae := false, false
	for b := range bs {
		s, st := &bs[b], &facts[b]
		st.validated, st.counts, st.rule = s.validated, s.counts, r.blockRule(f, b).Code
		if s.validated {
			st.route, st.day = s.route, s.date
		}
		training = training || (s.counts && s.route == routeTraining)
		vae = vae || (s.counts && s.route != routeTraining)
	}

	// The complementary evaluations are due when a block that counts came
	// by training, or when none counts yet (training presumed); not when
	// every block that counts came by VAE.
	switch {
	case len(r.complementary) == 0:
		d.Path = CompNone
	case vae && !training:
		d.Path = CompVAE
	case vae:
		d.Path = CompMixed
	case training:
		d.Path = CompTraining
	default:
		d.Path = CompPresumed
	}

	// What stands between the record and the title, gathered on the stack
	// and copied once.
	var missing [16]Missing
	ms := missing[:0]
	for _, b := range r.required {
		switch {
		case bs[b].counts:
		case bs[b].validated: // kept from counting by a prerequisite
			ms = append(ms, Missing{Code: r.blocks[b].code, Reason: r.blockRule(f, b)})
		default:
			ms = append(ms, Missing{Code: r.blocks[b].code, Reason: Reason{Code: MissingBlock, Block: r.blocks[b].code, N: len(r.blocks[b].evals)}})
		}
	}
	if n := f.counting(r.optional); n < r.minOptional {
		ms = append(ms, Missing{Code: "optional_block", Reason: Reason{Code: MissingOptional, N: n}})
	}
	if d.Path != CompNone && d.Path != CompVAE {
		code := MissingComp
		if d.Path == CompPresumed {
			code = MissingCompPresumed
		}
		for k, c := range r.complementary {
			if !f.comp[k] {
				ms = append(ms, Missing{Code: c.Code, Reason: Reason{Code: code, Other: c.Code}})
			}
		}
	}
	d.Certified = len(ms) == 0
	if len(ms) > 0 {
		d.Missing = slices.Clone(ms)
	}
	return d
}

// blockRule is the rule that settles whether block b counts: the
// prerequisite that keeps it from counting, or how it was validated.
func (r *Rules) blockRule(f *facts, b int) Reason {
	s := &f.blocks[b]
	if s.stop > 0 {
		return r.prereqReason(f, f.track.prereqs[s.stop-1])
	}
	return r.blockLine(f, b)
}

// prereqReason is the finding of one prerequisite on a validated block.
func (r *Rules) prereqReason(f *facts, p prereq) Reason {
	s, req := &f.blocks[p.block], &f.blocks[p.requires]
	code := PrereqUnvalidated
	switch {
	case req.validated && req.date < s.date:
		code = PrereqMet
	case req.validated && req.date == s.date:
		code = PrereqSameDay
	case req.validated:
		code = PrereqBefore
	}
	return Reason{Code: code, Block: r.blocks[p.block].code, Other: r.blocks[p.requires].code}
}

// counting counts the blocks among those given that count.
func (f *facts) counting(among []int) int {
	n := 0
	for _, b := range among {
		if f.blocks[b].counts {
			n++
		}
	}
	return n
}

// unknownBlock is the error for a block code the certification does not have.
func (r *Rules) unknownBlock(field string, i int, code string) error {
	codes := make([]string, len(r.blocks))
	for k, b := range r.blocks {
		codes[k] = b.code
	}
	return Errorf(EINVALID, "block %q (%s[%d]) does not exist in certification %s: its blocks are %s", code, field, i, r.code, strings.Join(codes, ", "))
}

// unknownComplementary is the error for complementary evaluations the
// certification does not have, named in sorted order.
func (r *Rules) unknownComplementary(got map[string]bool) error {
	var unknown, known []string
	for code := range got {
		if r.complementaryIndex(code) < 0 {
			unknown = append(unknown, code)
		}
	}
	for _, c := range r.complementary {
		known = append(known, c.Code)
	}
	slices.Sort(unknown)
	return Errorf(EINVALID, "complementary evaluation %s does not exist: certification %s has %s", strings.Join(unknown, ", "), r.code, pick(known == nil, "none", strings.Join(known, ", ")))
}
