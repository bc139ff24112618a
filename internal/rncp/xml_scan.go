package rncp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner cuts an XML document into the tokens of encoding/xml's
// Decoder.RawToken, about five times faster.
//
// It reads the common forms itself, straight from its buffer: tags without
// attributes whose names are plain ASCII, text, CDATA sections, the five
// predefined entities and character references. Anything else — comments,
// processing instructions, attributes, other entities, any byte or sequence
// it is not sure of, the end of the input or a read error inside a token — it
// gives back to a new xml.Decoder that reads that one token from the same
// bytes. So encoding/xml decides whatever is unusual, and it alone writes the
// syntax errors: the messages, and the lines they name, are its own.
type xmlScanner struct {
	r     io.Reader
	buf   []byte // buf[start:] is the current token and what was read after it
	start int    // where the current token starts in buf
	pos   int    // the next byte to read: the end of the current token once read
	off   int64  // input offset of buf[0]
	line  int    // line of pos
	err   error  // the error that stopped the input, io.EOF at its end

	closing []byte // name of a self-closing element whose end is due
	decoded []byte // text whose entities or line ends were decoded
	// slowLeft is what encoding/xml may still read of the current token;
	// slowTooLarge is set when it would have read more. encoding/xml may
	// turn that read error into a syntax error of its own.
	slowLeft     int
	slowTooLarge bool
}

// tokenKind tells the tokens apart.
type tokenKind int

const (
	startTag tokenKind = iota
	endTag
	charData
	otherToken // comment, processing instruction or directive: read and ignored
)

// xmlToken is one token. Its slices hold until the next call of next.
type xmlToken struct {
	kind tokenKind
	name []byte // element name as written, prefix included (tags)
	data []byte // decoded character data (charData)
}

// Bytes the scanner looks for.
var (
	cdataStart = []byte("<![CDATA[")
	cdataEnd   = []byte("]]>")
	newline    = []byte("\n")
)

func newXMLScanner(r io.Reader, size int) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, 0, size), line: 1}
}

// skipBOM skips a UTF-8 byte order mark, which encoding/xml does not expect.
func (s *xmlScanner) skipBOM() {
	for len(s.buf) < len(utf8BOM) && s.fill() {
	}
	if bytes.HasPrefix(s.buf, utf8BOM) {
		s.buf = s.buf[:copy(s.buf, s.buf[len(utf8BOM):])]
	}
}

// offset returns the input offset of the end of the last token, as
// xml.Decoder.InputOffset does.
func (s *xmlScanner) offset() int64 { return s.off + int64(s.pos) }

// next returns the next token, or the error RawToken would return: io.EOF
// at the end of the document.
func (s *xmlScanner) next() (xmlToken, error) {
	if s.closing != nil {
		name := s.closing
		s.closing = nil
		return xmlToken{kind: endTag, name: name}, nil
	}
	s.start = s.pos
	if s.pos == len(s.buf) && !s.fill() {
		return xmlToken{}, s.err
	}
	var tok xmlToken
	var ok bool
	if s.buf[s.start] == '<' {
		tok, ok = s.markup()
	} else {
		tok, ok = s.text()
	}
	if !ok {
		return s.slowToken()
	}
	s.line += bytes.Count(s.buf[s.start:s.pos], newline)
	return tok, nil
}

// markup reads a start tag, an end tag or a CDATA section. It returns false
// for anything else, or if unsure.
func (s *xmlScanner) markup() (xmlToken, bool) {
	c, ok := s.at(1)
	switch {
	case !ok:
		return xmlToken{}, false
	case c == '/':
		end, ok := s.name(2)
		if !ok || !s.is(end, '>') {
			return xmlToken{}, false
		}
		s.pos = s.start + end + 1
		return xmlToken{kind: endTag, name: s.buf[s.start+2 : s.start+end]}, true
	case c == '!':
		return s.cdata()
	}
	end, ok := s.name(1)
	switch {
	case !ok:
		return xmlToken{}, false
	case s.is(end, '>'):
		s.pos = s.start + end + 1
	case s.is(end, '/') && s.is(end+1, '>'):
		s.pos = s.start + end + 2
		s.closing = s.buf[s.start+1 : s.start+end]
	default:
		return xmlToken{}, false // white space, attributes, "/" without ">"…
	}
	return xmlToken{kind: startTag, name: s.buf[s.start+1 : s.start+end]}, true
}

