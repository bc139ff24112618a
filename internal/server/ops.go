package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/metrics"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// What operators and their tools read: /healthz, /readyz, /metrics, the
// request id of every request, one log line and one count per request.

// registerOps adds /healthz, /readyz and /metrics to mux.
//
//   - /healthz: the process is alive and answers; it does not touch the
//     database, so that a database outage does not get healthy instances
//     restarted.
//   - /readyz: the database answers and holds every migration of this
//     build; 503 otherwise, so that a load balancer sends no traffic to an
//     instance that could not serve it.
//   - /metrics: the Prometheus text format, for a client that sends the
//     metrics token (WithMetricsToken) or, without one, for loopback
//     clients that no proxy relayed (see metricsAllowed).
func registerOps(mux *http.ServeMux, db *sqldb.DB, log *slog.Logger, requests *metrics.Requests, token string) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.Ready(ctx); err != nil {
			log.ErrorContext(r.Context(), "readyz", "err", err)
			msg := "base de données injoignable / database unreachable\n"
			if errors.Is(err, sqldb.ErrNotMigrated) {
				msg = "base de données non migrée / database not migrated\n"
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(msg))
			return
		}
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if !metricsAllowed(r, token) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte("accès refusé : /metrics demande le jeton de métriques ou un client local\n" +
				"forbidden: /metrics needs the metrics token or a loopback client\n"))
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		mw := metrics.NewWriter(w)
		requests.Write(mw)
		writeDBMetrics(r.Context(), mw, db, log)
		if err := mw.Flush(); err != nil {
			log.WarnContext(r.Context(), "metrics", "err", err)
		}
	})
}

// metricsAllowed: with a token, the request must carry it as a bearer
// token (compared in constant time); without one, it must come from a
// loopback address and name no forwarded client, since a reverse proxy on
// the same machine connects from loopback on behalf of anyone.
func metricsAllowed(r *http.Request, token string) bool {
	if token != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		return ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-Ip") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// writeDBMetrics writes the pools' figures, then what the database holds
// (outbox, audit chain), and whether it answered.
func writeDBMetrics(ctx context.Context, w *metrics.Writer, db *sqldb.DB, log *slog.Logger) {
	pools := db.PoolStats()
	names := []string{"main"}
	if _, ok := pools["main"]; !ok {
		names = []string{"write", "read"}
	}
	gauge := func(name, help string, value func(p string) float64) {
		w.Family(name, "gauge", help)
		for _, p := range names {
			w.Sample(name, value(p), "pool", p)
		}
	}
	counter := func(name, help string, value func(p string) float64) {
		w.Family(name, "counter", help)
		for _, p := range names {
			w.Sample(name, value(p), "pool", p)
		}
	}
	gauge("certibloc_db_connections_max", "Largest number of open connections the pool allows.",
		func(p string) float64 { return float64(pools[p].MaxOpenConnections) })
	gauge("certibloc_db_connections_open", "Connections open, in use or idle.",
		func(p string) float64 { return float64(pools[p].OpenConnections) })
	gauge("certibloc_db_connections_in_use", "Connections in use.",
		func(p string) float64 { return float64(pools[p].InUse) })
	gauge("certibloc_db_connections_idle", "Idle connections.",
		func(p string) float64 { return float64(pools[p].Idle) })
	counter("certibloc_db_waits_total", "Times a query waited for a free connection.",
		func(p string) float64 { return float64(pools[p].WaitCount) })
	counter("certibloc_db_wait_seconds_total", "Time spent waiting for a free connection.",
		func(p string) float64 { return pools[p].WaitDuration.Seconds() })

	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	f, err := db.Figures(ctx)
	w.Family("certibloc_database_up", "gauge", "1 when the database answered the queries of this scrape, 0 otherwise.")
	if err != nil {
		log.WarnContext(ctx, "metrics: database figures", "err", err)
		w.Sample("certibloc_database_up", 0)
		return
	}
	w.Sample("certibloc_database_up", 1)
	w.Family("certibloc_outbox_messages", "gauge", "E-mails in the outbox, by state (pending, sending, sent, dead).")
	for _, state := range []string{"pending", "sending", "sent", "dead"} {
		w.Sample("certibloc_outbox_messages", float64(f.Outbox[state]), "state", state)
	}
	w.Family("certibloc_audit_chain_entries", "gauge", "Entries in the audit trail's hash chain.")
	w.Sample("certibloc_audit_chain_entries", float64(f.AuditEntries))
	w.Family("certibloc_jobs", "gauge", "Durable jobs, by state (queued, running, failed, done, dead).")
	for _, state := range certibloc.JobStates {
		w.Sample("certibloc_jobs", float64(f.Jobs[state]), "state", state)
	}
}

// requestIDKey is the context key of the request id.
type requestIDKey struct{}

// RequestID returns the id of the request ctx belongs to, "" outside one.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// withRequestID gives every request an id, echoed in the X-Request-Id
// answer header and in every log line of the request: the one the client
// or proxy sent when it is sane (1 to 64 letters, digits, '.', '_', ':' or
// '-'), a new random one otherwise.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-Id")
		if !saneRequestID(id) {
			b := make([]byte, 12)
			rand.Read(b)
			id = hex.EncodeToString(b)
		}
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

func saneRequestID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// requestIDHandler adds the request id of the context to each record
// logged with one (log.InfoContext(r.Context(), …)).
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := RequestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// observe writes one structured line per request (but for the probes of
// /healthz, /readyz and /metrics) and counts it by route pattern — the
// pattern the mux matched, which it records on the request it is given,
// this one: nothing between here and the mux replaces the request.
func observe(log *slog.Logger, requests *metrics.Requests, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		done := requests.Start()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			// Counted even when the handler panics (the recoverer answers 500).
			status := sw.status
			if v := recover(); v != nil {
				defer panic(v)
				if status == 0 {
					status = http.StatusInternalServerError
				}
			}
			if status == 0 {
				status = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			took := time.Since(start)
			done(route, status, took)
			switch r.URL.Path {
			case "/healthz", "/readyz", "/metrics":
				return
			}
			log.InfoContext(r.Context(), "http", "method", r.Method, "path", r.URL.Path, "route", r.Pattern,
				"status", status, "bytes", sw.bytes, "duration", took.Round(time.Microsecond))
		}()
		next.ServeHTTP(sw, r)
	})
}
