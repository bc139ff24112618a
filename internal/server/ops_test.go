package server_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/binarytest"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// probe asks h for path from remote (an address:port), with headers.
func probe(h http.Handler, path, remote string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestHealthAndReadiness: /healthz says the process is alive whatever the
// database; /readyz says 503 until every migration is applied, then 200.
func TestHealthAndReadiness(t *testing.T) {
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		db := open()
		h, err := server.New(db, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if rec := probe(h, "/healthz", "192.0.2.1:1"); rec.Code != 200 || rec.Body.String() != "ok\n" {
			t.Errorf("/healthz before migrations: %d %q", rec.Code, rec.Body)
		}
		rec := probe(h, "/readyz", "192.0.2.1:1")
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "non migrée / database not migrated") {
			t.Errorf("/readyz before migrations: %d %q, want 503 not migrated", rec.Code, rec.Body)
		}
		if _, err := db.Migrate(t.Context()); err != nil {
			t.Fatal(err)
		}
		if rec := probe(h, "/readyz", "192.0.2.1:1"); rec.Code != 200 {
			t.Errorf("/readyz once migrated: %d %q", rec.Code, rec.Body)
		}
		db.Close()
		if rec := probe(h, "/readyz", "192.0.2.1:1"); rec.Code != http.StatusServiceUnavailable ||
			!strings.Contains(rec.Body.String(), "injoignable / database unreachable") {
			t.Errorf("/readyz with the database closed: %d %q", rec.Code, rec.Body)
		}
		if rec := probe(h, "/healthz", "192.0.2.1:1"); rec.Code != 200 {
			t.Errorf("/healthz with the database closed: %d", rec.Code)
		}
	})
}

