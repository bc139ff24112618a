package main

import (
	"bufio"
	"context"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// slowSMTP is an SMTP server that takes its time to accept each message:
// long enough for serve to be stopped while a delivery is in flight.
type slowSMTP struct {
	addr            string
	mails, accepted atomic.Int32
}

func startSlowSMTP(t *testing.T, delay time.Duration) *slowSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &slowSMTP{addr: ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				c.Write([]byte("220 slow.test\r\n"))
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					switch verb := strings.ToUpper(strings.Fields(line + " x")[0]); verb {
					case "EHLO", "HELO":
						c.Write([]byte("250 slow.test\r\n"))
					case "MAIL":
						s.mails.Add(1)
						c.Write([]byte("250 ok\r\n"))
					case "DATA":
						c.Write([]byte("354 go on\r\n"))
						for {
							l, err := r.ReadString('\n')
							if err != nil {
								return
							}
							if l == ".\r\n" {
								break
							}
						}
						time.Sleep(delay)
						s.accepted.Add(1)
						c.Write([]byte("250 queued\r\n"))
					case "QUIT":
						c.Write([]byte("221 bye\r\n"))
						return
					default:
						c.Write([]byte("250 ok\r\n"))
					}
				}
			}()
		}
	}()
	return s
}

// TestServeDeliversTheOutboxAndDrains: serve delivers a message left in
// the outbox by a previous run, and when stopped while sending it, lets
// the delivery finish and records it.
func TestServeDeliversTheOutboxAndDrains(t *testing.T) {
	dir := t.TempDir()
	db, err := sqldb.Open(t.Context(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	m, err := db.Enqueue(t.Context(), certibloc.Mail{To: "ada@example.org", Subject: "Bonjour", Body: "Un message laissé là."})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	srv := startSlowSMTP(t, 700*time.Millisecond)
	env := map[string]string{"CERTIBLOC_DATA": dir, "CERTIBLOC_ADDR": "127.0.0.1:0",
		"CERTIBLOC_SMTP_URL": "smtp://" + srv.addr, "CERTIBLOC_MAIL_FROM": "certibloc@diiage.example"}
	ctx, cancel := context.WithCancel(t.Context())
	var stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &lockedBuffer{}, &stderr, func(k string) string { return env[k] })
	}()
	for deadline := time.Now().Add(10 * time.Second); srv.mails.Load() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve sent nothing:\n%s", stderr.String())
		}
	}
	cancel() // while the message is being sent
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
	db, err = sqldb.Open(t.Context(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.OutboxMail(t.Context(), m.ID)
	if err != nil || got.State != certibloc.MailSent || srv.accepted.Load() != 1 {
		t.Errorf("after shutdown: %+v, %v; %d accepted\n%s", got, err, srv.accepted.Load(), stderr.String())
	}
}
