package certibloc

import "strings"

// Eligibility applies the entry rules of the applicant's track, with its
// reasons in French; EligibilityIn words them in another language.
func (r *Rules) Eligibility(a Applicant) (Eligibility, error) { return r.EligibilityIn(a, French) }

// EligibilityIn applies the entry rules of the applicant's track. The rules
// of a track are alternatives: the applicant is eligible when one is met.
// When several are, a rule that needs no committee review is preferred (it
// admits without condition), then the first in the order of the data.
// Reasons give, in language l, one line per rule of the track, met or not
// and why, then the verdict.
//
// A negative level, experience or ECTS count, a level above 8 and a track
// the certification has no entry rule for are an *Error with code EINVALID
// naming the field.
func (r *Rules) EligibilityIn(a Applicant, l Lang) (Eligibility, error) {
	switch {
	case a.Level < 0 || a.Level > 8:
		return Eligibility{}, Errorf(EINVALID, "level %d is not a qualification level: it must be between 0 (none) and 8", a.Level)
	case a.ExperienceMonths < 0:
		return Eligibility{}, Errorf(EINVALID, "experience_months %d is negative: give the months of professional experience in the field, 0 when none", a.ExperienceMonths)
	case a.ECTS < 0:
		return Eligibility{}, Errorf(EINVALID, "ects %d is negative: give the ECTS credits obtained, 0 when none", a.ECTS)
	}
	var tr *ruleTrack
	for i := range r.tracks {
		if r.tracks[i].track == a.Track && len(r.tracks[i].entry) > 0 {
			tr = &r.tracks[i]
		}
	}
	if tr == nil {
		return Eligibility{}, r.noEntryRule(a.Track)
	}

	w := writer{r: r, l: l}
	best := -1
	reasons := make([]string, 0, len(tr.entry)+1)
	for i, e := range tr.entry {
		met, line := w.entry(e, a)
		reasons = append(reasons, line)
		if !met {
			continue
		}
		// A rule without committee review beats one with; otherwise the
		// first met in the order of the data.
		if best < 0 || (tr.entry[best].CommitteeReview && !e.CommitteeReview) {
			best = i
		}
	}
	track := w.trackName(tr.track, false)
	if best < 0 {
		reasons = append(reasons, w.say(NotEligible, track))
		return Eligibility{Rule: "none", Reasons: reasons, Applicant: &a}, nil
	}
	e := tr.entry[best]
	reasons = append(reasons, w.say(pick(e.CommitteeReview, EligibleReview, Eligible), track, w.ruleName(e)))
	return Eligibility{Eligible: true, CommitteeReview: e.CommitteeReview, Rule: e.Rule, Reasons: reasons, Applicant: &a}, nil
}

// entry checks one entry rule and says whether it is met and, when not,
// every condition that fails.
func (w *writer) entry(e EntryRule, a Applicant) (bool, string) {
	name := w.ruleName(e)
	var unmet []string
	if a.Level < e.MinLevel {
		unmet = append(unmet, w.say(wEntryLevelLow, a.Level, e.MinLevel))
	}
	if a.ExperienceMonths < e.MinExperienceMonths {
		unmet = append(unmet, w.say(wEntryMonthsLow, a.ExperienceMonths, e.MinExperienceMonths))
	}
	if a.ECTS < e.MinECTS {
		unmet = append(unmet, w.say(wEntryECTSLow, a.ECTS, e.MinECTS))
	}
	if len(unmet) > 0 {
		return false, w.say(EntryUnmet, name, strings.Join(unmet, w.say(wClause, "")))
	}
	more := ""
	if e.MinExperienceMonths > 0 {
		more += w.say(wEntryMonths, a.ExperienceMonths, e.MinExperienceMonths)
	}
	if e.MinECTS > 0 {
		more += w.say(wEntryECTS, a.ECTS, e.MinECTS)
	}
	review := ""
	if e.CommitteeReview {
		review = w.say(wEntryReview)
	}
	return true, w.say(EntryMet, name, a.Level, e.MinLevel, more, review)
}

// noEntryRule is the error for a track without entry rules, naming the
// tracks that have some.
func (r *Rules) noEntryRule(t Track) error {
	var have []string
	for _, tr := range r.tracks {
		if len(tr.entry) > 0 {
			have = append(have, string(tr.track))
		}
	}
	available := "it has no entry rule at all"
	if len(have) > 0 {
		available = "tracks available: " + strings.Join(have, ", ")
	}
	if t == "" {
		return Errorf(EINVALID, "track is missing: certification %s needs one to apply its entry rules (%s)", r.code, available)
	}
	return Errorf(EINVALID, "track %q has no entry rule in certification %s (%s)", t, r.code, available)
}

// ruleName names an entry rule in a sentence: its text, quoted, as the
// programme publishes it; its id (level5) only when it has none, since an
// id is the data's, not a reader's word.
func (w *writer) ruleName(e EntryRule) string {
	if e.Text == "" {
		return e.Rule
	}
	return w.say(wEntryText, e.Text)
}
