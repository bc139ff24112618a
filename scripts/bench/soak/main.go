// Command soak sends a steady mix of reads and writes to a running
// certibloc at a fixed rate for a fixed time, and says, minute by minute
// and at the end, how many requests failed, the latencies (p50, p99) and
// the server's memory: issue 14's soak (500 req/s for 10 minutes, 0
// errors, p99 under 50 ms, memory flat).
//
// The rate is held whatever the server does (an open model: a slow answer
// does not slow the sending, so it shows in the latencies instead of
// hiding), up to -inflight requests at once; a request that finds them all
// taken counts as an error. The mix, per 100 requests: 60 reads of a
// person, 15 of a person's path, 10 of the referential, 15 creations of a
// person (audited writes).
//
//	soak -url http://127.0.0.1:18090 -token TOKEN -rate 500 -for 10m -pid PID
//
// It exits 1 when a target is missed: an error, p99 over -p99, or the
// server's resident memory in the last minute more than -growth above the
// second minute's (the first warms caches and pools).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:18090", "the server")
	token := flag.String("token", "", "an admin API token")
	rate := flag.Int("rate", 500, "requests per second")
	dur := flag.Duration("for", 10*time.Minute, "how long")
	pid := flag.Int("pid", 0, "the server's process id, to follow its memory (0: not followed)")
	p99 := flag.Duration("p99", 50*time.Millisecond, "the 99th percentile not to exceed")
	growth := flag.Float64("growth", 0.2, "the memory growth not to exceed, last minute against the second")
	inflight := flag.Int("inflight", 512, "requests at once at most")
	flag.Parse()
	if *token == "" {
		fail("give an admin API token with -token")
	}
	s := &soak{url: strings.TrimRight(*url, "/"), token: *token, client: &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *inflight, MaxConnsPerHost: *inflight},
	}}
	for i := range 50 { // people to read from the start
		if err := s.createPerson(int64(-i - 1)); err != nil {
			fail("creating the people to read: %v", err)
		}
	}
	fmt.Printf("soak: %d req/s for %s against %s\n", *rate, *dur, s.url)
	fmt.Println("| minute | requests | errors | p50 | p99 | server RSS |")
	fmt.Println("|---|---|---|---|---|---|")
	slots := make(chan struct{}, *inflight)
	var wg sync.WaitGroup
	start := time.Now()
	end, minute := start.Add(*dur), start.Add(time.Minute)
	var all []time.Duration
	var errs, total int
	var rss []int64
	var n int64
	report := func(i int) {
		lat, e := s.take()
		all = append(all, lat...)
		errs += e
		total += len(lat) + e
		r := rssOf(*pid)
		rss = append(rss, r)
		fmt.Printf("| %d | %d | %d | %s | %s | %s |\n", i, len(lat)+e, e, pct(lat, 50), pct(lat, 99), mib(r))
	}
	for i := 1; time.Now().Before(end); {
		// The n-th request leaves at start + n/rate: behind time, at once.
		time.Sleep(time.Until(start.Add(time.Duration(n) * time.Second / time.Duration(*rate))))
		if time.Now().After(minute) {
			report(i)
			i++
			minute = minute.Add(time.Minute)
		}
		n++
		k := n
		select {
		case slots <- struct{}{}:
		default:
			s.note(0, fmt.Errorf("%d requests in flight already", *inflight))
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			t := time.Now()
			err := s.one(k)
			s.note(time.Since(t), err)
		}()
	}
	wg.Wait()
	report(int(dur.Minutes()) + 1)
	fmt.Printf("\ntotal: %d requests (%.0f/s), %d errors, p50 %s, p99 %s", total, float64(total)/time.Since(start).Seconds(),
		errs, pct(all, 50), pct(all, 99))
	if len(rss) > 2 {
		fmt.Printf(", RSS %s at minute 2, %s at the end", mib(rss[1]), mib(rss[len(rss)-1]))
	}
	fmt.Println()
	bad := errs > 0 || percentile(all, 99) > *p99
	if len(rss) > 2 && rss[1] > 0 && float64(rss[len(rss)-1]) > float64(rss[1])*(1+*growth) {
		fmt.Printf("memory grew by more than %.0f%%\n", *growth*100)
		bad = true
	}
	if s.firstErr.Load() != nil {
		fmt.Printf("first error: %v\n", *s.firstErr.Load())
		s.mu.Lock()
		defer s.mu.Unlock()
		for msg, n := range s.kinds {
			fmt.Printf("%6d × %s\n", n, msg)
		}
	}
	if bad {
		os.Exit(1)
	}
}