// metric returns the value of the sample line name{labels} in text, or "".
func metric(text, sample string) string {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

// TestMetrics: /metrics counts requests by route pattern and status, and
// reads the pools, the outbox and the length of the audit chain; only a
// loopback client that no proxy relayed, or one with the token, reads it.
func TestMetrics(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		for _, path := range []string{"/api/v1/certifications/RNCP38478", "/api/v1/certifications/RNCP38478", "/api/v1/certifications/RNCP1", "/no/such/page"} {
			probe(h, path, "192.0.2.1:1")
		}
		if _, err := db.Enqueue(t.Context(), certibloc.Mail{To: "ada@example.org", Subject: "Bonjour", Body: "…"}); err != nil {
			t.Fatal(err)
		}
		head, err := db.VerifyAudit(t.Context())
		if err != nil || head.Entries == 0 {
			t.Fatalf("audit head %+v, %v: the defaults should have written entries", head, err)
		}

		if _, _, err := db.EnqueueJob(t.Context(), "test.kind", "k", nil, 1); err != nil {
			t.Fatal(err)
		}
		rec := probe(h, "/metrics", "127.0.0.1:5555")
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
			t.Fatalf("/metrics from loopback: %d %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		text := rec.Body.String()
		pool := "main"
		if db.Engine() == sqldb.SQLite {
			pool = "write"
		}
		for sample, want := range map[string]string{
			`certibloc_http_requests_total{route="GET /api/v1/certifications/{code}",code="200"}`:                 "2",
			`certibloc_http_requests_total{route="GET /api/v1/certifications/{code}",code="404"}`:                 "1",
			`certibloc_http_request_duration_seconds_count{route="GET /api/v1/certifications/{code}"}`:            "3",
			`certibloc_http_request_duration_seconds_bucket{route="GET /api/v1/certifications/{code}",le="+Inf"}`: "3",
			`certibloc_outbox_messages{state="pending"}`:                                                          "1",
			`certibloc_outbox_messages{state="dead"}`:                                                             "0",
			`certibloc_audit_chain_entries`:                                                                       itoa(head.Entries),
			`certibloc_database_up`:                                                                               "1",
			`certibloc_jobs{state="queued"}`:                                                                      "2", // the message's and this one
			`certibloc_jobs{state="dead"}`:                                                                        "0",
			`certibloc_http_requests_in_flight`:                                                                   "1", // this scrape
			`certibloc_db_connections_max{pool="` + pool + `"}`:                                                   map[string]string{"main": "20", "write": "1"}[pool],
		} {
			if got := metric(text, sample); got != want {
				t.Errorf("%s = %q, want %q", sample, got, want)
			}
		}
		if !regexp.MustCompile(`certibloc_http_requests_total\{route="[^"]*",code="404"\} 1`).MatchString(text) ||
			strings.Contains(text, "/no/such/page") {
			t.Errorf("an unknown path is counted by its path, not as unmatched:\n%s", text)
		}

		for _, c := range []struct {
			remote  string
			headers []string
		}{
			{"192.0.2.1:1", nil},
			{"127.0.0.1:1", []string{"X-Forwarded-For", "203.0.113.9"}},
			{"[::1]:1", []string{"Forwarded", "for=203.0.113.9"}},
		} {
			if rec := probe(h, "/metrics", c.remote, c.headers...); rec.Code != http.StatusForbidden ||
				!strings.Contains(rec.Body.String(), "accès refusé") {
				t.Errorf("/metrics from %s %v: %d, want 403", c.remote, c.headers, rec.Code)
			}
		}
	})
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestMetricsToken: with a token, /metrics is for whoever sends it, and
// for nobody else, loopback included.
func TestMetricsToken(t *testing.T) {
	db := sqldbtest.SQLite(t)
	h, err := server.New(db, slog.New(slog.DiscardHandler), server.WithMetricsToken("s3cret-metrics"))
	if err != nil {
		t.Fatal(err)
	}
	if rec := probe(h, "/metrics", "198.51.100.7:1", "Authorization", "Bearer s3cret-metrics"); rec.Code != 200 {
		t.Errorf("with the token: %d", rec.Code)
	}
	for _, c := range [][]string{{"Authorization", "Bearer wrong"}, {"Authorization", "s3cret-metrics"}, nil} {
		if rec := probe(h, "/metrics", "127.0.0.1:1", c...); rec.Code != http.StatusForbidden {
			t.Errorf("loopback with %v: %d, want 403", c, rec.Code)
		}
	}
}

// logLines are the JSON lines logged since the last call.
func logLines(t *testing.T, logs *binarytest.Log) []map[string]any {
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.Take()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// TestRequestIDs: every request gets an id, the client's when sane, a new
// one otherwise; it is echoed in X-Request-Id and is in every line logged
// for the request, the handlers' error lines included.
func TestRequestIDs(t *testing.T) {
	var logs binarytest.Log
	db := sqldbtest.SQLite(t)
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	if err := server.LoadDefaults(t.Context(), db, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	h, err := server.New(db, log)
	if err != nil {
		t.Fatal(err)
	}
	generated := regexp.MustCompile(`^[0-9a-f]{24}$`)
	seen := map[string]bool{}
	for _, c := range []struct{ sent, want string }{
		{"req-42.a:b_C", "req-42.a:b_C"},
		{"", ""},
		{"has space", ""},
		{"<script>", ""},
		{strings.Repeat("a", 65), ""},
	} {
		rec := probe(h, "/api/v1/certifications/RNCP38478", "192.0.2.1:1", "X-Request-Id", c.sent)
		id := rec.Header().Get("X-Request-Id")
		if c.want != "" && id != c.want || c.want == "" && (!generated.MatchString(id) || seen[id]) {
			t.Errorf("sent %q: X-Request-Id %q", c.sent, id)
		}
		seen[id] = true
		lines := logLines(t, &logs)
		if len(lines) != 1 || lines[0]["request_id"] != id || lines[0]["route"] != "GET /api/v1/certifications/{code}" {
			t.Errorf("sent %q: log %v, want one line with request_id %s", c.sent, lines, id)
		}
	}

	// A handler's own error line carries the id too: the API's, when the
	// database is gone.
	db.Close()
	rec := probe(h, "/api/v1/people", "192.0.2.1:1", "X-Request-Id", "after-close", "Authorization", "Bearer cb_x")
	if rec.Code < 500 {
		t.Fatalf("with the database closed: %d", rec.Code)
	}
	lines := logLines(t, &logs)
	if len(lines) < 2 {
		t.Fatalf("want the handler's error line and the request line, got %v", lines)
	}
	for _, l := range lines {
		if l["request_id"] != "after-close" {
			t.Errorf("line without the request id: %v", l)
		}
	}
}
