package server_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/binarytest"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/rncp"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestTwoInstancesEndToEnd runs two `certibloc serve` processes on one
// PostgreSQL database behind a round-robin proxy, so that consecutive
// requests of one client land on alternate instances: the admissions and
// evaluations journeys run through it, each session and token serving on
// both; then a jury's documents are started on one instance, which is
// killed with SIGKILL in the middle of the batch, and the other takes the
// batch over when its lease ends and finishes it, no document issued twice.
func TestTwoInstancesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds certibloc and runs two servers")
	}
	dbURL := sqldbtest.PostgresSchema(t) // skips without PostgreSQL, fails under CI=true
	db, err := sqldb.Open(t.Context(), dbURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	bin := binarytest.Build(t)
	// One secret key for both, as for any set of instances: a TOTP secret
	// one encrypts, the other reads.
	key := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
	a, b := startInstance(t, bin, dbURL, key), startInstance(t, bin, dbURL, key)
	rr := newRoundRobin(t, a, b)

	t.Run("admissions", func(t *testing.T) {
		e := newE2E(t, db)
		e.h = rr
		campaign := e.campaign()
		people := e2eApplicants()
		for _, p := range people {
			e.apply(campaign, p)
		}
		for _, p := range people {
			if p.fate != fDraft {
				e.submit(p)
			}
		}
		e.runCommissions(people)
		e.enrolAll(campaign, people)
		e.checkOutcome(campaign, people)
	})
	t.Run("evaluations", func(t *testing.T) {
		w := newEvalE2E(t, db)
		w.h = rr
		w.accommodate()
		w.everyEvaluation()
		w.resit()
		w.correct()
		w.learnersResults()
	})
	// Every credential used more than once was served by both instances.
	served, shared := rr.credentials()
	t.Logf("requests: %d on A, %d on B; %d credentials used more than once, %d served by both", a.hits.Load(), b.hits.Load(), served, shared)
	if served < 10 || shared != served {
		t.Errorf("%d of %d credentials used more than once were served by both instances", shared, served)
	}
	if ha, hb := a.hits.Load(), b.hits.Load(); ha < 100 || hb < 100 || ha-hb > 1 || hb-ha > 1 {
		t.Errorf("requests per instance: %d and %d, want them alternated", ha, hb)
	}
	if t.Failed() {
		t.Fatalf("instance A:\n%s\ninstance B:\n%s", a.Log.Tail(), b.Log.Tail())
	}

	t.Run("a token revoked elsewhere", func(t *testing.T) {
		revokedElsewhere(t, db, a, b)
	})
	t.Run("one RNCP import across instances", func(t *testing.T) {
		oneImportAcrossInstances(t, db, dbURL, a, b)
	})
	t.Run("a grade sheet imported as a job, followed on the other instance", func(t *testing.T) {
		importJobAcrossInstances(t, db, a, b)
	})
	t.Run("kill -9 in the middle of a batch", func(t *testing.T) {
		killMidBatch(t, db, dbURL, a, b)
	})
	t.Run("kill -9 in the middle of an RNCP import", func(t *testing.T) {
		// Two fresh instances, beside the one left of the batch.
		c, d := startInstance(t, bin, dbURL, key), startInstance(t, bin, dbURL, key)
		killMidImport(t, db, []*instance{a, b, c, d})
	})
}

