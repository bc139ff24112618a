package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/binarytest"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/seed"
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
	var stderr binarytest.Log
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, &binarytest.Log{}, &stderr, func(k string) string { return env[k] })
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

// TestServeDrainsRequestsInFlight: stopped while a request is being
// received, serve takes no new connection but lets that request finish
// and answer, then returns without error.
func TestServeDrainsRequestsInFlight(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir(), "CERTIBLOC_ADDR": "127.0.0.1:0", "CERTIBLOC_LOG_FORMAT": "json"}
	url, stderr, stop := startServe(t, env)
	addr := strings.TrimPrefix(url, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"track":"one_year","level":4,"experience_months":14}`
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /api/v1/certifications/RNCP38478/eligibility HTTP/1.1\r\nHost: %s\r\n"+
		"Content-Type: application/json\r\nX-Request-Id: in-flight-1\r\nContent-Length: %d\r\n\r\n%s", addr, len(body), body[:half])
	time.Sleep(200 * time.Millisecond) // the server has the headers: the request is in flight

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err != nil {
			break // the listener is closed: shutdown has begun
		} else {
			c.Close()
		}
		if time.Now().After(deadline) {
			t.Fatal("serve still takes new connections after the stop")
		}
	}
	select {
	case err := <-stopped:
		t.Fatalf("serve returned (%v) before the request in flight finished", err)
	case <-time.After(300 * time.Millisecond):
	}
	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v\n%s", err, stderr.String())
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !json.Valid(answer) || resp.Header.Get("X-Request-Id") != "in-flight-1" {
		t.Errorf("the request in flight: %d %s %q", resp.StatusCode, answer, resp.Header.Get("X-Request-Id"))
	}
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop once the request was answered")
	}
	// JSON log lines; the request's carries its id.
	if !strings.Contains(stderr.String(), `"request_id":"in-flight-1"`) || !strings.Contains(stderr.String(), `"msg":"shutting down"`) {
		t.Errorf("log:\n%s", stderr.String())
	}
}

// TestServeRefusesBadOperationsSettings: a log format or a shutdown
// timeout that means nothing stops serve before it starts.
func TestServeRefusesBadOperationsSettings(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"CERTIBLOC_LOG_FORMAT": "xml"}, nil, "--log-format"},
		{map[string]string{"CERTIBLOC_SHUTDOWN_TIMEOUT": "soon"}, nil, "CERTIBLOC_SHUTDOWN_TIMEOUT"},
		{nil, []string{"--shutdown-timeout", "-1s"}, "--shutdown-timeout"},
		{map[string]string{"CERTIBLOC_JOB_LEASE": "soon"}, nil, "CERTIBLOC_JOB_LEASE"},
		{map[string]string{"CERTIBLOC_JOB_CHUNK": "many"}, nil, "CERTIBLOC_JOB_CHUNK"},
		{nil, []string{"--job-poll", "0s"}, "--job-poll"},
		{map[string]string{"CERTIBLOC_SURVEY_PERIOD": "hourly"}, nil, "CERTIBLOC_SURVEY_PERIOD"},
		{nil, []string{"--survey-period", "0s"}, "--survey-period"},
	} {
		env := map[string]string{"CERTIBLOC_DATA": t.TempDir(), "CERTIBLOC_ADDR": "127.0.0.1:0"}
		for k, v := range c.env {
			env[k] = v
		}
		_, _, err := cli(t, env, append([]string{"serve"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: %v, want an error naming %s", c.env, c.args, err, c.want)
		}
	}
}

// TestServeSendsSurveysAsTheyFallDue: serve sends the insertion surveys
// every --survey-period (env CERTIBLOC_SURVEY_PERIOD), not only at start:
// a holder whose title, six months old, is recorded while serve runs (a
// jury closed late) gets their survey within a few periods; stopped,
// serve ends its survey tick before it closes the database, and returns.
func TestServeSendsSurveysAsTheyFallDue(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CERTIBLOC_DATA": dir, "CERTIBLOC_ADDR": "127.0.0.1:0", "CERTIBLOC_SURVEY_PERIOD": "100ms",
		"CERTIBLOC_BASE_URL": "https://certibloc.test"}
	_, stderr, stop := startServe(t, env)
	time.Sleep(300 * time.Millisecond) // the survey at start is behind: nothing was due then

	db, err := sqldb.Open(t.Context(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.School(ctx, "DIIAGE"); certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		check(db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}))
	}
	cert, err := seed.Certification()
	check(err)
	_, err = db.SaveCertification(ctx, cert)
	check(err)
	p := &certibloc.Person{School: "DIIAGE", BirthName: "Sondage", FirstNames: "Hélène", BirthDate: certibloc.DateOf(1994, 3, 12),
		Email: "helene.sondage@example.org"}
	check(db.CreatePerson(ctx, p))
	held := certibloc.Date{Time: db.Today().AddDate(0, -certibloc.SurveySixMonths, -1)}
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: held, Place: "Dijon",
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Professionnel A", Role: certibloc.JuryProfessional, Present: true},
			{Name: "Professionnelle B", Role: certibloc.JuryProfessional, Present: true}},
		Candidates: []int64{p.ID}}
	check(db.CreateJury(ctx, j))
	jd := &certibloc.JuryDecision{PersonID: p.ID, Certified: true}
	for _, b := range []string{"RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04"} {
		jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE, Reason: "Favorable."})
	}
	check(db.DecideCandidate(ctx, j.ID, jd))
	check(db.CloseJury(ctx, j.ID, pdf.Minutes))

	survey := func() *certibloc.Mail {
		mails, err := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		check(err)
		for _, m := range mails {
			if m.To == p.Email && strings.Contains(m.Body, "https://certibloc.test/surveys/") {
				return &m
			}
		}
		return nil
	}
	for deadline := time.Now().Add(10 * time.Second); survey() == nil; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no survey sent to the holder while serve ran:\n%s", stderr.String())
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("serve stopped with %v\n%s", err, stderr.String())
	}
	log := stderr.String()
	if !strings.Contains(log, "insertion surveys sent") || strings.Contains(log, "sending the insertion surveys") {
		t.Errorf("log:\n%s", log)
	}
}
