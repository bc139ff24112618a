package certibloc

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The rules engine. Everything it applies is data from the Certification:
// the blocks with their kind and evaluations, the block prerequisites of each
// track, the validation rule and the entry rules. Nothing here is named after
// one certification, so an imported fiche runs through the same code as the
// seeded RNCP38478.
//
// Decide is on the hot path (a jury or a simulation over a whole cohort, or a
// report over every learner: 100,000 records in about 0.1 s), so:
//   - NewRules does the work that does not depend on a record: block and
//     evaluation lookups, and every French sentence, or piece of sentence,
//     that needs nothing from the record (this file);
//   - Decide reads the record into small tables and applies the rules
//     (rules_decide.go), in a pooled working memory whose slabs the
//     decision's slices are cut from (rules_scratch.go);
//   - the sentences that carry dates or counts are written by rules_text.go
//     and memoised by the few values they depend on (rules_memo.go): a
//     cohort shares its session dates, so most decisions write no text.
//
// Eligibility (eligibility.go) is not on a hot path and stays simple.

// Rules is a certification's rules compiled for fast, repeated decisions.
// Build one per certification version and keep it: it is safe for
// concurrent use, and it learns the dated sentences of its cohorts.
type Rules struct {
	code   string
	blocks []ruleBlock
	// sorted lists block indexes in code order so that ValidatedBlocks comes
	// out sorted without sorting per record.
	sorted []int
	// byCode is only built for certifications with many blocks; below that a
	// linear scan over a few codes is faster than hashing.
	byCode map[string]int
	nSlots int // evaluations over all blocks: one slot each per record

	required      []int // blocks that must all count: the common ones, or every block when Validation is nil
	optional      []int
	minOptional   int
	complementary []ruleComplementary
	tracks        []ruleTrack
	anyTrack      ruleTrack // the track of a certification that names none

	// lines memoises the lines that depend on few values (see memoSlot);
	// made by the first Decide, so that a Rules used only for eligibility
	// does not pay for it.
	linesOnce sync.Once
	lines     []atomic.Pointer[datedLine]
	noMemo    bool // tests: write every line afresh

	// Sentences prepared once.
	blockCodes      string   // "RNCP38478BC01, RNCP38478BC02…", for errors
	trackNames      string   // "one_year, three_year", for errors
	requiredHead    string   // "Blocs communs" or the note that every block is required
	requiredAll     string   // the required-blocks line when all count
	optionalHead    string   // "Blocs optionnels (au moins 1 requis) : "
	optionalNone    string   // the optional-blocks line when none is validated
	optionalWhy     []string // Missing reason for optional_block, by number of optional blocks that count
	optionalVerdict string   // the last line when only an optional block is missing
	noCompLine      string
	allVAELine      string   // complementary evaluations not due: every block by VAE
	trainingHead    string   // due: every block by training; the results follow
	presumedHead    string   // due: no block yet, training presumed; the results follow
	compResults     []string // " : Soutenance orale réussie, Mémoire technique non réussie.", by set of passed evaluations
	trainingLines   []string // trainingHead + compResults, by the same sets
	presumedLines   []string
	certifiedLine   string
	notCertified    string // opening of the last line when something is missing
}

// ruleBlock is a block with its lookups and sentences.
type ruleBlock struct {
	code      string
	label     string // RNCP38478BC01 « Piloter un projet informatique »
	kind      BlockKind
	firstSlot int // slot of its first evaluation in the per-record table
	evals     []ruleEval

	noResult    string    // the line when the record says nothing of the block
	byTraining  string    // "label : validé par la formation le "
	passed      string    // " (2 évaluations réussies)"
	byVAE       string    // "label : validé par la VAE le "
	acquiredBy  [2]string // "label : acquis lors d'une session antérieure, par la formation, le ", then by VAE
	optionalOne string    // the optional-blocks line when this block alone counts
	missing     string    // Missing reason when a required block is not validated
	verdictOnly string    // the last line when this block alone is missing
}

// ruleEval is one evaluation of a block.
type ruleEval struct {
	number int
	label  string // évaluation 2 (individuelle)
}

// ruleComplementary is a complementary evaluation (oral defence, thesis).
type ruleComplementary struct {
	code         string
	missing      string // Missing reason when required because of training
	missingGuess string // Missing reason when required because training is presumed
	verdict      string // how the last line names it
	verdictOnly  string // the last line when it alone is missing
}

