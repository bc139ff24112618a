package certibloc

import (
	"sync"
	"sync/atomic"
)

// scratch is the working memory of one decision: the per-record tables,
// the buffer and lines the explanation is written into, the lines used
// lately and the slabs the decision's slices are cut from. It is pooled
// rather than declared on the stack because Go zeroes stack arrays on every
// call, which for these few kilobytes cost more than the decision itself;
// from the pool only the part in use is cleared, and it stays warm in the
// cache. Nothing a Decision returns points into it, except the slabs'
// carved parts, which are never written again.
type scratch struct {
	blocks  []blockState
	slots   []slotState
	comp    []bool
	buf     []byte
	lines   []line
	missing []missingItem

	// The lines used lately, for nearOwner only; see lookup.
	near      [nearSize]datedLine
	nearOwner *Rules

	// Slabs the decisions' slices are cut from; see carve.
	statusSlab  []BlockStatus
	stringSlab  []string
	missingSlab []Missing
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// getScratch returns a scratch sized and cleared for r.
func (r *Rules) getScratch() *scratch {
	sc := scratchPool.Get().(*scratch)
	sc.blocks = resize(sc.blocks, len(r.blocks))
	sc.slots = resize(sc.slots, r.nSlots)
	sc.comp = resize(sc.comp, len(r.complementary))
	sc.buf = sc.buf[:0]
	sc.lines = sc.lines[:0]
	sc.missing = sc.missing[:0]
	if sc.nearOwner != r {
		clear(sc.near[:])
		sc.nearOwner = r
	}
	return sc
}

// putScratch gives sc back to the pool, dropping the strings it points to.
// A buffer grown by an outsized record is let go rather than kept for all.
func putScratch(sc *scratch) {
	if cap(sc.buf) > maxPooledText {
		sc.buf = nil
	}
	clear(sc.lines)
	clear(sc.missing)
	scratchPool.Put(sc)
}

// maxPooledText is the largest text buffer kept in the pool: a decision of
// RNCP38478 writes well under 1 KB.
const maxPooledText = 64 << 10

// slabDecisions is how many decisions' worth of slices one slab holds.
const slabDecisions = 32

// carve returns n elements cut from *slab, with a capacity of n so that
// appending to them cannot spill into the next decision's, and a new slab
// when this one is used up. Decisions are made by the hundred thousand:
// one allocation for 32 of them instead of one each saves a tenth of the
// time of a decision. A decision kept long keeps its slab alive: 15 KB of
// block statuses and 4 KB of strings for RNCP38478.
func carve[T any](slab *[]T, n int) []T {
	if len(*slab) < n {
		*slab = make([]T, max(n*slabDecisions, 256))
	}
	s := (*slab)[:n:n]
	*slab = (*slab)[n:]
	return s
}

// resize returns s with length n, all zero, reusing its array when it can.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// line is one line of explanation while a decision is written: a sentence
// prepared by NewRules or memoised, or the span buf[start:end] of text
// written for this decision.
type line struct {
	fixed      string
	start, end int
}

// missingItem is a Missing whose reason may still be a line to come.
type missingItem struct {
	code        string
	reason      string // prepared, or "" for the explanation line below
	line        int
	verdict     string // the last line when this item alone is missing
	block, comp int    // index of the block or complementary evaluation, or -1
}

// fixed appends a prepared or memoised line.
func (sc *scratch) fixed(text string) { sc.lines = append(sc.lines, line{fixed: text}) }

// recall appends the line memoised under key and reports true, or returns
// the slot where the caller, having written the line from start, should
// remember it. With memo false there is no key, and no slot.
func (r *Rules) recall(sc *scratch, key memoKey, memo bool) (*atomic.Pointer[datedLine], bool) {
	if !memo || r.noMemo {
		return nil, false
	}
	slot, text, found := r.lookup(sc, key)
	if found {
		sc.fixed(text)
	}
	return slot, found
}

// remember appends the line written in sc.buf since start, memoised in
// slot when there is one, in the decision's text otherwise.
func (sc *scratch) remember(slot *atomic.Pointer[datedLine], key memoKey, start int) {
	if slot == nil {
		sc.lines = append(sc.lines, line{start: start, end: len(sc.buf)})
		return
	}
	sc.fixed(sc.memoise(slot, key, start))
}
