package api

import (
	"net/http"

	"github.com/certibloc/certibloc"
)

// Web sessions. An API token stands for a role, never for a person, so a
// candidate reaches their own applications through the API signed in on
// the web: without an Authorization header, the API reads the session
// cookie the web pages set, as they do.

// sessionCookie is the cookie of a web session (internal/web/session.go).
const sessionCookie = "certibloc_session"

// crossOrigin refuses the state-changing requests that a browser sends
// from another site (by Sec-Fetch-Site, or Origin against Host): a cookie
// goes with them too, and SameSite=Lax does not cover sibling subdomains.
var crossOrigin = http.NewCrossOriginProtection()

// sessionPrincipal returns who is signed in by the session cookie of r,
// anonymous when there is none, when it no longer names a live session,
// or when the session waits for its second factor.
func (a *API) sessionPrincipal(r *http.Request) (*certibloc.Principal, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return &certibloc.Principal{}, nil
	}
	sess, err := a.db.Session(r.Context(), c.Value)
	if certibloc.ErrorCode(err) == certibloc.EUNAUTHORIZED {
		return &certibloc.Principal{}, nil
	}
	if err != nil {
		return nil, err
	}
	if !sess.MFADone {
		return &certibloc.Principal{}, nil
	}
	if err := crossOrigin.Check(r); err != nil {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "a request signed in by a web session must come from certibloc's own pages")
	}
	return sess.Account.Principal(), nil
}
