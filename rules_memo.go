package certibloc

import "sync/atomic"

// Memoised lines. A line that depends only on a few small values (a block,
// its dates, the failed attempts of its evaluations, sets of blocks) is
// looked up in a fixed-size table, one per Rules, under a key that packs
// those values exactly; on a miss it is written by the appenders of
// rules_text.go and stored. A cohort passes its evaluations at the same
// sessions and its juries sit on the same days, so a few thousand lines
// serve a whole population, and most decisions write no text at all.
//
// The table is two-way set-associative: a key may sit in either slot of its
// pair, and a new line takes an empty slot of the pair or replaces the one
// a bit of the hash picks. Block lines have one half of the table and the
// other lines (prerequisites, with two dates each, and sets of blocks) the
// other half, so that the many pairs of dates cannot evict the block lines.
// Slots are read and written through atomic pointers, so concurrent
// decisions may build the same line twice but never read a torn one, and
// the table's memory is bounded whatever the dates. A value that does not
// fit its field (a date before 1970, a ninth evaluation, a fourth failure…)
// is simply not memoised. In front of the table, each scratch keeps the
// lines it used last (see lookup).

const (
	lineCacheBits = 15 // 32,768 slots: 256 KB of pointers per Rules
	lineCacheSize = 1 << lineCacheBits
)

// memoKey identifies a line: its kind in the top four bits of a, then the
// values it depends on, packed by the functions below.
type memoKey struct{ a, b uint64 }

// lineKind tells apart the memoised lines.
type lineKind uint64

const (
	lineValidated    lineKind = iota + 1 // a validated block
	lineNotValidated                     // a block with results but not validated
	linePrereq                           // a prerequisite of the track (second half from here)
	lineMixed                            // the complementary evaluations on a mixed path
	lineRequired                         // the required blocks, some missing
	lineOptional                         // the optional blocks
	lineVerdict                          // the last line, several things missing
)

// key returns the kind in its place in a key's first word.
func (k lineKind) key() uint64 { return uint64(k) << 60 }

// datedLine is a memoised line with the key it was built for; the table's
// slots and a scratch's lines at hand hold them.
type datedLine struct {
	key  memoKey
	text string
}

// nearSize is the number of lines a scratch keeps at hand (a power of 2).
const nearSize = 256

// lookup returns the line memoised under key: first from the few lines the
// scratch used last (consecutive records usually come from one cohort, and
// these sit in the core's cache with no atomic to read), then from the
// table. When the line is not there it returns the table slot where it
// should be remembered.
func (r *Rules) lookup(sc *scratch, key memoKey) (*atomic.Pointer[datedLine], string, bool) {
	h := mix64(key.a ^ mix64(key.b))
	near := &sc.near[h&(nearSize-1)]
	if near.key == key && near.text != "" {
		return nil, near.text, true
	}
	slot, text, found := r.memoSlot(key, h)
	if found {
		near.key, near.text = key, text
	}
	return slot, text, found
}

// memoSlot returns the table slot of key (hashed to h) and the line it
// holds for that key, if any.
func (r *Rules) memoSlot(key memoKey, h uint64) (*atomic.Pointer[datedLine], string, bool) {
	i := (h >> (64 - lineCacheBits + 1)) &^ 1 // the pair, in one half
	if lineKind(key.a>>60) >= linePrereq {
		i += lineCacheSize / 2
	}
	first, second := &r.lines[i], &r.lines[i+1]
	l1, l2 := first.Load(), second.Load()
	switch {
	case l1 != nil && l1.key == key:
		return first, l1.text, true
	case l2 != nil && l2.key == key:
		return second, l2.text, true
	case l1 == nil:
		return first, "", false
	case l2 == nil || h&1 == 0:
		return second, "", false
	}
	return first, "", false
}

// mix64 is the splitmix64 finaliser: it spreads keys that differ in a few bits.
func mix64(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}

// memoise stores the line written in sc.buf[start:] under key, in the
// table and at hand, cuts sc.buf back to start (the line lives in its own
// string) and returns the line.
func (sc *scratch) memoise(slot *atomic.Pointer[datedLine], key memoKey, start int) string {
	l := &datedLine{key: key, text: string(sc.buf[start:])}
	slot.Store(l)
	sc.buf = sc.buf[:start]
	near := &sc.near[mix64(key.a^mix64(key.b))&(nearSize-1)]
	near.key, near.text = key, l.text
	return l.text
}

