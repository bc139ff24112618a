package rncp

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// scanned is a token, with the position after it, as both tokenizers see it.
type scanned struct {
	kind       tokenKind
	name, data string
	offset     int64
	line       int
}

func (t scanned) String() string {
	return fmt.Sprintf("kind %d name %q data %q offset %d line %d", t.kind, t.name, t.data, t.offset, t.line)
}

// decoderTokens reads r with encoding/xml's RawToken, as ReadXML did
// before the scanner.
func decoderTokens(r io.Reader) ([]scanned, error) {
	d := xml.NewDecoder(r)
	var out []scanned
	for {
		tok, err := d.RawToken()
		if err != nil {
			return out, err
		}
		t := scanned{kind: otherToken, offset: d.InputOffset()}
		t.line, _ = d.InputPos()
		switch tok := tok.(type) {
		case xml.StartElement:
			t.kind, t.name = startTag, qualified(tok.Name)
		case xml.EndElement:
			t.kind, t.name = endTag, qualified(tok.Name)
		case xml.CharData:
			t.kind, t.data = charData, string(tok)
		}
		out = append(out, t)
	}
}

// scannerTokens reads r with the scanner and a buffer of the given size.
func scannerTokens(r io.Reader, size int) ([]scanned, error) {
	s := newXMLScanner(r, size)
	var out []scanned
	for {
		tok, err := s.next()
		if err != nil {
			return out, err
		}
		out = append(out, scanned{tok.kind, string(tok.name), string(tok.data), s.offset(), s.line})
	}
}

// checkSameTokens fails unless the scanner reads doc as encoding/xml does:
// same tokens, same positions, same error, through readers that return
// little at a time, a buffer that must grow, and a read that fails.
func checkSameTokens(t *testing.T, doc string) {
	t.Helper()
	broken := errors.New("connection reset")
	failing := func() io.Reader {
		return io.MultiReader(strings.NewReader(doc[:len(doc)/2]), iotest.ErrReader(broken))
	}
	for _, c := range []struct {
		name string
		r    func() io.Reader
		size int
	}{
		{"whole", func() io.Reader { return strings.NewReader(doc) }, readAhead},
		{"small buffer", func() io.Reader { return strings.NewReader(doc) }, 1},
		{"one byte reads", func() io.Reader { return iotest.OneByteReader(strings.NewReader(doc)) }, 7},
		{"EOF with data", func() io.Reader { return iotest.DataErrReader(strings.NewReader(doc)) }, 16},
		{"read failure", failing, 5},
		{"empty reads", func() io.Reader { return io.MultiReader(strings.NewReader(doc), emptyReads{}) }, 3},
	} {
		want, wantErr := decoderTokens(c.r())
		got, err := scannerTokens(c.r(), c.size)
		for i := range max(len(want), len(got)) {
			if i >= len(want) || i >= len(got) || got[i] != want[i] {
				t.Fatalf("%s: %q: token %d:\n got  %v\n want %v", c.name, doc, i, at(got, i), at(want, i))
			}
		}
		if errText(err) != errText(wantErr) {
			t.Fatalf("%s: %q: error %s, want %s", c.name, doc, errText(err), errText(wantErr))
		}
	}
}

// emptyReads returns nothing, and no error either.
type emptyReads struct{}

func (emptyReads) Read([]byte) (int, error) { return 0, nil }

func at(ts []scanned, i int) string {
	if i < len(ts) {
		return ts[i].String()
	}
	return "none"
}

// errText describes an error, with its line if it is a syntax error.
func errText(err error) string {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("syntax error line %d: %s", syn.Line, syn.Msg)
	}
	return fmt.Sprintf("%v", err)
}

// scannerCases are what the scanner reads itself and what it must leave
// to encoding/xml.
var scannerCases = []string{
	"",
	"<a>x</a>",
	"<a/>",
	"<a />",
	"<a/ >",
	"<a></a >",
	"<a\n/>\n",
	"<A></B>",
	"</A>",
	"<>",
	"</>",
	"<1a>",
	"<a.b-c_1></a.b-c_1>",
	"<x:a></x:a>",
	"<:a/><a:/><a:b:c/>",
	"<é/>",
	"<a b='c'/>",
	"<a b=c>",
	"<a>\r\nx\ry\r\r\n</a>",
	"<a><![CDATA[\r\n<b>&amp;]]]></a>",
	"<a><![CDATA[]]></a>",
	"<a><![CDATA[x",
	"<a><![CDAT",
	"<a><![cdata[x]]></a>",
	"<a>&lt;&gt;&amp;&apos;&quot;&#233;&#xE9;&#x1F600;</a>",
	"<a>&eacute;</a>",
	"<a>&amp</a>",
	"<a>&#;&#x;</a>",
	"<a>&#0;</a>",
	"<a>&#xD800;</a>",
	"<a>&#xFFFE;</a>",
	"<a>&#X41;</a>",
	"<a>&#0000000000065;</a>",
	"<a>&#99999999999999999999;</a>",
	"<a>a]]>b</a>",
	"<a>a]]&gt;b</a>",
	"<a>]]</a>",
	"<a>x\x00y</a>",
	"<a>\x7f\u0085\ufffd\uffff</a>",
	"<a>\xe9t\xe9</a>",
	"<a>\xc3</a>",
	"<a>\xc3&amp;</a>",
	"\ufeff<a/>",
	"text only",
	"<a>text to the end",
	"<a>x</a>\n  \n",
	"<!-- comment --><a><!-- c --></a>",
	"<!-- unfinished",
	"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>",
	"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
	"<?xml version=\"1.1\"?><a/>",
	"<?pi x?><a><?pi?></a>",
	"<a",
	"<a/",
	"</a",
	"<",
	strings.Repeat("<a>", 40) + strings.Repeat("x", 1000) + strings.Repeat("</a>", 40),
}

func TestXMLScannerMatchesDecoder(t *testing.T) {
	docs := append([]string{trapsXML, string(readFile(t, rncpXML)), string(readFile(t, rsXML))}, scannerCases...)
	for _, doc := range docs {
		checkSameTokens(t, doc)
	}
}

func FuzzXMLScanner(f *testing.F) {
	f.Add(trapsXML)
	f.Add(oneFiche(f, rncpXML, "RNCP37488"))
	for _, doc := range scannerCases {
		f.Add(doc)
	}
	f.Fuzz(checkSameTokens)
}
