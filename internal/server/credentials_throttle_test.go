package server_test

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// Verifying a credential costs a JSON-LD expansion and a signature check:
// the public endpoint answers an address at most VerifyLimit times per
// window, in its language past it; another address is not affected.
func TestCredentialVerificationThrottle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		post := func(from string) (int, string) {
			req := httptest.NewRequest("POST", "/api/v1/credentials/verify?lang=fr", strings.NewReader(`{"type":["VerifiableCredential"]}`))
			req.RemoteAddr = from + ":4321"
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			return w.Code, w.Body.String()
		}
		n := certibloc.VerifyLimit + 10
		statuses := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { statuses[i], _ = post("203.0.113.9") })
		}
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[200] != certibloc.VerifyLimit || count[429] != 10 {
			t.Errorf("%d verifications at once from one address: %v", n, count)
		}
		if status, body := post("203.0.113.9"); status != 429 || !strings.Contains(body, "Trop de vérifications") {
			t.Errorf("past the limit: %d %s", status, body)
		}
		if status, _ := post("203.0.113.10"); status != 200 {
			t.Errorf("another address: %d", status)
		}
	})
}
