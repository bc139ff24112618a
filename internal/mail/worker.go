package mail

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/textproto"
	"sync"
	"time"

	"github.com/certibloc/certibloc"
)

// Run delivers the outbox until ctx ends: it claims the messages due,
// delivers them (Parallel at once) and records each outcome, then waits
// for the next ones (Poll, or a Send). When ctx ends it claims nothing
// more, lets the deliveries in flight finish, and returns: serve drains
// it on shutdown. Without SMTP it only waits for ctx. Several workers,
// in one process or several, may run over one store: a message is
// claimed by one at a time.
func (m *Mailer) Run(ctx context.Context) {
	if m.smtp == nil {
		<-ctx.Done()
		return
	}
	for {
		n, err := m.deliverDue(ctx)
		if err != nil && ctx.Err() == nil {
			m.log.Error("mail worker", "err", err)
		}
		if ctx.Err() != nil {
			return
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		case <-time.After(m.cfg.Poll):
		}
	}
}

// Flush delivers every message due now, and those that fall due while it
// runs, until none is left; it returns how many it tried.
func (m *Mailer) Flush(ctx context.Context) (int, error) {
	if m.smtp == nil {
		return 0, errors.New("mail: no SMTP server is configured")
	}
	total := 0
	for {
		n, err := m.deliverDue(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// deliverDue claims up to Parallel messages due and delivers them at
// once. The deliveries run to their end even when ctx ends (each is
// bounded by timeout), so that no claimed message is left mid-way.
func (m *Mailer) deliverDue(ctx context.Context) (int, error) {
	list, err := m.store.ClaimMail(ctx, m.cfg.Parallel, m.cfg.Lease)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout+5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, len(list))
	for i, msg := range list {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = m.deliver(ctx, msg)
		}()
	}
	wg.Wait()
	return len(list), errors.Join(errs...)
}

// deliver sends one claimed message and records the outcome: sent; dead
// when it is too old, refused for good or out of attempts; otherwise
// pending again, tried after a wait that doubles with each attempt. It
// returns an error only when the outcome could not be recorded.
func (m *Mailer) deliver(ctx context.Context, msg certibloc.Mail) error {
	now := m.now()
	var err error
	if age := now.Sub(msg.CreatedAt); age > m.cfg.MaxAge {
		err = m.store.MarkDead(ctx, msg.ID, msg.Attempts, fmt.Sprintf("not sent: written %s ago, older than %s", age.Round(time.Hour), m.cfg.MaxAge))
		return ignoreLost(err)
	}
	sendErr := m.send(ctx, msg)
	switch {
	case sendErr == nil:
		err = m.store.MarkSent(ctx, msg.ID, msg.Attempts)
	case permanent(sendErr) || msg.Attempts >= m.cfg.MaxAttempts:
		m.log.Warn("mail dead", "outbox_id", msg.ID, "attempts", msg.Attempts, "err", sendErr)
		err = m.store.MarkDead(ctx, msg.ID, msg.Attempts, sendErr.Error())
	default:
		next := now.Add(m.backoff(msg.Attempts))
		m.log.Warn("mail not delivered", "outbox_id", msg.ID, "attempts", msg.Attempts, "next", next, "err", sendErr)
		err = m.store.RetryMail(ctx, msg.ID, msg.Attempts, sendErr.Error(), next)
	}
	return ignoreLost(err)
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
