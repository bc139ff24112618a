package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/mail"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/session"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("signin", "templates/signin.html")
}

// AuthConfig is what signing in takes from the server's configuration.
type AuthConfig struct {
	// Mailer sends password links; nil keeps them in the outbox only.
	Mailer *mail.Mailer
	// BaseURL is the address people reach the site at, such as
	// https://certibloc.example.org: links in e-mails start with it (never
	// with the Host header, which a visitor chooses), and an https address
	// makes every cookie Secure. Default http://localhost:8080.
	BaseURL string
	// BehindProxy trusts X-Forwarded-For and X-Forwarded-Proto, as set by
	// the reverse proxy in front of the site.
	BehindProxy bool
}

// ConfigureAuth sets how the site signs people in; server.New calls it
// before serving. Without it, e-mails stay in the outbox and links start
// with http://localhost:8080.
func (s *Site) ConfigureAuth(c AuthConfig) {
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	s.auth = c
	s.sess = session.New(s.db, session.Config{BaseURL: c.BaseURL, BehindProxy: c.BehindProxy})
}

func (s *Site) baseURL() string {
	if s.auth.BaseURL == "" {
		return "http://localhost:8080"
	}
	return s.auth.BaseURL
}

func (s *Site) mailer() *mail.Mailer {
	if s.auth.Mailer == nil {
		m, _ := mail.New(s.db, s.log, mail.Config{}) // without SMTP it cannot fail
		return m
	}
	return s.auth.Mailer
}

// Throttling: after accountLimit attempts at the password of one address,
// or addressLimit from one network address, within throttleWindow, sign-in
// is refused for the rest of the window without even checking the
// password. The second factor counts apart: totpLimit wrong codes within
// totpWindow lock it, and only a right code clears them, so that signing
// in again with the password does not buy more guesses.
const (
	accountLimit   = 5
	addressLimit   = 20
	throttleWindow = 15 * time.Minute
	totpLimit      = 5
	totpWindow     = time.Hour
)

// limit is a count of attempts that stops further ones: a subject
// ("email:…", "ip:…", "totp:…"), how many, over how long.
type limit struct {
	subject string
	max     int
	window  time.Duration
}

func passwordLimits(email, ip string) []limit {
	return []limit{{"email:" + email, accountLimit, throttleWindow}, {"ip:" + ip, addressLimit, throttleWindow}}
}

// attempt is a try at a secret, counted against its limits before the
// secret is checked (sqldb.TakeAttempt): the ids of what was counted.
type attempt []int64

// take counts one attempt against each limit. When one is reached it
// returns that limit, and nothing stays counted. Unknown addresses count
// alike, so that the refusal tells nothing about which have an account.
func (s *Site) take(ctx context.Context, limits ...limit) (attempt, *limit, error) {
	var a attempt
	for i, l := range limits {
		ok, id, err := s.db.TakeAttempt(ctx, l.subject, l.window, l.max)
		if err != nil || !ok {
			return nil, &limits[i], errors.Join(err, s.giveBack(ctx, a))
		}
		a = append(a, id)
	}
	return a, nil, nil
}

