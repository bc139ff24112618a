package cdc

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Limits of what Parse reads, far above a real flux: the Caisse's files
// hold thousands of passages, each of a few KB.
var (
	MaxPassages = 500_000
	maxText     = 4096 // characters of one element's text
)

// ParseError is what makes a flux unreadable, with its line.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// parser walks a flux element by element; every element must be one the
// XSD allows where it stands, in the flux's namespace.
type parser struct {
	dec *xml.Decoder
	n   int // passages read
}

func (p *parser) errf(format string, a ...any) error {
	line, _ := p.dec.InputPos()
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, a...)}
}

// Parse reads a whole flux and checks it as the XSD would: elements in
// place, required ones present, every value within its facets. The
// passages come back in the file's order.
func Parse(r io.Reader) (*Flux, error) {
	p := &parser{dec: xml.NewDecoder(r)}
	p.dec.Strict = true
	f := &Flux{}
	root, err := p.next()
	if err != nil {
		return nil, err
	}
	if root == nil || root.Name.Space != NS || root.Name.Local != "flux" {
		return nil, p.errf("the root element must be flux in namespace %s", NS)
	}
	var stamp string
	seen := map[string]bool{}
	err = p.children(seen, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "idFlux":
			return p.text(se, &f.IDFlux)
		case "horodatage":
			return p.text(se, &stamp)
		case "emetteur":
			return p.emetteur(f)
		}
		return p.unexpected(se)
	})
	if err != nil {
		return nil, err
	}
	if err := p.required(seen, "flux", "idFlux", "horodatage", "emetteur"); err != nil {
		return nil, err
	}
	if !stampPat.MatchString(stamp) {
		return nil, p.errf("horodatage %q must be a date and time with its offset, such as 2020-12-18T14:24:12+01:00", cut(stamp))
	}
	if f.Horodatage, err = time.Parse(StampLayout, stamp); err != nil {
		return nil, p.errf("horodatage %q is not a time of the calendar", cut(stamp))
	}
	if err := f.Header.Validate(); err != nil {
		return nil, &ParseError{Msg: err.Error()}
	}
	for t, err := p.dec.Token(); err != io.EOF; t, err = p.dec.Token() {
		if err != nil {
			return nil, p.errf("%v", err)
		}
		if _, ok := t.(xml.StartElement); ok {
			return nil, p.errf("content after the end of flux")
		}
	}
	return f, nil
}

// next returns the next start element, nil at an end element; text other
// than white space is an error.
func (p *parser) next() (*xml.StartElement, error) {
	for {
		t, err := p.dec.Token()
		if err == io.EOF {
			return nil, p.errf("the file ends before the flux does")
		}
		if err != nil {
			return nil, p.errf("%v", err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			return &t, nil
		case xml.EndElement:
			return nil, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, p.errf("unexpected text %q", cut(string(t)))
			}
		case xml.Directive:
			return nil, p.errf("a DOCTYPE or other directive is not allowed in a flux")
		}
	}
}

// children calls fn on each child element of the current one, each name
// at most once (seen), until its end; elements of another namespace are
// refused.
func (p *parser) children(seen map[string]bool, fn func(xml.StartElement) error) error {
	for {
		se, err := p.next()
		if err != nil || se == nil {
			return err
		}
		if se.Name.Space != NS {
			return p.unexpected(*se)
		}
		if seen != nil {
			if seen[se.Name.Local] {
				return p.errf("element %s appears twice", se.Name.Local)
			}
			seen[se.Name.Local] = true
		}
		if err := fn(*se); err != nil {
			return err
		}
	}
}

func (p *parser) unexpected(se xml.StartElement) error {
	if se.Name.Space != NS {
		return p.errf("element %s of namespace %q is not in the flux's namespace", se.Name.Local, se.Name.Space)
	}
	return p.errf("element %s is not expected here", se.Name.Local)
}

func (p *parser) required(seen map[string]bool, parent string, names ...string) error {
	for _, n := range names {
		if !seen[n] {
			return p.errf("%s lacks its element %s", parent, n)
		}
	}
	return nil
}

// nilAttr reports whether se carries xsi:nil="true" (or "1").
func nilAttr(se xml.StartElement) bool {
	for _, a := range se.Attr {
		if a.Name.Space == XSINS && a.Name.Local == "nil" {
			return a.Value == "true" || a.Value == "1"
		}
	}
	return false
}

