package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/mail"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer, getenv env) error {
	fs := newFlagSet("serve", "serve [--addr HOST:PORT] [--base-url URL] [--smtp-url URL --mail-from ADDRESS] [--behind-proxy] "+
		"[--metrics-token TOKEN] [--log-format text|json] [--shutdown-timeout D] [--job-lease D] [--job-poll D] [--job-chunk N] [--survey-period D] [--data DIR] [--database URL]", stderr)
	cfg := commonFlags(fs, getenv)
	addr := fs.String("addr", or(getenv("CERTIBLOC_ADDR"), "localhost:8080"), "address to listen on (env CERTIBLOC_ADDR)")
	site := siteFlags(fs, getenv)
	ops := opsFlags(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := ops.check(fs); err != nil {
		return err
	}
	log := ops.logger(stderr)
	db, err := cfg.open(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := server.LoadDefaults(ctx, db, log); err != nil {
		return fmt.Errorf("load default data: %w", err)
	}
	// The key of the TOTP secrets, kept outside the database: env
	// CERTIBLOC_SECRET_KEY, or DIR/secret.key made on first start.
	key, from, err := secret.LoadKey(cfg.data, getenv)
	if err != nil {
		return fmt.Errorf("secret key (%s): %w", from, err)
	}
	if n, err := db.SetSecretKey(ctx, key); err != nil {
		return err
	} else if n > 0 {
		log.Info("encrypted the TOTP secrets stored plain", "accounts", n)
	}
	// Instances of one database need one key: with a key of its own, an
	// instance fails the second factors set up on the others.
	if n, err := db.TOTPSecretsNotOpening(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Warn("the secret key does not open TOTP secrets of the database: give every instance the same CERTIBLOC_SECRET_KEY, "+
			"or, if the key is lost, reset those second factors (certibloc account reset-totp)", "accounts", n, "secret_key", from)
	}
	// One mailer: the pages hand it their e-mails, and its worker delivers
	// them, those left by a previous run too; the worker is stopped after
	// the server, letting its sends finish.
	mailer, err := mail.New(db, log, site.mailConfig())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The durable jobs (a jury's documents, exports, imports): claimed
	// from the database, by this instance or any other; on stop, those
	// running may finish for the drain time, then go back to the queue
	// for another instance. An RNCP import that a request starts runs on
	// this runner at once.
	runner, err := jobRunner(db, log, or(site.baseURL, "http://"+ln.Addr().String()), ops.jobChunk)
	if err != nil {
		ln.Close()
		return err
	}
	runner.Drain, runner.Lease, runner.Poll = ops.shutdownTimeout, ops.jobLease, ops.jobPoll
	handler, err := server.New(db, log, append(site.options("http://"+ln.Addr().String()),
		server.WithMailer(mailer), server.WithMetricsToken(ops.metricsToken()), server.WithJobs(runner))...)
	if err != nil {
		ln.Close()
		return err
	}
	srv := server.HTTPServer(handler, server.DefaultTimeouts)
	workerCtx, stopWorker := context.WithCancel(context.WithoutCancel(ctx))
	workerDone := make(chan struct{})
	go func() { mailer.Run(workerCtx); close(workerDone) }()
	// The audit seals and the insertion surveys stop with the mail worker,
	// and serve waits for them before it closes the database.
	var ticks sync.WaitGroup
	defer ticks.Wait()
	ticks.Go(func() { sealAudit(workerCtx, db, log, time.Minute) })
	ticks.Go(func() {
		sendSurveys(workerCtx, db, log, or(site.baseURL, "http://"+ln.Addr().String()), ops.surveyPeriod)
	})
	defer drainMail(log, stopWorker, workerDone)
	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := make(chan struct{})
	go func() { runner.Run(jobsCtx); close(jobsDone) }()
	defer func() { stopJobs(); <-jobsDone }()
	log.Info("listening", "url", "http://"+ln.Addr().String(), "engine", db.Engine(), "data", cfg.data, "smtp", mailer.SMTP(), "secret_key", from)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// Take no new connection, let requests in flight finish, but not
	// forever; then the deferred drainMail stops the outbox worker.
	log.Info("shutting down", "timeout", ops.shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), ops.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("requests still running after %v: %w", ops.shutdownTimeout, err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sealAudit seals the audit trail every period while ctx lasts: a seal
// anchors the heads of every lane in one chained hash (sqldb.SealAudit).
// Several instances may seal; seals take turns, and one that finds the
// trail unmoved writes nothing.
func sealAudit(ctx context.Context, db *sqldb.DB, log *slog.Logger, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := db.SealAudit(ctx); err != nil && ctx.Err() == nil {
				log.Warn("sealing the audit trail", "err", err)
			}
		}
	}
}

// sendSurveys sends the insertion surveys due (six months and two years
// after each jury) at start and every period while ctx lasts, a hundred at
// a time until none is left. Several instances may run it: the store
// makes each survey once (sqldb.SendDueSurveys).
func sendSurveys(ctx context.Context, db *sqldb.DB, log *slog.Logger, baseURL string, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		for {
			n, err := db.SendDueSurveys(ctx, baseURL, certibloc.Date{}, 100)
			if err != nil && ctx.Err() == nil {
				log.Warn("sending the insertion surveys", "err", err)
			}
			if n > 0 {
				log.Info("insertion surveys sent", "surveys", n)
			}
			if err != nil || n < 100 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// drainMail stops the outbox worker and waits for the deliveries in
// flight, each bounded by the SMTP timeout; what is left stays in the
// outbox for the next start.
func drainMail(log *slog.Logger, stop context.CancelFunc, done <-chan struct{}) {
	stop()
	select {
	case <-done:
	case <-time.After(45 * time.Second):
		log.Warn("the mail worker did not stop in time: its messages are sent again after their lease")
	}
}

// siteConfig is how people reach the site and get its e-mails.
type siteConfig struct {
	baseURL, smtpURL, mailFrom string
	behindProxy                bool
	getenv                     env
}

// siteFlags declares serve's flags about the site's address and e-mail.
func siteFlags(fs *flag.FlagSet, getenv env) *siteConfig {
	c := &siteConfig{getenv: getenv}
	fs.StringVar(&c.baseURL, "base-url", getenv("CERTIBLOC_BASE_URL"),
		"address people reach the site at, which links in e-mails start with; https makes cookies Secure (env CERTIBLOC_BASE_URL, default http://ADDR)")
	// No default from the environment here: --help would print the password.
	fs.StringVar(&c.smtpURL, "smtp-url", "",
		"SMTP server, smtp://user:password@host:587 (STARTTLS) or smtps://…:465; none keeps e-mails in the outbox only (env CERTIBLOC_SMTP_URL)")
	fs.StringVar(&c.mailFrom, "mail-from", getenv("CERTIBLOC_MAIL_FROM"), "sender address of e-mails, required with SMTP (env CERTIBLOC_MAIL_FROM)")
	fs.BoolVar(&c.behindProxy, "behind-proxy", getenv("CERTIBLOC_BEHIND_PROXY") == "true",
		"trust X-Forwarded-For and X-Forwarded-Proto from the reverse proxy in front (env CERTIBLOC_BEHIND_PROXY=true)")
	return c
}

// options are the server options of the flags; defaultBase is the
// address the server listens on.
func (c *siteConfig) options(defaultBase string) []server.Option {
	opts := []server.Option{
		server.WithBaseURL(or(c.baseURL, defaultBase)),
	}
	if c.behindProxy {
		opts = append(opts, server.BehindProxy())
	}
	return opts
}

// mailConfig is how e-mail is delivered.
func (c *siteConfig) mailConfig() mail.Config {
	return mail.Config{SMTPURL: or(c.smtpURL, c.getenv("CERTIBLOC_SMTP_URL")), From: c.mailFrom}
}

// opsConfig is how serve is operated: who reads /metrics, how it logs,
// how long it lets requests finish when stopped, how its job worker
// holds and looks for jobs.
type opsConfig struct {
	logFormat       string
	shutdownTimeout time.Duration
	token           string
	badTimeoutEnv   bool
	badEnv          []string // environment variables whose value means nothing, reported by check
	jobLease        time.Duration
	jobPoll         time.Duration
	jobChunk        int
	surveyPeriod    time.Duration
	getenv          env
}

// envDuration is the duration of the environment variable name, def when
// unset; a value that is no duration is noted for check.
func (c *opsConfig) envDuration(name string, def time.Duration) time.Duration {
	v := c.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		c.badEnv = append(c.badEnv, name)
		return def
	}
	return d
}

func opsFlags(fs *flag.FlagSet, getenv env) *opsConfig {
	c := &opsConfig{getenv: getenv}
	// No default from the environment: --help would print the token.
	fs.StringVar(&c.token, "metrics-token", "",
		"bearer token that may read /metrics from anywhere; without one, only loopback clients that no proxy relayed may (env CERTIBLOC_METRICS_TOKEN)")
	fs.StringVar(&c.logFormat, "log-format", or(getenv("CERTIBLOC_LOG_FORMAT"), "text"),
		"log lines as text (key=value) or json, one per line on stderr (env CERTIBLOC_LOG_FORMAT)")
	timeout := 15 * time.Second
	if v := getenv("CERTIBLOC_SHUTDOWN_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err == nil {
			timeout = d
		} else {
			c.badTimeoutEnv = true // reported by check
		}
	}
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", timeout,
		"on SIGTERM or SIGINT, how long requests in flight may take to finish (env CERTIBLOC_SHUTDOWN_TIMEOUT)")
	// The durable jobs: a worker that dies holds its job until the lease
	// ends, then any instance takes it over; short values suit tests.
	fs.DurationVar(&c.jobLease, "job-lease", c.envDuration("CERTIBLOC_JOB_LEASE", 30*time.Second),
		"how long a job stays this instance's without news before another instance takes it over; renewed every third of it (env CERTIBLOC_JOB_LEASE)")
	fs.DurationVar(&c.jobPoll, "job-poll", c.envDuration("CERTIBLOC_JOB_POLL", time.Second),
		"how often an idle job worker looks for a job (env CERTIBLOC_JOB_POLL)")
	chunk := 100
	if v := getenv("CERTIBLOC_JOB_CHUNK"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			chunk = n
		} else {
			c.badEnv = append(c.badEnv, "CERTIBLOC_JOB_CHUNK")
		}
	}
	fs.IntVar(&c.jobChunk, "job-chunk", chunk,
		"documents a batch writes per transaction: what a crash may have to render again (env CERTIBLOC_JOB_CHUNK)")
	fs.DurationVar(&c.surveyPeriod, "survey-period", c.envDuration("CERTIBLOC_SURVEY_PERIOD", time.Hour),
		"how often the insertion surveys due are sent, besides at start (env CERTIBLOC_SURVEY_PERIOD)")
	return c
}