// killMidImport uploads an export of 300 distinct fiches (the fixture's
// ten, renumbered thirty times) to the first of the
// instances still running with Prefer: respond-async, kills with SIGKILL
// the instance whose worker runs the job once part of the fiches is saved,
// and waits for another to finish it: on its second attempt, every fiche
// saved once, those saved before the kill reported unchanged.
func killMidImport(t *testing.T, db *sqldb.DB, all []*instance) {
	var alive []*instance
	for _, in := range all {
		if in.Cmd.ProcessState == nil {
			alive = append(alive, in)
		}
	}
	admin, _, err := db.CreateToken(t.Context(), "two instances, rncp", "admin", "")
	must(t, err)
	xml := fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")
	from := bytes.Index(xml, []byte("<FICHE>"))
	to := bytes.LastIndex(xml, []byte("</FICHE>")) + len("</FICHE>")
	const reps = 30
	// Each code of the fixture, numbered anew in each copy: RNCP2NNNNN.
	code := regexp.MustCompile(`RNCP[0-9]+`)
	index := map[string]int{}
	for _, c := range code.FindAll(xml, -1) {
		if _, ok := index[string(c)]; !ok {
			index[string(c)] = len(index)
		}
	}
	pr, pw := io.Pipe()
	go func() {
		pw.Write(xml[:from])
		for r := range reps {
			pw.Write(code.ReplaceAllFunc(xml[from:to], func(c []byte) []byte {
				return fmt.Appendf(nil, "RNCP%d", 200000+r*len(index)+index[string(c)])
			}))
		}
		pw.Write(xml[to:])
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", alive[0].url+"/api/v1/imports/rncp", pr)
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Prefer", "respond-async")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST the export with Prefer: respond-async: %v %v", resp, err)
	}
	var job certibloc.Job
	must(t, json.NewDecoder(resp.Body).Decode(&job))
	resp.Body.Close()

	var mid *certibloc.Job
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		mid, err = db.Job(t.Context(), job.ID)
		must(t, err)
		if mid.State == certibloc.JobRunning && mid.Done > 0 { // 100 fiches saved: the first progress
			break
		}
		if time.Now().After(deadline) || !mid.Active() {
			t.Fatalf("no import under way: %s, %d of %d, %q, from %v to %v", mid.State, mid.Done, mid.Total, mid.Error, mid.StartedAt, mid.FinishedAt)
		}
	}
	var victim *instance
	for _, in := range alive {
		if strings.Contains(mid.Worker, fmt.Sprint(":", in.Pid())) {
			victim = in
		}
	}
	if victim == nil {
		t.Fatalf("the import is held by %q, no instance of the test", mid.Worker)
	}
	victim.Kill(t)
	killed := time.Now()
	mid, err = db.Job(t.Context(), job.ID)
	must(t, err)
	if mid.State != certibloc.JobRunning {
		t.Fatalf("after kill -9: %+v, want running", mid)
	}
	var end *certibloc.Job
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		end, err = db.Job(t.Context(), job.ID)
		must(t, err)
		if !end.Active() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import is not finished 90 s after the kill: %+v", end)
		}
	}
	out, err := db.JobFile(t.Context(), job.ID, certibloc.JobOutput)
	must(t, err)
	var o struct {
		Report rncp.Report `json:"report"`
	}
	must(t, json.Unmarshal(out.Content, &o))
	t.Logf("killed with %d fiches saved; another instance finished %v later: %d created, %d unchanged", mid.Done,
		time.Since(killed).Round(10*time.Millisecond), len(o.Report.Created), len(o.Report.Unchanged))
	if end.State != certibloc.JobDone || end.Attempts != 2 || strings.Contains(end.Worker, fmt.Sprint(":", victim.Pid())) ||
		o.Report.Fiches != 10*reps || len(o.Report.Created)+len(o.Report.Unchanged) != 10*reps || len(o.Report.Unchanged) < mid.Done {
		t.Fatalf("the import at the end: %+v, report of %d fiches, %d created, %d unchanged (%d saved before the kill)",
			end, o.Report.Fiches, len(o.Report.Created), len(o.Report.Unchanged), mid.Done)
	}
	for _, c := range o.Report.Unchanged {
		if vs, err := db.CertificationVersions(t.Context(), c); err != nil || len(vs) != 1 {
			t.Fatalf("%s has %d versions, want 1: %v", c, len(vs), err)
		}
	}
	if n, err := db.JobChunks(t.Context(), job.ID); err != nil || n != 0 {
		t.Errorf("the done import keeps %d chunks: %v", n, err)
	}
}

