package vc

import (
	"strings"
	"sync"

	"github.com/piprate/json-gold/ld"
)

// toRDF is json-gold's JsonLdApi.ToRDF (the node map, then each graph to
// quads), with its validation of http(s) IRIs done once per IRI for the
// whole process rather than once per document: json-gold runs a large
// regular expression (ld.IsURL) on each, which was a third of the time of
// signing a credential, and credentials repeat the same IRIs. The quads
// are the same: an IRI that ld.IsURL refuses drops its statement, as
// json-gold does.
//
// To keep json-gold's own conversion of values, the http(s) IRIs of the
// node map are marked (a prefix json-gold does not validate) before its
// GraphToRDF, and unmarked and checked in the quads after.
func toRDF(expanded []any, opts *ld.JsonLdOptions) (*ld.RDFDataset, error) {
	api := ld.NewJsonLdApi()
	issuer := ld.NewIdentifierIssuer("_:b")
	nodeMap := map[string]any{"@default": map[string]any{}}
	if _, err := api.GenerateNodeMap(expanded, nodeMap, "@default", issuer, "", "", nil); err != nil {
		return nil, err
	}
	ds := ld.NewRDFDataset()
	for name, g := range nodeMap {
		if ld.IsRelativeIri(name) {
			continue
		}
		graph, _ := g.(map[string]any)
		marked := mark(name)
		ds.GraphToRDF(marked, markGraph(graph), issuer, opts.ProduceGeneralizedRdf)
		quads := ds.Graphs[marked]
		delete(ds.Graphs, marked)
		kept := quads[:0]
		for _, q := range quads {
			if unmarkQuad(q) {
				kept = append(kept, q)
			}
		}
		ds.Graphs[name] = kept
	}
	return ds, nil
}

// iriMark starts a marked IRI, as the letters of a longer scheme, so that
// the IRI stays absolute for json-gold. An IRI that starts so itself is
// marked too, and comes back as it was.
const iriMark = "xcertiblocmark"

func isHTTP(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func mark(s string) string {
	if isHTTP(s) || strings.HasPrefix(s, iriMark) {
		return iriMark + s
	}
	return s
}

// unmark restores a marked IRI, and says whether it is valid.
func unmark(s string) (string, bool) {
	s, marked := strings.CutPrefix(s, iriMark)
	return s, !marked || !isHTTP(s) || validURL(s)
}

// markGraph returns a copy of a graph of the node map with the IRIs of
// its subjects, properties, node references, types and datatypes marked;
// values are left alone.
func markGraph(graph map[string]any) map[string]any {
	out := make(map[string]any, len(graph))
	for id, n := range graph {
		node, ok := n.(map[string]any)
		if !ok {
			out[mark(id)] = n
			continue
		}
		m := make(map[string]any, len(node))
		for k, v := range node {
			switch {
			case k == "@id":
				s, _ := v.(string)
				m[k] = mark(s)
			case k == "@type":
				m[k] = markStrings(v)
			case strings.HasPrefix(k, "@"):
				m[k] = v
			default:
				m[mark(k)] = markObjects(v)
			}
		}
		out[mark(id)] = m
	}
	return out
}

func markStrings(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, len(l))
	for i, e := range l {
		if s, ok := e.(string); ok {
			e = mark(s)
		}
		out[i] = e
	}
	return out
}

// markObjects marks the node references, the datatypes and the lists'
// items of a property's values.
func markObjects(v any) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	out := make([]any, len(l))
	for i, e := range l {
		out[i] = markObject(e)
	}
	return out
}

func markObject(e any) any {
	o, ok := e.(map[string]any)
	if !ok {
		return e
	}
	c := make(map[string]any, len(o))
	for k, v := range o {
		c[k] = v
	}
	switch {
	case o["@value"] != nil || o["@value"] == nil && hasKey(o, "@value"):
		if s, ok := o["@type"].(string); ok {
			c["@type"] = mark(s)
		}
	case hasKey(o, "@list"):
		c["@list"] = markObjects(o["@list"])
	case hasKey(o, "@id"):
		if s, ok := o["@id"].(string); ok {
			c["@id"] = mark(s)
		}
	}
	return c
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// unmarkQuad restores the IRIs of a quad, and says whether they are all
// valid (ld.IsURL for http(s) IRIs, as json-gold).
func unmarkQuad(q *ld.Quad) bool {
	ok := true
	fix := func(n ld.Node) ld.Node {
		switch v := n.(type) {
		case ld.IRI:
			s, valid := unmark(v.Value)
			ok = ok && valid
			return ld.NewIRI(s)
		case ld.Literal:
			s, valid := unmark(v.Datatype)
			ok = ok && valid
			v.Datatype = s
			return v
		}
		return n
	}
	q.Subject, q.Predicate, q.Object = fix(q.Subject), fix(q.Predicate), fix(q.Object)
	if q.Graph != nil {
		q.Graph = fix(q.Graph)
	}
	return ok
}

// validURL is ld.IsURL, remembered: a few thousand IRIs at most.
var (
	urlMu    sync.RWMutex
	urlValid = map[string]bool{}
)

const maxURLs = 4096

func validURL(s string) bool {
	urlMu.RLock()
	ok, seen := urlValid[s]
	urlMu.RUnlock()
	if seen {
		return ok
	}
	ok = ld.IsURL(s)
	urlMu.Lock()
	if len(urlValid) >= maxURLs {
		clear(urlValid)
	}
	urlValid[s] = ok
	urlMu.Unlock()
	return ok
}
