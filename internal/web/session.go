package web

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/session"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Cookies: the session and the double-submit CSRF cookie are the ones of
// internal/session, shared with the API; their names take the __Host-
// prefix over https.
const (
	sessionCookie = session.SessionCookie
	csrfCookie    = session.CSRFCookie
	// maxAnonymousForm bounds what a visitor who is not signed in may post:
	// the body is read to find the token before anything else is checked.
	maxAnonymousForm = 16 << 10
)

// sessions is the cookie and session manager of the site's configuration.
func (s *Site) sessions() *session.Manager {
	if s.sess == nil {
		s.sess = session.New(s.db, session.Config{BaseURL: s.auth.BaseURL, BehindProxy: s.auth.BehindProxy})
	}
	return s.sess
}

// principal returns who is signed in by the session cookie of r, or an
// anonymous principal (session.Manager.Principal). A session still
// waiting for its second factor is anonymous here: every other page sends
// it back through sign-in, which sends it on to the TOTP step (totp.go).
func (s *Site) principal(w http.ResponseWriter, r *http.Request) (*certibloc.Principal, error) {
	return s.sessions().Principal(w, r)
}

// anonymousUploads are the public forms that take a file from visitors,
// and how much: the verification of a credential, 10 MB and the form.
var anonymousUploads = map[string]int64{
	"POST /credentials/verify": openbadge.MaxCredentialBytes + 1<<20,
}

// csrfFor is the form token of a cookie secret.
func csrfFor(cookieSecret string) string { return session.TokenFor(cookieSecret) }

// checkCSRF refuses a state-changing request from another origin, or
// whose "csrf" field is not the token of its cookies: once signed in,
// only the session's (session.Manager.CheckForm).
func (s *Site) checkCSRF(r *http.Request, pattern string) error {
	signedIn := !certibloc.PrincipalFrom(r.Context()).Anonymous()
	if !signedIn {
		limit, ok := anonymousUploads[pattern]
		if !ok {
			limit = maxAnonymousForm
		}
		r.Body = http.MaxBytesReader(nil, r.Body, limit)
	}
	// The form is read here, to find its token: a body over the limit is
	// said to be too large, not taken for a form that expired.
	var tooBig *http.MaxBytesError
	err := r.ParseForm() // a url-encoded body; ParseMultipartForm would hide its error
	if err == nil {
		err = r.ParseMultipartForm(32 << 20)
	}
	if errors.As(err, &tooBig) {
		return tooLarge(r, tooBig.Limit)
	}
	if err := s.sessions().CheckForm(r, signedIn, r.PostFormValue("csrf")); err != nil {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", messages[lang(r)]["auth_csrf"])
	}
	return nil
}

// tooLarge is the error of a form whose body is over limit bytes: a file
// too large, in the words of the request's page.
func tooLarge(r *http.Request, limit int64) error {
	return certibloc.Errorf(certibloc.EINVALID, "%s", fmt.Sprintf(messages[lang(r)]["upload_too_large_f"], max(limit>>20, 1)))
}

// csrfToken is the token the forms of r's page carry: the session's for
// someone signed in, the double-submit cookie's otherwise (pages with
// anonymous forms make sure it exists with anonToken).
func (s *Site) csrfToken(r *http.Request) string {
	name := csrfCookie
	if !certibloc.PrincipalFrom(r.Context()).Anonymous() {
		name = sessionCookie
	}
	if v := s.sessions().Value(r, name); v != "" {
		return csrfFor(v)
	}
	return ""
}

// anonToken returns the form token of the visitor's double-submit cookie,
// setting the cookie first when the browser has none. Someone signed in
// gets the session's: only that one opens their forms.
func (s *Site) anonToken(w http.ResponseWriter, r *http.Request) string {
	if !certibloc.PrincipalFrom(r.Context()).Anonymous() {
		return s.csrfToken(r)
	}
	if v := s.sessions().Value(r, csrfCookie); len(v) >= 32 {
		return csrfFor(v)
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

// cookieValue is the value of the site's cookie name in r, "" if none.
func (s *Site) cookieValue(r *http.Request, name string) string { return s.sessions().Value(r, name) }

// clearCookie tells the browser to forget a cookie.
func (s *Site) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	s.sessions().Clear(w, r, name)
}

// cookie is a cookie of the site (session.Manager.Cookie): whole site,
// HttpOnly, SameSite=Lax, Secure and __Host- over TLS.
func (s *Site) cookie(r *http.Request, name, value string, maxAge int) *http.Cookie {
	return s.sessions().Cookie(r, name, value, maxAge)
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
