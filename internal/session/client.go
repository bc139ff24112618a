package session

import (
	"net"
	"net/http"
	"strings"
)

// ClientIP is the address a request came from, for throttling: the peer,
// or behind a trusted proxy the address the proxy added last to
// X-Forwarded-For (earlier ones are the client's to invent).
func (m *Manager) ClientIP(r *http.Request) string {
	if m.cfg.BehindProxy {
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
