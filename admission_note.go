package certibloc

import (
	"strings"
	"time"
)

// ApplicationNote is an internal note of staff on an application: for
// the admissions office only, never shown to the candidate.
type ApplicationNote struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Body          string    `json:"body"`
	Author        string    `json:"author"` // account N
	CreatedAt     time.Time `json:"created_at"`
}

// Check validates a note's text.
func (n *ApplicationNote) Check() error {
	n.Body = strings.TrimSpace(NFC(n.Body))
	if n.Body == "" {
		return Errorf(EINVALID, "a note needs a text")
	}
	return CheckText("body", n.Body, MaxText, true)
}

// EnrolRefusal says why an admitted candidate was not enrolled with the
// others (sqldb.DB.EnrolAdmitted): Code is one of not_admitted,
// other_campaign, other_track, apprenticeship, enrolled; Err says it in
// English.
type EnrolRefusal struct {
	ApplicationID int64
	Name          string
	Code          string
	Err           error
}

// EnrolReport is what an enrolment in bulk did: who was enrolled, who was
// refused and why.
type EnrolReport struct {
	Enrolled []Enrolment
	Refused  []EnrolRefusal
}
