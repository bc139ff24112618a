package sqldb_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// BenchmarkAccrochageExport100k: declaring 100,000 holders (the issue's
// target: under 2 s, memory flat): read from the database, checked,
// written as XML split at 10 MiB and recorded as sent, in one transaction.
// The peak of the live heap during the export is reported beside the time:
// it stays that of a few batches whatever the number of passages. Run with
//
//	go test -run '^$' -bench AccrochageExport -benchtime 3x ./internal/sqldb
func BenchmarkAccrochageExport100k(b *testing.B) { benchAccrochage(b, 100_000, false) }

// BenchmarkAccrochageExport10k is the same on a tenth: its heap peak is
// the one to compare with.
func BenchmarkAccrochageExport10k(b *testing.B) { benchAccrochage(b, 10_000, false) }

// BenchmarkAccrochageExportKept100k is the export as the page and the API
// make it: the files written to a temporary directory, then read back,
// gzip-compressed and kept in the database in the same transaction.
func BenchmarkAccrochageExportKept100k(b *testing.B) { benchAccrochage(b, 100_000, true) }

func benchAccrochage(b *testing.B, n int, kept bool) {
	eachEngine(b, func(b *testing.B, db *sqldb.DB) {
		ctx, jury := seedHolders(b, db, n)
		var spent, cpu time.Duration
		var peak uint64
		var bytes int64
		for b.Loop() {
			b.StopTimer()
			if err := db.ForgetAccrochageForBench(ctx); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			stop, high := heapWatch()
			b.StartTimer()
			start, cpu0 := time.Now(), cpuTime()
			var written int64
			var exp sqldb.AccrochageWriter = &cdc.Export{Now: time.Now(), Open: func(string) (io.WriteCloser, error) { return &sink{n: &written}, nil }}
			if kept {
				exp = keptExport(b.TempDir(), &written)
			}
			files, err := db.ExportAccrochage(ctx, sqldb.AccrochageScope{JuryID: jury}, exp)
			if err != nil {
				b.Fatal(err)
			}
			spent += time.Since(start)
			cpu += cpuTime() - cpu0
			b.StopTimer()
			stop()
			sent := 0
			for _, f := range files {
				sent += f.Passages
			}
			if sent != n {
				b.Fatalf("%d passages sent, want %d", sent, n)
			}
			if h := *high - min(*high, base.HeapAlloc); h > peak {
				peak = h
			}
			bytes = written
			b.StartTimer()
		}
		b.ReportMetric(spent.Seconds()*1000/float64(b.N), "ms/export")
		b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/export")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(bytes)/(1<<20), "file-MB")
	})
}

// seedHolders stores DIIAGE, RNCP38478 and n holders of its title
// awarded by one closed jury (SeedHoldersForBench), and returns an
// admin's context and the jury.
func seedHolders(tb testing.TB, db *sqldb.DB, n int) (context.Context, int64) {
	tb.Helper()
	ctx := certibloc.WithPrincipal(tb.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "bench"})
	if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
		tb.Fatal(err)
	}
	cert, err := seed.Certification()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.SaveCertification(ctx, cert); err != nil {
		tb.Fatal(err)
	}
	if cert, err = db.Certification(ctx, cert.Code, 0); err != nil {
		tb.Fatal(err)
	}
	jury, err := db.SeedHoldersForBench(ctx, cert, "DIIAGE", n)
	if err != nil {
		tb.Fatal(err)
	}
	return ctx, jury
}

// dirExport writes the files to a directory and reads them back.
type dirExport struct {
	*cdc.Export
	dir string
}

func (d dirExport) Content(id string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(d.dir, id+".xml"))
}

func keptExport(dir string, written *int64) dirExport {
	return dirExport{dir: dir, Export: &cdc.Export{Now: time.Now(), Open: func(id string) (io.WriteCloser, error) {
		f, err := os.Create(filepath.Join(dir, id+".xml"))
		return countFile{f, written}, err
	}}}
}

// countFile counts the bytes written to a file.
type countFile struct {
	*os.File
	n *int64
}

func (c countFile) Write(p []byte) (int, error) { *c.n += int64(len(p)); return c.File.Write(p) }

// sink counts the bytes of a file and keeps none.
type sink struct{ n *int64 }

func (s *sink) Write(p []byte) (int, error) { *s.n += int64(len(p)); return len(p), nil }
func (s *sink) Close() error                { return nil }

// heapWatch samples the heap's objects every 5 ms until stopped, keeping
// its high mark; runtime/metrics reads it without stopping the world,
// as runtime.ReadMemStats would.
func heapWatch() (stop func(), high *uint64) {
	high = new(uint64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > *high {
					*high = v
				}
			}
		}
	}()
	return func() { close(done); wg.Wait() }, high
}
