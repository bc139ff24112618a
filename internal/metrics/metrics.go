// Package metrics writes figures in the Prometheus text exposition format
// (version 0.0.4), by hand: the format is lines of "name{labels} value"
// under "# HELP" and "# TYPE" comments, which needs no client library.
// Requests counts HTTP requests by route and status and keeps a latency
// histogram by route; the figures read at scrape time (database pools,
// outbox, audit chain) are written by the caller with a Writer.
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Writer writes metric families. Families must each be written whole,
// HELP and TYPE first (Family), then their samples.
type Writer struct {
	w   *bufio.Writer
	err error
}

// NewWriter writes to w; call Flush at the end.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriter(w)} }

// Family starts a family: typ is counter, gauge or histogram.
func (w *Writer) Family(name, typ, help string) {
	w.printf("# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(help), name, typ)
}

// Sample writes one sample; labels are name, value pairs.
func (w *Writer) Sample(name string, value float64, labels ...string) {
	w.printf("%s%s %s\n", name, labelText(labels), formatValue(value))
}

// Flush writes what is buffered and returns the first error met.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

func (w *Writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

func labelText(labels []string) string {
	if len(labels) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i := 0; i+1 < len(labels); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(labels[i])
		b.WriteString(`="`)
		b.WriteString(escapeLabel(labels[i+1]))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

// escapeLabel escapes a label value: backslash, double quote and line
// feed are the three characters the format escapes.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// escapeHelp escapes a HELP text: backslash and line feed.
func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Buckets are the upper bounds, in seconds, of the latency histogram:
// fine below 50 ms, the target of a request, coarse above.
var Buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// Requests counts HTTP requests. Routes are the patterns of the mux
// ("GET /api/v1/people/{id}"), never raw paths, so that the number of
// series stays bounded whatever clients ask for.
type Requests struct {
	mu       sync.Mutex
	codes    map[routeCode]uint64
	routes   map[string]*histogram
	inFlight int64
}

type routeCode struct {
	route string
	code  int
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	count  uint64
}

// NewRequests returns empty counters.
func NewRequests() *Requests {
	return &Requests{codes: map[routeCode]uint64{}, routes: map[string]*histogram{}}
}

// Start counts a request in flight; call the function it returns when it
// ends, with its route, status and duration.
func (m *Requests) Start() func(route string, code int, d time.Duration) {
	m.mu.Lock()
	m.inFlight++
	m.mu.Unlock()
	return func(route string, code int, d time.Duration) {
		s := d.Seconds()
		m.mu.Lock()
		defer m.mu.Unlock()
		m.inFlight--
		m.codes[routeCode{route, code}]++
		h := m.routes[route]
		if h == nil {
			h = &histogram{counts: make([]uint64, len(Buckets)+1)}
			m.routes[route] = h
		}
		h.counts[sort.SearchFloat64s(Buckets, s)]++
		h.sum += s
		h.count++
	}
}

// Write writes the request families, routes and codes in order.
func (m *Requests) Write(w *Writer) {
	m.mu.Lock()
	keys := make([]routeCode, 0, len(m.codes))
	for k := range m.codes {
		keys = append(keys, k)
	}
	counts := make(map[routeCode]uint64, len(m.codes))
	for k, v := range m.codes {
		counts[k] = v
	}
	routes := make([]string, 0, len(m.routes))
	hists := make(map[string]histogram, len(m.routes))
	for r, h := range m.routes {
		routes = append(routes, r)
		hists[r] = histogram{counts: append([]uint64(nil), h.counts...), sum: h.sum, count: h.count}
	}
	inFlight := m.inFlight
	m.mu.Unlock()

	sort.Slice(keys, func(i, j int) bool {
		if keys[i].route != keys[j].route {
			return keys[i].route < keys[j].route
		}
		return keys[i].code < keys[j].code
	})
	sort.Strings(routes)

	w.Family("certibloc_http_requests_total", "counter", "HTTP requests answered, by route pattern and status code.")
	for _, k := range keys {
		w.Sample("certibloc_http_requests_total", float64(counts[k]), "route", k.route, "code", strconv.Itoa(k.code))
	}
	w.Family("certibloc_http_request_duration_seconds", "histogram", "Time from the request to the end of the answer, by route pattern.")
	for _, r := range routes {
		h := hists[r]
		var cum uint64
		for i, b := range Buckets {
			cum += h.counts[i]
			w.Sample("certibloc_http_request_duration_seconds_bucket", float64(cum), "route", r, "le", formatValue(b))
		}
		cum += h.counts[len(Buckets)]
		w.Sample("certibloc_http_request_duration_seconds_bucket", float64(cum), "route", r, "le", "+Inf")
		w.Sample("certibloc_http_request_duration_seconds_sum", h.sum, "route", r)
		w.Sample("certibloc_http_request_duration_seconds_count", float64(h.count), "route", r)
	}
	w.Family("certibloc_http_requests_in_flight", "gauge", "HTTP requests being answered now.")
	w.Sample("certibloc_http_requests_in_flight", float64(inFlight))
}
