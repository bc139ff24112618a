package vc

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Expansion templates. The credentials certibloc signs share a few shapes
// (a title's, a block's with its number of competencies): the same keys,
// the same types, only the holder's values, the ids and the dates differ.
// Expanding such a document costs most of signing it (json-gold parses the
// Open Badges type-scoped contexts again at every typed node), so the
// expansion of a shape is made once, with a sentinel in place of each
// value that may vary, and the values of each document are put in the
// sentinels' place in that expansion.
//
// Why the result is the expansion of the document itself: in JSON-LD
// expansion (json-gold's ExpandValue, ExpandIri), a string under a term
// whose type is neither @id nor @vocab becomes {"@value": it, …} whatever
// its content, the rest coming from the term's definition alone; and a
// string under @id (or a term typed @id or @vocab) that is an absolute
// IRI of the form scheme://…, and is not the name of a term, comes out
// unchanged as an @id. Nothing else of the expansion reads these values.
// So a template is kept only when each sentinel comes out exactly once,
// unchanged, as the @value of a value object or as an @id; the other
// strings (types, enumerations, anything that came out otherwise) are
// part of the template and must be equal in the documents it serves.
// Documents with a @context other than cached URLs, or one below the top,
// are expanded in full. TestTemplateExpansionEqualsFullExpansion compares
// both on many varied documents.

// sentinel is the stand-in of value i: an absolute IRI that comes out
// unchanged either way, and that no other sentinel contains.
func sentinel(i int) string { return sentinelPrefix + strconv.Itoa(i) + "/" }

const sentinelPrefix = "https://slot.certibloc.invalid/"

type slotKind uint8

const (
	fixed   slotKind = iota // must be equal in the document
	literal                 // any string
	iri                     // an absolute IRI scheme://… that is not a term
)

type template struct {
	kinds    []slotKind // of each string value, in walking order
	values   []string   // the fixed values
	expanded []any      // with sentinels
}

// CanonizeTemplated is Canonize, through an expansion template of the
// document's shape when it has one: the same N-Quads.
func CanonizeTemplated(doc map[string]any) (string, error) {
	expanded, ok, err := expandTemplated(doc)
	if err != nil {
		return "", jsonldError(err)
	}
	if !ok {
		return Canonize(doc)
	}
	return CanonizeExpanded(expanded)
}

// TemplateHits counts the documents expanded through a template made
// before them.
func TemplateHits() int64 { return templateHits.Load() }

var templateHits atomic.Int64

var (
	templatesMu sync.RWMutex
	templates   = map[string][]*template{} // by skeleton
	noTemplate  = map[string]bool{}        // skeletons whose expansion failed with sentinels
)

const (
	maxSkeletons         = 128
	maxTemplatesPerShape = 4
	maxTemplateStrings   = 2048
)

// expandTemplated expands doc through a template of its shape, making the
// template when there is none; ok is false when doc is not one that a
// template serves, and the caller expands it in full.
func expandTemplated(doc map[string]any) (out []any, ok bool, err error) {
	if _, cached := contextKey(doc["@context"]); !cached {
		return nil, false, nil
	}
	var sk strings.Builder
	var strs, keys []string
	if !skeleton(&sk, doc, "", &strs, &keys) || len(strs) > maxTemplateStrings {
		return nil, false, nil
	}
	key := sk.String()
	templatesMu.RLock()
	cands, failed := templates[key], noTemplate[key]
	templatesMu.RUnlock()
	if failed {
		return nil, false, nil
	}
	for _, t := range cands {
		if t.fits(strs) {
			templateHits.Add(1)
			return t.fill(strs), true, nil
		}
	}
	for _, s := range strs {
		if strings.Contains(s, sentinelPrefix) {
			return nil, false, nil // it would be taken for a sentinel
		}
	}
	t, err := makeTemplate(doc, strs, keys)
	if err != nil {
		return nil, false, err
	}
	templatesMu.Lock()
	defer templatesMu.Unlock()
	if len(templates)+len(noTemplate) >= maxSkeletons {
		clear(templates)
		clear(noTemplate)
	}
	if t == nil {
		noTemplate[key] = true
		return nil, false, nil
	}
	if l := templates[key]; len(l) >= maxTemplatesPerShape {
		templates[key] = l[1:]
	}
	templates[key] = append(templates[key], t)
	return t.fill(strs), true, nil
}

