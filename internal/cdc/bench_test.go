package cdc

import (
	"fmt"
	"io"
	"testing"
)

// BenchmarkSplitWrite100k: the writer alone, 100,000 passages of
// certibloc's kind split at 10 MiB, to nowhere.
func BenchmarkSplitWrite100k(b *testing.B) {
	ps := make([]Passage, 1000)
	for i := range ps {
		ps[i] = sample(fmt.Sprintf("certibloc-RNCP38478-%d", i))
	}
	for b.Loop() {
		s := &Split{Header: header(), Open: func(string) (io.WriteCloser, error) { return nopClose{io.Discard}, nil }}
		for i := range 100_000 {
			if err := s.Write(&rncp, &ps[i%1000]); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

type nopClose struct{ io.Writer }

func (nopClose) Close() error { return nil }

// BenchmarkWriter100k compares, in one run, the hand-written writer with
// the encoding/xml Encoder it replaced (write_reference_test.go): 100,000
// passages of certibloc's kind in one flux, to nowhere.
func BenchmarkWriter100k(b *testing.B) {
	ps := make([]Passage, 1000)
	for i := range ps {
		ps[i] = sample(fmt.Sprintf("certibloc-RNCP38478-%d", i))
	}
	b.Run("hand-written", func(b *testing.B) {
		for b.Loop() {
			w, err := NewWriter(io.Discard, header())
			if err != nil {
				b.Fatal(err)
			}
			for i := range 100_000 {
				if err := w.write(&rncp, &ps[i%1000]); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-xml", func(b *testing.B) {
		for b.Loop() {
			w, err := newRefWriter(io.Discard, header())
			if err != nil {
				b.Fatal(err)
			}
			for i := range 100_000 {
				if err := w.write(&rncp, &ps[i%1000]); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
