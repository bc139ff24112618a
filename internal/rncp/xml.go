package rncp

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/certibloc/certibloc"
)

// encoding/xml's RawToken alone reads the national file at 86–101 MB/s on
// the 2-core build machine, and building the certifications takes a third
// of that time again: ReadXML ran at 60–65 MB/s, under 50 loaded. So the
// tokens come from xmlScanner (xml_scan.go), which reads the plain forms
// the export is made of about five times faster (BenchmarkXMLTokens) and
// leaves everything else, errors included, to encoding/xml. The reader
// keeps one fiche's fields and a stack of element names, nothing else, and
// checks that end tags match their start tags, which neither tokenizer does.

// The limits of one fiche and of nesting, maxFicheBytes and maxDepth, are
// in limits.go.

// readAhead is the initial size of the scanner's buffer, which reads ahead
// of the token it is at: the guard lets it read that much beyond the end of
// a fiche of just under the cap.
const readAhead = 64 << 10

// errTooLarge is what the guard returns when a fiche exceeds maxFicheBytes,
// errSlowTokenTooLarge what the scanner gives encoding/xml past
// maxSlowTokenBytes of one token.
var (
	errTooLarge          = errors.New("fiche too large")
	errSlowTokenTooLarge = errors.New("token too large")
)

// ReadXML streams an RNCP or RS XML export (flux v4.1), calling each once
// per <FICHE> in file order. A fiche that cannot be turned into a valid
// certification is passed with a nil cert and a *certibloc.Error (code
// invalid) naming the fiche and what is wrong, and the reading goes on. A
// malformed document — broken XML, a root other than <FICHES>, a flux
// version other than 4.x, a fiche over 16 MB — stops the reading with a
// *certibloc.Error naming the line. If each returns an error, reading stops
// and that error is returned as is.
//
// Memory stays that of one fiche, whatever the size of the file.
func ReadXML(r io.Reader, each func(code string, cert *certibloc.Certification, err error) error) error {
	g := &guard{r: r, limit: maxFicheBytes + readAhead}
	s := newXMLScanner(g, readAhead)
	s.skipBOM()
	p := &xmlParser{s: s, g: g, each: each}
	return p.run()
}

// guard fails the reads that would take the current fiche past
// maxFicheBytes; the parser moves the limit as the document goes.
type guard struct {
	r     io.Reader
	read  int64 // bytes read so far
	limit int64 // reading past this offset fails
	err   error // the last error of r other than io.EOF: a failure to read, not a bad file
}

func (g *guard) Read(b []byte) (int, error) {
	if g.read >= g.limit {
		return 0, errTooLarge
	}
	if int64(len(b)) > g.limit-g.read {
		b = b[:g.limit-g.read]
	}
	n, err := g.r.Read(b)
	g.read += int64(n)
	if err != nil && err != io.EOF {
		g.err = err
	}
	return n, err
}

// run reads tokens to the end of the document.
func (p *xmlParser) run() error {
	for {
		tok, err := p.s.next()
		if err == io.EOF {
			return p.endOfDocument()
		}
		if err != nil {
			return p.readError(err)
		}
		switch tok.kind {
		case startTag:
			err = p.startElement(tok.name)
		case endTag:
			err = p.endElement(tok.name)
		case charData:
			err = p.charData(tok.data)
		}
		if err != nil {
			return err
		}
		// The next fiche, or whatever lies between two fiches, may take
		// maxFicheBytes from where it starts.
		base := p.s.offset()
		if p.f != nil {
			base = p.ficheStart
		}
		p.g.limit = base + maxFicheBytes + readAhead
	}
}

// endOfDocument checks that the document was whole.
func (p *xmlParser) endOfDocument() error {
	switch {
	case len(p.nameEnds) > 0:
		return p.errorf("the document ends inside <%s>: the file is truncated", p.innermost())
	case !p.rootSeen:
		return p.errorf("no <FICHES> element: this is not an RNCP or RS export")
	}
	return nil
}

// readError turns an error of the scanner — encoding/xml's, the guard's or
// the reader's — into a *certibloc.Error with its line.
func (p *xmlParser) readError(err error) error {
	var syn *xml.SyntaxError
	switch {
	case p.s.slowTooLarge:
		return p.errorf("a comment, a tag with attributes or another unusual token larger than %d KB: the file looks corrupt",
			maxSlowTokenBytes>>10)
	case errors.As(err, &syn):
		msg := strings.TrimPrefix(syn.Msg, "xml: ")
		return certibloc.Errorf(certibloc.EINVALID, "XML export, line %d: %s", syn.Line, msg)
	case errors.Is(err, errTooLarge):
		return p.errorf("%s starting on line %d is larger than %d MB: the file looks corrupt",
			p.ficheName(), p.ficheLine, maxFicheBytes>>20)
	case p.g.err != nil && errors.Is(err, p.g.err):
		return fmt.Errorf("reading the XML export: %w", err) // not the file's fault: internal
	}
	return p.errorf("%v", strings.TrimPrefix(err.Error(), "xml: "))
}

// errorf returns an error about the document at the current line.
func (p *xmlParser) errorf(format string, args ...any) error {
	return certibloc.Errorf(certibloc.EINVALID, "XML export, line %d: %s", p.s.line, fmt.Sprintf(format, args...))
}
