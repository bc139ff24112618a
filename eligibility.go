package certibloc

import (
	"strconv"
	"strings"
)

// Eligibility applies the entry rules of the applicant's track. The rules of
// a track are alternatives: the applicant is eligible when one is met. When
// several are, a rule that needs no committee review is preferred (it admits
// without condition), then the first in the order of the data. Reasons give
// one line per rule of the track, met or not and why, then the verdict.
//
// A negative level, experience or ECTS count, a level above 8 and a track
// the certification has no entry rule for are an *Error with code EINVALID
// naming the field.
func (r *Rules) Eligibility(a Applicant) (Eligibility, error) {
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

	best := -1
	reasons := make([]string, 0, len(tr.entry)+1)
	for i, e := range tr.entry {
		met, line := entrySentence(e, a)
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
	if best < 0 {
		reasons = append(reasons, "Non éligible au "+tr.label+" : aucune des conditions d'accès n'est remplie.")
		return Eligibility{Rule: "none", Reasons: reasons}, nil
	}
	e := tr.entry[best]
	verdict := "Éligible au " + tr.label + " par la règle " + e.Rule
	if e.CommitteeReview {
		verdict += ", sous réserve de l'étude du dossier de candidature par la commission d'admission."
	} else {
		verdict += "."
	}
	reasons = append(reasons, verdict)
	return Eligibility{Eligible: true, CommitteeReview: e.CommitteeReview, Rule: e.Rule, Reasons: reasons}, nil
}

// entrySentence checks one entry rule and says, in French, whether it is
// met and, when not, every condition that fails.
func entrySentence(e EntryRule, a Applicant) (bool, string) {
	var w strings.Builder
	w.WriteString("Règle ")
	w.WriteString(e.Rule)
	if e.Text != "" {
		w.WriteString(" (« ")
		w.WriteString(e.Text)
		w.WriteString(" »)")
	}
	var unmet []string
	if a.Level < e.MinLevel {
		unmet = append(unmet, "niveau "+strconv.Itoa(a.Level)+" inférieur au niveau "+strconv.Itoa(e.MinLevel)+" exigé")
	}
	if a.ExperienceMonths < e.MinExperienceMonths {
		unmet = append(unmet, strconv.Itoa(a.ExperienceMonths)+" mois d'expérience professionnelle sur les "+strconv.Itoa(e.MinExperienceMonths)+" exigés")
	}
	if a.ECTS < e.MinECTS {
		unmet = append(unmet, strconv.Itoa(a.ECTS)+" ECTS attestés sur les "+strconv.Itoa(e.MinECTS)+" exigés")
	}
	if len(unmet) > 0 {
		w.WriteString(" : non remplie, ")
		w.WriteString(strings.Join(unmet, " ; "))
		w.WriteByte('.')
		return false, w.String()
	}
	w.WriteString(" : remplie (niveau ")
	w.WriteString(strconv.Itoa(a.Level))
	w.WriteString(" pour ")
	w.WriteString(strconv.Itoa(e.MinLevel))
	w.WriteString(" exigé")
	if e.MinExperienceMonths > 0 {
		w.WriteString(", ")
		w.WriteString(strconv.Itoa(a.ExperienceMonths))
		w.WriteString(" mois d'expérience pour ")
		w.WriteString(strconv.Itoa(e.MinExperienceMonths))
	}
	if e.MinECTS > 0 {
		w.WriteString(", ")
		w.WriteString(strconv.Itoa(a.ECTS))
		w.WriteString(" ECTS pour ")
		w.WriteString(strconv.Itoa(e.MinECTS))
	}
	w.WriteByte(')')
	if e.CommitteeReview {
		w.WriteString(", sous réserve de l'avis de la commission d'admission")
	}
	w.WriteByte('.')
	return true, w.String()
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
