package certibloc

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The candidate's side of admissions: the documents a campaign requires,
// when documents may still be added, where an application stands, and the
// e-mails that acknowledge a submission and ask for a document. No I/O.

// CheckRequiredDocuments checks a campaign's checklist of documents: known
// kinds, each listed once.
func CheckRequiredDocuments(kinds []string) error {
	for i, k := range kinds {
		if !slices.Contains(DocumentKinds, k) {
			return Errorf(EINVALID, "required_documents: %q is not one of %s", k, strings.Join(DocumentKinds, ", "))
		}
		if slices.Index(kinds, k) != i {
			return Errorf(EINVALID, "required_documents: %s is listed twice", k)
		}
	}
	return nil
}

// MissingDocuments returns the kinds of required that none of docs is
// of, in the order of required.
func MissingDocuments(required []string, docs []Document) []string {
	missing := []string{}
	for _, k := range required {
		if !slices.ContainsFunc(docs, func(d Document) bool { return d.Kind == k }) {
			missing = append(missing, k)
		}
	}
	return missing
}

// DocumentsOpen reports whether the candidate may add or replace documents
// of an application in state s: while it is a draft, once submitted until
// the admissibility commission decides, and whenever staff asked for a
// document not sent yet (requested).
func DocumentsOpen(s State, requested bool) bool {
	switch s {
	case Draft, Submitted:
		return true
	case Withdrawn, NotAdmissible, Refused:
		return false
	}
	return requested
}

// DocumentRequest is a staff member's request for a document the
// application lacks: it reopens the application's documents until the
// candidate sends one of that kind.
type DocumentRequest struct {
	ID            int64      `json:"id"`
	ApplicationID int64      `json:"application_id"`
	Kind          string     `json:"kind"`
	Message       string     `json:"message,omitempty"`
	RequestedBy   string     `json:"requested_by"`
	RequestedAt   time.Time  `json:"requested_at"`
	FulfilledAt   *time.Time `json:"fulfilled_at,omitempty"`
}

// Check validates a request: a known kind and a message of a few lines.
func (r *DocumentRequest) Check() error {
	if !slices.Contains(DocumentKinds, r.Kind) {
		return Errorf(EINVALID, "kind %q is not one of %s", r.Kind, strings.Join(DocumentKinds, ", "))
	}
	r.Message = NFC(strings.TrimSpace(r.Message))
	return Texts{{"message", r.Message, MaxText, true}}.Check()
}

// Step is a stage of an application's progress.
type Step string

// The stages of an application, as its candidate follows them.
const (
	StepSubmitted     Step = "submitted"
	StepAdmissibility Step = "admissibility"
	StepInterview     Step = "interview"
	StepDecision      Step = "decision"
	StepEnrolment     Step = "enrolment"
)

// Steps are the stages in order.
var Steps = []Step{StepSubmitted, StepAdmissibility, StepInterview, StepDecision, StepEnrolment}

// StepStatus is where a stage stands.
type StepStatus string

// A stage is done, the current one (waiting for it), stopped (the
// application ended there), or still to come.
const (
	StepDone    StepStatus = "done"
	StepCurrent StepStatus = "current"
	StepStopped StepStatus = "stopped"
	StepTodo    StepStatus = "todo"
)

// ProgressStep is a stage of an application with its status, the
// decision that closed it (its kind and date) and, for the interview, the
// convocation.
type ProgressStep struct {
	Step      Step
	Status    StepStatus
	At        *time.Time
	Outcome   DecisionKind // the decision that closed the stage, or ""
	Interview *AdmissionDecision
}

// stepOf is the stage a decision closes.
var stepOf = map[DecisionKind]Step{
	DecideAdmissible: StepAdmissibility, DecideNotAdmissible: StepAdmissibility,
	ScheduleInterview: StepInterview, RecordInterview: StepInterview,
	DecideAdmitted: StepDecision, DecideWaitingList: StepDecision, DecideRefused: StepDecision,
	Enrol: StepEnrolment,
}