// text reads the text of a simple element into s; an element present but
// empty is refused here, since every string of the XSD has a minimum
// length, and xsi:nil only where the XSD allows it (nillable).
func (p *parser) text(se xml.StartElement, s *string) error { return p.textNil(se, s, false) }

func (p *parser) textNil(se xml.StartElement, s *string, nillable bool) error {
	isNil := nilAttr(se)
	if isNil && !nillable {
		return p.errf("element %s may not be nil", se.Name.Local)
	}
	var b strings.Builder
	for {
		t, err := p.dec.Token()
		if err != nil {
			return p.errf("%v", err)
		}
		switch t := t.(type) {
		case xml.CharData:
			if b.Len()+len(t) > maxText {
				return p.errf("element %s holds more than %d characters", se.Name.Local, maxText)
			}
			b.Write(t)
		case xml.StartElement:
			return p.errf("element %s may hold only text, not %s", se.Name.Local, t.Name.Local)
		case xml.EndElement:
			v := b.String()
			switch {
			case isNil && v != "":
				return p.errf("element %s is nil yet has a value", se.Name.Local)
			case !isNil && v == "":
				return p.errf("element %s is empty", se.Name.Local)
			}
			*s = v
			return nil
		}
	}
}

func (p *parser) number(se xml.StartElement, n *int, nillable bool) error {
	var s string
	if err := p.textNil(se, &s, nillable); err != nil || s == "" {
		return err
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v == 0 {
		return p.errf("element %s %q is not a number in its range", se.Name.Local, cut(s))
	}
	*n = v
	return nil
}

func (p *parser) boolean(se xml.StartElement, b *bool) error {
	var s string
	if err := p.text(se, &s); err != nil {
		return err
	}
	switch strings.TrimSpace(s) {
	case "true", "1":
		*b = true
	case "false", "0":
		*b = false
	default:
		return p.errf("element %s %q is not true or false", se.Name.Local, cut(s))
	}
	return nil
}

func (p *parser) emetteur(f *Flux) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "idClient":
			return p.text(se, &f.Emetteur)
		case "certificateurs":
			s2 := map[string]bool{}
			err := p.children(s2, func(se xml.StartElement) error {
				if se.Name.Local != "certificateur" {
					return p.unexpected(se)
				}
				return p.certificateur(f)
			})
			if err != nil {
				return err
			}
			return p.required(s2, "certificateurs", "certificateur")
		}
		return p.unexpected(se)
	})
	if err != nil {
		return err
	}
	return p.required(seen, "emetteur", "idClient", "certificateurs")
}

func (p *parser) certificateur(f *Flux) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "idClient":
			return p.text(se, &f.Certificateur)
		case "idContrat":
			return p.text(se, &f.Contrat)
		case "certifications":
			return p.children(nil, func(se xml.StartElement) error {
				if se.Name.Local != "certification" {
					return p.unexpected(se)
				}
				var ct Certification
				if err := p.certification(&ct); err != nil {
					return err
				}
				f.Certifications = append(f.Certifications, ct)
				return nil
			})
		}
		return p.unexpected(se)
	})
	if err != nil {
		return err
	}
	if err := p.required(seen, "certificateur", "idClient", "idContrat", "certifications"); err != nil {
		return err
	}
	if len(f.Certifications) == 0 {
		return p.errf("certifications holds no certification")
	}
	return nil
}

func (p *parser) certification(ct *Certification) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "type":
			return p.text(se, &ct.Type)
		case "code":
			return p.text(se, &ct.Code)
		case "natureDeposant":
			return p.text(se, &ct.NatureDeposant)
		case "passageCertifications":
			return p.children(nil, func(se xml.StartElement) error {
				if se.Name.Local != "passageCertification" {
					return p.unexpected(se)
				}
				if p.n++; p.n > MaxPassages {
					return p.errf("more than %d passages", MaxPassages)
				}
				var ps Passage
				if err := p.passage(&ps); err != nil {
					return err
				}
				if err := ps.Validate(); err != nil {
					return p.errf("%v", err)
				}
				ct.Passages = append(ct.Passages, ps)
				return nil
			})
		}
		return p.unexpected(se)
	})
	if err != nil {
		return err
	}
	if err := p.required(seen, "certification", "type", "code", "passageCertifications"); err != nil {
		return err
	}
	if len(ct.Passages) == 0 {
		return p.errf("certification %s has no passage", cut(ct.Code))
	}
	if err := ct.Validate(); err != nil {
		return p.errf("%v", err)
	}
	return nil
}