// ruleTrack is what a track changes: its block prerequisites and its entry rules.
type ruleTrack struct {
	track   Track
	label   string // parcours en 3 ans
	title   string // Parcours en 3 ans, to open a sentence
	prereqs []prereq
	// note explains, on a track without prerequisites, that those of other
	// tracks do not apply; empty when no track has any.
	note  string
	entry []EntryRule
}

// prereq says that block only counts once requires is validated, no later
// than block itself. id numbers the prerequisites of all tracks, to memoise
// their lines.
type prereq struct{ id, block, requires int }

// linearLimit is the number of blocks up to which codes are looked up by a
// linear scan rather than a map.
const linearLimit = 16

// NewRules compiles the rules of c. It expects a certification that passes
// Validate; rules that name unknown blocks are ignored rather than fatal, so
// that a half-imported fiche can still be simulated.
func NewRules(c *Certification) *Rules {
	r := &Rules{code: c.Code}
	r.certifiedLine = "Certification " + r.code + " obtenue : toutes les conditions sont remplies."
	r.notCertified = "Certification " + r.code + " non obtenue : il manque "
	codes := make([]string, 0, len(c.Blocks))
	for _, b := range c.Blocks {
		if slices.Contains(codes, b.Code) {
			continue // Validate rejects duplicates; keep the first
		}
		codes = append(codes, b.Code)
		r.blocks = append(r.blocks, r.compileBlock(b))
	}
	r.blockCodes = strings.Join(codes, ", ")
	if len(r.blocks) > linearLimit {
		r.byCode = make(map[string]int, len(r.blocks))
		for i, b := range r.blocks {
			r.byCode[b.code] = i
		}
	}
	r.sorted = make([]int, len(r.blocks))
	for i := range r.sorted {
		r.sorted[i] = i
	}
	slices.SortFunc(r.sorted, func(a, b int) int { return strings.Compare(r.blocks[a].code, r.blocks[b].code) })

	r.compileValidation(c.Validation)
	r.compileTracks(c)
	return r
}

// compileBlock prepares a block's evaluation slots and its sentences.
func (r *Rules) compileBlock(b Block) ruleBlock {
	label := b.Code + " « " + b.Title + " »"
	rb := ruleBlock{
		code:        b.Code,
		label:       label,
		kind:        b.Kind,
		firstSlot:   r.nSlots,
		noResult:    label + " : non validé, aucune évaluation réussie ni validation par la VAE.",
		byTraining:  label + " : validé par la formation le ",
		byVAE:       label + " : validé par la VAE le ",
		acquiredBy:  [2]string{label + " : acquis lors d'une session antérieure, par la formation, le ", label + " : acquis lors d'une session antérieure, par la VAE, le "},
		verdictOnly: r.notCertified + b.Code + ".",
	}
	for _, e := range b.Evaluations {
		rb.evals = append(rb.evals, ruleEval{number: e.Number, label: evalLabel(e)})
	}
	r.nSlots += len(rb.evals)
	rb.passed = " (évaluation réussie)"
	if n := len(rb.evals); n > 1 {
		rb.passed = " (" + strconv.Itoa(n) + " évaluations réussies)"
	}
	return rb
}

