package certibloc

import (
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// slotState is what a record says of one evaluation: an evaluation is passed
// when any attempt passed, on the date of its earliest passing attempt.
type slotState struct {
	passed   bool
	date     Date
	failures int
}

// blockState is what a record says of one block, route by route, and what
// the rules conclude.
type blockState struct {
	training, vae, acquired        bool
	trainingDate, vaeDate, acqDate Date
	acqRoute                       Route
	refused                        bool // a VAE jury said no
	refusedDate                    Date
	failures                       int

	validated, counts bool
	kept              source // which validation gives route and date
	route             Route
	date              Date
	ruleLine          int // 1 + index of the prerequisite line that kept the block from counting; 0 when none
}

// source is where the kept validation of a block comes from.
type source uint8

const (
	fromNothing source = iota
	fromAcquired
	fromTraining
	fromVAE
)

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
// counts and why.
//
// Malformed input (unknown track, block, evaluation number, complementary
// evaluation or route; a validation without a date) is an *Error with code
// EINVALID that names the culprit.
func (r *Rules) Decide(rec Record) (Decision, error) {
	tr, err := r.track(rec.Track)
	if err != nil {
		return Decision{}, err
	}
	r.linesOnce.Do(func() { r.lines = make([]atomic.Pointer[datedLine], lineCacheSize) })
	sc := r.getScratch()
	defer putScratch(sc)
	if err := r.collect(&rec, sc.blocks, sc.slots, sc.comp); err != nil {
		return Decision{}, err
	}
	r.settle(sc.blocks, sc.slots)
	return r.apply(tr, sc), nil
}

// collect reads the record into the per-block, per-evaluation and
// complementary tables, rejecting what the certification does not know.
func (r *Rules) collect(rec *Record, bs []blockState, slots []slotState, comp []bool) error {
	for i := range rec.Evaluations {
		e := &rec.Evaluations[i]
		b := r.blockIndex(e.Block)
		if b < 0 {
			return r.unknownBlock("evaluations", i, e.Block)
		}
		rb := &r.blocks[b]
		k := -1
		for j := range rb.evals {
			if rb.evals[j].number == e.Number {
				k = j
				break
			}
		}
		if k < 0 {
			return Errorf(EINVALID, "evaluation %d of block %s does not exist: the block has %s", e.Number, rb.code, countEvaluations(len(rb.evals)))
		}
		s := &slots[rb.firstSlot+k]
		if !e.Passed {
			s.failures++
			bs[b].failures++
			continue
		}
		if e.Date.IsZero() {
			return Errorf(EINVALID, "evaluation %d of block %s is passed but has no date (evaluations[%d]): a passed result needs the date it was obtained", e.Number, rb.code, i)
		}
		if !s.passed || e.Date.Before(s.date) {
			s.passed, s.date = true, e.Date
		}
	}
	for i := range rec.VAEBlocks {
		v := &rec.VAEBlocks[i]
		b := r.blockIndex(v.Block)
		if b < 0 {
			return r.unknownBlock("vae_blocks", i, v.Block)
		}
		s := &bs[b]
		if !v.Validated {
			if !s.refused || s.refusedDate.Before(v.Date) {
				s.refused, s.refusedDate = true, v.Date
			}
			continue
		}
		if v.Date.IsZero() {
			return Errorf(EINVALID, "the VAE decision on block %s (vae_blocks[%d]) validates it but has no date: a validation needs its date", v.Block, i)
		}
		if !s.vae || v.Date.Before(s.vaeDate) {
			s.vae, s.vaeDate = true, v.Date
		}
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
		s := &bs[b]
		if !s.acquired || a.Date.Before(s.acqDate) {
			s.acquired, s.acqDate, s.acqRoute = true, a.Date, a.Route
		}
	}
	// Look each known complementary evaluation up once; a key left over
	// is one the certification does not have. Cheaper than ranging over
	// the map, which only the error path does.
	found := 0
	for k := range r.complementary {
		passed, ok := rec.Complementary[r.complementary[k].code]
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
				if s.trainingDate.Before(st.date) {
					s.trainingDate = st.date
				}
			}
		}
		// The earliest validation wins. On the same day the ledger's earlier
		// acquisition is kept first, then training, then VAE: the order is
		// arbitrary but fixed, so the same record always reads the same.
		if s.acquired {
			s.validated, s.kept, s.route, s.date = true, fromAcquired, s.acqRoute, s.acqDate
		}
		if s.training && (!s.validated || s.trainingDate.Before(s.date)) {
			s.validated, s.kept, s.route, s.date = true, fromTraining, Training, s.trainingDate
		}
		if s.vae && (!s.validated || s.vaeDate.Before(s.date)) {
			s.validated, s.kept, s.route, s.date = true, fromVAE, VAE, s.vaeDate
		}
		s.counts = s.validated
	}
}

