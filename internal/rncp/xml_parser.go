package rncp

import (
	"bytes"
	"fmt"
	"strings"
)

// xmlParser follows the element tree of an export and fills one fiche at a
// time. Below <FICHE> it knows where it is by path ("BLOCS_COMPETENCES/
// BLOC_COMPETENCES/CODE"), which is what keeps the traps apart: the
// NUMERO_FICHE inside CORRESPONDANCES/…/DESTINATION and the ACTIF inside
// SI_JURY_FI are other paths than the fiche's own NUMERO_FICHE and ACTIF.
type xmlParser struct {
	s    *xmlScanner
	g    *guard
	each Callback

	names    []byte // names of the open elements, root first, end to end
	nameEnds []int  // where each of them ends in names
	rootSeen bool
	rootDone bool
	version  string // VERSION_FLUX, once read

	f          *fiche // the fiche being read; nil between fiches
	ficheStart int64  // input offset of its start tag
	ficheLine  int
	path       []byte // names of the open elements below <FICHE>, joined by '/'
	pathEnds   []int  // len(path) before each of them was added
	skip       int    // > 0 inside a subtree of the fiche that nothing reads
	text       []byte // character data of the innermost open element
	leaf       bool   // whether that element has had no child element yet
}

// startElement opens an element.
func (p *xmlParser) startElement(name []byte) error {
	depth := len(p.nameEnds)
	if depth >= maxDepth {
		return p.errorf("elements nest deeper than %d levels", maxDepth)
	}
	switch {
	case depth == 0 && p.rootDone:
		return p.errorf("element <%s> after </FICHES>", name)
	case depth == 0 && string(name) != "FICHES":
		return p.errorf("the root element is <%s>, not <FICHES>: this is not an RNCP or RS export", name)
	case depth == 0:
		p.rootSeen = true
	case depth == 1 && string(name) == "FICHE":
		if p.version == "" {
			return p.errorf("<FICHE> before <VERSION_FLUX>: cannot tell the version of the flux")
		}
		p.f = &fiche{where: fmt.Sprintf("line %d", p.s.line)}
		p.ficheStart, p.ficheLine = p.s.offset(), p.s.line
	case p.skip > 0:
		p.skip++
	case depth == 2 && p.f != nil && !wanted(name):
		p.skip = 1 // PARTENAIRES, CORRESPONDANCES, STATISTIQUES_PROMOTIONS…
	case depth >= 2 && p.f != nil:
		p.pathEnds = append(p.pathEnds, len(p.path))
		if depth > 2 {
			p.path = append(p.path, '/')
		}
		p.path = append(p.path, name...)
		p.f.open(p.path)
	}
	p.names = append(p.names, name...)
	p.nameEnds = append(p.nameEnds, len(p.names))
	p.text = p.text[:0]
	p.leaf = true
	return nil
}

// endElement closes the innermost element, which must be name.
func (p *xmlParser) endElement(name []byte) error {
	if len(p.nameEnds) == 0 {
		return p.errorf("</%s> closes no element", name)
	}
	if inner := p.innermost(); !bytes.Equal(inner, name) {
		return p.errorf("</%s> closes <%s>", name, inner)
	}
	p.names = p.names[:len(p.names)-len(name)]
	p.nameEnds = p.nameEnds[:len(p.nameEnds)-1]
	depth := len(p.nameEnds)
	leaf := p.leaf
	p.leaf = false // the parent, current again, has had a child
	switch {
	case depth == 0:
		p.rootDone = true
	case depth == 1 && string(name) == "VERSION_FLUX":
		return p.checkVersion()
	case depth == 1 && string(name) == "FICHE" && p.f != nil:
		return p.endFiche()
	case p.skip > 0:
		p.skip--
	case depth >= 2 && p.f != nil:
		if leaf {
			p.f.set(p.path, p.text)
		}
		p.path = p.path[:p.pathEnds[len(p.pathEnds)-1]]
		p.pathEnds = p.pathEnds[:len(p.pathEnds)-1]
	}
	return nil
}

// charData collects the text of the current element. Outside the root only
// white space may appear: anything else means this is not an XML export.
func (p *xmlParser) charData(t []byte) error {
	if len(p.nameEnds) == 0 {
		if len(bytes.TrimSpace(t)) > 0 {
			return p.errorf("text outside the <FICHES> element: this is not an RNCP or RS export")
		}
		return nil
	}
	if p.skip == 0 && p.leaf {
		p.text = append(p.text, t...)
	}
	return nil
}

// innermost returns the name of the innermost open element.
func (p *xmlParser) innermost() []byte {
	from := 0
	if n := len(p.nameEnds); n > 1 {
		from = p.nameEnds[n-2]
	}
	return p.names[from:]
}

// checkVersion accepts flux 4.x only: other versions name and nest their
// elements differently, and reading them as 4.x would import wrong data.
func (p *xmlParser) checkVersion() error {
	v := strings.TrimSpace(string(p.text))
	if v != "4" && !strings.HasPrefix(v, "4.") {
		return p.errorf("VERSION_FLUX is %q; this reader knows flux 4.x only", v)
	}
	p.version = v
	return nil
}

// endFiche builds the fiche just read and hands it over.
func (p *xmlParser) endFiche() error {
	f := p.f
	p.f, p.skip, p.path, p.pathEnds = nil, 0, p.path[:0], p.pathEnds[:0]
	cert, err := f.build(sourceXML)
	return p.each(strings.TrimSpace(f.code), cert, err)
}

// ficheName names the fiche being read for messages.
func (p *xmlParser) ficheName() string {
	if p.f != nil && strings.TrimSpace(p.f.code) != "" {
		return "fiche " + strings.TrimSpace(p.f.code)
	}
	return "the fiche"
}
