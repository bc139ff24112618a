package web

import (
	"net/http"
	"net/url"
	"strings"
)

// The commission's members are typed once per sitting: the last list a
// staff member gave is remembered for their visit (a cookie that lasts
// the browser session, cleared at sign-out) and fills the members of the
// next commission form.

// membersCookie is the name of the cookie that remembers them.
const membersCookie = "commission"

// rememberMembers keeps members for the rest of the visit.
func (s *Site) rememberMembers(w http.ResponseWriter, r *http.Request, members []string) {
	value := url.QueryEscape(strings.Join(members, "\n"))
	if len(value) > 2000 {
		return // a list that long is not worth a cookie
	}
	http.SetCookie(w, s.cookie(r, membersCookie, value, 0))
}

// rememberedMembers are the members remembered, one a line, or "".
func (s *Site) rememberedMembers(r *http.Request) string {
	v, err := url.QueryUnescape(s.cookieValue(r, membersCookie))
	if err != nil {
		return ""
	}
	return v
}