// killMidBatch starts the documents of a closed jury through instance a,
// kills with SIGKILL whichever instance claimed the batch once part of it
// is issued, and waits for the other to finish it.
func killMidBatch(t *testing.T, db *sqldb.DB, dbURL string, a, b *instance) {
	cj := sqldbtest.NewClosedJury(t, db, 40, pdf.Minutes)
	admin, _, err := db.CreateToken(t.Context(), "two instances", "admin", "")
	must(t, err)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/juries/%d/documents", a.url, cj.Jury.ID), nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST documents on instance A: %v %v", resp, err)
	}
	resp.Body.Close()

	var job certibloc.Job
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		jobs, err := db.Jobs(t.Context(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(cj.Jury.ID), 1)
		must(t, err)
		if len(jobs) == 1 && jobs[0].State == certibloc.JobRunning && jobs[0].Done >= 10 {
			job = jobs[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no batch under way after 30 s: %+v\nA:\n%s\nB:\n%s", jobs, a.Log.Tail(), b.Log.Tail())
		}
	}
	victim, survivor := a, b
	if strings.HasSuffix(job.Worker, fmt.Sprint(":", b.Pid())) {
		victim, survivor = b, a
	} else if !strings.HasSuffix(job.Worker, fmt.Sprint(":", a.Pid())) {
		t.Fatalf("the batch is held by %q, neither instance (%d, %d)", job.Worker, a.Pid(), b.Pid())
	}
	killed := time.Now()
	victim.Kill(t)
	mid, err := db.Job(t.Context(), job.ID)
	must(t, err)
	if mid.State != certibloc.JobRunning || mid.Done >= cj.Documents {
		t.Fatalf("after kill -9: %+v, want running with less than %d documents done", mid, cj.Documents)
	}

	var end *certibloc.Job
	for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		end, err = db.Job(t.Context(), job.ID)
		must(t, err)
		if end.State == certibloc.JobDone || end.State == certibloc.JobDead {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch is not finished 45 s after the kill: %+v\nsurvivor:\n%s", end, survivor.Log.Tail())
		}
	}
	t.Logf("killed with %d of %d documents done; the other instance finished %v later", mid.Done, cj.Documents, time.Since(killed).Round(10*time.Millisecond))
	if end.State != certibloc.JobDone || end.Attempts != 2 || !strings.HasSuffix(end.Worker, fmt.Sprint(":", survivor.Pid())) ||
		end.Done != cj.Documents {
		t.Fatalf("the batch at the end: %+v, want done by pid %d on its second attempt", end, survivor.Pid())
	}
	sqldbtest.CheckIssuedOnce(t, db, cj.Jury.ID, cj.Documents)
	// Counted in the table itself, numbers too.
	raw, err := sql.Open("pgx", dbURL)
	must(t, err)
	defer raw.Close()
	var rows, numbers int
	must(t, raw.QueryRowContext(t.Context(), "SELECT count(*), count(DISTINCT number) FROM issued_documents WHERE jury_id = $1",
		cj.Jury.ID).Scan(&rows, &numbers))
	if rows != cj.Documents || numbers != cj.Documents {
		t.Fatalf("%d rows in issued_documents, %d numbers, want %d", rows, numbers, cj.Documents)
	}
}

