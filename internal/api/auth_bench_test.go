package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// BenchmarkAuthenticatedRead measures what authentication adds to a read:
// each iteration serves GET /api/v1/certifications twice on SQLite, once
// through the handler alone (the principal already in the context) and
// once through the route with a bearer token (reading the header, finding
// the token by the SHA-256 of its secret — in the store's token cache,
// read again every sqldb.TokenCacheTTL — checking the permission). It
// reports both and their difference, which must stay under 200 µs.
//
//	go test -run='^$' -bench=AuthenticatedRead -benchtime=20000x ./internal/api
func BenchmarkAuthenticatedRead(b *testing.B) {
	db := sqldbtest.SQLite(b)
	cert, err := seed.Certification()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.SaveCertification(b.Context(), cert); err != nil {
		b.Fatal(err)
	}
	secret, tok, err := db.CreateToken(b.Context(), "bench", "admin", "")
	if err != nil {
		b.Fatal(err)
	}
	a := New(db, slog.New(slog.DiscardHandler))
	var rt Route
	for _, r := range a.Routes() {
		if r.Pattern == "GET /api/v1/certifications" {
			rt = r
		}
	}
	authenticated := a.serve(rt)
	ctx := certibloc.WithPrincipal(b.Context(), tok.Principal())
	serve := func(h func(http.ResponseWriter, *http.Request), withToken bool) time.Duration {
		req := httptest.NewRequest("GET", "/api/v1/certifications", nil)
		if withToken {
			req.Header.Set("Authorization", "Bearer "+secret)
		} else {
			req = req.WithContext(ctx)
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		h(rec, req)
		d := time.Since(start)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		return d
	}
	handler := func(w http.ResponseWriter, r *http.Request) {
		if err := rt.handler(w, r); err != nil {
			a.writeError(w, r, err)
		}
	}
	serve(authenticated.ServeHTTP, true) // the first use writes last_used_at
	var plain, authed time.Duration
	b.ResetTimer()
	for b.Loop() {
		plain += serve(handler, false)
		authed += serve(authenticated.ServeHTTP, true)
	}
	n := float64(b.N)
	b.ReportMetric(float64(plain.Microseconds())/n, "handler-µs/op")
	b.ReportMetric(float64(authed.Microseconds())/n, "authenticated-µs/op")
	overhead := float64((authed - plain).Microseconds()) / n
	b.ReportMetric(overhead, "auth-µs/op")
	if overhead > 200 {
		b.Errorf("authentication costs %.0f µs a request, over the budget of 200 µs", overhead)
	}
}
