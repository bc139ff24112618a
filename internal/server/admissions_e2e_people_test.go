package server_test

import (
	"fmt"
	"slices"

	"github.com/certibloc/certibloc"
)

// The 50 applicants of the end-to-end test and what becomes of each.

// fate is where an applicant's application ends.
type fate string

// Fates, in the order of the workflow.
const (
	fDraft          fate = "a draft never submitted"
	fSubmitted      fate = "submitted, not yet examined"
	fWithdrawnSelf  fate = "withdrawn by the candidate once submitted"
	fNotAdmissible  fate = "not admissible"
	fWithdrawnStaff fate = "withdrawn once admissible"
	fScheduled      fate = "called to the interview"
	fInterviewed    fate = "interviewed, waiting for the commission"
	fRefused        fate = "refused at admission"
	fWaiting        fate = "on the waiting list"
	fWaitAdmitted   fate = "admitted from the waiting list"
	fWaitRefused    fate = "refused from the waiting list"
	fAdmitted       fate = "admitted, not yet enrolled"
	fEnrolled       fate = "enrolled"
)

// outcome is the final state of a fate and how many e-mails the candidate
// gets on the way: the acknowledgement of their submission (issue 11),
// one per decision that changes their state, and one per interview
// scheduled.
var outcome = map[fate]struct {
	state certibloc.State
	mails int
}{
	fDraft: {certibloc.Draft, 0}, fSubmitted: {certibloc.Submitted, 1}, fWithdrawnSelf: {certibloc.Withdrawn, 2},
	fNotAdmissible: {certibloc.NotAdmissible, 2}, fWithdrawnStaff: {certibloc.Withdrawn, 3},
	fScheduled: {certibloc.InterviewScheduled, 3}, fInterviewed: {certibloc.Interviewed, 4},
	fRefused: {certibloc.Refused, 5}, fWaiting: {certibloc.WaitingList, 5}, fWaitAdmitted: {certibloc.Admitted, 6},
	fWaitRefused: {certibloc.Refused, 6}, fAdmitted: {certibloc.Admitted, 5}, fEnrolled: {certibloc.Enrolled, 6},
}

// applicant is one of the 50: who they are, what they ask for, what
// becomes of them, and the records the test made for them.
type applicant struct {
	first, last, email  string
	level, ects, months int
	track, mode, option string
	self                bool // applies signed in on the web, not through staff
	fate                fate

	person, app int64
	who         auth // who acts on the application: the candidate, or staff
}

// eligible is what the entry rules of RNCP38478 say of the applicant.
func (a *applicant) eligible() bool {
	if a.track == "three_year" {
		return a.level >= 4
	}
	return a.level >= 5 || a.level == 4 && (a.months >= 12 || a.ects >= 120)
}

// committee is true when the applicant enters only by level 4 and a year
// of experience, subject to the committee's review.
func (a *applicant) committee() bool {
	return a.track == "one_year" && a.level == 4 && a.months >= 12 && a.ects < 120
}

// e2eApplicants are the 50 applicants, in groups that share a profile and
// a fate; every other one applies themselves.
func e2eApplicants() []*applicant {
	groups := []struct {
		n                   int
		level, ects, months int
		track, mode, option string
		fate                fate
	}{
		{4, 5, 0, 0, "one_year", "initial", "RNCP38478BC04", fEnrolled},
		{2, 4, 120, 0, "one_year", "initial", "RNCP38478BC05", fEnrolled},
		{6, 6, 180, 24, "one_year", "apprenticeship", "RNCP38478BC05", fEnrolled},
		{3, 4, 0, 0, "three_year", "initial", "", fEnrolled},
		{3, 4, 0, 0, "three_year", "apprenticeship", "RNCP38478BC04", fEnrolled},
		{3, 4, 0, 14, "one_year", "apprenticeship", "RNCP38478BC04", fAdmitted}, // for the committee's review
		{2, 3, 0, 36, "one_year", "initial", "", fNotAdmissible},                // not eligible: level 3
		{2, 4, 60, 6, "one_year", "initial", "", fNotAdmissible},                // not eligible: too little of both
		{3, 5, 0, 0, "one_year", "initial", "RNCP38478BC05", fNotAdmissible},    // eligible, not admissible
		{4, 5, 0, 0, "one_year", "initial", "", fRefused},
		{3, 5, 0, 0, "one_year", "initial", "RNCP38478BC04", fWaitAdmitted},
		{2, 5, 0, 0, "one_year", "apprenticeship", "", fWaitRefused},
		{2, 4, 0, 0, "three_year", "initial", "", fWaiting},
		{2, 5, 0, 0, "one_year", "initial", "", fWithdrawnSelf},
		{1, 5, 0, 0, "one_year", "initial", "", fWithdrawnStaff},
		{3, 5, 0, 0, "one_year", "apprenticeship", "", fDraft},
		{3, 5, 0, 0, "one_year", "initial", "", fSubmitted},
		{1, 5, 0, 0, "three_year", "apprenticeship", "", fScheduled},
		{1, 4, 0, 13, "one_year", "initial", "", fInterviewed}, // for the committee's review
	}
	firsts := []string{"Léa", "Hugo", "Chloé", "Louis", "Inès", "Jules", "Éloïse", "Gabriel", "Manon", "Arthur"}
	lasts := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"}
	var out []*applicant
	for _, g := range groups {
		for range g.n {
			i := len(out)
			a := &applicant{first: firsts[i%10], last: fmt.Sprintf("%s-%c", lasts[i/5%10], 'A'+rune(i%5)),
				level: g.level, ects: g.ects, months: g.months, track: g.track, mode: g.mode, option: g.option,
				fate: g.fate, self: i%2 == 0 || g.fate == fWithdrawnSelf}
			a.email = fmt.Sprintf("candidat%02d@example.org", i)
			out = append(out, a)
		}
	}
	return out
}

// with lists the applicants of some fates, in their order.
func with(people []*applicant, fates ...fate) []*applicant {
	var out []*applicant
	for _, a := range people {
		if slices.Contains(fates, a.fate) {
			out = append(out, a)
		}
	}
	return out
}