// skeleton writes the shape of v (its keys, array lengths and non-string
// values, a mark for each string) and collects its strings in walking
// order (keys sorted), each with the key it is under. It refuses a
// @context below the top.
func skeleton(b *strings.Builder, v any, key string, strs, keys *[]string) bool {
	switch v := v.(type) {
	case map[string]any:
		names := make([]string, 0, len(v))
		for k := range v {
			if k == "@context" && key != "" {
				return false
			}
			names = append(names, k)
		}
		slices.Sort(names)
		b.WriteByte('{')
		for _, k := range names {
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			if k == "@context" {
				c, _ := json.Marshal(v[k]) // cached URLs only: checked by the caller
				b.Write(c)
			} else if !skeleton(b, v[k], k, strs, keys) {
				return false
			}
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for _, e := range v {
			if !skeleton(b, e, key, strs, keys) {
				return false
			}
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case string:
		b.WriteByte('$')
		*strs = append(*strs, v)
		*keys = append(*keys, key)
	default:
		c, err := json.Marshal(v)
		if err != nil {
			return false
		}
		b.Write(c)
	}
	return true
}

// replaced returns a copy of v whose strings are those of with, in walking
// order (the @context left as it is).
func replaced(v any, with []string, i *int) any {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make(map[string]any, len(v))
		for _, k := range keys {
			if k == "@context" {
				out[k] = v[k]
				continue
			}
			out[k] = replaced(v[k], with, i)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for j, e := range v {
			out[j] = replaced(e, with, i)
		}
		return out
	case string:
		s := with[*i]
		*i++
		return s
	}
	return v
}

// makeTemplate finds which strings of doc may vary: first all of them
// but those under a keyword (or a term standing for one) other than @id
// and @value, which say what the node is (@type) or how to read it; then,
// as long as a sentinel does not come out as it must, without it. It
// returns nil when the document does not expand with sentinels.
func makeTemplate(doc map[string]any, strs, keys []string) (*template, error) {
	termsOnce.Do(collectTerms)
	kinds := make([]slotKind, len(strs))
	for i, k := range keys {
		if kw := keywordOf(k); kw != "" && kw != "@id" && kw != "@value" {
			kinds[i] = fixed
		} else {
			kinds[i] = literal // a candidate: literal or iri, told by the expansion
		}
	}
	for range 8 {
		with := make([]string, len(strs))
		for i, s := range strs {
			if kinds[i] == fixed {
				with[i] = s
			} else {
				with[i] = sentinel(i)
			}
		}
		n := 0
		expanded, err := expandWithCachedContext(replaced(doc, with, &n).(map[string]any))
		if err != nil {
			return nil, nil // a sentinel where a value must be something else
		}
		found := make([]slotKind, len(strs))
		counts := make([]int, len(strs))
		clean := true
		findSentinels(expanded, "", found, counts, &clean)
		if !clean {
			return nil, nil // a sentinel came out inside another string
		}
		changed := false
		for i := range kinds {
			if kinds[i] == fixed {
				continue
			}
			k := found[i]
			if counts[i] != 1 || k == fixed || k == iri && !iriValue(strs[i]) {
				kinds[i], changed = fixed, true
				continue
			}
			kinds[i] = k
		}
		if changed {
			continue
		}
		if err := checkTypes(expanded, 0); err != nil {
			return nil, err
		}
		t := &template{kinds: kinds, expanded: expanded}
		for i, s := range strs {
			if kinds[i] == fixed {
				t.values = append(t.values, s)
			}
		}
		return t, nil
	}
	return nil, nil
}

// findSentinels records where each sentinel comes out of the expansion:
// as the @value of a value object (literal), as an @id (iri), anywhere
// else (fixed); clean turns false when one is part of a longer string.
func findSentinels(v any, key string, found []slotKind, counts []int, clean *bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.Contains(k, sentinelPrefix) {
				*clean = false
			}
			findSentinels(e, k, found, counts, clean)
		}
	case []any:
		for _, e := range v {
			// An element of an array is never a value object's @value
			// nor an @id itself.
			findSentinels(e, "[]", found, counts, clean)
		}
	case string:
		rest, ok := strings.CutPrefix(v, sentinelPrefix)
		if !ok {
			if strings.Contains(v, sentinelPrefix) {
				*clean = false
			}
			return
		}
		num, ok := strings.CutSuffix(rest, "/")
		i, err := strconv.Atoi(num)
		if !ok || err != nil || i < 0 || i >= len(found) || sentinel(i) != v {
			*clean = false
			return
		}
		counts[i]++
		switch key {
		case "@value":
			found[i] = literal
		case "@id":
			found[i] = iri
		default:
			found[i] = fixed
		}
	}
}

var absoluteIRI = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// iriValue says whether s comes out of IRI expansion unchanged in any
// active context made of the cached contexts: scheme://…, not a term.
func iriValue(s string) bool {
	if !absoluteIRI.MatchString(s) {
		return false
	}
	termsOnce.Do(collectTerms)
	return !terms[s]
}

var (
	termsOnce sync.Once
	terms     map[string]bool
	aliases   map[string]string // term → the keyword it stands for, in any cached context
)

// keywordOf is the keyword a key is, or stands for in a cached context.
func keywordOf(k string) string {
	if strings.HasPrefix(k, "@") {
		return k
	}
	return aliases[k]
}

// collectTerms gathers every key of every cached context, at any depth
// (scoped contexts included), and the terms that stand for keywords.
func collectTerms() {
	terms, aliases = map[string]bool{}, map[string]string{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				terms[k] = true
				id, _ := e.(string)
				if def, ok := e.(map[string]any); ok {
					id, _ = def["@id"].(string)
				}
				if strings.HasPrefix(id, "@") && !strings.HasPrefix(k, "@") {
					aliases[k] = id
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	for u := range cachedContexts {
		b, _ := ContextFile(u)
		var v any
		if json.Unmarshal(b, &v) == nil {
			walk(v)
		}
	}
}

// fits says whether a document's strings fit the template: its fixed
// values equal, its IRIs of the right form.
func (t *template) fits(strs []string) bool {
	if len(strs) != len(t.kinds) {
		return false
	}
	j := 0
	for i, k := range t.kinds {
		switch k {
		case fixed:
			if strs[i] != t.values[j] {
				return false
			}
			j++
		case iri:
			if !iriValue(strs[i]) {
				return false
			}
		}
	}
	return true
}

// fill returns the template's expansion with the document's values in
// place of the sentinels.
func (t *template) fill(strs []string) []any {
	return fillValue(t.expanded, strs).([]any)
}

func fillValue(v any, strs []string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = fillValue(e, strs)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = fillValue(e, strs)
		}
		return out
	case string:
		if rest, ok := strings.CutPrefix(v, sentinelPrefix); ok {
			i, _ := strconv.Atoi(strings.TrimSuffix(rest, "/"))
			return strs[i]
		}
	}
	return v
}
