package certibloc

import (
	"slices"
	"strings"
)

// The words of a decision. A Decision is data; lines lists the rules it
// applied, each a Reason, and Explain words them in French or English from
// the catalogue (words.go), when a decision is shown or serialised.

// lines lists the rules the decision applied, one per line of its
// explanation: each block, the track's prerequisites, the required and
// optional blocks, the complementary evaluations, the verdict.
func (d *Decision) lines(f *facts) []Reason {
	r := d.rules
	out := make([]Reason, 0, len(r.blocks)+len(f.track.prereqs)+5)
	for b := range r.blocks {
		out = append(out, r.blockLine(f, b))
	}
	for _, p := range f.track.prereqs {
		if f.blocks[p.block].validated {
			out = append(out, r.prereqReason(f, p))
		}
	}
	if len(f.track.prereqs) == 0 && r.otherPrereqs(f.track) != nil {
		out = append(out, Reason{Code: PrereqNotApplied})
	}
	if n := f.counting(r.required); len(r.required) > 0 {
		out = append(out, Reason{Code: pick(n == len(r.required), RequiredMet, RequiredUnmet), N: n})
	}
	if len(r.optional) > 0 || r.minOptional > 0 {
		out = append(out, Reason{Code: OptionalRule, N: f.counting(r.optional)})
	}
	out = append(out, Reason{Code: d.Path})
	if d.Certified {
		return append(out, Reason{Code: Certified})
	}
	return append(out, Reason{Code: NotCertified, N: len(d.Missing)})
}

// blockLine is how a block was validated, or why it was not.
func (r *Rules) blockLine(f *facts, b int) Reason {
	s := &f.blocks[b]
	return Reason{Code: pick(s.validated, s.kept, pick(s.tried || s.refused, BlockNotValidated, BlockNoResult)), Block: r.blocks[b].code}
}

// Explain words the decision in language l.
func (d *Decision) Explain(l Lang) DecisionText {
	out := DecisionText{Certified: d.Certified, ValidatedBlocks: []string{}, Missing: []MissingText{}, Explanation: []string{}}
	if d.rules == nil {
		return out
	}
	r := d.rules
	w := writer{r: r, d: d, l: l, f: facts{blocks: make([]blockState, len(r.blocks)), slots: make([]slotState, r.nSlots), comp: make([]bool, len(r.complementary))}}
	_ = r.read(&d.record, &w.f) // Decide read it once without error
	out.ValidatedBlocks, out.Blocks = d.ValidatedBlocks(), make([]BlockText, 0, len(w.f.blocks))
	for _, m := range d.Missing {
		out.Missing = append(out.Missing, MissingText{Code: m.Code, Reason: w.word(m.Reason)})
	}
	for _, x := range d.lines(&w.f) {
		out.Explanation = append(out.Explanation, w.word(x))
	}
	for b, s := range d.Blocks() {
		out.Blocks = append(out.Blocks, BlockText{Block: s.Block, Validated: s.Validated, Counts: s.Counts, Route: s.Route, Date: s.Date,
			Reason: w.word(d.rules.blockRule(&w.f, b))})
	}
	return out
}

// writer words the reasons of one decision.
type writer struct {
	r *Rules
	d *Decision
	f facts
	l Lang
}

// say words a catalogue entry with its arguments.
func (w *writer) say(c Code, args ...any) string { return say(w.l, c, args...) }