// Progress is the tracker of application a given its decisions in the
// order taken: every stage, what became of it and when. A draft has none
// done; a withdrawn application stops at the stage it was waiting for.
func Progress(a *Application, decisions []AdmissionDecision) []ProgressStep {
	steps := make([]ProgressStep, len(Steps))
	for i, s := range Steps {
		steps[i] = ProgressStep{Step: s, Status: StepTodo}
	}
	if a.SubmittedAt == nil {
		return steps
	}
	steps[0].Status, steps[0].At = StepDone, a.SubmittedAt
	for _, d := range decisions {
		i := slices.Index(Steps, stepOf[d.Kind])
		if i < 0 {
			continue
		}
		at := d.DecidedAt
		if d.Kind == ScheduleInterview {
			steps[i].Interview = &d
			continue // the interview is done once it is recorded
		}
		steps[i].Status, steps[i].At, steps[i].Outcome = StepDone, &at, d.Kind
		if d.Kind == DecideWaitingList {
			steps[i].Status = StepCurrent // the list may still lead to a place
		}
		if d.Kind == DecideNotAdmissible || d.Kind == DecideRefused {
			steps[i].Status = StepStopped
		}
	}
	// An admission commission that admits straight from an admissibility
	// (none today) would skip the interview: stages before a done one are
	// done.
	stopped := false
	for i := range steps {
		switch steps[i].Status {
		case StepStopped:
			stopped = true
		case StepTodo, StepCurrent:
			if stopped {
				continue
			}
			if a.State == Withdrawn {
				steps[i].Status, stopped = StepStopped, true
				continue
			}
			if steps[i].Status == StepTodo {
				steps[i].Status = StepCurrent
			}
			stopped = true // the stages after the current one are to come
		}
	}
	return steps
}

// Acknowledgement is the e-mail that acknowledges a submitted application
// to its candidate, in their language (French unless lang is "en"): it
// names the school and the campaign, and links back to the application.
func Acknowledgement(a *Application, campaign, school string, candidate *Person, lang, link string) (Mail, bool) {
	if candidate.Email == "" || candidate.ErasedAt != nil {
		return Mail{}, false
	}
	var subject, body string
	name := candidate.DisplayName()
	at := a.SubmittedAt
	if at == nil {
		now := time.Now()
		at = &now
	}
	paris := at.In(parisZone)
	if lang == "en" {
		subject = fmt.Sprintf("%s: your application is received", school)
		body = fmt.Sprintf("Dear %s,\n\nWe have received your application to %s, submitted on %s at %s (Paris time).\n"+
			"The admissions office of %s will study it; you will be told of each step by e-mail.\n\n"+
			"Follow your application: %s\n\nThe admissions office, %s\n",
			name, campaign, paris.Format("2 January 2006"), paris.Format("15:04"), school, link, school)
	} else {
		subject = fmt.Sprintf("%s : votre candidature est bien reçue", school)
		body = fmt.Sprintf("Bonjour %s,\n\nNous avons bien reçu votre candidature à %s, déposée le %s à %s (heure de Paris).\n"+
			"Le service des admissions de %s va l'étudier ; vous serez informé(e) de chaque étape par e-mail.\n\n"+
			"Suivre votre candidature : %s\n\nLe service des admissions, %s\n",
			name, campaign, paris.Format("02/01/2006"), paris.Format("15h04"), school, link, school)
	}
	return Mail{To: candidate.Email, Subject: subject, Body: body, School: a.School, PersonID: candidate.ID}, true
}

// documentNames are the kinds of documents as e-mails name them.
var documentNames = map[string][2]string{
	DocCV: {"CV", "CV"}, DocDiploma: {"diplôme", "diploma"},
	DocTranscript: {"relevé de notes", "transcript"}, DocOther: {"autre pièce", "other document"},
}

// DocumentRequestMail is the e-mail that asks a candidate for a document,
// in their language, naming the school and linking to the application.
func DocumentRequestMail(req *DocumentRequest, a *Application, campaign, school string, candidate *Person, lang, link string) (Mail, bool) {
	if candidate.Email == "" || candidate.ErasedAt != nil {
		return Mail{}, false
	}
	var subject, body string
	name := candidate.DisplayName()
	if lang == "en" {
		subject = fmt.Sprintf("%s: a document is missing from your application", school)
		body = fmt.Sprintf("Dear %s,\n\nThe admissions office of %s asks you for a document for your application to %s: %s.\n",
			name, school, campaign, documentNames[req.Kind][1])
		if req.Message != "" {
			body += "\n" + req.Message + "\n"
		}
		body += fmt.Sprintf("\nAdd it on your application's page: %s\n\nThe admissions office, %s\n", link, school)
	} else {
		subject = fmt.Sprintf("%s : une pièce manque à votre candidature", school)
		body = fmt.Sprintf("Bonjour %s,\n\nLe service des admissions de %s vous demande une pièce pour votre candidature à %s : %s.\n",
			name, school, campaign, documentNames[req.Kind][0])
		if req.Message != "" {
			body += "\n" + req.Message + "\n"
		}
		body += fmt.Sprintf("\nAjoutez-la sur la page de votre candidature : %s\n\nLe service des admissions, %s\n", link, school)
	}
	return Mail{To: candidate.Email, Subject: subject, Body: body, School: a.School, PersonID: candidate.ID}, true
}

// parisZone is the time zone dates in e-mails are written in; UTC when
// the system has no time zone database.
var parisZone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()
