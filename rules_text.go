package certibloc

import (
	"strconv"
	"time"
)

// The French sentences of a decision that carry dates or counts. Each
// appends to the decision's text buffer, strconv.Append-style; a sentence
// that needs nothing from the record is prepared once by NewRules instead,
// and one that depends on a few small values is memoised (rules_memo.go).

// blockLine appends the line of one block: how it was validated (route
// and date, and the other routes that validated it too) or what it lacks.
// Most lines are prepared or memoised (rules_memo.go).
func (r *Rules) blockLine(sc *scratch, b int) {
	rb, s := &r.blocks[b], &sc.blocks[b]
	evals := sc.slots[rb.firstSlot : rb.firstSlot+len(rb.evals)]
	tried := s.failures > 0
	for _, e := range evals {
		tried = tried || e.passed
	}
	if !s.validated && !tried && !s.refused {
		sc.fixed(rb.noResult)
		return
	}
	key, memo := blockLineKey(b, s, evals)
	if slot, found := r.recall(sc, key, memo); !found {
		start := len(sc.buf)
		sc.buf = r.writeBlockLine(sc.buf, rb, s, evals, tried)
		sc.remember(slot, key, start)
	}
}

// writeBlockLine writes the line of a block the record says something of.
func (r *Rules) writeBlockLine(buf []byte, rb *ruleBlock, s *blockState, evals []slotState, tried bool) []byte {
	if !s.validated {
		buf = append(buf, rb.label...)
		return r.appendNotValidated(buf, rb, s, evals, tried)
	}
	return r.appendValidated(buf, rb, s, evals)
}

// appendValidated writes the line of a validated block: the route and date
// kept, the other validations, and a refusal by a VAE jury if any.
func (r *Rules) appendValidated(buf []byte, rb *ruleBlock, s *blockState, evals []slotState) []byte {
	switch s.kept {
	case fromTraining:
		buf = append(buf, rb.byTraining...)
		buf = appendDate(buf, s.date)
		if s.failures == 0 {
			buf = append(buf, rb.passed...)
		} else {
			buf = appendPassedEvaluations(buf, rb, evals)
		}
	case fromVAE:
		buf = append(buf, rb.byVAE...)
		buf = appendDate(buf, s.date)
		buf = append(buf, " (décision du jury)"...)
	default:
		if s.acqRoute == VAE {
			buf = append(buf, rb.acquiredBy[1]...)
		} else {
			buf = append(buf, rb.acquiredBy[0]...)
		}
		buf = appendDate(buf, s.acqDate)
		buf = append(buf, " (capitalisé : acquis définitivement)"...)
	}
	// The validations not kept, so that the jury sees every one.
	also := false
	if s.acquired && s.kept != fromAcquired {
		buf = appendAlso(buf, &also, "acquis lors d'une session antérieure le ", s.acqDate)
	}
	if s.training && s.kept != fromTraining {
		buf = appendAlso(buf, &also, "validé par la formation le ", s.trainingDate)
	}
	if s.vae && s.kept != fromVAE {
		buf = appendAlso(buf, &also, "validé par la VAE le ", s.vaeDate)
	}
	if also {
		buf = append(buf, " ; la date la plus ancienne est retenue"...)
	}
	if s.refused && !s.vae {
		buf = append(buf, " ; refusé par le jury de VAE"...)
		if !s.refusedDate.IsZero() {
			buf = append(buf, " le "...)
			buf = appendDate(buf, s.refusedDate)
		}
	}
	return append(buf, '.')
}

// appendNotValidated writes, after a block's label, where each evaluation
// stands and any refusal by a VAE jury.
func (r *Rules) appendNotValidated(buf []byte, rb *ruleBlock, s *blockState, evals []slotState, tried bool) []byte {
	buf = append(buf, " : non validé"...)
	sep := " : "
	if tried {
		for k, e := range evals {
			buf = append(buf, sep...)
			sep = ", "
			buf = append(buf, rb.evals[k].label...)
			switch {
			case e.passed:
				buf = append(buf, " réussie le "...)
				buf = appendDate(buf, e.date)
			case e.failures == 1:
				buf = append(buf, " échouée"...)
			case e.failures > 1:
				buf = append(buf, " échouée "...)
				buf = strconv.AppendInt(buf, int64(e.failures), 10)
				buf = append(buf, " fois"...)
			default:
				buf = append(buf, " sans résultat"...)
			}
		}
	}
	if s.refused {
		buf = append(buf, sep...)
		buf = append(buf, "refusé par le jury de VAE"...)
		if !s.refusedDate.IsZero() {
			buf = append(buf, " le "...)
			buf = appendDate(buf, s.refusedDate)
		}
	}
	return append(buf, '.')
}