// compileValidation reads the validation rule. A certification without one
// (an imported fiche publishes none) requires every block, whatever its
// kind, with no optional choice and no complementary evaluation.
func (r *Rules) compileValidation(v *ValidationRule) {
	if v == nil {
		for i := range r.blocks {
			r.required = append(r.required, i)
		}
		r.requiredHead = "Blocs requis (le référentiel ne publie pas de règle de validation : tous les blocs sont exigés)"
	} else {
		for i, b := range r.blocks {
			if b.kind == Optional {
				r.optional = append(r.optional, i)
			} else {
				r.required = append(r.required, i)
			}
		}
		r.minOptional = v.MinOptional
		r.requiredHead = "Blocs communs"
		for _, c := range v.Complementary {
			// Titles are nouns of either gender (la soutenance, le
			// mémoire): results agree with « évaluation » instead.
			name := "Évaluation complémentaire « " + c.Title + " » (" + c.Code + ")"
			r.complementary = append(r.complementary, ruleComplementary{
				code:         c.Code,
				missing:      name + " non réussie : elle est exigée dès qu'un bloc est acquis par la formation.",
				missingGuess: name + " non réussie : elle est exigée pour la voie de la formation, présumée tant qu'aucun bloc n'est validé.",
				verdict:      c.Title,
				verdictOnly:  r.notCertified + c.Title + ".",
			})
		}
	}

	n := strconv.Itoa(len(r.required))
	r.requiredAll = r.requiredHead + " : " + n + " sur " + n + " comptent, la règle est remplie."
	for _, i := range r.required {
		b := &r.blocks[i]
		switch len(b.evals) {
		case 0:
			b.missing = "Bloc requis " + b.label + " non validé : il doit être validé par un jury de VAE."
		case 1:
			b.missing = "Bloc requis " + b.label + " non validé : il faut réussir son évaluation ou le faire valider par un jury de VAE."
		default:
			b.missing = "Bloc requis " + b.label + " non validé : il faut réussir ses " + strconv.Itoa(len(b.evals)) + " évaluations ou le faire valider par un jury de VAE."
		}
	}
	r.compileOptional()

	titles := make([]string, len(r.complementary))
	for k, c := range r.complementary {
		titles[k] = c.verdict
	}
	comps := frenchList(titles, "et")
	r.noCompLine = "Évaluations complémentaires : le référentiel n'en prévoit aucune."
	r.trainingHead = "Voie de la formation : tous les blocs retenus sont acquis par la formation, les évaluations complémentaires sont donc exigées"
	// The seed requires the company-period evaluations on the training route
	// and says nothing of them for a candidate whose blocks all came by VAE.
	// The VAE route has its own oral before the jury for each block, so
	// certibloc does not ask for them then; the line says so, since a jury
	// may read the fiche otherwise.
	r.allVAELine = "Voie de la VAE : évaluations complémentaires (" + comps + ") non exigées, car tous les blocs retenus ont été validés par la VAE. " +
		"La fiche ne les prévoit que pour la voie de la formation et ne dit rien d'un parcours entièrement par la VAE : " +
		"certibloc considère que la soutenance devant le jury de VAE en tient lieu. Elles deviendront exigées si un bloc est obtenu par la formation."
	// With no block yet there is no route to read; the record is on a
	// training track, so the training route is presumed and the whole path
	// to the title is shown.
	r.presumedHead = "Aucun bloc retenu pour l'instant : la voie de la formation est présumée, les évaluations complémentaires sont donc exigées " +
		"(elles ne le seraient pas si tous les blocs étaient obtenus par la VAE)"
	// The complementary rule is one line: why the evaluations are due, then
	// each one's result. The lines are prepared for every set of results
	// when there are few evaluations (two for RNCP38478), and written per
	// decision beyond.
	if len(r.complementary) <= maxPreparedComplementary {
		for set := range 1 << len(r.complementary) {
			results := string(r.appendCompResults(nil, func(k int) bool { return set&(1<<k) != 0 }))
			r.compResults = append(r.compResults, results)
			r.trainingLines = append(r.trainingLines, r.trainingHead+results)
			r.presumedLines = append(r.presumedLines, r.presumedHead+results)
		}
	}
}

// maxPreparedComplementary is the number of complementary evaluations up
// to which the lines for every set of results are prepared.
const maxPreparedComplementary = 4

// appendCompResults writes « : évaluation « Soutenance orale » réussie,
// évaluation « Mémoire technique » non réussie. », each evaluation's result
// as passed(k) tells.
func (r *Rules) appendCompResults(buf []byte, passed func(k int) bool) []byte {
	for k, c := range r.complementary {
		if k == 0 {
			buf = append(buf, " : évaluation « "...)
		} else {
			buf = append(buf, ", évaluation « "...)
		}
		buf = append(buf, c.verdict...)
		buf = append(buf, " »"...)
		if passed(k) {
			buf = append(buf, " réussie"...)
		} else {
			buf = append(buf, " non réussie"...)
		}
	}
	return append(buf, '.')
}

// compileOptional prepares the sentences of the rule « at least N optional
// blocks ».
func (r *Rules) compileOptional() {
	r.optionalHead = "Blocs optionnels (au moins " + strconv.Itoa(r.minOptional) + " requis) : "
	met := " ; la règle est remplie."
	if r.minOptional > 0 {
		r.optionalNone = r.optionalHead + "aucun n'est validé ; la règle n'est pas remplie."
	} else {
		r.optionalNone = r.optionalHead + "aucun n'est validé" + met
	}
	if r.minOptional <= 1 {
		for _, i := range r.optional {
			r.blocks[i].optionalOne = r.optionalHead + "1 compte, " + r.blocks[i].code + met
		}
	}
	among := make([]string, len(r.optional))
	for k, i := range r.optional {
		among[k] = r.blocks[i].label
	}
	head := "Au moins " + strconv.Itoa(r.minOptional) + " blocs optionnels doivent compter pour le titre, parmi " + frenchList(among, "ou") + " : "
	if r.minOptional == 1 {
		head = "Au moins 1 bloc optionnel doit compter pour le titre, parmi " + frenchList(among, "ou") + " : "
	}
	for count := 0; count < r.minOptional; count++ {
		switch count {
		case 0:
			r.optionalWhy = append(r.optionalWhy, head+"aucun ne compte pour l'instant.")
		case 1:
			r.optionalWhy = append(r.optionalWhy, head+"un seul compte pour l'instant.")
		default:
			r.optionalWhy = append(r.optionalWhy, head+"seulement "+strconv.Itoa(count)+" comptent pour l'instant.")
		}
	}
	r.optionalVerdict = r.notCertified + "un bloc optionnel qui compte."
}