// name returns where the name starting at i ends, if it is made of ASCII
// letters, digits, '_', '-' and '.' and starts with a letter or '_'.
// Other names, with a prefix or non-ASCII letters, are encoding/xml's.
func (s *xmlScanner) name(i int) (int, bool) {
	for first := true; ; first = false {
		c, ok := s.at(i)
		switch {
		case !ok:
			return 0, false
		case 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_':
		case !first && ('0' <= c && c <= '9' || c == '-' || c == '.'):
		case first || c == ':' || c >= utf8.RuneSelf:
			return 0, false
		default:
			return i, true
		}
		i++
	}
}

// cdata reads a CDATA section.
func (s *xmlScanner) cdata() (xmlToken, bool) {
	for i, c := range cdataStart {
		if b, ok := s.at(i); !ok || b != c {
			return xmlToken{}, false // a comment, a directive, or not well formed
		}
	}
	end := s.index(len(cdataStart), cdataEnd)
	if end < 0 {
		return xmlToken{}, false
	}
	data, ok := s.check(s.buf[s.start+len(cdataStart):s.start+end], true)
	s.pos = s.start + end + len(cdataEnd)
	return xmlToken{kind: charData, data: data}, ok
}

// text reads the character data up to the next '<'. Text that runs to the
// end of the input (white space after the root) is left to encoding/xml.
func (s *xmlScanner) text() (xmlToken, bool) {
	end := s.index(0, []byte("<"))
	if end < 0 {
		return xmlToken{}, false
	}
	data, ok := s.check(s.buf[s.start:s.start+end], false)
	s.pos = s.start + end
	return xmlToken{kind: charData, data: data}, ok
}

// check checks character data as encoding/xml does and returns it decoded.
// It returns false if it finds what it leaves to encoding/xml: a byte that
// is not a character of XML or not UTF-8, "]]>" in text, an entity other
// than the predefined ones.
func (s *xmlScanner) check(raw []byte, cdata bool) ([]byte, bool) {
	decode := false
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n == 1 || !isXMLChar(r) {
				return nil, false
			}
			i += n
			continue
		case c == '\r' || c == '&' && !cdata:
			decode = true
		case c == ']' && !cdata && bytes.HasPrefix(raw[i:], cdataEnd):
			return nil, false
		case c < ' ' && c != '\t' && c != '\n':
			return nil, false
		}
		i++
	}
	if !decode {
		return raw, true
	}
	return s.decode(raw, cdata)
}

// decode replaces the references (but in CDATA) and turns "\r\n" and lone
// '\r' into '\n', as encoding/xml does.
func (s *xmlScanner) decode(raw []byte, cdata bool) ([]byte, bool) {
	out := s.decoded[:0]
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '\r':
			out = append(out, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case c == '&' && !cdata:
			r, n := reference(raw[i:])
			if n == 0 {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
			i += n - 1
		default:
			out = append(out, c)
		}
	}
	s.decoded = out
	return out, true
}

// reference decodes the reference at the start of b ("&amp;", "&#233;",
// "&#xE9;") and returns its length, or 0 if it is no predefined entity nor
// the reference of a character of XML.
func reference(b []byte) (rune, int) {
	end := bytes.IndexByte(b, ';')
	if end < 0 {
		return 0, 0
	}
	ref := b[1:end]
	switch string(ref) {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "apos":
		return '\'', end + 1
	case "quot":
		return '"', end + 1
	}
	base := 10
	digits, ok := bytes.CutPrefix(ref, []byte("#"))
	if hex, isHex := bytes.CutPrefix(digits, []byte("x")); ok && isHex {
		base, digits = 16, hex
	}
	if !ok || len(digits) == 0 || len(digits) > 8 {
		return 0, 0
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, 0
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 32)
	if err != nil || !isXMLChar(rune(n)) {
		return 0, 0
	}
	return rune(n), end + 1
}

