// Package mail sends certibloc's e-mails. Every message is written to the
// outbox table first, so that it is never lost and staff can read what was
// sent; when SMTP is configured it is then delivered with net/smtp, and the
// outbox records whether that worked.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"sync"
	"time"

	"github.com/certibloc/certibloc/internal/sqldb"
)

// Config is how to reach the mail server.
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
}

// timeout bounds one whole SMTP conversation.
const timeout = 30 * time.Second

// Mailer writes messages to the outbox and delivers them by SMTP when it
// is configured. It is safe for concurrent use.
type Mailer struct {
	db   *sqldb.DB
	log  *slog.Logger
	from string
	smtp *url.URL // nil: outbox only
	tls  *tls.Config
	wg   sync.WaitGroup
}

// New checks the configuration and returns a mailer over db.
func New(db *sqldb.DB, log *slog.Logger, c Config) (*Mailer, error) {
	m := &Mailer{db: db, log: log, from: c.From, tls: c.TLS}
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

// Send writes a message to the outbox and, with SMTP, delivers it in the
// background: the caller's answer never waits on a mail server, so its
// timing tells nothing about whether a message went out.
func (m *Mailer) Send(ctx context.Context, msg sqldb.Mail) (sqldb.Mail, error) {
	msg, err := m.db.Enqueue(ctx, msg)
	if err != nil || m.smtp == nil {
		return msg, err
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		// The request may end before delivery does; who acted stays in ctx.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout+5*time.Second)
		defer cancel()
		if err := m.Deliver(ctx, msg.ID); err != nil {
			m.log.Warn("mail not delivered", "outbox_id", msg.ID, "err", err)
		}
	}()
	return msg, nil
}

// Wait blocks until every background delivery has ended.
func (m *Mailer) Wait() { m.wg.Wait() }

// Deliver sends one outbox message by SMTP now and records the outcome:
// sent, or the error, which it also returns.
func (m *Mailer) Deliver(ctx context.Context, id int64) error {
	if m.smtp == nil {
		return errors.New("mail: no SMTP server is configured")
	}
	msg, err := m.db.OutboxMail(ctx, id)
	if err != nil {
		return err
	}
	if err := m.send(ctx, msg); err != nil {
		if markErr := m.db.MarkFailed(ctx, id, err.Error()); markErr != nil {
			return errors.Join(err, markErr)
		}
		return err
	}
	return m.db.MarkSent(ctx, id)
}
