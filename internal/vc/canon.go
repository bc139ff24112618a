package vc

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// RDF Dataset Canonicalization (RDFC-1.0, the algorithm json-gold names
// URDNA2015, whose output is the same) of a JSON-LD document, expanded in
// safe mode: only cached contexts, and a term that expands to nothing is
// an error rather than dropped from what is signed.

func options() *ld.JsonLdOptions {
	o := ld.NewJsonLdOptions("")
	o.DocumentLoader = loader{}
	o.SafeMode = true
	o.ProcessingMode = ld.JsonLd_1_1
	return o
}

// Canonize returns the canonical N-Quads of a JSON-LD document (as
// encoding/json decodes it: maps, slices, strings, float64, bool, nil),
// expanded first in safe mode (Expand): json-gold's Normalize alone would
// expand without it.
func Canonize(doc any) (string, error) {
	expanded, err := Expand(doc)
	if err != nil {
		return "", err
	}
	return CanonizeExpanded(expanded)
}

// ProofIRI is the expanded property of a document's proofs.
const ProofIRI = "https://w3id.org/security#proof"

// CanonizeExpanded returns the canonical N-Quads of an expanded document.
func CanonizeExpanded(expanded []any) (string, error) {
	o := options()
	o.Algorithm = ld.AlgorithmURDNA2015
	o.Format = "application/n-quads"
	// The expanded document goes to RDF as it is: json-gold's Normalize
	// would expand it once more.
	dataset, err := toRDF(expanded, o)
	if err != nil {
		return "", jsonldError(err)
	}
	out, err := ld.NewJsonLdApi().Normalize(dataset, o)
	if err != nil {
		return "", jsonldError(err)
	}
	s, ok := out.(string)
	if !ok {
		return "", errors.New("canonicalization gave no N-Quads")
	}
	return s, nil
}

// Expand expands a JSON-LD document in safe mode, and refuses what safe
// mode refuses besides: a type that is not an absolute IRI once expanded.
func Expand(doc any) ([]any, error) {
	var out []any
	var err error
	if m, ok := doc.(map[string]any); ok {
		out, err = expandWithCachedContext(m)
	} else {
		out, err = ld.NewJsonLdProcessor().Expand(doc, options())
	}
	if err != nil {
		return nil, jsonldError(err)
	}
	if err := checkTypes(out, 0); err != nil {
		return nil, err
	}
	return out, nil
}

func checkTypes(v any, depth int) error {
	if depth > 64 {
		return errors.New("the document is nested too deeply")
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if err := checkTypes(e, depth+1); err != nil {
				return err
			}
		}
	case map[string]any:
		if _, isValue := v["@value"]; isValue {
			return nil // a value object: its @type is a datatype, @json included
		}
		for k, e := range v {
			if k == "@type" {
				types, _ := e.([]any)
				if s, ok := e.(string); ok {
					types = []any{s}
				}
				for _, t := range types {
					if s, _ := t.(string); !strings.Contains(s, ":") {
						return fmt.Errorf("the type %q does not expand to an absolute IRI", s)
					}
				}
				continue
			}
			if k == "@value" {
				continue
			}
			if err := checkTypes(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonldError gives the cause of a json-gold error, naming a context that
// is not cached plainly.
func jsonldError(err error) error {
	var nc *ErrNotCached
	if errors.As(err, &nc) {
		return nc
	}
	var je *ld.JsonLdError
	if errors.As(err, &je) {
		if inner, ok := je.Details.(error); ok {
			var nc *ErrNotCached
			if errors.As(inner, &nc) {
				return nc
			}
		}
		if d, ok := je.Details.(*ld.JsonLdError); ok {
			if inner, ok := d.Details.(error); ok {
				var nc *ErrNotCached
				if errors.As(inner, &nc) {
					return nc
				}
			}
		}
		return fmt.Errorf("JSON-LD: %s: %v", je.Code, je.Details)
	}
	return fmt.Errorf("JSON-LD: %w", err)
}

// Parsing the contexts is most of the work of expanding a credential: the
// active context of a top-level @context made of cached URLs is parsed
// once and kept. Expansion only reads it (scoped contexts make copies),
// so it is shared between goroutines.
var (
	activeMu       sync.RWMutex
	activeContexts = map[string]*ld.Context{}
)

const maxActiveContexts = 64

func expandWithCachedContext(doc map[string]any) ([]any, error) {
	key, ok := contextKey(doc["@context"])
	if !ok {
		return ld.NewJsonLdProcessor().Expand(doc, options())
	}
	opts := options()
	activeMu.RLock()
	active := activeContexts[key]
	activeMu.RUnlock()
	if active == nil {
		var err error
		if active, err = ld.NewContext(nil, opts).Parse(doc["@context"]); err != nil {
			return nil, err
		}
		activeMu.Lock()
		if len(activeContexts) < maxActiveContexts {
			activeContexts[key] = active
		}
		activeMu.Unlock()
	}
	body := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			body[k] = v
		}
	}
	expanded, err := ld.NewJsonLdApi().Expand(active, "", body, opts, false, nil)
	if err != nil {
		return nil, err
	}
	// The final steps of the expansion algorithm, as json-gold's Expand.
	m, isMap := expanded.(map[string]any)
	switch {
	case isMap && len(m) == 0, expanded == nil:
		return []any{}, nil
	case isMap && len(m) == 1 && m["@graph"] != nil:
		expanded = m["@graph"]
	}
	if l, ok := expanded.([]any); ok {
		return l, nil
	}
	return []any{expanded}, nil
}

// contextKey is the key of a @context made of cached URLs only.
func contextKey(c any) (string, bool) {
	var urls []any
	switch c := c.(type) {
	case string:
		urls = []any{c}
	case []any:
		urls = c
	default:
		return "", false
	}
	var b strings.Builder
	for _, u := range urls {
		s, ok := u.(string)
		if _, cached := cachedContexts[s]; !ok || !cached {
			return "", false
		}
		b.WriteString(s)
		b.WriteByte(' ')
	}
	return b.String(), len(urls) > 0
}
