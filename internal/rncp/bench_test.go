package rncp

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/certibloc/certibloc"
)

// BenchmarkReadXML streams the fixture, then files of 50 and 200 MB made by
// repeating its ten fiches between the real header and footer, and reports
// the peak heap seen while reading: it must stay flat whatever the size.
//
//	go test -run='^$' -bench=ReadXML -benchtime=3x ./internal/rncp
func BenchmarkReadXML(b *testing.B) {
	fixture := readFile(b, rncpXML)
	b.Run("fixture", func(b *testing.B) {
		benchXML(b, int64(len(fixture)), func() io.Reader { return bytes.NewReader(fixture) })
	})
	// The big files live in the parent's TempDir, so each is written once
	// for all the runs of its sub-benchmark.
	dir := b.TempDir()
	for _, size := range []struct {
		name string
		mb   int64
	}{{"50MB", 50}, {"200MB", 200}} {
		name := filepath.Join(dir, size.name+".xml")
		n := writeRepeated(b, name, fixture, size.mb<<20)
		b.Run(size.name, func(b *testing.B) {
			benchXML(b, n, func() io.Reader {
				f, err := os.Open(name)
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { f.Close() })
				return f
			})
		})
	}
}

// BenchmarkXMLTokens reads the 50 MB file token by token with encoding/xml's
// RawToken and with the scanner that replaced it, nothing else: the first
// is the ceiling ReadXML had before, the second the one it has now.
//
//	go test -run='^$' -bench=XMLTokens -benchtime=3x ./internal/rncp
func BenchmarkXMLTokens(b *testing.B) {
	name := filepath.Join(b.TempDir(), "50MB.xml")
	n := writeRepeated(b, name, readFile(b, rncpXML), 50<<20)
	for _, tokenizer := range []struct {
		name string
		read func(io.Reader) error
	}{
		{"encoding-xml", func(r io.Reader) error {
			d := xml.NewDecoder(bufio.NewReaderSize(r, readAhead))
			for {
				if _, err := d.RawToken(); err != nil {
					return err
				}
			}
		}},
		{"scanner", func(r io.Reader) error {
			s := newXMLScanner(r, readAhead)
			for {
				if _, err := s.next(); err != nil {
					return err
				}
			}
		}},
	} {
		b.Run(tokenizer.name, func(b *testing.B) {
			b.SetBytes(n)
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(name)
				if err != nil {
					b.Fatal(err)
				}
				err = tokenizer.read(f)
				f.Close()
				if err != io.EOF {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchXML reads the input b.N times, sampling the heap every 10 fiches.
func benchXML(b *testing.B, size int64, open func() io.Reader) {
	b.SetBytes(size)
	b.ReportAllocs()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	for b.Loop() {
		n := 0
		err := ReadXML(open(), func(code string, cert *certibloc.Certification, err error) error {
			if n++; n%10 == 0 {
				metrics.Read(sample)
				peak = max(peak, sample[0].Value.Uint64())
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// writeRepeated writes the header of the fixture, its fiches again and
// again until the file reaches size, then its footer. It returns the size.
func writeRepeated(b *testing.B, name string, fixture []byte, size int64) int64 {
	start := bytes.Index(fixture, []byte("<FICHE>"))
	end := bytes.LastIndex(fixture, []byte("</FICHES>"))
	if start < 0 || end < start {
		b.Fatal("fixture without <FICHE> or </FICHES>")
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	n, _ := w.Write(fixture[:start])
	written := int64(n)
	for written < size {
		n, _ = w.Write(fixture[start:end])
		written += int64(n)
	}
	n, _ = w.Write(fixture[end:])
	written += int64(n)
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	return written
}