// isXMLChar reports whether r is a character of XML (production Char).
func isXMLChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// slowToken has encoding/xml read the current token, from its start.
func (s *xmlScanner) slowToken() (xmlToken, error) {
	if errors.Is(s.err, errTooLarge) {
		return xmlToken{}, s.err // the token runs past the fiche's limit
	}
	s.pos, s.closing = s.start, nil
	s.slowLeft, s.slowTooLarge = maxSlowTokenBytes, false
	line := s.line
	d := xml.NewDecoder(decoderInput{s})
	tok, err := d.RawToken()
	// The decoder may have read a byte past the token and kept it.
	s.pos = s.start + int(d.InputOffset())
	s.line += bytes.Count(s.buf[s.start:s.pos], newline)
	if err != nil {
		var syn *xml.SyntaxError
		if errors.As(err, &syn) {
			err = &xml.SyntaxError{Msg: syn.Msg, Line: line + syn.Line - 1}
		}
		return xmlToken{}, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		name := []byte(qualified(t.Name))
		if s.buf[s.pos-2] == '/' { // <a/>: the decoder would return </a> next
			s.closing = name
		}
		return xmlToken{kind: startTag, name: name}, nil
	case xml.EndElement:
		return xmlToken{kind: endTag, name: []byte(qualified(t.Name))}, nil
	case xml.CharData:
		return xmlToken{kind: charData, data: t}, nil
	}
	return xmlToken{kind: otherToken}, nil
}

// qualified returns the element name as written: <x:FICHE> is not <FICHE>.
func qualified(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// decoderInput feeds the scanner's input to an xml.Decoder.
type decoderInput struct{ s *xmlScanner }

func (in decoderInput) ReadByte() (byte, error) {
	s := in.s
	if s.slowLeft <= 0 {
		s.slowTooLarge = true
		return 0, errSlowTokenTooLarge
	}
	s.slowLeft--
	if s.pos == len(s.buf) && !s.fill() {
		return 0, s.err
	}
	s.pos++
	return s.buf[s.pos-1], nil
}

func (in decoderInput) Read(b []byte) (int, error) {
	s := in.s
	if s.slowLeft <= 0 {
		s.slowTooLarge = true
		return 0, errSlowTokenTooLarge
	}
	if s.pos == len(s.buf) && !s.fill() {
		return 0, s.err
	}
	n := copy(b[:min(len(b), s.slowLeft)], s.buf[s.pos:])
	s.pos += n
	s.slowLeft -= n
	return n, nil
}

// at returns the byte i bytes after the start of the token.
func (s *xmlScanner) at(i int) (byte, bool) {
	for s.start+i >= len(s.buf) {
		if !s.fill() {
			return 0, false
		}
	}
	return s.buf[s.start+i], true
}

// is reports whether the byte i bytes after the start of the token is c.
func (s *xmlScanner) is(i int, c byte) bool {
	b, ok := s.at(i)
	return ok && b == c
}

// index returns where the first sep at or after from lies, counted from
// the start of the token; -1 if the input ends or fails before.
func (s *xmlScanner) index(from int, sep []byte) int {
	for {
		if i := bytes.Index(s.buf[s.start+from:], sep); i >= 0 {
			return from + i
		}
		from = max(from, len(s.buf)-s.start-len(sep)+1)
		if !s.fill() {
			return -1
		}
	}
}

// fill reads more input after what the buffer holds. When the buffer is
// full it drops what lies before the current token, and doubles if the
// token takes more than half of it. Like bufio, it gives up after 100
// reads that return nothing. Its error sticks, as the decoder's does.
func (s *xmlScanner) fill() bool {
	if s.err != nil {
		return false
	}
	if len(s.buf) == cap(s.buf) {
		buf := s.buf[:0]
		if len(s.buf)-s.start > cap(s.buf)/2 {
			buf = make([]byte, 0, 2*cap(s.buf))
		}
		s.buf = append(buf, s.buf[s.start:]...)
		s.off += int64(s.start)
		s.pos -= s.start
		s.start = 0
	}
	for range 100 {
		n, err := s.r.Read(s.buf[len(s.buf):cap(s.buf)])
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.err = io.ErrNoProgress
	return false
}
