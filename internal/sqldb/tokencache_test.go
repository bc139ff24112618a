package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestTokenCacheRevokedHere: a token revoked through the process that
// serves it is refused at the very next request, cached or not.
func TestTokenCacheRevokedHere(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		secret, tok, err := db.CreateToken(ctx, "ci", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		for range 3 { // read, then served from the cache
			if _, err := db.Authenticate(ctx, secret); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, secret); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("a token revoked in this process still authenticates: %v", err)
		}
	})
}

// TestTokenCacheRevokedElsewhere: a token revoked by another process (the
// CLI) is served from the cache until TokenCacheTTL has passed since it
// was read, then refused.
func TestTokenCacheRevokedElsewhere(t *testing.T) {
	sqldbtest.EachFresh(t, func(t *testing.T, open func() *sqldb.DB) {
		ctx := t.Context()
		server, cli := open(), open()
		if _, err := server.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		server.SetClockForAuthTest(clock)
		secret, tok, err := server.CreateToken(ctx, "ci", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := server.Authenticate(ctx, secret); err != nil {
			t.Fatal(err)
		}
		if err := cli.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		advance(sqldb.TokenCacheTTL - time.Millisecond)
		if _, err := server.Authenticate(ctx, secret); err != nil {
			t.Errorf("within the TTL the cached token should still be served: %v", err)
		}
		advance(time.Millisecond)
		if _, err := server.Authenticate(ctx, secret); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("a token revoked elsewhere still authenticates %v after it was read: %v", sqldb.TokenCacheTTL, err)
		}
	})
}

// TestTokenCacheRevokeRace: requests that authenticate while the token is
// being revoked never put it back in the cache once the revocation is
// done.
func TestTokenCacheRevokeRace(t *testing.T) {
	db := sqldbtest.SQLite(t)
	ctx := t.Context()
	secret, tok, err := db.CreateToken(ctx, "ci", "admin", "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					db.Authenticate(ctx, secret)
				}
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	if err := db.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, secret); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
		t.Errorf("revoked during concurrent requests, the token still authenticates: %v", err)
	}
	close(stop)
	wg.Wait()
}
