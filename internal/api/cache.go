package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// The referential and programme answers are prepared once per version:
// their JSON, gzipped too, and an ETag made of their bytes. A request then
// costs one indexed read (is this still the current version?) and a
// write of bytes, or a 304 when the client has them already.

// preparedBody is an answer ready to send.
type preparedBody struct {
	etag    string // weak: the plain and gzipped bytes are the same answer
	plain   []byte
	gzipped []byte
}

// maxPrepared bounds the answers kept: certifications and programmes are
// few, but an import of the whole France Compétences export is not.
const maxPrepared = 512

// bodyCache keeps prepared answers by a key that names their content
// ("certification RNCP38478 v3"): an entry is never stale, only unused.
type bodyCache struct {
	mu sync.RWMutex
	m  map[string]*preparedBody
}

func (c *bodyCache) get(key string) *preparedBody {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[key]
}

func (c *bodyCache) put(key string, b *preparedBody) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*preparedBody{}
	}
	if len(c.m) >= maxPrepared {
		for k := range c.m { // any one: a later request prepares it again
			delete(c.m, k)
			break
		}
	}
	c.m[key] = b
}

// cached returns the answer of key, prepared by load the first time.
func (c *bodyCache) cached(key string, load func() (any, error)) (*preparedBody, error) {
	if b := c.get(key); b != nil {
		return b, nil
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	b, err := prepare(v)
	if err != nil {
		return nil, err
	}
	c.put(key, b)
	return b, nil
}

// prepare encodes v as writeJSON does, gzips it and names it.
func prepare(v any) (*preparedBody, error) {
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // once per version: take the smallest
	zw.Write(plain.Bytes())
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(plain.Bytes())
	return &preparedBody{
		etag:    `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`,
		plain:   plain.Bytes(),
		gzipped: gz.Bytes(),
	}, nil
}

// Cache-Control of prepared answers: the current version may change at
// the next import, so clients ask again each time (a 304 when it has
// not); a version asked by number never changes.
const (
	revalidate = "public, no-cache"
	immutable  = "public, max-age=31536000, immutable"
)

// servePrepared writes b, gzipped when the client takes it (the server's
// compression then lets it through as it is), or 304 Not Modified when
// If-None-Match names it.
func servePrepared(w http.ResponseWriter, r *http.Request, b *preparedBody, cacheControl string) error {
	h := w.Header()
	h.Set("ETag", b.etag)
	h.Set("Cache-Control", cacheControl)
	if !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if etagMatch(r.Header.Get("If-None-Match"), b.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := b.plain
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = b.gzipped
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// etagMatch compares the If-None-Match header with etag the weak way
// (RFC 9110 §13.1.2): "*" or any of the listed tags, W/ or not.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}