// giveBack uncounts an attempt that checked nothing, or one that proved
// right where only failures count.
func (s *Site) giveBack(ctx context.Context, a attempt) error {
	for _, id := range a {
		if err := s.db.DeleteAttempt(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// busy marks the answer to a request that found every password check
// slot taken (secret.ErrBusy): the caller shows the form again with a
// 503, which tells the browser when to come back.
func busy(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "2")
}

// signinView is the sign-in form, as filled and with what was wrong.
type signinView struct {
	Email, Next                      string
	Error, EmailError, PasswordError string
	Notice                           string
}

// signinForm shows the sign-in form; someone signed in goes on, and a
// session waiting for its second factor goes to that step.
func (s *Site) signinForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if !certibloc.PrincipalFrom(r.Context()).Anonymous() {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	if _, _, err := s.pendingSession(r); err == nil {
		http.Redirect(w, r, signinURL(r, "/signin/totp", next), http.StatusSeeOther)
		return nil
	}
	v := &signinView{Next: next}
	if notice := r.URL.Query().Get("done"); notice == "reset" || notice == "signout" || notice == "everywhere" {
		v.Notice = "auth_done_" + notice
	}
	return s.renderSignin(w, r, http.StatusOK, v)
}

// signin checks an address and a password. Every failure gets the same
// answer in the same time (an unknown address still costs a hash), and
// counts against the address and the network address.
func (s *Site) signin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := &signinView{Email: sqldb.NormalizeEmail(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	if v.Email == "" || len(v.Email) > 254 {
		v.EmailError = "auth_email_missing"
	}
	if password == "" {
		v.PasswordError = "auth_password_missing"
	}
	if v.EmailError != "" || v.PasswordError != "" {
		return s.renderSignin(w, r, http.StatusBadRequest, v)
	}
	ip := s.clientIP(r)
	att, stop, err := s.take(ctx, passwordLimits(v.Email, ip)...)
	if err != nil {
		return err
	} else if stop != nil {
		v.Error = "auth_throttled"
		return s.renderSignin(w, r, http.StatusTooManyRequests, v)
	}
	acct, err := s.db.AccountByEmail(ctx, v.Email)
	if err != nil && certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return errors.Join(err, s.giveBack(ctx, att))
	}
	ok := false
	if err == nil && acct.DisabledAt == nil && acct.PasswordHash != "" && len(password) <= secret.MaxPasswordLen {
		ok, err = secret.Verify(ctx, acct.PasswordHash, password)
	} else {
		err = secret.VerifyNothing(ctx, password)
	}
	if errors.Is(err, secret.ErrBusy) || ctx.Err() != nil {
		if err := s.giveBack(context.WithoutCancel(ctx), att); err != nil {
			return err
		}
		busy(w)
		v.Error = "auth_busy"
		return s.renderSignin(w, r, http.StatusServiceUnavailable, v)
	}
	if !ok {
		v.Error = "auth_wrong"
		return s.renderSignin(w, r, http.StatusUnauthorized, v)
	}
	// Right: the address's failures are forgotten, and the network address
	// is not charged for a sign-in that worked.
	if err := s.db.ClearSignInFailures(ctx, "email:"+v.Email); err != nil {
		return err
	}
	if err := s.giveBack(ctx, att[1:]); err != nil {
		return err
	}
	token, err := s.db.CreateSession(certibloc.WithPrincipal(ctx, acct.Principal()), acct.ID, !acct.NeedsTOTP())
	if err != nil {
		return err
	}
	s.startSession(w, r, token)
	if l := chosenLang(r); l != "" && l != acct.Lang {
		// The language chosen before signing in is the account's from now on.
		if err := s.db.SetAccountLang(ctx, acct.ID, l); err != nil {
			return err
		}
	}
	if acct.NeedsTOTP() {
		http.Redirect(w, r, signinURL(r, "/signin/totp", v.Next), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

// signout ends the browser's session, whether complete or waiting for its
// second factor, and forgets the cookie.
func (s *Site) signout(w http.ResponseWriter, r *http.Request) error {
	if token := s.cookieValue(r, sessionCookie); token != "" {
		if err := s.db.DeleteSession(r.Context(), token); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie)
	s.clearCookie(w, r, membersCookie) // the commission remembered (commission_members.go)
	http.Redirect(w, r, "/signin?done=signout&lang="+lang(r), http.StatusSeeOther)
	return nil
}

func (s *Site) renderSignin(w http.ResponseWriter, r *http.Request, status int, v *signinView) error {
	pg := s.page(r, "")
	pg.CSRF = s.anonToken(w, r)
	pg.Title, pg.Description = pg.T("auth_signin_title"), pg.T("auth_signin_description")
	return s.renderAuth(w, status, "signin", pg, v)
}

// renderAuth writes a page of this area: never cached, since it shows
// who is signed in and sometimes a secret. Pages without the signed-in
// menu get the site navigation.
func (s *Site) renderAuth(w http.ResponseWriter, status int, name string, pg *page, body any) error {
	if len(pg.Menu) == 0 {
		pg.NavLabel = pg.T("site")
		pg.Nav = []navItem{{Href: "/", Label: pg.T("auth_nav_home")}, {Href: "/signin", Label: pg.T("signin")},
			{Href: "/password/forgot", Label: pg.T("auth_forgot_title")}}
	}
	pg.Body = body
	var buf bytes.Buffer
	if err := s.pages.render(&buf, name, pg); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// signinURL is the address of a step of signing in (path, a constant of
// this site) with its return address, made safe, and the language of the
// page the request came from, so that each step speaks the language
// chosen on the one before. lang only ever gives "fr" or "en".
func signinURL(r *http.Request, path, next string) string {
	return path + "?next=" + url.QueryEscape(safeNext(next)) + "&lang=" + lang(r)
}

// safeNext keeps a return address only when it is a path of this site,
// so that sign-in cannot be used to send someone elsewhere.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || u.Scheme != "" || u.Host != "" {
		return "/app"
	}
	return next
}