// revokedElsewhere: a token that both instances have just accepted (and
// cached) is refused by both within sqldb.TokenCacheTTL of its revocation
// by another process.
func revokedElsewhere(t *testing.T, db *sqldb.DB, a, b *instance) {
	secret, tok, err := db.CreateToken(t.Context(), "revoked elsewhere", "staff", "DIIAGE")
	must(t, err)
	get := func(in *instance) int {
		req, _ := http.NewRequest("GET", in.url+"/api/v1/people?school=DIIAGE", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if sa, sb := get(a), get(b); sa != http.StatusOK || sb != http.StatusOK {
		t.Fatalf("a live token: %d on A, %d on B", sa, sb)
	}
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	must(t, db.RevokeToken(ctx, tok.ID))
	revoked := time.Now()
	for _, in := range []*instance{a, b} {
		for get(in) != http.StatusUnauthorized {
			if time.Since(revoked) > sqldb.TokenCacheTTL+time.Second {
				t.Fatalf("a token revoked %v ago is still accepted", time.Since(revoked).Round(time.Millisecond))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// oneImportAcrossInstances: while an import reads its body on instance
// a, another on instance b is refused (409), and is done once the first
// has ended.
func oneImportAcrossInstances(t *testing.T, db *sqldb.DB, dbURL string, a, b *instance) {
	admin, _, err := db.CreateToken(t.Context(), "imports", "admin", "")
	must(t, err)
	post := func(in *instance, body io.Reader) (int, string) {
		req, _ := http.NewRequest("POST", in.url+"/api/v1/imports/rncp", body)
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	pr, pw := io.Pipe()
	first := make(chan int, 1)
	go func() { status, _ := post(a, pr); first <- status }()
	defer func() { pw.CloseWithError(io.ErrUnexpectedEOF); <-first }() // even if the test fails
	go pw.Write(fixture(t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml")[:1000])
	// B's imports start once A holds the import's lock: one of B's, taken
	// first, would make A's the one refused (an import, now a job, holds
	// the lock for a few tens of milliseconds).
	waitImportLock(t, dbURL)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		status, body := post(b, strings.NewReader("<FICHES/>"))
		if status == http.StatusConflict && strings.Contains(body, "another RNCP import is running") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("an import on B while one runs on A: %d %s", status, body)
		}
	}
	pw.CloseWithError(io.ErrUnexpectedEOF)
	if status := <-first; status == http.StatusOK || status == http.StatusConflict {
		t.Errorf("the first import, cut short: %d", status)
	}
	first <- 0 // for the deferred wait
	// A frees the lock once its handler returns, just after its answer.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		status, body := post(b, strings.NewReader("<FICHES/>"))
		if status == http.StatusOK {
			break
		}
		if status != http.StatusConflict || time.Now().After(deadline) {
			t.Fatalf("an import on B after the one on A: %d %s", status, body)
		}
	}
}

// instance is one certibloc serve process.
type instance struct {
	*binarytest.Process
	url  string
	hits atomic.Int64 // requests the proxy sent it
}

// startInstance runs certibloc serve on the database, with a data
// directory of its own, short job leases and small batches.
func startInstance(t *testing.T, bin, dbURL, key string) *instance {
	t.Helper()
	// One address for both, as behind a load balancer: the one e-mails
	// link back to.
	in := &instance{Process: binarytest.Start(t, bin, []string{"CERTIBLOC_SECRET_KEY=" + key},
		"serve", "--addr", "127.0.0.1:0", "--base-url", sqldb.DefaultSiteURL, "--database", dbURL, "--data", t.TempDir(),
		"--log-format", "json", "--job-lease", "2s", "--job-poll", "200ms", "--job-chunk", "4")}
	for deadline := time.Now().Add(30 * time.Second); in.url == ""; time.Sleep(20 * time.Millisecond) {
		if _, rest, ok := strings.Cut(in.Log.String(), `"url":"`); ok {
			in.url, _, _ = strings.Cut(rest, `"`)
		}
		if time.Now().After(deadline) {
			t.Fatalf("certibloc serve did not start:\n%s", in.Log.String())
		}
	}
	return in
}

// roundRobin is the shared address of the instances: a reverse proxy
// that sends each request to the next instance in turn, and notes which
// instances served each credential (token or session cookie).
type roundRobin struct {
	*httputil.ReverseProxy
	next      atomic.Uint64
	instances []*instance
	mu        sync.Mutex
	served    map[string]map[*instance]int // credential → requests per instance
}

func newRoundRobin(t *testing.T, instances ...*instance) *roundRobin {
	rr := &roundRobin{instances: instances, served: map[string]map[*instance]int{}}
	targets := make([]*url.URL, len(instances))
	for i, in := range instances {
		u, err := url.Parse(in.url)
		must(t, err)
		targets[i] = u
	}
	rr.ReverseProxy = &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		i := int(rr.next.Add(1) % uint64(len(targets)))
		pr.SetURL(targets[i])
		rr.instances[i].hits.Add(1)
		cred := pr.In.Header.Get("Authorization") + pr.In.Header.Get("Cookie")
		if cred == "" {
			return
		}
		rr.mu.Lock()
		defer rr.mu.Unlock()
		if rr.served[cred] == nil {
			rr.served[cred] = map[*instance]int{}
		}
		rr.served[cred][rr.instances[i]]++
	}}
	return rr
}

// credentials counts the credentials the proxy saw used more than once,
// and those of them that every instance served.
func (rr *roundRobin) credentials() (seen, everywhere int) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	for _, by := range rr.served {
		n := 0
		for _, c := range by {
			n += c
		}
		if n < 2 {
			continue
		}
		seen++
		if len(by) == len(rr.instances) {
			everywhere++
		}
	}
	return seen, everywhere
}

// waitImportLock waits until a connection to the database at dbURL holds
// the advisory lock of the RNCP imports (sqldb.DB.TryLock of
// rncp.ImportLock: "lock:rncp-import", hashed).
func waitImportLock(t *testing.T, dbURL string) {
	t.Helper()
	pool, err := sql.Open("pgx", dbURL)
	must(t, err)
	defer pool.Close()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var held bool
		must(t, pool.QueryRowContext(t.Context(), `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted
			AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('lock:rncp-import', 0))`).Scan(&held))
		if held {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the import on A does not take the import lock")
		}
	}
}
