package certibloc

import (
	"strconv"
	"strings"
	"time"
)

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

// SendMailJob is the kind of the durable job that delivers one message of
// the outbox; the store queues it with the message, in the same
// transaction. The message's row keeps its own state (sending before the
// SMTP conversation, sent or pending or dead after it), so that a job
// tried again never sends a message recorded as sent.
const SendMailJob = "mail.send"

// SendMail is the payload of a SendMailJob.
type SendMail struct {
	Outbox int64 `json:"outbox"`
}

// MailJobKey is the key of a message's job.
func MailJobKey(id int64) string { return "outbox:" + strconv.FormatInt(id, 10) }

// MailJobAttempts is a mail job's limit of attempts: one more than the
// mailer's (10), so that the mailer itself records a message as dead with
// its reason, even when the worker of its last attempt died.
const MailJobAttempts = 11

// SignatureMark starts the signature of every e-mail: the usual "-- "
// line, which mail programs recognise and fold.
const SignatureMark = "\n-- \n"

// Signed returns m ending with its signature: the name of the school it
// comes from and the address of the site, where the person signs in to
// their space. The store signs every message it writes to the outbox, so
// that no kind of e-mail goes without; a message signed already is left
// as it is. The signature is in no language: the same for every reader.
func (m Mail) Signed(school, site string) Mail {
	if strings.Contains(m.Body, SignatureMark) {
		return m
	}
	var lines []string
	if school = strings.TrimSpace(school); school != "" {
		lines = append(lines, school)
	}
	if site = strings.TrimRight(strings.TrimSpace(site), "/"); site != "" {
		lines = append(lines, site+"/app")
	}
	if len(lines) == 0 {
		return m
	}
	m.Body = strings.TrimRight(m.Body, "\n") + "\n" + SignatureMark + strings.Join(lines, "\n") + "\n"
	return m
}

// Attachment is a file sent with an e-mail.
type Attachment struct {
	Filename    string
	ContentType string // text/calendar; charset=utf-8; method=PUBLISH
	Data        []byte
}
