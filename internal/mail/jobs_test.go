package mail

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// mailJob returns the durable job of message id.
func mailJob(t *testing.T, db *sqldb.DB, id int64) certibloc.Job {
	t.Helper()
	list, err := db.Jobs(t.Context(), certibloc.SendMailJob, certibloc.MailJobKey(id), 1)
	if err != nil || len(list) != 1 {
		t.Fatalf("the job of message %d: %v %v", id, list, err)
	}
	return list[0]
}

// TestMailJobs: each message is a durable job, queued with it; a server
// that fails twice then accepts gets it once, at the job's third attempt;
// a message that never gets through is dead, on the outbox and as a job,
// with the last error.
func TestMailJobs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := startFakeSMTP(t, false, "")
		srv.failFirst = 2
		m := newMailer(t, db, fast(srv.addr))
		sent, err := m.Send(t.Context(), reset)
		if err != nil {
			t.Fatal(err)
		}
		if j := mailJob(t, db, sent.ID); j.State != certibloc.JobQueued || j.MaxAttempts != certibloc.MailJobAttempts {
			t.Fatalf("a message's job, before any worker: %+v", j)
		}
		stop := run(t, m)
		waitFor(t, "the message's job done", func() bool { return mailJob(t, db, sent.ID).State == certibloc.JobDone })
		if j := mailJob(t, db, sent.ID); j.Attempts != 3 {
			t.Errorf("job after two refusals: %+v", j)
		}
		if got, _ := db.OutboxMail(t.Context(), sent.ID); got.State != certibloc.MailSent || got.Attempts != 3 {
			t.Errorf("message after two refusals: %+v", got)
		}
		if n := srv.received(); n["ada@example.org"] != 1 {
			t.Errorf("received %v", n)
		}

		stop() // the worker above would send the next one
		down := newMailer(t, db, fast("127.0.0.1:1"))
		lost, _ := down.Send(t.Context(), certibloc.Mail{To: "bob@example.org", Subject: "S", Body: "B"})
		waitFor(t, "the job dead", func() bool {
			down.Flush(t.Context())
			return mailJob(t, db, lost.ID).State == certibloc.JobDead
		})
		j := mailJob(t, db, lost.ID)
		got, _ := db.OutboxMail(t.Context(), lost.ID)
		if j.Attempts != 5 || !strings.Contains(j.Error, "connect") || got.State != certibloc.MailDead || got.Attempts != 5 {
			t.Errorf("after 5 failed attempts: job %+v, message %+v", j, got)
		}
	})
}

// TestMailJobWorkerDies: a worker that dies after writing that it sends a
// message, but before the server accepted it, leaves the message to the
// next attempt once its lease ends: sent once. One that dies after
// writing that the server accepted it leaves nothing to send: the next
// attempt finishes the job without sending it again.
func TestMailJobWorkerDies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		srv := startFakeSMTP(t, false, "")
		m := newMailer(t, db, fast(srv.addr))
		const lease = 300 * time.Millisecond
		// die claims the next mail job, writes that it sends its message,
		// and stops there, as a process killed mid-send.
		die := func(id int64, accepted bool) {
			t.Helper()
			job, ok, err := db.ClaimJob(ctx, "a worker killed", lease, 0, certibloc.SendMailJob)
			if err != nil || !ok || job.Key != certibloc.MailJobKey(id) {
				t.Fatalf("claim %v %v %+v", ok, err, job)
			}
			msg, err := db.BeginMailAttempt(ctx, job.ID, job.Attempts, lease, id)
			if err != nil || msg.State != certibloc.MailSending {
				t.Fatalf("begin: %+v %v", msg, err)
			}
			if accepted {
				if err := db.MarkSent(ctx, id, msg.Attempts); err != nil {
					t.Fatal(err)
				}
			}
		}
		midSend, _ := m.Send(ctx, certibloc.Mail{To: "mid@example.org", Subject: "S", Body: "B"})
		die(midSend.ID, false)
		afterAccept, _ := m.Send(ctx, certibloc.Mail{To: "after@example.org", Subject: "S", Body: "B"})
		die(afterAccept.ID, true)
		if n, err := m.Flush(ctx); err != nil || n != 0 {
			t.Fatalf("while the dead worker's leases last, %d jobs ran (%v)", n, err)
		}
		time.Sleep(lease + 50*time.Millisecond)
		flush(t, m)
		if got := srv.received(); got["mid@example.org"] != 1 || got["after@example.org"] != 0 {
			t.Errorf("received %v, want the message left mid-send once and the accepted one not again", got)
		}
		for _, id := range []int64{midSend.ID, afterAccept.ID} {
			if j := mailJob(t, db, id); j.State != certibloc.JobDone || j.Attempts != 2 {
				t.Errorf("job of message %d: %+v", id, j)
			}
			if got, _ := db.OutboxMail(ctx, id); got.State != certibloc.MailSent {
				t.Errorf("message %d: %+v", id, got)
			}
		}
	})
}

// TestMessageIDStable: a message carries the same Message-ID at every
// attempt, so that one sent twice shows once.
func TestMessageIDStable(t *testing.T) {
	m := &Mailer{cfg: Config{From: "certibloc@diiage.example"}}
	msg := reset
	msg.ID, msg.CreatedAt = 42, time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	id := regexp.MustCompile(`(?m)^Message-ID: (.*)\r$`)
	first, again := id.FindStringSubmatch(string(m.format(msg))), id.FindStringSubmatch(string(m.format(msg)))
	if first == nil || again == nil || first[1] != again[1] || !strings.HasSuffix(first[1], "@diiage.example>") {
		t.Errorf("Message-ID %q then %q", first, again)
	}
	other := msg
	other.CreatedAt = other.CreatedAt.Add(time.Second)
	if id.FindStringSubmatch(string(m.format(other)))[1] == first[1] {
		t.Error("two messages written at different times, with the same id, share a Message-ID")
	}
}

// TestMailJobSendsAttachments: a message's job sends its attachments (an
// interview's .ics) with it. The job reads the message again before it
// talks to the server; it once read the message without them.
func TestMailJobSendsAttachments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		srv := startFakeSMTP(t, false, "")
		m := newMailer(t, db, fast(srv.addr))
		ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
		sent, err := m.Send(t.Context(), certibloc.Mail{To: "ada@example.org", Subject: "Convocation", Body: "Entretien",
			Attachments: []certibloc.Attachment{{Filename: "entretien.ics", ContentType: "text/calendar; charset=utf-8", Data: []byte(ics)}}})
		if err != nil {
			t.Fatal(err)
		}
		stop := run(t, m)
		defer stop()
		waitFor(t, "the message's job done", func() bool { return mailJob(t, db, sent.ID).State == certibloc.JobDone })
		_, _, _, data := srv.seen()
		if len(data) != 1 || !strings.Contains(data[0], "multipart/mixed") || !strings.Contains(data[0], "filename=entretien.ics") ||
			!strings.Contains(data[0], base64.StdEncoding.EncodeToString([]byte(ics))) {
			t.Fatalf("the message sent has no attachment:\n%s", strings.Join(data, "\n---\n"))
		}
	})
}
