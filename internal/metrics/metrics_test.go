package metrics

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// sampleLine is a sample of the text format: a name, labels whose values
// are quoted with \\, \" and \n escaped, and a float.
var sampleLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (\+Inf|-Inf|NaN|-?[0-9.e+-]+)$`)

func TestRequestsText(t *testing.T) {
	m := NewRequests()
	m.Start()("GET /api/v1/people/{id}", 200, 3*time.Millisecond)
	m.Start()("GET /api/v1/people/{id}", 200, 40*time.Millisecond)
	m.Start()("GET /api/v1/people/{id}", 404, 20*time.Second)
	m.Start()(`odd "route"\`+"\n", 500, time.Millisecond)
	stillRunning := m.Start()
	var b strings.Builder
	w := NewWriter(&b)
	m.Write(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	families := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "# TYPE ") {
			name := strings.Fields(line)[2]
			if families[name] {
				t.Errorf("family %s twice", name)
			}
			families[name] = true
			continue
		}
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		if !sampleLine.MatchString(line) {
			t.Errorf("not a sample line: %q", line)
		}
	}
	for _, want := range []string{
		`certibloc_http_requests_total{route="GET /api/v1/people/{id}",code="200"} 2`,
		`certibloc_http_requests_total{route="GET /api/v1/people/{id}",code="404"} 1`,
		`certibloc_http_requests_total{route="odd \"route\"\\\n",code="500"} 1`,
		`certibloc_http_request_duration_seconds_bucket{route="GET /api/v1/people/{id}",le="0.001"} 0`,
		`certibloc_http_request_duration_seconds_bucket{route="GET /api/v1/people/{id}",le="0.005"} 1`,
		`certibloc_http_request_duration_seconds_bucket{route="GET /api/v1/people/{id}",le="0.05"} 2`,
		`certibloc_http_request_duration_seconds_bucket{route="GET /api/v1/people/{id}",le="10"} 2`,
		`certibloc_http_request_duration_seconds_bucket{route="GET /api/v1/people/{id}",le="+Inf"} 3`,
		`certibloc_http_request_duration_seconds_count{route="GET /api/v1/people/{id}"} 3`,
		`certibloc_http_request_duration_seconds_sum{route="GET /api/v1/people/{id}"} 20.043`,
		`certibloc_http_requests_in_flight 1`,
	} {
		if !strings.Contains(text, want+"\n") {
			t.Errorf("missing %s in\n%s", want, text)
		}
	}
	stillRunning("GET /x", 200, 0)
	b.Reset()
	w = NewWriter(&b)
	m.Write(w)
	w.Flush()
	if !strings.Contains(b.String(), "certibloc_http_requests_in_flight 0\n") {
		t.Errorf("in flight after the end:\n%s", b.String())
	}
}

// BenchmarkRequests is the cost per request of counting it: one lock, a
// map look-up, a bucket search.
func BenchmarkRequests(b *testing.B) {
	m := NewRequests()
	routes := []string{"GET /api/v1/people/{id}", "GET /app/people", "POST /api/v1/people", "GET /healthz"}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			m.Start()(routes[i%len(routes)], 200, time.Duration(i%50)*time.Millisecond)
			i++
		}
	})
}
