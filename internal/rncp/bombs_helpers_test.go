package rncp

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"runtime"
	"sync"
	"testing"
	"time"
)

// bomb is a zip member made of head, then chunk repeated n times, then
// tail. It is deflated once and its compressed chunk repeated, so that a
// gigabyte takes a few KB and no time to make.
type bomb struct {
	name        string
	head, chunk string
	n           int
	tail        string
	declared    int64 // the uncompressed size the directory states; 0: the true one
}

// makeBombZip writes members, plain (zipMember) or bombs, into a zip.
func makeBombZip(t testing.TB, plain []zipMember, bombs ...bomb) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range plain {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Store, NonUTF8: true})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(m.data))
	}
	for _, b := range bombs {
		data, size, crc := b.deflate(t)
		declared := b.declared
		if declared == 0 {
			declared = size
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: b.name, Method: zip.Deflate, NonUTF8: true, CRC32: crc,
			CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(declared)})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflate returns the compressed member, its size and CRC-32 (0 past 64 MB). Each part is
// compressed from an empty dictionary (Reset) and flushed without ending
// the stream, so the chunk's bytes may be repeated.
func (b bomb) deflate(t testing.TB) ([]byte, int64, uint32) {
	t.Helper()
	part := func(s string, last bool) []byte {
		var out bytes.Buffer
		w, err := flate.NewWriter(&out, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(s))
		if last {
			w.Close()
		} else {
			w.Flush()
		}
		return out.Bytes()
	}
	chunk := part(b.chunk, false)
	data := part(b.head, false)
	data = append(data, bytes.Repeat(chunk, b.n)...)
	data = append(data, part(b.tail, true)...)
	// The CRC is checked at the end of the member, which the bombs never
	// reach: only the small ones get theirs.
	crc := crc32.ChecksumIEEE([]byte(b.head))
	for range b.n * min(1, 64<<20/max(1, b.n*len(b.chunk))) {
		crc = crc32.Update(crc, crc32.IEEETable, []byte(b.chunk))
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(b.tail))
	return data, int64(len(b.head) + b.n*len(b.chunk) + len(b.tail)), crc
}

// peakHeap runs f and returns the most heap in use while it ran, above
// what was in use before, sampled every millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base := m.HeapInuse
	var peak uint64
	sample := func() {
		runtime.ReadMemStats(&m)
		if m.HeapInuse > base && m.HeapInuse-base > peak {
			peak = m.HeapInuse - base
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				sample()
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	sample()
	return peak
}

// chunkOf repeats s to about n bytes.
func chunkOf(s string, n int) string {
	return string(bytes.Repeat([]byte(s), max(1, n/len(s))))
}
