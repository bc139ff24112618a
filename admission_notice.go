package certibloc

import (
	"fmt"
	"strings"
)

// noticeText is what an e-mail says of one kind of decision, in French
// and in English; %s in a text is replaced by the reason or the interview
// details when the decision has them.
type noticeText struct {
	subjectFR, subjectEN string
	fr, en               string
}

var noticeTexts = map[DecisionKind]noticeText{
	DecideAdmissible: {"Votre candidature est admissible", "Your application is admissible",
		"La commission d'admissibilité a retenu votre dossier. La prochaine étape est un entretien individuel et des tests techniques : vous recevrez votre convocation.",
		"The admissibility commission has accepted your application. The next step is an individual interview and technical tests: you will be sent a notice to attend."},
	DecideNotAdmissible: {"Votre candidature n'est pas admissible", "Your application is not admissible",
		"La commission d'admissibilité n'a pas retenu votre dossier.",
		"The admissibility commission has not accepted your application."},
	ScheduleInterview: {"Convocation à l'entretien et aux tests techniques", "Notice to attend the interview and technical tests",
		"Vous êtes convoqué(e) à un entretien individuel et à des tests techniques.",
		"You are invited to an individual interview and technical tests."},
	RecordInterview: {"Votre entretien a eu lieu", "Your interview took place",
		"Votre entretien et vos tests techniques sont enregistrés. La commission d'admission se prononcera prochainement.",
		"Your interview and technical tests are recorded. The admission commission will decide shortly."},
	DecideAdmitted: {"Vous êtes admis(e)", "You are admitted",
		"La commission d'admission a retenu votre candidature. Le secrétariat vous contactera pour votre inscription.",
		"The admission commission has accepted your application. The office will contact you about your enrolment."},
	DecideWaitingList: {"Votre candidature est sur liste d'attente", "Your application is on the waiting list",
		"La commission d'admission a placé votre candidature sur liste d'attente. Nous vous écrirons dès qu'une place se libère.",
		"The admission commission has put your application on the waiting list. We will write to you as soon as a place is free."},
	DecideRefused: {"Votre candidature n'est pas retenue", "Your application is not accepted",
		"La commission d'admission n'a pas retenu votre candidature.",
		"The admission commission has not accepted your application."},
	Enrol: {"Votre inscription est confirmée", "Your enrolment is confirmed",
		"Vous êtes inscrit(e) en formation. Bienvenue !",
		"You are enrolled. Welcome!"},
	Withdraw: {"Votre candidature est retirée", "Your application is withdrawn",
		"Votre candidature est retirée : elle ne sera plus examinée.",
		"Your application is withdrawn: it will not be considered any further."},
}

// Notifies reports whether the candidate is told of decision d by e-mail:
// when it changes the state of their application, and when their
// interview is scheduled again (a new date or place).
func (d *AdmissionDecision) Notifies() bool {
	return d.From != d.To || d.Kind == ScheduleInterview
}

// Notice writes the e-mail that tells a candidate of decision d on their
// application to campaign: subject and body, in French with English
// below. name is how the candidate is greeted.
func (d *AdmissionDecision) Notice(campaign, name string) (subject, body string) {
	t, ok := noticeTexts[d.Kind]
	if !ok {
		t = noticeText{"Votre candidature a évolué", "Your application has changed",
			"Votre candidature a évolué.", "Your application has changed."}
	}
	var detailsFR, detailsEN []string
	if d.Reason != "" && (d.Kind == DecideNotAdmissible || d.Kind == DecideRefused) {
		detailsFR = append(detailsFR, "Motif : "+d.Reason)
		detailsEN = append(detailsEN, "Reason: "+d.Reason)
	}
	if d.Kind == ScheduleInterview && d.InterviewAt != nil {
		at := *d.InterviewAt
		detailsFR = append(detailsFR, fmt.Sprintf("Date : le %s à %s (UTC%s)", at.Format("02/01/2006"), at.Format("15h04"), at.Format("-07:00")),
			"Lieu : "+d.Place)
		detailsEN = append(detailsEN, fmt.Sprintf("Date: %s at %s (UTC%s)", at.Format("2 January 2006"), at.Format("15:04"), at.Format("-07:00")),
			"Place: "+d.Place)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Bonjour %s,\n\n%s\n", name, t.fr)
	for _, l := range detailsFR {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "\nCandidature : %s\nLe secrétariat des admissions\n\n— English —\n\n", campaign)
	fmt.Fprintf(&b, "Dear %s,\n\n%s\n", name, t.en)
	for _, l := range detailsEN {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "\nApplication: %s\nThe admissions office\n", campaign)
	return t.subjectFR + " / " + t.subjectEN, b.String()
}

// NoticeMail is the e-mail that tells candidate of decision d on their
// application to campaign, of school; false when they are not to be told
// (Notifies) or have no address to write to. The store writes it to the
// outbox in the transaction that stores the decision, so that a decision
// is never taken without its notice, nor a notice sent for a decision
// rolled back. It never names who decided nor the commission's members.
func (d *AdmissionDecision) NoticeMail(campaign, school string, candidate *Person) (Mail, bool) {
	if !d.Notifies() || candidate.Email == "" || candidate.ErasedAt != nil {
		return Mail{}, false
	}
	subject, body := d.Notice(campaign, candidate.DisplayName())
	return Mail{To: candidate.Email, Subject: subject, Body: body, School: school, PersonID: candidate.ID}, true
}
