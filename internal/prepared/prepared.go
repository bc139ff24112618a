// Package prepared serves answers that change only with a version of what
// they show (the referential, a programme sheet): their bytes are made
// once per version, gzipped too, and named by an ETag; a request then costs
// a cheap check of the current version and a write of bytes, or a
// 304 Not Modified when the client has them already.
package prepared

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

// Body is an answer ready to send.
type Body struct {
	etag        string // weak: the plain and gzipped bytes are the same answer
	contentType string
	plain       []byte
	gzipped     []byte
}

// New prepares an answer of the given content type.
func New(contentType string, plain []byte) (*Body, error) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression) // once per version: take the smallest
	zw.Write(plain)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(plain)
	return &Body{
		etag:        `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`,
		contentType: contentType,
		plain:       plain,
		gzipped:     gz.Bytes(),
	}, nil
}

// JSON prepares v encoded as the API encodes its answers.
func JSON(v any) (*Body, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return New("application/json; charset=utf-8", b.Bytes())
}

// ETag returns the entity tag of b.
func (b *Body) ETag() string { return b.etag }

// MaxEntries bounds the answers a Cache keeps: certifications and
// programmes are few, but an import of the whole France Compétences export
// is not.
const MaxEntries = 512

// Cache keeps prepared answers by a key that names their content
// ("certification RNCP38478 v3"): an entry is never stale, only unused.
type Cache struct {
	mu sync.RWMutex
	m  map[string]*Body
}

// Get returns the answer of key, prepared by prepare the first time.
func (c *Cache) Get(key string, prepare func() (*Body, error)) (*Body, error) {
	c.mu.RLock()
	b := c.m[key]
	c.mu.RUnlock()
	if b != nil {
		return b, nil
	}
	b, err := prepare()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*Body{}
	}
	if len(c.m) >= MaxEntries {
		for k := range c.m { // any one: a later request prepares it again
			delete(c.m, k)
			break
		}
	}
	c.m[key] = b
	return b, nil
}

// Cache-Control of prepared answers.
const (
	// Revalidate: the current version may change at the next import, so
	// clients ask again each time (a 304 when it has not).
	Revalidate = "public, no-cache"
	// Immutable: a version asked by number never changes.
	Immutable = "public, max-age=31536000, immutable"
)

// Serve writes b, gzipped when the client takes it (the server's
// compression then lets it through as it is), or 304 Not Modified when
// If-None-Match names it.
func Serve(w http.ResponseWriter, r *http.Request, b *Body, cacheControl string) error {
	h := w.Header()
	h.Set("ETag", b.etag)
	h.Set("Cache-Control", cacheControl)
	if !strings.Contains(h.Get("Vary"), "Accept-Encoding") {
		h.Add("Vary", "Accept-Encoding")
	}
	if ETagMatch(r.Header.Get("If-None-Match"), b.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	body := b.plain
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = b.gzipped
	}
	h.Set("Content-Type", b.contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(body)
	return err
}

// ETagMatch compares an If-None-Match header with etag the weak way
// (RFC 9110 §13.1.2): "*" or any of the listed tags, W/ or not.
func ETagMatch(header, etag string) bool {
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