type soak struct {
	url, token string
	client     *http.Client
	peopleMu   sync.Mutex
	people     []int64 // the ids of the people created: PostgreSQL's sequences leave gaps
	mu         sync.Mutex
	lat        []time.Duration
	errs       int
	firstErr   atomic.Pointer[string]
	kinds      map[string]int // errors by message, numbers and ids left out
}

// one sends the k-th request of the mix.
func (s *soak) one(k int64) error {
	s.peopleMu.Lock()
	id := s.people[rand.IntN(len(s.people))]
	s.peopleMu.Unlock()
	switch r := k % 100; {
	case r < 60:
		return s.get("/api/v1/people/" + strconv.FormatInt(id, 10))
	case r < 75:
		return s.get("/api/v1/people/" + strconv.FormatInt(id, 10) + "/path")
	case r < 85:
		return s.get("/api/v1/certifications/RNCP38478")
	default:
		return s.createPerson(k)
	}
}

func (s *soak) get(path string) error {
	req, _ := http.NewRequest("GET", s.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.token)
	_, err := s.do(req)
	return err
}

func (s *soak) createPerson(k int64) error {
	body := fmt.Sprintf(`{"school":"DIIAGE","birth_name":"Soak%d","first_names":"Nº%d","email":"soak%d.%d@example.org","level":5}`,
		k, k, k, time.Now().UnixNano())
	req, _ := http.NewRequest("POST", s.url+"/api/v1/people", bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Content-Type", "application/json")
	b, err := s.do(req)
	if err != nil {
		return err
	}
	// {"id":123,…}: the new person is read from now on.
	if i := bytes.Index(b, []byte(`"id":`)); i >= 0 {
		rest := b[i+5:]
		j := bytes.IndexAny(rest, ",}")
		if id, err := strconv.ParseInt(string(bytes.TrimSpace(rest[:max(j, 0)])), 10, 64); err == nil {
			s.peopleMu.Lock()
			s.people = append(s.people, id)
			s.peopleMu.Unlock()
		}
	}
	return nil
}

func (s *soak) do(req *http.Request) ([]byte, error) {
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %s %.200s", req.Method, req.URL.Path, resp.Status, b)
	}
	return b, err
}

// note records one answer: its latency, or its error.
func (s *soak) note(d time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.errs++
		msg := err.Error()
		s.firstErr.CompareAndSwap(nil, &msg)
		if s.kinds == nil {
			s.kinds = map[string]int{}
		}
		s.kinds[strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '#'
			}
			return r
		}, msg)]++
		return
	}
	s.lat = append(s.lat, d)
}

// take returns and forgets what was noted since the last call.
func (s *soak) take() ([]time.Duration, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	lat, e := s.lat, s.errs
	s.lat, s.errs = nil, 0
	return lat, e
}

func percentile(lat []time.Duration, p int) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func pct(lat []time.Duration, p int) string {
	return percentile(lat, p).Round(100 * time.Microsecond).String()
}

// rssOf is the resident memory of process pid, in bytes (0 when unknown).
func rssOf(pid int) int64 {
	if pid == 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func mib(b int64) string {
	if b == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "soak: "+format+"\n", a...)
	os.Exit(2)
}
