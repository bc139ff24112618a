package server_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// dbLink is a TCP relay between the site and PostgreSQL that the test
// cuts and mends, as a network failure or a restarting server would.
type dbLink struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  []net.Conn
}

func newDBLink(t *testing.T, target string) *dbLink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &dbLink{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); l.cut() })
	go l.serve()
	return l
}

func (l *dbLink) serve() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		l.mu.Lock()
		down := l.down
		l.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", l.target)
		if err != nil {
			c.Close()
			continue
		}
		l.mu.Lock()
		l.conns = append(l.conns, c, s)
		l.mu.Unlock()
		go func() { io.Copy(s, c); s.Close() }()
		go func() { io.Copy(c, s); c.Close() }()
	}
}

// cut closes every connection and refuses new ones.
func (l *dbLink) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = true
	for _, c := range l.conns {
		c.Close()
	}
	l.conns = nil
}

func (l *dbLink) mend() {
	l.mu.Lock()
	l.down = false
	l.mu.Unlock()
}

// postgresThrough opens a migrated store in a schema of its own, reached
// through a link the test can cut.
func postgresThrough(t *testing.T) (*sqldb.DB, *dbLink) {
	base := sqldbtest.PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(t.Context(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if admin, err := sql.Open("pgx", base); err == nil {
			admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	link := newDBLink(t, u.Host)
	u.Host = link.ln.Addr().String()
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sqldb.Open(t.Context(), u.String(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db, link
}

// TestDatabaseDownIs503: while PostgreSQL cannot be reached, the API and
// the pages answer 503 with Retry-After (not 500), /readyz says 503 too
// while /healthz (alive, no database) still answers 200, and the first
// request once the database is back succeeds.
func TestDatabaseDownIs503(t *testing.T) {
	db, link := postgresThrough(t)
	h := newSite(t, db)
	token := tokenFor(t, db, map[string]string{}, "staff", "DIIAGE")
	browser := admSignedIn(t, h, db, certibloc.Account{Role: "staff", Schools: []string{"DIIAGE"}})
	get := func(path string, auth bool) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for k, v := range browser.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	requests := []struct {
		path string
		auth bool
		kind string // of the answer
		down int    // its status while the database is down
	}{
		{"/api/v1/people", true, "application/json", http.StatusServiceUnavailable},
		{"/app/people", false, "text/html", http.StatusServiceUnavailable},
		{"/readyz", false, "text/plain", http.StatusServiceUnavailable},
		{"/healthz", false, "text/plain", http.StatusOK},
	}
	for _, r := range requests {
		if rec := get(r.path, r.auth); rec.Code != http.StatusOK {
			t.Fatalf("GET %s with the database up: %d %s", r.path, rec.Code, rec.Body)
		}
	}
	link.cut()
	for _, r := range requests {
		rec := get(r.path, r.auth)
		if rec.Code != r.down {
			t.Errorf("GET %s with the database down: %d, want %d\n%.300s", r.path, rec.Code, r.down, rec.Body)
			continue
		}
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), r.kind) {
			t.Errorf("GET %s: Content-Type %q, want %s", r.path, rec.Header().Get("Content-Type"), r.kind)
		}
		if r.path != "/healthz" && r.path != "/readyz" && rec.Header().Get("Retry-After") == "" {
			t.Errorf("GET %s: 503 without Retry-After", r.path)
		}
	}
	link.mend()
	for _, r := range requests {
		if rec := get(r.path, r.auth); rec.Code != http.StatusOK {
			t.Errorf("GET %s once the database is back: %d %s", r.path, rec.Code, rec.Body)
		}
	}
}