// apply applies the title rules and writes the decision.
//
// Lines are prepared by NewRules, memoised (rules_memo.go), or written into
// the scratch buffer and copied once into a string of the exact size. The
// slices of the decision are cut from slabs (carve). A decision thus costs
// well under one allocation on average.
func (r *Rules) apply(tr *ruleTrack, sc *scratch) Decision {
	bs := sc.blocks

	// One line per block, the block validation rule: lines[b] is block b's.
	for b := range r.blocks {
		r.blockLine(sc, b)
	}

	// The block prerequisites of the track: a block validated before the
	// block it requires, or while that block is not validated, does not
	// count. The same day counts.
	for _, p := range tr.prereqs {
		s, req := &bs[p.block], &bs[p.requires]
		if !s.validated {
			continue
		}
		ok := req.validated && !s.date.Before(req.date)
		key, memo := prereqKey(p.id, s, req, ok)
		if slot, found := r.recall(sc, key, memo); !found {
			start := len(sc.buf)
			sc.buf = r.appendPrereqLine(sc.buf, tr, p, s, req, ok)
			sc.remember(slot, key, start)
		}
		if !ok && s.counts {
			s.counts, s.ruleLine = false, len(sc.lines)
		}
	}
	if tr.note != "" {
		sc.fixed(tr.note)
	}

	// What counts, by kind and by route.
	trainingSet, vaeSet, notCountingSet := countingSets(bs)
	var requiredMissing, optionalCounting uint64
	var countingRequired, countingOptional, lastOptional int
	for _, b := range r.required {
		if bs[b].counts {
			countingRequired++
		} else {
			requiredMissing |= 1 << b
		}
	}
	for _, b := range r.optional {
		if bs[b].counts {
			countingOptional++
			lastOptional = b
			optionalCounting |= 1 << b
		}
	}
	training, vae := trainingSet != 0, vaeSet != 0
	if len(bs) > 64 { // the sets only hold 64 blocks: count the long way
		training, vae = false, false
		for b := range bs {
			training = training || (bs[b].counts && bs[b].route == Training)
			vae = vae || (bs[b].counts && bs[b].route != Training)
		}
	}
	// The complementary evaluations are due when a block that counts came
	// by training, or when none counts yet (training presumed); not when
	// every block that counts came by VAE.
	compRequired := len(r.complementary) > 0 && (training || !vae)

	// What stands between the candidate and the title.
	missing := sc.missing
	for _, b := range r.required {
		if bs[b].counts {
			continue
		}
		m := missingItem{code: r.blocks[b].code, reason: r.blocks[b].missing, verdict: r.blocks[b].verdictOnly, block: b, comp: -1}
		if bs[b].validated {
			m.reason, m.line = "", bs[b].ruleLine-1
		}
		missing = append(missing, m)
	}
	if countingOptional < r.minOptional {
		missing = append(missing, missingItem{code: "optional_block", reason: r.optionalWhy[countingOptional], verdict: r.optionalVerdict, block: -1, comp: -1})
	}
	if compRequired {
		for k, c := range r.complementary {
			if sc.comp[k] {
				continue
			}
			why := c.missing
			if !training {
				why = c.missingGuess
			}
			missing = append(missing, missingItem{code: c.code, reason: why, verdict: c.verdictOnly, block: -1, comp: k})
		}
	}
	sc.missing = missing

	// The title rules, one line each, then the verdict. The common cases
	// have prepared lines; the others are memoised by the sets of blocks
	// they name.
	if len(r.required) > 0 {
		if countingRequired == len(r.required) {
			sc.fixed(r.requiredAll)
		} else {
			key, memo := setKey(lineRequired, 0, requiredMissing, len(bs))
			if slot, found := r.recall(sc, key, memo); !found {
				start := len(sc.buf)
				sc.buf = r.appendRequiredLine(sc.buf, bs, countingRequired)
				sc.remember(slot, key, start)
			}
		}
	}
	if len(r.optional) > 0 || r.minOptional > 0 {
		notCounting := r.optionalNotCounting(bs)
		switch {
		case countingOptional == 0 && !notCounting:
			sc.fixed(r.optionalNone)
		case countingOptional == 1 && !notCounting && r.blocks[lastOptional].optionalOne != "":
			sc.fixed(r.blocks[lastOptional].optionalOne)
		default:
			key, memo := setKey(lineOptional, notCountingSet, optionalCounting, len(bs))
			if slot, found := r.recall(sc, key, memo); !found {
				start := len(sc.buf)
				sc.buf = r.appendOptionalLine(sc.buf, bs, countingOptional, notCounting)
				sc.remember(slot, key, start)
			}
		}
	}
	// The complementary rule, one line: whether the evaluations are due
	// and, when they are, each one's result.
	results := compSet(sc.comp)
	switch {
	case len(r.complementary) == 0:
		sc.fixed(r.noCompLine)
	case !compRequired:
		sc.fixed(r.allVAELine)
	case !vae && r.trainingLines != nil:
		if training {
			sc.fixed(r.trainingLines[results])
		} else {
			sc.fixed(r.presumedLines[results])
		}
	case !vae:
		start := len(sc.buf)
		if training {
			sc.buf = append(sc.buf, r.trainingHead...)
		} else {
			sc.buf = append(sc.buf, r.presumedHead...)
		}
		sc.buf = r.appendCompResults(sc.buf, func(k int) bool { return sc.comp[k] })
		sc.remember(nil, memoKey{}, start)
	default:
		key, memo := setKey(lineMixed, vaeSet, trainingSet, len(bs))
		memo = memo && len(sc.comp) <= 8 // the results take the top byte of b
		key.b |= results << 56
		if slot, found := r.recall(sc, key, memo); !found {
			start := len(sc.buf)
			sc.buf = r.appendMixedLine(sc.buf, bs, sc.comp)
			sc.remember(slot, key, start)
		}
	}
	switch len(missing) {
	case 0:
		sc.fixed(r.certifiedLine)
	case 1:
		sc.fixed(missing[0].verdict)
	default:
		key, memo := r.verdictKey(missing)
		if slot, found := r.recall(sc, key, memo); !found {
			start := len(sc.buf)
			sc.buf = r.appendVerdict(sc.buf, missing)
			sc.remember(slot, key, start)
		}
	}
	return r.assemble(sc)
}