// appendPassedEvaluations says, for a block validated by training, how many
// evaluations were passed and which only after failed attempts (retakes).
func appendPassedEvaluations(buf []byte, rb *ruleBlock, evals []slotState) []byte {
	if len(evals) == 1 {
		buf = append(buf, " (évaluation réussie"...)
		buf = appendFailures(buf, evals[0].failures)
		return append(buf, ')')
	}
	buf = append(buf, " ("...)
	buf = strconv.AppendInt(buf, int64(len(evals)), 10)
	buf = append(buf, " évaluations réussies"...)
	for k, e := range evals {
		if e.failures == 0 {
			continue
		}
		buf = append(buf, ", l'évaluation "...)
		buf = strconv.AppendInt(buf, int64(rb.evals[k].number), 10)
		buf = appendFailures(buf, e.failures)
	}
	return append(buf, ')')
}

// appendFailures says how many attempts failed before a pass.
func appendFailures(buf []byte, n int) []byte {
	switch {
	case n == 1:
		return append(buf, " après un échec"...)
	case n > 1:
		buf = append(buf, " après "...)
		buf = strconv.AppendInt(buf, int64(n), 10)
		return append(buf, " échecs"...)
	}
	return buf
}

// appendPrereqLine writes the line of one block prerequisite of the track.
func (r *Rules) appendPrereqLine(buf []byte, tr *ruleTrack, p prereq, s, req *blockState, ok bool) []byte {
	buf = append(buf, tr.title...)
	buf = append(buf, " : "...)
	buf = append(buf, r.blocks[p.block].label...)
	switch {
	case ok:
		buf = append(buf, " compte, validé le "...)
		buf = appendDate(buf, s.date)
		if req.date.Before(s.date) {
			buf = append(buf, ", après "...)
		} else {
			buf = append(buf, ", le même jour que "...)
		}
		buf = append(buf, r.blocks[p.requires].label...)
		buf = append(buf, " (validé le "...)
		buf = appendDate(buf, req.date)
		return append(buf, ") : le prérequis est respecté."...)
	case req.validated:
		buf = append(buf, " ne compte pas pour le titre : validé le "...)
		buf = appendDate(buf, s.date)
		buf = append(buf, ", avant "...)
		buf = append(buf, r.blocks[p.requires].label...)
		buf = append(buf, " (validé le "...)
		buf = appendDate(buf, req.date)
		buf = append(buf, ")"...)
	default:
		buf = append(buf, " ne compte pas pour le titre : validé le "...)
		buf = appendDate(buf, s.date)
		buf = append(buf, " alors que "...)
		buf = append(buf, r.blocks[p.requires].label...)
		buf = append(buf, " n'est pas validé"...)
	}
	buf = append(buf, " ; sur ce parcours, ce bloc n'est retenu que si "...)
	buf = append(buf, r.blocks[p.requires].code...)
	return append(buf, " a été validé d'abord, par la formation ou la VAE."...)
}

// appendRequiredLine writes the line of the rule « every required block »
// when some are missing (when none is, the line is prepared).
func (r *Rules) appendRequiredLine(buf []byte, bs []blockState, counting int) []byte {
	buf = append(buf, r.requiredHead...)
	buf = append(buf, " : "...)
	buf = strconv.AppendInt(buf, int64(counting), 10)
	buf = append(buf, " sur "...)
	buf = strconv.AppendInt(buf, int64(len(r.required)), 10)
	buf = append(buf, " comptent ; manque "...)
	sep := ""
	for _, b := range r.required {
		if !bs[b].counts {
			buf = append(buf, sep...)
			buf = append(buf, r.blocks[b].code...)
			sep = ", "
		}
	}
	return append(buf, " : la règle n'est pas remplie."...)
}

