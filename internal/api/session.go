package api

import (
	"net/http"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/session"
)

// Web sessions. An API token stands for a role, never for a person, so a
// candidate reaches their own applications through the API signed in on
// the web: without an Authorization header, the API reads the session
// cookie the web pages set, through the same internal/session as they do.

// UseSessions sets how the API reads web sessions: the cookies' names and
// flags depend on the site's address (server.New passes the same
// configuration as to the web pages). Without it, plain-http names.
func (a *API) UseSessions(m *session.Manager) *API {
	a.sessions = m
	return a
}

// sessionPrincipal returns who is signed in by the session cookie of r,
// anonymous when there is none, when it no longer names a live session,
// or when the session waits for its second factor. A request signed in by
// a session that a browser says came from another origin is refused: a
// cookie goes with it too, and SameSite=Lax does not cover sibling
// subdomains.
func (a *API) sessionPrincipal(r *http.Request) (*certibloc.Principal, error) {
	m := a.sessions
	if m == nil {
		m = session.New(a.db, session.Config{})
	}
	p, err := m.Principal(nil, r)
	if err != nil || p.Anonymous() {
		return p, err
	}
	if err := session.CheckOrigin(r); err != nil {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "a request signed in by a web session must come from certibloc's own pages")
	}
	return p, nil
}