// word writes the sentence of one reason.
func (w *writer) word(x Reason) string {
	r, f := w.r, &w.f
	b := r.blockIndex(x.Block)
	switch x.Code {
	case BlockNoResult:
		return w.say(x.Code, w.label(b))
	case BlockNotValidated:
		return w.say(x.Code, w.label(b), w.notValidated(b))
	case BlockTraining:
		return w.say(x.Code, w.label(b), w.l.Date(f.blocks[b].trainingDate.Date()), w.passed(b), w.tail(b))
	case BlockVAE:
		return w.say(x.Code, w.label(b), w.l.Date(f.blocks[b].vaeDate.Date()), w.tail(b))
	case BlockAcquired:
		by := wByTraining
		if f.blocks[b].acqVAE {
			by = wByVAE
		}
		return w.say(x.Code, w.label(b), w.say(by), w.l.Date(f.blocks[b].acqDate.Date()), w.tail(b))
	case PrereqMet, PrereqSameDay, PrereqBefore, PrereqUnvalidated:
		req := r.blockIndex(x.Other)
		return w.say(x.Code, w.trackName(f.track.track, true), w.label(b), w.l.Date(f.blocks[b].date.Date()), w.label(req), w.l.Date(f.blocks[req].date.Date()), x.Other)
	case PrereqNotApplied:
		var others []string
		for _, t := range r.otherPrereqs(f.track) {
			rules := make([]string, len(t.prereqs))
			for k, p := range t.prereqs {
				rules[k] = w.say(wRequires, r.blocks[p.block].code, r.blocks[p.requires].code)
			}
			others = append(others, w.say(wTrackRules, w.trackName(t.track, false), strings.Join(rules, ", ")))
		}
		return w.say(x.Code, w.trackName(f.track.track, true), strings.Join(others, w.say(wOfThe)))
	case RequiredMet, RequiredUnmet:
		head := pick(r.noRule, wHeadAll, wHeadCommon)
		return w.say(x.Code, w.say(head), x.N, len(r.required), w.codes(func(b int, s *blockState) bool { return !s.counts && r.isRequired(b) }))
	case OptionalRule:
		return w.say(x.Code, r.minOptional, w.optional(x.N), w.say(pick(x.N >= r.minOptional, wRuleMet, wRuleUnmet)))
	case CompNone:
		return w.say(x.Code)
	case CompVAE:
		titles := make([]string, len(r.complementary))
		for k, c := range r.complementary {
			titles[k] = c.Title
		}
		return w.say(x.Code, w.list(titles, wAnd))
	case CompTraining, CompPresumed, CompMixed:
		return w.say(x.Code, w.results(), w.codes(func(_ int, s *blockState) bool { return s.counts && s.route == routeTraining }),
			w.codes(func(_ int, s *blockState) bool { return s.counts && s.route == routeVAE }))
	case Certified:
		return w.say(x.Code, r.code)
	case NotCertified:
		names := make([]string, len(w.d.Missing))
		for k, m := range w.d.Missing {
			names[k] = m.Code
			if m.Code == "optional_block" {
				names[k] = w.say(wOptionalBlock)
			} else if c := r.complementaryIndex(m.Code); c >= 0 {
				names[k] = r.complementary[c].Title
			}
		}
		return w.say(x.Code, r.code, strings.Join(names, ", "))
	case MissingBlock:
		return w.say(w.count(x.N, wMissingBlockVAE, wMissingBlockOne, MissingBlock), w.label(b), x.N)
	case MissingOptional:
		among := make([]string, len(r.optional))
		for k, o := range r.optional {
			among[k] = w.label(o)
		}
		head := pick(r.minOptional == 1, wMissingOptionalOne, MissingOptional)
		return w.say(head, r.minOptional, w.list(among, wOr), w.say(w.count(x.N, wSoFarNone, wSoFarOne, wSoFarN), x.N))
	case MissingComp, MissingCompPresumed:
		c := r.complementaryIndex(x.Other)
		return w.say(x.Code, r.complementary[c].Title, x.Other)
	}
	return x.Code.String()
}

// pick is a if cond holds, b otherwise.
func pick[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}

// label names a block: its code and title.
func (w *writer) label(b int) string {
	return w.say(wLabel, w.r.blocks[b].code, w.r.blocks[b].title)
}

// notValidated says where each evaluation of a block not validated stands,
// and any refusal by a VAE jury.
func (w *writer) notValidated(b int) string {
	rb, s := &w.r.blocks[b], &w.f.blocks[b]
	var items []string
	if s.tried {
		for k, e := range w.f.slots[rb.firstSlot : rb.firstSlot+len(rb.evals)] {
			what := w.evalName(rb.evals[k])
			switch {
			case e.passed:
				items = append(items, w.say(wEvalPassed, what, w.l.Date(e.date.Date())))
			default:
				items = append(items, w.say(w.count(e.failures, wEvalNoResult, wEvalFailedOnce, wEvalFailed), what, e.failures))
			}
		}
	}
	if s.refused {
		items = append(items, w.refused(s))
	}
	if len(items) == 0 {
		return ""
	}
	return w.say(wDetails, strings.Join(items, ", "))
}

// count picks the phrase for zero, one or many.
func (w *writer) count(n int, zero, one, many Code) Code {
	return pick(n == 0, zero, pick(n == 1, one, many))
}

// evalName names an evaluation: « évaluation 2 (individuelle) ».
func (w *writer) evalName(e Evaluation) string {
	return w.say(pick(e.Form == Team, wEvalTeam, pick(e.Form == Individual, wEvalIndividual, wEvalPlain)), e.Number)
}