// appendOptionalLine writes the line of the rule « at least N optional
// blocks », naming those that count and those validated that do not.
func (r *Rules) appendOptionalLine(buf []byte, bs []blockState, counting int, notCounting bool) []byte {
	buf = append(buf, r.optionalHead...)
	switch counting {
	case 0:
		buf = append(buf, "aucun ne compte"...)
	case 1:
		buf = append(buf, "1 compte, "...)
	default:
		buf = strconv.AppendInt(buf, int64(counting), 10)
		buf = append(buf, " comptent, "...)
	}
	sep := ""
	for _, b := range r.optional {
		if bs[b].counts {
			buf = append(buf, sep...)
			buf = append(buf, r.blocks[b].code...)
			sep = ", "
		}
	}
	if notCounting {
		sep = " (validé sans compter sur ce parcours : "
		for _, b := range r.optional {
			if bs[b].validated && !bs[b].counts {
				buf = append(buf, sep...)
				buf = append(buf, r.blocks[b].code...)
				sep = ", "
			}
		}
		buf = append(buf, ')')
	}
	if counting >= r.minOptional {
		return append(buf, " ; la règle est remplie."...)
	}
	return append(buf, " ; la règle n'est pas remplie."...)
}

// appendMixedLine writes why the complementary evaluations are due on a
// mixed path, the blocks that count by training and those by VAE, then
// each evaluation's result.
func (r *Rules) appendMixedLine(buf []byte, bs []blockState, comp []bool) []byte {
	buf = append(buf, "Parcours mixte (formation et VAE) : les évaluations complémentaires sont exigées car des blocs sont acquis par la formation ("...)
	buf = r.appendCodes(buf, bs, Training)
	buf = append(buf, ") ; les blocs validés par la VAE ("...)
	buf = r.appendCodes(buf, bs, VAE)
	buf = append(buf, ") n'en demandent pas davantage"...)
	return r.appendCompResults(buf, func(k int) bool { return comp[k] })
}

// appendCodes writes the codes of the blocks that count by the given route.
func (r *Rules) appendCodes(buf []byte, bs []blockState, route Route) []byte {
	sep := ""
	for b := range bs {
		if bs[b].counts && bs[b].route == route {
			buf = append(buf, sep...)
			buf = append(buf, r.blocks[b].code...)
			sep = ", "
		}
	}
	return buf
}

// appendVerdict writes the last line of a decision that is not a title.
func (r *Rules) appendVerdict(buf []byte, missing []missingItem) []byte {
	buf = append(buf, r.notCertified...)
	for k, m := range missing {
		if k > 0 {
			buf = append(buf, ", "...)
		}
		switch i := r.complementaryIndex(m.code); {
		case m.code == "optional_block":
			buf = append(buf, "un bloc optionnel qui compte"...)
		case i >= 0:
			buf = append(buf, r.complementary[i].verdict...)
		default:
			buf = append(buf, m.code...)
		}
	}
	return append(buf, '.')
}

// appendAlso writes one more route that validated the block, after the kept one.
func appendAlso(buf []byte, also *bool, what string, d Date) []byte {
	if *also {
		buf = append(buf, ", "...)
	} else {
		buf = append(buf, " ; également "...)
		*also = true
	}
	buf = append(buf, what...)
	return appendDate(buf, d)
}

// appendDate writes d as YYYY-MM-DD. Dates are most of what a decision
// writes, so a UTC date (what ParseDate, DateOf and Scan make) is converted
// from its day number by integer arithmetic rather than time.Format.
func appendDate(buf []byte, d Date) []byte {
	days, ok := dayNumber(d)
	if !ok {
		return append(buf, d.String()...)
	}
	y, m, day := civil(days)
	return append(buf,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+day/10), byte('0'+day%10))
}

// dayNumber returns the days from 1970-01-01 to d, when d is a UTC date
// between the years 0 and 9999, as all dates read by certibloc are.
func dayNumber(d Date) (int64, bool) {
	if d.Location() != time.UTC {
		return 0, false
	}
	days := floorDiv(d.Unix(), 86400)
	if days < -719528 || days > 2932896 { // 0000-01-01 and 9999-12-31
		return 0, false
	}
	return days, true
}

// civil returns the proleptic Gregorian date of a day counted from
// 1970-01-01, for days from year 0 on (Howard Hinnant's civil_from_days).
// The count is shifted by one 400-year era so that all the arithmetic is
// unsigned, which divides by constants faster.
func civil(days int64) (year, month, day int) {
	z := uint64(days + 719468 + 146097)
	era := z / 146097
	doe := z - era*146097                                  // day of era, [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // year of era, [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // day of year from March 1st, [0, 365]
	mp := (5*doy + 2) / 153                                // month from March, [0, 11]
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	y := int(yoe+era*400) - 400
	if m <= 2 {
		y++
	}
	return y, int(m), int(d)
}

// floorDiv divides rounding towards minus infinity, for dates before 1970.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
