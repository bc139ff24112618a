package certibloc

import "time"

// Mail is an e-mail certibloc sends. Every message is written to the
// outbox first, in the same transaction as what it announces, and kept
// there after delivery, so that a message is never lost between a commit
// and a crash and staff can tell someone what was sent. The store keeps
// the outbox; the mail package delivers it.
type Mail struct {
	ID      int64  `json:"id"`
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	School  string `json:"school,omitempty"` // the school it concerns; "" for none
	// PersonID is the person it is about, when it is (a decision notice):
	// erasure deletes it even if their address changed since.
	PersonID int64 `json:"person_id,omitempty"`
	// Attachments are files sent with the message (an interview's .ics).
	Attachments []Attachment `json:"-"`

	CreatedAt time.Time  `json:"created_at"`
	State     MailState  `json:"state"`
	Attempts  int        `json:"attempts"`                  // deliveries tried
	NextTry   *time.Time `json:"next_attempt_at,omitempty"` // when a pending message is tried next
	SentAt    *time.Time `json:"sent_at,omitempty"`
	LastError string     `json:"last_error,omitempty"` // why the last delivery failed
}

// MailState is where a message is on its way out.
type MailState string

// The states of a message: pending (waiting for its next attempt, or for
// SMTP to be configured), sending (claimed by a delivery worker until its
// lease ends), sent (the SMTP server accepted it), dead (given up: too
// many attempts, refused for good, or too old to send).
const (
	MailPending MailState = "pending"
	MailSending MailState = "sending"
	MailSent    MailState = "sent"
	MailDead    MailState = "dead"
)

// Attachment is a file sent with an e-mail.
type Attachment struct {
	Filename    string
	ContentType string // text/calendar; charset=utf-8; method=PUBLISH
	Data        []byte
}
