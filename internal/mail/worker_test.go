package mail

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// fast is a delivery configuration for tests: retries within
// milliseconds.
func fast(srv string) Config {
	return Config{SMTPURL: "smtp://" + srv, From: "certibloc@diiage.example", Backoff: 10 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond, Poll: 10 * time.Millisecond, MaxAttempts: 5}
}

// waitFor polls until ok or fails the test after a few seconds.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// run starts m's worker; the returned function stops it and waits.
func run(t *testing.T, m *Mailer) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	stop = func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// TestWorkerRetriesThenDelivers: a server busy for the first two
// attempts gets the message on the third, once.
func TestWorkerRetriesThenDelivers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := startFakeSMTP(t, false, "")
		srv.failFirst = 2
		m := newMailer(t, db, fast(srv.addr))
		sent, err := m.Send(t.Context(), reset)
		if err != nil {
			t.Fatal(err)
		}
		run(t, m)
		var got certibloc.Mail
		waitFor(t, "the message sent", func() bool {
			got, _ = db.OutboxMail(t.Context(), sent.ID)
			return got.State == certibloc.MailSent
		})
		if got.Attempts != 3 || got.LastError != "" || got.SentAt == nil {
			t.Errorf("sent after retries: %+v", got)
		}
		if n := srv.received(); n["ada@example.org"] != 1 || len(n) != 1 {
			t.Errorf("received %v", n)
		}
	})
}

// TestWorkerGivesUp: a message that never gets through is dead after
// MaxAttempts, with the last error, for staff to see; one refused for
// good is dead at once; one too old to matter is not sent.
func TestWorkerGivesUp(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		m := newMailer(t, db, fast("127.0.0.1:1"))
		sent, _ := m.Send(t.Context(), reset)
		var got certibloc.Mail
		waitFor(t, "the message dead", func() bool {
			m.Flush(t.Context())
			got, _ = db.OutboxMail(t.Context(), sent.ID)
			return got.State != certibloc.MailPending
		})
		if got.State != certibloc.MailDead || got.Attempts != 5 || !strings.Contains(got.LastError, "connect") || got.SentAt != nil {
			t.Errorf("after 5 failed attempts: %+v", got)
		}

		srv := startFakeSMTP(t, false, "")
		m = newMailer(t, db, fast(srv.addr))
		m.now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
		old, _ := m.Send(t.Context(), reset)
		flush(t, m)
		if got, _ = db.OutboxMail(t.Context(), old.ID); got.State != certibloc.MailDead || !strings.Contains(got.LastError, "older than") {
			t.Errorf("a message a week old: %+v", got)
		}
		if n := srv.received(); len(n) != 0 {
			t.Errorf("a message a week old was sent: %v", n)
		}
	})
}

// TestTwoWorkersDeliverOnce: two workers over one store deliver every
// message exactly once.
func TestTwoWorkersDeliverOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := startFakeSMTP(t, false, "")
		srv.delay = 2 * time.Millisecond
		const n = 80
		for i := range n {
			if _, err := db.Enqueue(t.Context(), certibloc.Mail{To: fmt.Sprintf("c%02d@example.org", i), Subject: "S", Body: "B"}); err != nil {
				t.Fatal(err)
			}
		}
		run(t, newMailer(t, db, fast(srv.addr)))
		run(t, newMailer(t, db, fast(srv.addr)))
		waitFor(t, "every message sent", func() bool {
			list, _ := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true, Limit: 1000})
			for _, m := range list {
				if m.State != certibloc.MailSent {
					return false
				}
			}
			return true
		})
		got := srv.received()
		for i := range n {
			if to := fmt.Sprintf("c%02d@example.org", i); got[to] != 1 {
				t.Errorf("%s received %d times", to, got[to])
			}
		}
	})
}

// TestRunDrainsOnShutdown: stopping the worker while a message is being
// sent lets that delivery finish and be recorded.
func TestRunDrainsOnShutdown(t *testing.T) {
	db := sqldbtest.SQLite(t)
	srv := startFakeSMTP(t, false, "")
	srv.delay = 300 * time.Millisecond
	m := newMailer(t, db, fast(srv.addr))
	sent, _ := m.Send(t.Context(), reset)
	stop := run(t, m)
	waitFor(t, "a delivery in flight", func() bool {
		var n int
		srv.record(func() { n = srv.mails })
		return n > 0
	})
	start := time.Now()
	stop()
	if got, _ := db.OutboxMail(t.Context(), sent.ID); got.State != certibloc.MailSent || srv.received()["ada@example.org"] != 1 {
		t.Errorf("after shutdown, %+v (stopped in %s)", got, time.Since(start))
	}
}
