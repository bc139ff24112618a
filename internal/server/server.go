// Package server assembles certibloc's whole HTTP surface: the JSON API,
// the HTML pages, the static files, /healthz, /readyz and /metrics, behind
// the middleware they share (request ids, logging and metrics, security
// headers, recovery).
package server

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc/internal/api"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/mail"
	"github.com/certibloc/certibloc/internal/metrics"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/session"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/web"
)

// Option configures New.
type Option func(*options)

type options struct {
	auth         web.AuthConfig
	mailer       *mail.Mailer
	metricsToken string
	minutes      sqldb.Minutes
	jobs         *jobs.Runner
}

// WithMetricsToken lets a client that sends "Authorization: Bearer TOKEN"
// read /metrics from anywhere; without it, only loopback clients can.
func WithMetricsToken(token string) Option { return func(o *options) { o.metricsToken = token } }

// WithMailer hands the site's e-mails to m, whose worker the caller runs;
// without it, messages are kept in the outbox only.
func WithMailer(m *mail.Mailer) Option { return func(o *options) { o.mailer = m } }

// WithBaseURL is the address people reach the site at: links in e-mails
// start with it, and an https address makes cookies Secure.
func WithBaseURL(u string) Option { return func(o *options) { o.auth.BaseURL = u } }

// BehindProxy trusts the X-Forwarded-For and X-Forwarded-Proto headers of
// the reverse proxy in front of the site.
func BehindProxy() Option { return func(o *options) { o.auth.BehindProxy = true } }

// WithMinutes renders the minutes of the juries the site closes; the
// French PDF of internal/pdf by default, as the API's.
func WithMinutes(m sqldb.Minutes) Option { return func(o *options) { o.minutes = m } }

// WithJobs runs the jobs a request starts and waits for (an RNCP import)
// with r, the instance's runner, its lease and name; without it, with a
// runner of the defaults.
func WithJobs(r *jobs.Runner) Option { return func(o *options) { o.jobs = r } }

// New returns the handler of the whole site over db.
func New(db *sqldb.DB, log *slog.Logger, opts ...Option) (http.Handler, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.mailer == nil {
		m, err := mail.New(db, log, mail.Config{})
		if err != nil {
			return nil, err
		}
		o.mailer = m
	}
	// Every line logged while answering a request carries its id.
	log = slog.New(requestIDHandler{log.Handler()})
	if o.minutes == nil {
		o.minutes = pdf.Minutes
	}
	if o.auth.BaseURL != "" {
		db.SetSiteURL(o.auth.BaseURL) // every e-mail links back to the site
	}
	mux := http.NewServeMux()
	sessions := session.New(db, session.Config{BaseURL: o.auth.BaseURL, BehindProxy: o.auth.BehindProxy})
	api.New(db, log).UseSessions(sessions).UseBaseURL(o.auth.BaseURL).UseJobs(o.jobs).Register(mux)
	site, err := web.New(db, log, web.WithMinutes(o.minutes))
	if err != nil {
		return nil, err
	}
	o.auth.Mailer = o.mailer
	site.ConfigureAuth(o.auth)
	site.Register(mux)
	requests := metrics.NewRequests()
	registerOps(mux, db, log, requests, o.metricsToken)
	return withRequestID(recoverer(log, headers(o.auth.BehindProxy, observe(log, requests, compress(mux))))), nil
}

// headers sets the security headers of every answer: no third-party
// resources, no framing, no sniffing; and, on HTTPS (served with TLS, or
// behind a proxy that says the visitor used https), HSTS, so that the
// browser never comes back over plain http.
func headers(behindProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		if r.TLS != nil || behindProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverer turns a panic into a 500 and a log line instead of a dropped
// connection.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
