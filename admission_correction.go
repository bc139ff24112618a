package certibloc

import (
	"fmt"
	"slices"
	"strings"
)

// A commission's decision can be corrected afterwards by staff, with a
// reason: the correcting decision names the one it corrects, both stay in
// the history, and the candidate is told of the correction by e-mail.

// correctionGroups are the decisions a commission's decision can be
// corrected into: another decision of the same commission.
var correctionGroups = [][]DecisionKind{
	{DecideAdmissible, DecideNotAdmissible},
	{DecideAdmitted, DecideWaitingList, DecideRefused},
}

// Corrections returns the decisions old can be corrected into, in the
// order of the workflow; none when old is not a commission's decision.
func (old *AdmissionDecision) Corrections() []DecisionKind {
	var out []DecisionKind
	for _, g := range correctionGroups {
		if !slices.Contains(g, old.Kind) {
			continue
		}
		for _, k := range g {
			if _, err := Next(old.From, k); k != old.Kind && err == nil {
				out = append(out, k)
			}
		}
	}
	return out
}

// CheckCorrection checks that d may correct old, the last decision taken
// on the application, and fills d's states: from where old led, to where
// d would have led from where old was taken. The commission's members
// stay old's unless d names others; a reason is always required.
func (d *AdmissionDecision) CheckCorrection(old *AdmissionDecision) error {
	if !slices.Contains(old.Corrections(), d.Kind) {
		allowed := make([]string, 0, 2)
		for _, k := range old.Corrections() {
			allowed = append(allowed, string(k))
		}
		if len(allowed) == 0 {
			return Errorf(EINVALID, "decision %d (%s) is not a commission's decision: it cannot be corrected", old.ID, old.Kind)
		}
		return Errorf(EINVALID, "decision %d (%s) can be corrected into %s, not %q", old.ID, old.Kind, strings.Join(allowed, " or "), d.Kind)
	}
	if strings.TrimSpace(d.Reason) == "" {
		return Errorf(EINVALID, "a correction needs a reason, which the candidate reads")
	}
	if len(d.Members) == 0 {
		d.Members = old.Members
	}
	to, _ := Next(old.From, d.Kind)
	d.From, d.To, d.Corrects = old.To, to, old.ID
	d.InterviewAt, d.Place, d.Score, d.TestScore = nil, "", nil, nil
	return d.Check()
}

// decisionWords name a commission's decision in a sentence.
var decisionWords = map[DecisionKind][2]string{
	DecideAdmissible:    {"admissible", "admissible"},
	DecideNotAdmissible: {"non admissible", "not admissible"},
	DecideAdmitted:      {"admis(e)", "admitted"},
	DecideWaitingList:   {"sur liste d'attente", "on the waiting list"},
	DecideRefused:       {"non retenu(e)", "not accepted"},
}

// CorrectionMail is the e-mail that tells the candidate that decision old
// on their application to campaign is corrected into d, with the reason;
// in lang ("fr" or "en"), or in French then English when the candidate
// chose no language. false when they have no address to write to.
func (d *AdmissionDecision) CorrectionMail(old *AdmissionDecision, campaign, school string, candidate *Person, lang string) (Mail, bool) {
	if candidate.Email == "" || candidate.ErasedAt != nil {
		return Mail{}, false
	}
	name := candidate.DisplayName()
	was, now := decisionWords[old.Kind], decisionWords[d.Kind]
	fr := fmt.Sprintf("Bonjour %s,\n\nLa décision prise sur votre candidature est corrigée : vous étiez déclaré(e) %s, vous êtes désormais %s.\nMotif de la correction : %s\n\nCandidature : %s\nLe secrétariat des admissions\n",
		name, was[0], now[0], d.Reason, campaign)
	en := fmt.Sprintf("Dear %s,\n\nThe decision on your application is corrected: you were declared %s, you are now %s.\nReason for the correction: %s\n\nApplication: %s\nThe admissions office\n",
		name, was[1], now[1], d.Reason, campaign)
	subjectFR, subjectEN := "Correction de la décision sur votre candidature", "Correction of the decision on your application"
	m := Mail{To: candidate.Email, School: school, PersonID: candidate.ID}
	switch lang {
	case "fr":
		m.Subject, m.Body = subjectFR, fr
	case "en":
		m.Subject, m.Body = subjectEN, en
	default:
		m.Subject, m.Body = subjectFR+" / "+subjectEN, fr+"\n— English —\n\n"+en
	}
	return m, true
}