// refused words a VAE jury's refusal, dated when the record dates it.
func (w *writer) refused(s *blockState) string {
	if s.refusedDate.Date().IsZero() {
		return w.say(wRefused)
	}
	return w.say(wRefusedOn, w.l.Date(s.refusedDate.Date()))
}

// passed says how many evaluations of a block validated by training were
// passed, and which only after failed attempts.
func (w *writer) passed(b int) string {
	rb := &w.r.blocks[b]
	slots := w.f.slots[rb.firstSlot : rb.firstSlot+len(rb.evals)]
	after := func(n int) string { return w.say(pick(n == 1, wAfterFailure, wAfterFailures), n) }
	if len(slots) == 1 {
		return w.say(wPassedOne) + pick(slots[0].failures > 0, " "+after(slots[0].failures), "")
	}
	text := w.say(wPassedN, len(slots))
	for k, e := range slots {
		if e.failures > 0 {
			text += w.say(wRetake, rb.evals[k].Number, after(e.failures))
		}
	}
	return text
}

// tail gives the validations of a block not kept, so that the jury sees
// every one, and a refusal by a VAE jury.
func (w *writer) tail(b int) string {
	s := &w.f.blocks[b]
	var also []string
	if s.acquired && s.kept != BlockAcquired {
		also = append(also, w.say(wAlsoAcquired, w.l.Date(s.acqDate.Date())))
	}
	if s.training && s.kept != BlockTraining {
		also = append(also, w.say(wAlsoTraining, w.l.Date(s.trainingDate.Date())))
	}
	if s.vae && s.kept != BlockVAE {
		also = append(also, w.say(wAlsoVAE, w.l.Date(s.vaeDate.Date())))
	}
	text := ""
	if len(also) > 0 {
		text = w.say(wAlso, strings.Join(also, ", "))
	}
	if s.refused && !s.vae {
		text += w.say(wClause, w.refused(s))
	}
	return text
}

// optional words what the optional blocks give: how many count, which, and
// those validated that do not count on this track.
func (w *writer) optional(counting int) string {
	r := w.r
	notCounting := w.codes(func(b int, s *blockState) bool { return s.validated && !s.counts && !r.isRequired(b) })
	if counting == 0 && notCounting == "" {
		return w.say(wOptionalNoneValidated)
	}
	text := w.say(w.count(counting, wOptionalNoneCounts, wOptionalOneCounts, wOptionalNCount), counting, w.codes(func(b int, s *blockState) bool { return s.counts && !r.isRequired(b) }))
	if notCounting != "" {
		text += w.say(wOptionalNotCounting, notCounting)
	}
	return text
}

// results words the result of each complementary evaluation.
func (w *writer) results() string {
	out := make([]string, len(w.r.complementary))
	for k, c := range w.r.complementary {
		out[k] = w.say(pick(w.f.comp[k], wCompPassed, wCompFailed), c.Title)
	}
	return strings.Join(out, ", ")
}

// codes lists the codes of the blocks keep keeps, in the certification's order.
func (w *writer) codes(keep func(b int, s *blockState) bool) string {
	var out []string
	for b := range w.f.blocks {
		if keep(b, &w.f.blocks[b]) {
			out = append(out, w.r.blocks[b].code)
		}
	}
	return strings.Join(out, ", ")
}

// list joins items as the language does: « a, b et c ».
func (w *writer) list(items []string, and Code) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + w.say(and) + " " + items[len(items)-1]
}

// trackName names a track, capitalised to open a sentence.
func (w *writer) trackName(t Track, capital bool) string {
	s := pick(t == OneYear, w.say(wTrackOneYear), pick(t == ThreeYear, w.say(wTrackThreeYear), w.say(wTrackNamed, string(t))))
	if capital && s != "" {
		s = strings.ToUpper(s[:1]) + s[1:] // the names start with an ASCII letter
	}
	return s
}

// otherPrereqs lists the tracks other than t that have prerequisites.
func (r *Rules) otherPrereqs(t *ruleTrack) []ruleTrack {
	var out []ruleTrack
	for _, o := range r.tracks {
		if o.track != t.track && len(o.prereqs) > 0 {
			out = append(out, o)
		}
	}
	return out
}

// isRequired reports whether block b must count.
func (r *Rules) isRequired(b int) bool { return slices.Contains(r.required, b) }

// complementaryIndex returns the index of a complementary evaluation, or -1.
func (r *Rules) complementaryIndex(code string) int {
	return slices.IndexFunc(r.complementary, func(c Complementary) bool { return c.Code == code })
}
