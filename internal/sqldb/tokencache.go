package sqldb

import (
	"sync"
	"time"

	"github.com/certibloc/certibloc"
)

// TokenCacheTTL is how long a live token, once read, is trusted without
// reading it again. Revoking through this process (API, web page) evicts
// it at once; a revocation by another process (the CLI's `token revoke`
// while a server runs) takes effect within this time.
const TokenCacheTTL = 2 * time.Second

// tokenCache keeps the live tokens recently read, by the hash of their
// secret, so that an authenticated request does not read its token each
// time. Unknown and revoked secrets are never cached: they are read again
// on every try.
type tokenCache struct {
	mu      sync.Mutex
	gen     uint64 // moves at every eviction, see put
	entries map[string]cachedToken
}

type cachedToken struct {
	tok     certibloc.Token
	checked time.Time // when it was read from the database
}

// get returns the token of hash if it was read less than TokenCacheTTL
// before now.
func (c *tokenCache) get(hash string, now time.Time) (certibloc.Token, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok {
		return certibloc.Token{}, false
	}
	if age := now.Sub(e.checked); age >= TokenCacheTTL || age < 0 {
		delete(c.entries, hash)
		return certibloc.Token{}, false
	}
	return e.tok, true
}

// generation is read before the database: put refuses a token read before
// an eviction, which would otherwise bring a just revoked token back.
func (c *tokenCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches t, read at now, unless something was evicted since gen.
func (c *tokenCache) put(hash string, t certibloc.Token, now time.Time, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil {
		c.entries = map[string]cachedToken{}
	}
	c.entries[hash] = cachedToken{tok: t, checked: now}
}

// claimTouch says whether the caller should write that the token of hash is
// used now: true at most once per lastUsedEvery, so that concurrent
// requests do not all queue on the writer to record it.
func (c *tokenCache) claimTouch(hash string, t *certibloc.Token, now time.Time) bool {
	if t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < lastUsedEvery {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok {
		if e.tok.LastUsedAt != nil && now.Sub(*e.tok.LastUsedAt) < lastUsedEvery {
			return false // another request claimed it
		}
		e.tok.LastUsedAt = &now
		c.entries[hash] = e
	}
	return true
}

// evict forgets the token with id: it was revoked.
func (c *tokenCache) evict(id int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.entries {
		if e.tok.ID == id {
			delete(c.entries, h)
		}
	}
}