// assemble copies what apply found into a Decision: one copy of the text
// written, if any, and slices cut from the slabs.
func (r *Rules) assemble(sc *scratch) Decision {
	bs, lines, missing := sc.blocks, sc.lines, sc.missing
	var text string
	if len(sc.buf) > 0 {
		text = string(sc.buf)
	}
	validated := 0
	for b := range bs {
		if bs[b].validated {
			validated++
		}
	}
	// ValidatedBlocks and Explanation share one carved array; the full
	// slice expression keeps an append to the first out of the second.
	strs := carve(&sc.stringSlab, validated+len(lines))
	codes := strs[:0:validated]
	for _, b := range r.sorted {
		if bs[b].validated {
			codes = append(codes, r.blocks[b].code)
		}
	}
	explanation := strs[validated:]
	for i, l := range lines {
		if l.fixed != "" {
			explanation[i] = l.fixed
		} else {
			explanation[i] = text[l.start:l.end]
		}
	}
	statuses := carve(&sc.statusSlab, len(r.blocks))
	for b := range r.blocks {
		s, st := &bs[b], &statuses[b]
		st.Block, st.Validated, st.Counts, st.Reason = r.blocks[b].code, s.validated, s.counts, explanation[b]
		if s.validated {
			st.Route, st.Date = s.route, s.date
		}
		if s.ruleLine > 0 {
			st.Reason = explanation[s.ruleLine-1]
		}
	}
	out := []Missing{}
	if len(missing) > 0 {
		out = carve(&sc.missingSlab, len(missing))
		for i, m := range missing {
			out[i] = Missing{Code: m.code, Reason: m.reason}
			if m.reason == "" {
				out[i].Reason = explanation[m.line]
			}
		}
	}
	return Decision{
		Certified:       len(missing) == 0,
		ValidatedBlocks: codes,
		Missing:         out,
		Explanation:     explanation,
		Blocks:          statuses,
	}
}

// optionalNotCounting reports whether an optional block is validated but
// kept from counting by a prerequisite.
func (r *Rules) optionalNotCounting(bs []blockState) bool {
	for _, b := range r.optional {
		if bs[b].validated && !bs[b].counts {
			return true
		}
	}
	return false
}

// complementaryIndex returns the index of a complementary evaluation, or -1.
func (r *Rules) complementaryIndex(code string) int {
	for i := range r.complementary {
		if r.complementary[i].code == code {
			return i
		}
	}
	return -1
}

// unknownBlock is the error for a block code the certification does not have.
func (r *Rules) unknownBlock(field string, i int, code string) error {
	return Errorf(EINVALID, "block %q (%s[%d]) does not exist in certification %s: its blocks are %s", code, field, i, r.code, r.blockCodes)
}

// unknownComplementary is the error for complementary evaluations the
// certification does not have, named in sorted order so the message does
// not depend on map iteration.
func (r *Rules) unknownComplementary(got map[string]bool) error {
	var unknown []string
	for code := range got {
		if r.complementaryIndex(code) < 0 {
			unknown = append(unknown, code)
		}
	}
	slices.Sort(unknown)
	known := make([]string, len(r.complementary))
	for i, c := range r.complementary {
		known[i] = c.code
	}
	if len(known) == 0 {
		return Errorf(EINVALID, "complementary evaluation %s does not exist: certification %s has none", strings.Join(unknown, ", "), r.code)
	}
	return Errorf(EINVALID, "complementary evaluation %s does not exist: certification %s has %s", strings.Join(unknown, ", "), r.code, strings.Join(known, ", "))
}

// countEvaluations words a number of evaluations for error messages.
func countEvaluations(n int) string {
	switch n {
	case 0:
		return "no numbered evaluation"
	case 1:
		return "1 evaluation"
	}
	return strconv.Itoa(n) + " evaluations"
}
