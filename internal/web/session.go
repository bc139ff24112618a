package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Cookies. Both hold 256 random bits; the session's is known to the store
// only by its SHA-256. Neither is readable by scripts (HttpOnly), and
// SameSite=Lax keeps them off cross-site form posts.
const (
	sessionCookie = "certibloc_session"
	// csrfCookie is the double-submit cookie of visitors who are not signed
	// in: the forms of sign-in and forgotten password carry a token made
	// from it, so that another site cannot post them.
	csrfCookie = "certibloc_csrf"
	// maxAnonymousForm bounds what a visitor who is not signed in may post:
	// the body is read to find the token before anything else is checked.
	maxAnonymousForm = 16 << 10
)

// principal returns who is signed in by the session cookie of r, or an
// anonymous principal. A cookie that no longer names a live session is
// removed. A session still waiting for its second factor is anonymous
// here: only the TOTP step (totp.go) reads it, so every other page sends
// it back through sign-in, which sends it on to that step.
func (s *Site) principal(w http.ResponseWriter, r *http.Request) (*certibloc.Principal, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return &certibloc.Principal{}, nil
	}
	sess, err := s.db.Session(r.Context(), c.Value)
	if certibloc.ErrorCode(err) == certibloc.EUNAUTHORIZED {
		s.clearCookie(w, r, sessionCookie)
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

// csrfFor is the form token of a cookie secret: an HMAC-SHA256 keyed by
// the secret, which only the browser holding the cookie (HttpOnly, so not
// even its scripts) can know, and from which the secret cannot be found.
func csrfFor(cookieSecret string) string {
	mac := hmac.New(sha256.New, []byte(cookieSecret))
	mac.Write([]byte("certibloc form token"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// checkCSRF refuses a state-changing request whose "csrf" field is not the
// token of the session cookie or of the visitor's double-submit cookie.
func (s *Site) checkCSRF(r *http.Request) error {
	if certibloc.PrincipalFrom(r.Context()).Anonymous() {
		r.Body = http.MaxBytesReader(nil, r.Body, maxAnonymousForm)
	}
	if got := r.PostFormValue("csrf"); got != "" {
		for _, name := range []string{sessionCookie, csrfCookie} {
			if c, err := r.Cookie(name); err == nil && c.Value != "" && hmac.Equal([]byte(got), []byte(csrfFor(c.Value))) {
				return nil
			}
		}
	}
	return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", messages[lang(r)]["auth_csrf"])
}

// csrfToken is the token the forms of r's page carry: the session's for
// someone signed in, the double-submit cookie's otherwise (pages with
// anonymous forms make sure it exists with anonToken).
func (s *Site) csrfToken(r *http.Request) string {
	name := csrfCookie
	if !certibloc.PrincipalFrom(r.Context()).Anonymous() {
		name = sessionCookie
	}
	if c, err := r.Cookie(name); err == nil && c.Value != "" {
		return csrfFor(c.Value)
	}
	return ""
}

// anonToken returns the form token of the visitor's double-submit cookie,
// setting the cookie first when the browser has none.
func (s *Site) anonToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return csrfFor(c.Value)
	}
	v := secret.NewToken()
	http.SetCookie(w, s.cookie(r, csrfCookie, v, 0))
	return csrfFor(v)
}

// startSession gives the browser the cookie of a new session.
func (s *Site) startSession(w http.ResponseWriter, r *http.Request, token string) {
	// The cookie lasts as long as a session may: the store ends it sooner
	// when it stays idle.
	http.SetCookie(w, s.cookie(r, sessionCookie, token, int(sqldb.SessionMax.Seconds())))
}

// clearCookie tells the browser to forget a cookie.
func (s *Site) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, s.cookie(r, name, "", -1))
}

// cookie is a cookie of the site: whole site, HttpOnly, SameSite=Lax, and
// Secure when the site is reached over TLS. maxAge 0 lasts the browser
// session, -1 deletes.
func (s *Site) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)}
}

// overTLS reports whether the browser reached the site over TLS: directly,
// through a reverse proxy that says so (when the site is configured to
// trust one), or because the configured address of the site is https.
func (s *Site) overTLS(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.auth.BaseURL, "https://") ||
		s.auth.BehindProxy && r.Header.Get("X-Forwarded-Proto") == "https"
}

// clientIP is the address a request came from, for throttling: the peer,
// or behind a trusted proxy the address the proxy added last to
// X-Forwarded-For (earlier ones are the client's to invent).
func (s *Site) clientIP(r *http.Request) string {
	if s.auth.BehindProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
