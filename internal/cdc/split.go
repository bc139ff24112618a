package cdc

import (
	"bufio"
	"fmt"
	"io"
)

// DefaultLimit is the size at which the files of an export are split.
// The XSD states no size, and the kit's documentation in the fixtures
// neither: 10 MiB is the cautious figure certifiers' tools use for an
// upload to the Caisse's portal; Split.Limit changes it.
const DefaultLimit int64 = 10 << 20

// File describes one file a Split wrote.
type File struct {
	IDFlux   string `json:"id_flux"`
	Passages int    `json:"passages"`
	Bytes    int64  `json:"bytes"`
}

// Split writes passages into as many files as the size limit needs, each a
// whole flux of the same header with its own idFlux (the base, then -2,
// -3… on the next files). A file is closed before a passage could take it
// past the limit (by Bound), so that no file exceeds it.
type Split struct {
	Header Header
	Limit  int64 // DefaultLimit when 0
	// Open returns where the file of the given idFlux goes; Split closes it.
	Open func(idFlux string) (io.WriteCloser, error)

	files []File
	cur   *Writer
	buf   *bufio.Writer
	out   io.WriteCloser
}

func (s *Split) limit() int64 {
	if s.Limit <= 0 {
		return DefaultLimit
	}
	return s.Limit
}

// Write adds passage p of certification ct to the current file, or to a
// new one when it would not fit.
func (s *Split) Write(ct *Certification, p *Passage) error {
	if err := p.Validate(); err != nil {
		return err
	}
	bound := Bound(ct, p)
	if s.cur != nil && s.cur.Passages() > 0 && s.cur.Written()+bound+trailerBytes > s.limit() {
		if err := s.finish(); err != nil {
			return err
		}
	}
	if s.cur == nil {
		if err := s.open(); err != nil {
			return err
		}
		if s.cur.Written()+bound+trailerBytes > s.limit() {
			return fmt.Errorf("cdc: a size limit of %d bytes cannot hold one passage (%d bytes at most with the header)", s.limit(), s.cur.Written()+bound+trailerBytes)
		}
	}
	return s.cur.write(ct, p)
}

func (s *Split) open() error {
	h := s.Header
	if n := len(s.files) + 1; n > 1 {
		suffix := fmt.Sprintf("-%d", n)
		if len(h.IDFlux)+len(suffix) > 50 {
			h.IDFlux = h.IDFlux[:50-len(suffix)]
		}
		h.IDFlux += suffix
	}
	out, err := s.Open(h.IDFlux)
	if err != nil {
		return err
	}
	s.out = out
	s.buf = bufio.NewWriterSize(out, 64<<10)
	s.cur, err = NewWriter(s.buf, h)
	if err != nil {
		out.Close()
		return err
	}
	s.files = append(s.files, File{IDFlux: h.IDFlux})
	return nil
}

func (s *Split) finish() error {
	if err := s.cur.Close(); err != nil {
		return err
	}
	if err := s.buf.Flush(); err != nil {
		return err
	}
	f := &s.files[len(s.files)-1]
	f.Passages, f.Bytes = s.cur.Passages(), s.cur.Written()
	s.cur = nil
	return s.out.Close()
}

// Current is the idFlux of the file being written, "" before the first.
func (s *Split) Current() string {
	if s.cur == nil {
		return ""
	}
	return s.files[len(s.files)-1].IDFlux
}

// Close ends the last file and returns the files written; none without a
// passage (ErrEmpty).
func (s *Split) Close() ([]File, error) {
	if s.cur == nil {
		if len(s.files) == 0 {
			return nil, ErrEmpty
		}
		return s.files, nil
	}
	if err := s.finish(); err != nil {
		return nil, err
	}
	return s.files, nil
}
