package server_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// benchSessions is a world for recording results: sessions of BC01's
// evaluation, each with a cohort of learners, and a staff token.
type benchSessions struct {
	h        http.Handler
	token    string
	sessions []int64
	learners [][]int64 // per session
	criteria []string
}

func newBenchSessions(b testing.TB, db *sqldb.DB, sessions, learners int) *benchSessions {
	log := slog.New(slog.DiscardHandler)
	must(b, server.LoadDefaults(b.Context(), db, log))
	h, err := server.New(db, log)
	must(b, err)
	w := &benchSessions{h: h}
	w.token, _, err = db.CreateToken(b.Context(), "bench", "staff", ownSchool)
	must(b, err)
	evaluator, _ := evaluatorAccount(b, db, "bench.evaluateur@example.org", certibloc.Evaluator)
	staff := &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "bench"}
	for i := range sessions {
		opts := make([]string, learners)
		for j := range opts {
			opts[j] = "BC04"
		}
		co := enrolCohort(b, db, fmt.Sprintf("Bench%d", i), opts...)
		s := &certibloc.EvalSession{School: ownSchool, Block: "RNCP38478BC01", Evaluation: 1, CohortID: co.ID,
			Title: "Mise en situation BC01", Date: db.Today(), Place: "Dijon", Evaluators: []int64{evaluator}}
		must(b, db.CreateEvalSession(b.Context(), staff, s))
		w.sessions = append(w.sessions, s.ID)
		w.learners = append(w.learners, co.Learners)
		if w.criteria == nil {
			g, err := db.Grid(b.Context(), s.GridID)
			must(b, err)
			for _, c := range g.Criteria {
				w.criteria = append(w.criteria, c.Key)
			}
		}
	}
	return w
}

// pairs is how many (learner, criterion) drafts the world holds.
func (w *benchSessions) pairs() int { return len(w.sessions) * len(w.learners[0]) * len(w.criteria) }

// draft returns the path and body of the k-th draft save: one criterion of
// one learner, the criteria of a learner in turn, so that requests in
// flight at once often grade the same learner.
func (w *benchSessions) draft(k int) (string, string) {
	nc, nl := len(w.criteria), len(w.learners[0])
	c, l := k%nc, (k/nc)%(nl*len(w.sessions))
	s := l / nl
	return fmt.Sprintf("/api/v1/evaluations/%d/results", w.sessions[s]),
		fmt.Sprintf(`{"results":[{"person_id":%d,"marks":[{"criterion":%q,"value":"%d","comment":"Observé en séance, %d"}]}]}`,
			w.learners[s][l%nl], w.criteria[c], 1+k%4, k)
}

func (w *benchSessions) post(path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+w.token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	w.h.ServeHTTP(rec, req)
	return rec
}

// marksStored counts the grades of the drafts of the world's sessions.
func marksStored(t testing.TB, db *sqldb.DB, w *benchSessions) int {
	t.Helper()
	staff := &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}}
	n := 0
	for _, s := range w.sessions {
		list, err := db.Results(t.Context(), staff, s)
		must(t, err)
		for _, r := range list {
			n += len(r.Marks)
		}
	}
	return n
}

// BenchmarkRecordResult records one learner's draft per request through
// the whole handler (access log, bearer token, JSON, the store's
// transaction) on SQLite, from 64 goroutines at once, on sessions of 30
// learners graded on BC01's grid (8 criteria). Each request grades a
// criterion no request graded before, while the requests in flight grade
// the same learners: after the run every grade must be there, none lost
// to a concurrent write.
//
//	go test -run='^$' -bench=RecordResult -benchtime=20000x ./internal/server
func BenchmarkRecordResult(b *testing.B) {
	db := sqldbtest.SQLite(b)
	w := newBenchSessions(b, db, 20, 30)
	var next, failed atomic.Int64
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := int(next.Add(1) - 1)
			rec := w.post(w.draft(k))
			if rec.Code != http.StatusOK {
				if failed.Add(1) == 1 {
					body, _ := io.ReadAll(rec.Body)
					b.Errorf("status %d: %s", rec.Code, body)
				}
			}
		}
	})
	b.StopTimer()
	n := int(next.Load())
	if got, want := marksStored(b, db, w), min(n, w.pairs()); got != want || failed.Load() > 0 {
		b.Fatalf("%d grades stored after %d draft saves (%d failed), want %d", got, n, failed.Load(), want)
	}
}

// TestRecordResultsLoseNoUpdate saves drafts from 64 goroutines at once,
// each grading one criterion of a learner no other request grades, the
// requests in flight grading the same learners: every grade is stored.
func TestRecordResultsLoseNoUpdate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newBenchSessions(t, db, 2, 6)
		n := w.pairs()
		var next atomic.Int64
		errs := make(chan error, 64)
		for range 64 {
			go func() {
				for k := int(next.Add(1) - 1); k < n; k = int(next.Add(1) - 1) {
					if rec := w.post(w.draft(k)); rec.Code != http.StatusOK {
						errs <- fmt.Errorf("draft %d: %d %s", k, rec.Code, rec.Body)
						return
					}
				}
				errs <- nil
			}()
		}
		for range 64 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if got := marksStored(t, db, w); got != n {
			t.Errorf("%d grades stored after %d draft saves of distinct grades", got, n)
		}
	})
}
