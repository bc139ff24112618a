// Package mail delivers certibloc's e-mails. Every message is written to
// the outbox first, by the store, in the transaction of what it announces
// (or in its own, by Send), so that it is never lost and staff can read
// what was sent. Each message is delivered by a durable job of its own
// (certibloc.SendMailJob, queued with it): when SMTP is configured, a job
// runner (Run) claims the jobs due, delivers the messages with net/smtp
// and records the outcome, retrying with exponential back-off until a
// message is sent or dead (worker.go).
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Config is how to reach the mail server, and how hard to try.
type Config struct {
	// SMTPURL is smtp://user:password@host:587 (STARTTLS when the server
	// offers it) or smtps://user:password@host:465 (TLS from the start);
	// empty keeps messages in the outbox only. Env CERTIBLOC_SMTP_URL.
	SMTPURL string
	// From is the sender address, required with SMTP. Env CERTIBLOC_MAIL_FROM.
	From string
	// TLS, when set, is used to check the server's certificate instead of
	// the system roots (tests give it the root of their fake server).
	TLS *tls.Config

	// Delivery; zero means the default in parentheses.
	MaxAttempts int           // attempts before a message is dead (10)
	Backoff     time.Duration // wait after the first failure, doubled after each (1 minute)
	MaxBackoff  time.Duration // longest wait between two attempts (4 hours)
	MaxAge      time.Duration // a message older than this is dead, not sent (7 days)
	Lease       time.Duration // how long a worker holds a message's job without news (timeout + 30 s), renewed every third of it
	Poll        time.Duration // how often an idle worker looks for messages due (2 seconds)
	Parallel    int           // messages delivered at once by one process (4)
}

// timeout bounds one whole SMTP conversation.
const timeout = 30 * time.Second

func (c *Config) defaults() {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 10
	}
	if c.Parallel <= 0 {
		c.Parallel = 4
	}
	set(&c.Backoff, time.Minute)
	set(&c.MaxBackoff, 4*time.Hour)
	set(&c.MaxAge, 7*24*time.Hour)
	set(&c.Lease, timeout+30*time.Second)
	set(&c.Poll, 2*time.Second)
}

// Mailer writes messages to the outbox and, with SMTP, delivers the
// outbox (Run, worker.go). It is safe for concurrent use.
type Mailer struct {
	db   *sqldb.DB
	log  *slog.Logger
	cfg  Config
	smtp *url.URL // nil: outbox only
	wake chan struct{}
	now  func() time.Time
}

// New checks the configuration and returns a mailer over the outbox of db.
func New(db *sqldb.DB, log *slog.Logger, c Config) (*Mailer, error) {
	c.defaults()
	m := &Mailer{db: db, log: log, cfg: c, wake: make(chan struct{}, 1), now: time.Now}
	if c.SMTPURL == "" {
		return m, nil
	}
	u, err := url.Parse(c.SMTPURL)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
		// Not the URL itself: it holds a password.
		return nil, errors.New("mail: the SMTP URL must look like smtp://user:password@host:587 or smtps://…")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return nil, fmt.Errorf("mail: the sender address %q (CERTIBLOC_MAIL_FROM) is required with SMTP: %v", c.From, err)
	}
	m.smtp = u
	return m, nil
}

// SMTP reports whether messages are delivered, not only kept.
func (m *Mailer) SMTP() bool { return m.smtp != nil }

// Send writes a message to the outbox, in a transaction of its own, and
// wakes this mailer's worker if it runs; the caller never waits on a mail
// server, so its timing tells nothing about whether a message went out.
// Messages that announce a change of the store are written by the store
// in the transaction of that change instead.
func (m *Mailer) Send(ctx context.Context, msg certibloc.Mail) (certibloc.Mail, error) {
	msg, err := m.db.Enqueue(ctx, msg)
	if err == nil {
		select {
		case m.wake <- struct{}{}:
		default:
		}
	}
	return msg, err
}