// compileTracks groups the entry rules and block prerequisites by track, in
// the order the data first names each track.
func (r *Rules) compileTracks(c *Certification) {
	find := func(t Track) *ruleTrack {
		for i := range r.tracks {
			if r.tracks[i].track == t {
				return &r.tracks[i]
			}
		}
		r.tracks = append(r.tracks, ruleTrack{track: t, label: trackLabel(t), title: capitalize(trackLabel(t))})
		return &r.tracks[len(r.tracks)-1]
	}
	for _, e := range c.EntryRules {
		t := find(e.Track)
		t.entry = append(t.entry, e)
	}
	ids := 0
	for _, br := range c.BlockRules {
		b, req := r.blockIndex(br.Block), r.blockIndex(br.Requires)
		if b < 0 || req < 0 {
			continue
		}
		t := find(br.Track)
		t.prereqs = append(t.prereqs, prereq{id: ids, block: b, requires: req})
		ids++
	}
	names := make([]string, len(r.tracks))
	for i, t := range r.tracks {
		names[i] = string(t.track)
	}
	r.trackNames = strings.Join(names, ", ")

	// A track without prerequisites gets one line saying why those of the
	// other tracks are not applied, so the reader of a one-year decision
	// knows the three-year rule was not forgotten.
	for i := range r.tracks {
		t := &r.tracks[i]
		if len(t.prereqs) > 0 {
			continue
		}
		var others []string
		for _, o := range r.tracks {
			if len(o.prereqs) == 0 {
				continue
			}
			rules := make([]string, len(o.prereqs))
			for k, p := range o.prereqs {
				rules[k] = r.blocks[p.block].code + " exige " + r.blocks[p.requires].code
			}
			others = append(others, o.label+" ("+strings.Join(rules, ", ")+")")
		}
		if len(others) > 0 {
			t.note = t.title + " : les prérequis entre blocs du " + strings.Join(others, ", du ") + " ne s'appliquent pas ici."
		}
	}
}

// blockIndex returns the index of the block with the given code, or -1.
func (r *Rules) blockIndex(code string) int {
	if r.byCode != nil {
		if i, ok := r.byCode[code]; ok {
			return i
		}
		return -1
	}
	// Block codes share their certification's prefix and differ at the
	// end: comparing the last byte first skips most full comparisons.
	if code == "" {
		return -1
	}
	last := code[len(code)-1]
	for i := range r.blocks {
		c := r.blocks[i].code
		if len(c) == len(code) && c[len(c)-1] == last && c == code {
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
	if t == "" {
		return nil, Errorf(EINVALID, "the track is missing: certification %s has the tracks %s", r.code, r.trackNames)
	}
	return nil, Errorf(EINVALID, "track %q does not exist in certification %s: its tracks are %s", t, r.code, r.trackNames)
}

// evalLabel names an evaluation in explanations: « évaluation 2 (individuelle) ».
func evalLabel(e Evaluation) string {
	s := "évaluation " + strconv.Itoa(e.Number)
	switch e.Form {
	case Team:
		s += " (en équipe)"
	case Individual:
		s += " (individuelle)"
	}
	return s
}

// trackLabel names a track in French. The two tracks the domain knows get
// words; any other is quoted as the referential names it.
func trackLabel(t Track) string {
	switch t {
	case OneYear:
		return "parcours en 1 an"
	case ThreeYear:
		return "parcours en 3 ans"
	}
	return "parcours « " + string(t) + " »"
}

// frenchList joins items as French does: « a, b et c ».
func frenchList(items []string, and string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + and + " " + items[len(items)-1]
}

// capitalize upper-cases the first letter of a sentence that starts with
// an ASCII letter, as the track labels do.
func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
