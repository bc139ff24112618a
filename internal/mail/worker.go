package mail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/textproto"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/jobs"
)

// Delivery is a durable job per message (certibloc.SendMailJob), queued
// by the store with the message. A job runner (Run, or any runner given
// HandleJob) claims the jobs due, in this process or any other over the
// same database, and each attempt:
//
//  1. writes, before any SMTP, that it is sending the message (its state
//     sending, its attempt counted), in the transaction that checks it
//     still holds the job: a message already sent or given up is not sent;
//  2. holds the SMTP conversation, the message carrying a Message-ID that
//     is the same at every attempt (its idempotency key);
//  3. writes, as soon as the server has accepted the message (the 250
//     after DATA) and before QUIT, that it is sent; or, when it failed,
//     that it is pending again until its next attempt, or dead.
//
// What at least once means for SMTP: a worker that dies before the server
// accepted the message (connecting, mid-DATA) leaves it in state sending;
// once the job's lease ends another worker claims the job, finds it
// unsent and sends it: the recipient gets it once. The only duplicate is
// a worker dying (or losing the database) in the instant between the
// server's 250 and the write of step 3: SMTP has no way to ask a server
// whether it already took a message, so the message is sent again, with
// the same Message-ID, which mail clients use to show it once.

// Run delivers the outbox until ctx ends: a job runner of Parallel
// workers claims the messages' jobs due, delivers them and records each
// outcome, then waits for the next ones (Poll, or a Send). When ctx ends
// it claims nothing more, lets the deliveries in flight finish, and
// returns: serve drains it on shutdown. Without SMTP it only waits for
// ctx: the jobs stay queued for an instance that has SMTP.
func (m *Mailer) Run(ctx context.Context) {
	if m.smtp == nil {
		<-ctx.Done()
		return
	}
	r := m.runner()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-m.wake:
				r.Wake()
			}
		}
	}()
	r.Run(ctx)
}

// runner is a job runner of the mail jobs with the mailer's settings.
func (m *Mailer) runner() *jobs.Runner {
	r := jobs.New(m.db, m.log)
	r.Handle(certibloc.SendMailJob, m.HandleJob)
	r.Workers, r.Lease, r.Poll, r.Drain = m.cfg.Parallel, m.cfg.Lease, m.cfg.Poll, timeout+5*time.Second
	return r
}

// Flush delivers every message due now, and those that fall due while it
// runs, until none is left; it returns how many it tried.
func (m *Mailer) Flush(ctx context.Context) (int, error) {
	if m.smtp == nil {
		return 0, errors.New("mail: no SMTP server is configured")
	}
	r := m.runner()
	total := 0
	for {
		ran, err := r.RunNext(ctx, 0)
		if err != nil || !ran {
			return total, err
		}
		total++
	}
}

// HandleJob is the handler of certibloc.SendMailJob: it delivers one
// message of the outbox and records the outcome: sent; dead when it is
// too old, refused for good or out of attempts (the job is then dead
// too); otherwise pending again, its job tried after a wait that doubles
// with each attempt.
func (m *Mailer) HandleJob(ctx context.Context, a *jobs.Attempt) error {
	var p certibloc.SendMail
	if err := json.Unmarshal(a.Job.Payload, &p); err != nil || p.Outbox <= 0 {
		return jobs.Final(certibloc.Errorf(certibloc.EINVALID, "payload %s names no message", a.Job.Payload))
	}
	if m.smtp == nil {
		return errors.New("mail: no SMTP server is configured")
	}
	msg, err := m.db.BeginMailAttempt(ctx, a.Job.ID, a.Number(), a.Lease(), p.Outbox)
	switch {
	case certibloc.ErrorCode(err) == certibloc.ENOTFOUND:
		return nil // erased meanwhile: nothing to send
	case certibloc.ErrorCode(err) == certibloc.ECONFLICT:
		return jobs.RetryAfter(err, m.cfg.Lease)
	case err != nil:
		return err
	case msg.State == certibloc.MailSent:
		return nil
	case msg.State == certibloc.MailDead:
		return jobs.Final(fmt.Errorf("given up: %s", msg.LastError))
	}
	// Whatever happens to ctx now, the conversation runs to its end
	// (bounded by timeout) and its outcome is written.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout+5*time.Second)
	defer cancel()
	now := m.now()
	attempt := a.Number()
	if age := now.Sub(msg.CreatedAt); age > m.cfg.MaxAge {
		reason := fmt.Sprintf("not sent: written %s ago, older than %s", age.Round(time.Hour), m.cfg.MaxAge)
		return m.dead(ctx, msg, errors.New(reason))
	}
	if attempt > m.cfg.MaxAttempts {
		return m.dead(ctx, msg, fmt.Errorf("not sent: the worker stopped during the last of %d attempts", m.cfg.MaxAttempts))
	}
	recorded := false
	sendErr := m.send(ctx, msg, func() error {
		recorded = true
		return m.db.MarkSent(ctx, msg.ID, msg.Attempts)
	})
	switch {
	case sendErr == nil:
		return nil
	case recorded:
		// Sent, but not recorded: the database is unreachable or the job
		// was lost; the next attempt sends it again (at least once).
		m.log.Error("mail sent but not recorded", "outbox_id", msg.ID, "err", sendErr)
		return sendErr
	case permanent(sendErr) || attempt >= m.cfg.MaxAttempts:
		return m.dead(ctx, msg, sendErr)
	}
	wait := m.backoff(attempt)
	m.log.Warn("mail not delivered", "outbox_id", msg.ID, "attempts", msg.Attempts, "next", now.Add(wait), "err", sendErr)
	if err := m.db.RetryMail(ctx, msg.ID, msg.Attempts, sendErr.Error(), now.Add(wait)); ignoreLost(err) != nil {
		return err
	}
	return jobs.RetryAfter(sendErr, wait)
}

// dead records that msg is given up, and why, and makes its job dead.
func (m *Mailer) dead(ctx context.Context, msg certibloc.Mail, why error) error {
	m.log.Warn("mail dead", "outbox_id", msg.ID, "attempts", msg.Attempts, "err", why)
	if err := m.db.MarkDead(ctx, msg.ID, msg.Attempts, why.Error()); ignoreLost(err) != nil {
		return err
	}
	return jobs.Final(why)
}

// ignoreLost forgets the failure to record the outcome of a message that
// was erased meanwhile, or whose lease ended and that another worker has.
func ignoreLost(err error) error {
	if c := certibloc.ErrorCode(err); c == certibloc.ENOTFOUND || c == certibloc.ECONFLICT {
		return nil
	}
	return err
}

// backoff is the wait after the attempt-th failed attempt: Backoff
// doubled attempt-1 times, at most MaxBackoff, and up to a tenth more at
// random so that messages failed together do not come back together.
func (m *Mailer) backoff(attempt int) time.Duration {
	d := m.cfg.Backoff
	for i := 1; i < attempt && d < m.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, m.cfg.MaxBackoff)
	return d + rand.N(d/10+1)
}

// refused marks an error the SMTP server gave about this message itself
// (its recipient or its content), as opposed to the server or the
// connection.
type refused struct{ err error }

func (r refused) Error() string { return r.err.Error() }
func (r refused) Unwrap() error { return r.err }

// permanent reports whether err says the message will never be accepted:
// a 5xx answer to its recipient or its content. A 5xx to AUTH or MAIL
// FROM is the configuration's fault, not the message's: retried.
func permanent(err error) bool {
	var r refused
	var tp *textproto.Error
	return errors.As(err, &r) && errors.As(err, &tp) && tp.Code >= 500
}
