package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeSMTP is a small SMTP server on 127.0.0.1 that speaks enough of the
// protocol for net/smtp over a real TCP connection, and records what it got.
type fakeSMTP struct {
	addr     string
	tls      *tls.Config // offered with STARTTLS when set
	rejectTo string      // a recipient answered 550

	// Set before the first connection: the first failFirst MAIL commands
	// are answered 451 (a server that is busy for a while); delay holds
	// the answer to each message's text.
	failFirst int
	delay     time.Duration

	mu       sync.Mutex
	commands []string // every command, in order, "STARTTLS" included
	auth     string   // the decoded AUTH PLAIN credentials
	authTLS  bool     // whether AUTH came over TLS
	data     []string // message texts received
	rcpts    []string // the recipient of each message received
	mails    int      // MAIL commands received
}

func startFakeSMTP(t testing.TB, withTLS bool, rejectTo string) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f := &fakeSMTP{addr: ln.Addr().String(), rejectTo: rejectTo}
	if withTLS {
		f.tls = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn)
		}
	}()
	return f
}

// received counts the messages received by recipient.
func (f *fakeSMTP) received() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := map[string]int{}
	for _, r := range f.rcpts {
		n[r]++
	}
	return n
}

func (f *fakeSMTP) record(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}

// seen returns a copy of what the server recorded.
func (f *fakeSMTP) seen() (commands []string, auth string, authTLS bool, data []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.commands), f.auth, f.authTLS, slices.Clone(f.data)
}

func (f *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(conn)
	tp.PrintfLine("220 fake.test ESMTP")
	secure := false
	rcpt := ""
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		f.record(func() { f.commands = append(f.commands, verb) })
		switch verb {
		case "EHLO":
			ext := []string{"250-fake.test", "250-8BITMIME"}
			if f.tls != nil && !secure {
				ext = append(ext, "250-STARTTLS")
			}
			tp.PrintfLine("%s\r\n250 AUTH PLAIN", strings.Join(ext, "\r\n"))
		case "STARTTLS":
			tp.PrintfLine("220 go ahead")
			tc := tls.Server(conn, f.tls)
			if tc.Handshake() != nil {
				return
			}
			conn, secure = tc, true
			tp = textproto.NewConn(tc)
		case "AUTH":
			raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(arg, "PLAIN "))
			f.record(func() { f.auth, f.authTLS = strings.ReplaceAll(string(raw), "\x00", "|"), secure })
			tp.PrintfLine("235 accepted")
		case "RCPT":
			if f.rejectTo != "" && strings.Contains(arg, f.rejectTo) {
				tp.PrintfLine("550 5.1.1 <%s>: no such mailbox", f.rejectTo)
				continue
			}
			rcpt = strings.Trim(strings.TrimPrefix(arg, "TO:"), "<>")
			tp.PrintfLine("250 ok")
		case "MAIL":
			busy := false
			f.record(func() { f.mails++; busy = f.mails <= f.failFirst })
			if busy {
				tp.PrintfLine("451 4.3.0 try again later")
				continue
			}
			tp.PrintfLine("250 ok")
		case "DATA":
			tp.PrintfLine("354 end with a dot")
			text, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			time.Sleep(f.delay)
			f.record(func() { f.data, f.rcpts = append(f.data, string(text)), append(f.rcpts, rcpt) })
			tp.PrintfLine("250 queued")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default: // RSET, NOOP
			tp.PrintfLine("250 ok")
		}
	}
}

// selfSigned makes a certificate for 127.0.0.1.
func selfSigned(t testing.TB) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "fake.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// roots trusts the fake server's certificate.
func (f *fakeSMTP) roots(t *testing.T) *tls.Config {
	cert, err := x509.ParseCertificate(f.tls.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{RootCAs: pool}
}