// day20 packs a date in 20 bits: 1 + days from 1970-01-01, up to the year
// 4840; 0 stands for no date (the zero Date, or present false).
func day20(d Date, present bool) (uint64, bool) {
	if !present || d.IsZero() {
		return 0, true
	}
	days, ok := dayNumber(d)
	if !ok || days < 0 || days+1 >= 1<<20 {
		return 0, false
	}
	return uint64(days) + 1, true
}

// blockLineKey is the key of a block's line: the block, which routes
// validated it and when, a refusal by a VAE jury, and for each evaluation
// its failed attempts and, while the block is not validated, its date.
func blockLineKey(b int, s *blockState, evals []slotState) (memoKey, bool) {
	if b >= 1<<8 || len(evals) > 8 {
		return memoKey{}, false
	}
	refused, ok := day20(s.refusedDate, s.refused)
	if !ok {
		return memoKey{}, false
	}
	var failures uint64 // two bits an evaluation
	for k, e := range evals {
		if e.failures > 3 {
			return memoKey{}, false
		}
		failures |= uint64(e.failures) << (2 * k)
	}
	flags := bit(s.training) | bit(s.vae)<<1 | bit(s.acquired)<<2 | bit(s.refused)<<3 | bit(s.acqRoute == VAE)<<4 | uint64(s.kept)<<5
	a := uint64(b)<<52 | flags<<44 | failures<<28 | refused
	if s.validated {
		training, ok1 := day20(s.trainingDate, s.training)
		vae, ok2 := day20(s.vaeDate, s.vae)
		acquired, ok3 := day20(s.acqDate, s.acquired)
		if !ok1 || !ok2 || !ok3 {
			return memoKey{}, false
		}
		return memoKey{lineValidated.key() | a, training<<40 | vae<<20 | acquired}, true
	}
	// Not validated: the dates of the passed evaluations, three at most.
	if len(evals) > 3 {
		return memoKey{}, false
	}
	var passed uint64
	for k, e := range evals {
		d, ok := day20(e.date, e.passed)
		if !ok {
			return memoKey{}, false
		}
		passed |= d << (20 * k)
	}
	return memoKey{lineNotValidated.key() | a, passed}, true
}

// prereqKey is the key of a prerequisite line: which prerequisite, its
// outcome and the dates of both blocks.
func prereqKey(id int, s, req *blockState, ok bool) (memoKey, bool) {
	d1, ok1 := day20(s.date, true)
	d2, ok2 := day20(req.date, req.validated)
	if !ok1 || !ok2 || id >= 1<<16 {
		return memoKey{}, false
	}
	return memoKey{linePrereq.key() | uint64(id)<<2 | bit(ok)<<1 | bit(req.validated), d1<<20 | d2}, true
}

// setKey is the key of a line that depends on two sets of blocks, one bit
// a block; it exists for certifications of at most 56 blocks.
func setKey(kind lineKind, first, second uint64, n int) (memoKey, bool) {
	if n > 56 {
		return memoKey{}, false
	}
	return memoKey{kind.key() | first, second}, true
}

// countingSets returns, as sets, the blocks that count by training, those
// that count by VAE, and those validated that do not count.
func countingSets(bs []blockState) (training, vae, notCounting uint64) {
	for b := range bs {
		switch {
		case bs[b].counts && bs[b].route == Training:
			training |= 1 << b
		case bs[b].counts:
			vae |= 1 << b
		case bs[b].validated:
			notCounting |= 1 << b
		}
	}
	return training, vae, notCounting
}

// verdictKey is the key of the last line when several things are missing:
// the missing blocks, the optional block and the missing complementary
// evaluations, as sets.
func (r *Rules) verdictKey(missing []missingItem) (memoKey, bool) {
	if len(r.blocks) > 56 || len(r.complementary) > 63 {
		return memoKey{}, false
	}
	var blocks, others uint64
	for _, m := range missing {
		switch {
		case m.block >= 0:
			blocks |= 1 << m.block
		case m.comp >= 0:
			others |= 1 << (m.comp + 1)
		default:
			others |= 1 // optional_block
		}
	}
	return memoKey{lineVerdict.key() | blocks, others}, true
}

// compSet returns the set of complementary evaluations passed, one bit
// each (the first 64).
func compSet(comp []bool) uint64 {
	var set uint64
	for k, passed := range comp {
		if passed && k < 64 {
			set |= 1 << k
		}
	}
	return set
}

// bit is 1 for true.
func bit(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}