// check reports bad values; a bad environment value counts only when its
// flag does not override it.
func (c *opsConfig) check(fs *flag.FlagSet) error {
	envOf := map[string]string{"job-lease": "CERTIBLOC_JOB_LEASE", "job-poll": "CERTIBLOC_JOB_POLL", "job-chunk": "CERTIBLOC_JOB_CHUNK",
		"survey-period": "CERTIBLOC_SURVEY_PERIOD"}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "shutdown-timeout" {
			c.badTimeoutEnv = false
		}
		c.badEnv = slices.DeleteFunc(c.badEnv, func(name string) bool { return envOf[f.Name] == name })
	})
	if c.logFormat != "text" && c.logFormat != "json" {
		return fmt.Errorf("--log-format %q: text or json", c.logFormat)
	}
	if c.shutdownTimeout <= 0 || c.badTimeoutEnv {
		return fmt.Errorf("--shutdown-timeout (env CERTIBLOC_SHUTDOWN_TIMEOUT %q): a positive duration such as 15s", c.getenv("CERTIBLOC_SHUTDOWN_TIMEOUT"))
	}
	if c.jobLease <= 0 || c.jobPoll <= 0 || c.jobChunk <= 0 {
		return fmt.Errorf("--job-lease %v, --job-poll %v, --job-chunk %d: positive values are needed", c.jobLease, c.jobPoll, c.jobChunk)
	}
	if c.surveyPeriod <= 0 {
		return fmt.Errorf("--survey-period %v: a positive duration such as 1h", c.surveyPeriod)
	}
	if len(c.badEnv) > 0 {
		return fmt.Errorf("%s %q: a positive duration such as 2s (a positive number for CERTIBLOC_JOB_CHUNK)", c.badEnv[0], c.getenv(c.badEnv[0]))
	}
	return nil
}

func (c *opsConfig) metricsToken() string { return or(c.token, c.getenv("CERTIBLOC_METRICS_TOKEN")) }

func (c *opsConfig) logger(w io.Writer) *slog.Logger {
	if c.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	return logger(w)
}
