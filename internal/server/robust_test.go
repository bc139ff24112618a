package server_test

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAccentedNamesAreFoundHoweverTyped stores a name typed with
// combining accents (NFD, as some keyboards send it) and finds it typed
// with precomposed letters (NFC), and the reverse, on both engines.
func TestAccentedNamesAreFoundHoweverTyped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		staff := tokenFor(t, db, map[string]string{}, "staff", "DIIAGE")
		send := func(method, target, body string) (int, string) {
			req := httptest.NewRequest(method, target, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+staff)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code, rec.Body.String()
		}
		for _, c := range []struct{ stored, searched string }{
			{norm.NFD.String("Éloïse"), norm.NFC.String("Éloïse")},
			{norm.NFC.String("Anaëlle"), norm.NFD.String("Anaëlle")},
		} {
			if c.stored == c.searched {
				t.Fatal("the two forms are the same: the test proves nothing")
			}
			b, _ := json.Marshal(map[string]string{"school": "DIIAGE", "birth_name": "Martin", "first_names": c.stored})
			status, body := send("POST", "/api/v1/people", string(b))
			if status != http.StatusCreated {
				t.Fatalf("create %q: %d %s", c.stored, status, body)
			}
			var created struct {
				FirstNames string `json:"first_names"`
			}
			json.Unmarshal([]byte(body), &created)
			if created.FirstNames != norm.NFC.String(c.stored) {
				t.Errorf("stored first_names %q, want the NFC form %q", created.FirstNames, norm.NFC.String(c.stored))
			}
			status, body = send("GET", "/api/v1/people?q="+url.QueryEscape(c.searched), "")
			if status != http.StatusOK || !strings.Contains(body, `"total":1`) {
				t.Errorf("search %q (%+q) for %+q: %d %s", c.searched, c.searched, c.stored, status, body)
			}
		}
	})
}

// TestHSTSOnlyOverHTTPS sends Strict-Transport-Security when the visitor
// uses https — TLS here, or a trusted proxy's X-Forwarded-Proto — and
// never over plain http, where it would be meaningless, nor on an
// untrusted X-Forwarded-Proto.
func TestHSTSOnlyOverHTTPS(t *testing.T) {
	db := sqldbtest.SQLite(t)
	log := slog.New(slog.DiscardHandler)
	direct, err := server.New(db, log)
	if err != nil {
		t.Fatal(err)
	}
	proxied, err := server.New(db, log, server.BehindProxy())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		h     http.Handler
		https bool // served with TLS
		proto string
		want  bool
	}{
		{"plain http", direct, false, "", false},
		{"TLS", direct, true, "", true},
		{"untrusted X-Forwarded-Proto", direct, false, "https", false},
		{"proxy over https", proxied, false, "https", true},
		{"proxy over http", proxied, false, "http", false},
	} {
		req := httptest.NewRequest("GET", "/healthz", nil)
		if c.https {
			req.TLS = &tls.ConnectionState{}
		}
		if c.proto != "" {
			req.Header.Set("X-Forwarded-Proto", c.proto)
		}
		rec := httptest.NewRecorder()
		c.h.ServeHTTP(rec, req)
		got := rec.Header().Get("Strict-Transport-Security")
		if (got != "") != c.want || c.want && !strings.Contains(got, "max-age=") {
			t.Errorf("%s: Strict-Transport-Security %q, want it: %v", c.name, got, c.want)
		}
	}
}

// TestSlowClientsAreCutOff: a client that trickles its headers (slowloris)
// or its body is disconnected once the header or read timeout is over,
// instead of holding a connection for as long as it likes.
func TestSlowClientsAreCutOff(t *testing.T) {
	for _, d := range []time.Duration{server.DefaultTimeouts.ReadHeader, server.DefaultTimeouts.Read,
		server.DefaultTimeouts.Write, server.DefaultTimeouts.Idle} {
		if d <= 0 {
			t.Fatalf("certibloc serve runs without a timeout: %+v", server.DefaultTimeouts)
		}
	}
	db := sqldbtest.SQLite(t)
	h := newSite(t, db)
	const timeout = 300 * time.Millisecond
	srv := server.HTTPServer(h, server.Timeouts{ReadHeader: timeout, Read: 2 * timeout, Write: time.Second, Idle: time.Second})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	for _, c := range []struct {
		name    string
		start   string // sent at once
		trickle string // then one byte every 50 ms
		within  time.Duration
	}{
		{"headers trickled", "GET /healthz HTTP/1.1\r\nHost: x\r\n", strings.Repeat("X-Slow: yes\r\n", 20), timeout},
		{"body trickled", "POST /api/v1/certifications/RNCP38478/eligibility HTTP/1.1\r\nHost: x\r\n" +
			"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n", strings.Repeat(" ", 1000), 2 * timeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			start := time.Now()
			if _, err := conn.Write([]byte(c.start)); err != nil {
				t.Fatal(err)
			}
			// Read what the server says, if anything, until it hangs up.
			closed := make(chan time.Duration, 1)
			go func() {
				r := bufio.NewReader(conn)
				for {
					if _, err := r.ReadByte(); err != nil {
						closed <- time.Since(start)
						return
					}
				}
			}()
			limit := time.After(c.within + 2*time.Second)
			for i := 0; i < len(c.trickle); i++ {
				select {
				case took := <-closed:
					if took > c.within+time.Second {
						t.Errorf("cut off after %v, want within %v", took, c.within)
					}
					return
				case <-limit:
					t.Fatalf("still connected after %v of trickling (timeout %v)", time.Since(start), c.within)
				case <-time.After(50 * time.Millisecond):
					conn.Write([]byte{c.trickle[i]})
				}
			}
			t.Fatalf("the server read the whole trickled request: no timeout")
		})
	}
}

// TestHugeHeadersAreRefused: headers beyond server.MaxHeaderBytes get a
// 431, not the server's memory.
func TestHugeHeadersAreRefused(t *testing.T) {
	srv := server.HTTPServer(newSite(t, sqldbtest.SQLite(t)), server.DefaultTimeouts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 2*server.MaxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("%d KB of headers: %d, want 431", 2*server.MaxHeaderBytes>>10, resp.StatusCode)
	}
}
