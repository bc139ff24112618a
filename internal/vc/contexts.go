package vc

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// The JSON-LD contexts certibloc knows, cached in the binary (see
// contexts/SOURCES.md): the only ones a document may name. Nothing is ever
// fetched from the network: a document naming another context is refused.

//go:embed contexts/*.json contexts/*.jsonld
var contextFiles embed.FS

// Context URLs.
const (
	CredentialsV2   = "https://www.w3.org/ns/credentials/v2"
	OpenBadgesV3    = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	DataIntegrityV2 = "https://w3id.org/security/data-integrity/v2"
	MultikeyV1      = "https://w3id.org/security/multikey/v1"
	DIDV1           = "https://www.w3.org/ns/did/v1"
)

// cachedContexts maps each URL to its file in contexts/.
var cachedContexts = map[string]string{
	CredentialsV2: "www.w3.org_ns_credentials_v2.jsonld",
	"https://www.w3.org/ns/credentials/examples/v2": "www.w3.org_ns_credentials_examples_v2.jsonld",
	DataIntegrityV2: "w3id.org_security_data-integrity_v2.jsonld",
	"https://w3id.org/security/data-integrity/v1": "w3id.org_security_data-integrity_v1.jsonld",
	MultikeyV1:   "w3id.org_security_multikey_v1.jsonld",
	DIDV1:        "www.w3.org_ns_did_v1.jsonld",
	OpenBadgesV3: "purl.imsglobal.org_spec_ob_v3p0_context-3.0.3.json",
	"https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "purl.imsglobal.org_spec_ob_v3p0_extensions.json",
}

// ContextURLs lists the URLs of the cached contexts.
func ContextURLs() []string {
	out := make([]string, 0, len(cachedContexts))
	for u := range cachedContexts {
		out = append(out, u)
	}
	return out
}

// ContextFile returns the bytes of a cached context, as published.
func ContextFile(url string) ([]byte, bool) {
	name, ok := cachedContexts[url]
	if !ok {
		return nil, false
	}
	b, err := contextFiles.ReadFile("contexts/" + name)
	return b, err == nil
}

// ErrNotCached is the error of a document naming a context that is not
// cached: it is not fetched.
type ErrNotCached struct{ URL string }

func (e *ErrNotCached) Error() string {
	return fmt.Sprintf("the context %s is not one certibloc knows, and it is not fetched", e.URL)
}

// loader serves the cached contexts, parsed once, to json-gold.
type loader struct{}

var (
	parsedOnce sync.Once
	parsed     map[string]any
	parseErr   error
)

func parseContexts() {
	parsed = map[string]any{}
	for u := range cachedContexts {
		b, _ := ContextFile(u)
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			parseErr = fmt.Errorf("vc: context %s: %w", u, err)
			return
		}
		parsed[u] = v
	}
}

// LoadDocument serves a cached context; json-gold reads it and does not
// change it, so the same parsed value is handed out each time.
func (loader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	parsedOnce.Do(parseContexts)
	if parseErr != nil {
		return nil, parseErr
	}
	doc, ok := parsed[strings.TrimSpace(u)]
	if !ok {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, &ErrNotCached{URL: u})
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}
