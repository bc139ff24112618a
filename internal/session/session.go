// Package session is how a browser is signed in, written once for the web
// pages and the JSON API: the cookies (their names, flags and the session
// they name), the form token that proves a form came from the site's own
// pages, and the refusal of cross-origin requests. It knows the store and
// net/http only; internal/web and internal/api both use it and neither
// imports the other.
package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Cookie names, without the __Host- prefix they take over https (Name).
// The session's holds 256 random bits, known to the store only by its
// SHA-256. The CSRF cookie is the double-submit cookie of visitors who are
// not signed in: the forms of sign-in, sign-up and forgotten password
// carry a token made from it.
const (
	SessionCookie = "certibloc_session"
	CSRFCookie    = "certibloc_csrf"
)

// Config is what the cookies depend on in the server's configuration.
type Config struct {
	// BaseURL is the address people reach the site at: an https one makes
	// every cookie Secure and __Host- prefixed.
	BaseURL string
	// BehindProxy trusts X-Forwarded-Proto from the reverse proxy in front.
	BehindProxy bool
}

// Manager reads and writes the cookies of the site and loads sessions.
type Manager struct {
	db  *sqldb.DB
	cfg Config
}

// New returns the manager of db's sessions.
func New(db *sqldb.DB, cfg Config) *Manager { return &Manager{db: db, cfg: cfg} }

// OverTLS reports whether the browser reached the site over TLS: directly,
// through a reverse proxy that says so (when the site is configured to
// trust one), or because the configured address of the site is https.
func (m *Manager) OverTLS(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(m.cfg.BaseURL, "https://") ||
		m.cfg.BehindProxy && r.Header.Get("X-Forwarded-Proto") == "https"
}

// Name is the name of a cookie of the site for r: over https it carries
// the __Host- prefix, which browsers accept only from the site itself,
// Secure, for the whole site and without a Domain, so that a sibling
// subdomain cannot plant one (a session of its choosing, or a CSRF cookie
// whose token it knows).
func (m *Manager) Name(r *http.Request, base string) string {
	if m.OverTLS(r) {
		return "__Host-" + base
	}
	return base
}

// Cookie is a cookie of the site: whole site, HttpOnly, SameSite=Lax, and
// Secure with the __Host- name over TLS. maxAge 0 lasts the browser
// session, -1 deletes.
func (m *Manager) Cookie(r *http.Request, base, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: m.Name(r, base), Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: m.OverTLS(r)}
}

// Value is the value of the site's cookie base in r, "" when absent.
func (m *Manager) Value(r *http.Request, base string) string {
	if c, err := r.Cookie(m.Name(r, base)); err == nil {
		return c.Value
	}
	return ""
}

// Clear tells the browser to forget a cookie.
func (m *Manager) Clear(w http.ResponseWriter, r *http.Request, base string) {
	http.SetCookie(w, m.Cookie(r, base, "", -1))
}

// errNone is the answer when r has no session cookie.
var errNone = certibloc.Errorf(certibloc.EUNAUTHORIZED, "sign in first")

// Load returns the live session of r's cookie, complete or waiting for its
// second factor, with the cookie's secret; EUNAUTHORIZED when there is
// none.
func (m *Manager) Load(r *http.Request) (certibloc.Session, string, error) {
	token := m.Value(r, SessionCookie)
	if token == "" {
		return certibloc.Session{}, "", errNone
	}
	sess, err := m.db.Session(r.Context(), token)
	return sess, token, err
}

// Principal returns who is signed in by r's session cookie, or an
// anonymous principal. A session still waiting for its second factor is
// anonymous: only the TOTP step reads it. When w is not nil, a cookie that
// no longer names a live session is removed.
func (m *Manager) Principal(w http.ResponseWriter, r *http.Request) (*certibloc.Principal, error) {
	sess, _, err := m.Load(r)
	if certibloc.ErrorCode(err) == certibloc.EUNAUTHORIZED {
		if w != nil && m.Value(r, SessionCookie) != "" {
			m.Clear(w, r, SessionCookie)
		}
		return &certibloc.Principal{}, nil
	}
	if err != nil {
		return nil, err
	}
	if !sess.MFADone {
		return &certibloc.Principal{}, nil
	}
	return sess.Account.Principal(), nil
}

// crossOrigin refuses the state-changing requests that a browser sends
// from another origin (by Sec-Fetch-Site, or Origin against Host): cookies
// go with them too, and SameSite=Lax does not cover sibling subdomains.
var crossOrigin = http.NewCrossOriginProtection()

// ErrCrossOrigin is the refusal of CheckOrigin.
var ErrCrossOrigin = errors.New("session: cross-origin request")

// CheckOrigin refuses an unsafe request (not GET, HEAD or OPTIONS) that a
// browser says came from another origin.
func CheckOrigin(r *http.Request) error {
	if crossOrigin.Check(r) != nil {
		return ErrCrossOrigin
	}
	return nil
}

// TokenFor is the form token of a cookie secret: an HMAC-SHA256 keyed by
// the secret, which only the browser holding the cookie (HttpOnly, so not
// even its scripts) can know, and from which the secret cannot be found.
func TokenFor(cookieSecret string) string {
	mac := hmac.New(sha256.New, []byte(cookieSecret))
	mac.Write([]byte("certibloc form token"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// ErrBadToken is the refusal of CheckForm for a missing or wrong token.
var ErrBadToken = errors.New("session: bad form token")

// CheckForm refuses a state-changing request from another origin, or whose
// form token is not the one of its cookies. Signed in, only the session's
// token counts: a CSRF cookie planted by someone else (whose token they
// know) must not open the forms of a session. Not signed in, the CSRF
// cookie's counts, and the session's for a session waiting for its second
// factor.
func (m *Manager) CheckForm(r *http.Request, signedIn bool, token string) error {
	if err := CheckOrigin(r); err != nil {
		return err
	}
	names := []string{SessionCookie}
	if !signedIn {
		names = append(names, CSRFCookie)
	}
	for _, name := range names {
		if v := m.Value(r, name); v != "" && token != "" && hmac.Equal([]byte(token), []byte(TokenFor(v))) {
			return nil
		}
	}
	return ErrBadToken
}
