package rncp

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/certibloc/certibloc"
)

func TestReadXMLBadDocuments(t *testing.T) {
	fixture := string(readFile(t, rncpXML))
	second := strings.Index(fixture, "<NUMERO_FICHE>RNCP35809")
	const head = "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>"
	tests := []struct {
		name   string
		doc    string
		fiches int    // fiches that come through before the error
		msg    string // what the error must say
	}{
		{"empty", "", 0, "line 1: no <FICHES> element"},
		{"garbage text", "this is no XML at all", 0, "line 1: text outside the <FICHES> element"},
		{"binary garbage", "\x00\x01\x02PK", 0, "line 1: illegal character code U+0000"},
		{"wrong root", "<?xml version=\"1.0\"?>\n<CERTIFICATIONS><FICHE/></CERTIFICATIONS>", 0,
			"line 2: the root element is <CERTIFICATIONS>, not <FICHES>"},
		{"namespaced root", `<x:FICHES xmlns:x="urn:x"/>`, 0, "the root element is <x:FICHES>"},
		{"flux 3", "<FICHES>\n<VERSION_FLUX>3.2</VERSION_FLUX>", 0, `line 2: VERSION_FLUX is "3.2"; this reader knows flux 4.x only`},
		{"no version", "<FICHES>\n<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE></FICHE></FICHES>", 0,
			"line 2: <FICHE> before <VERSION_FLUX>"},
		{"truncated inside a tag", fixture[:second+5], 1, "unexpected EOF"},
		{"truncated between tags", fixture[:second], 1, "the document ends inside <FICHE>: the file is truncated"},
		{"truncated after a fiche", head + "<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>T</INTITULE></FICHE>", 1,
			"the document ends inside <FICHES>: the file is truncated"},
		{"mismatched end tag", head + "\n<FICHE><INTITULE>T</NUMERO_FICHE></FICHE></FICHES>", 0,
			"line 2: </NUMERO_FICHE> closes <INTITULE>"},
		{"second root", head + "</FICHES>\n<FICHES/>", 0, "line 2: element <FICHES> after </FICHES>"},
		{"text after the root", head + "</FICHES>\ngarbage", 0, "text outside the <FICHES> element"},
		{"undefined entity", head + "<FICHE><INTITULE>&eacute;</INTITULE></FICHE></FICHES>", 0, "invalid character entity &eacute;"},
		{"too deep", head + "<FICHE>" + strings.Repeat("<A>", 100), 0, "elements nest deeper than 64 levels"},
		{"latin-1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><FICHES/>", 0, `encoding "ISO-8859-1" declared`},
		{"not UTF-8", head + "<FICHE><INTITULE>\xe9t\xe9</INTITULE></FICHE></FICHES>", 0, "invalid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readXMLString(t, tt.doc)
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %v, want one saying %q", err, tt.msg)
			}
			checkInvalid(t, err)
			if !strings.Contains(err.Error(), "XML export, line ") {
				t.Errorf("error %q does not name the line", err)
			}
			if len(got) != tt.fiches {
				t.Errorf("%d fiches before the error, want %d", len(got), tt.fiches)
			}
		})
	}
}

// TestReadXMLMismatchedEndTag checks that an end tag that does not close
// the innermost element stops the reading, naming both and the line: the
// tokenizers do not check this, the parser does.
func TestReadXMLMismatchedEndTag(t *testing.T) {
	const head = "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>\n"
	tests := []struct{ name, doc, msg string }{
		{"below the root", head + "<A></B></FICHES>", "XML export, line 2: </B> closes <A>"},
		{"in a fiche", head + "<FICHE>\n<A>x\n</B>\n</FICHE></FICHES>", "XML export, line 4: </B> closes <A>"},
		{"in a skipped subtree", head + "<FICHE><PARTENAIRES>\n\n<A></B>", "XML export, line 4: </B> closes <A>"},
		{"same name, other prefix", head + "<x:A></A></FICHES>", "XML export, line 2: </A> closes <x:A>"},
		{"tags read by encoding/xml", head + "<A b=\"c\">\n</B >", "XML export, line 3: </B> closes <A>"},
		{"self-closing then mismatch", head + "<A><C/></B>", "XML export, line 2: </B> closes <A>"},
		{"the root", "<FICHES>\n</FICHE>", "XML export, line 2: </FICHE> closes <FICHES>"},
		{"nothing open", head + "</FICHES>\n</A>", "XML export, line 3: </A> closes no element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readXMLString(t, tt.doc)
			if err == nil || !strings.HasSuffix(err.Error(), tt.msg) {
				t.Fatalf("error %v, want one ending in %q", err, tt.msg)
			}
			checkInvalid(t, err)
			if len(got) != 0 {
				t.Errorf("%d fiches before the error, want none", len(got))
			}
		})
	}
}

func TestReadXMLBOM(t *testing.T) {
	got, err := readXMLString(t, "\ufeff"+string(readFile(t, rsXML)))
	if err != nil || len(got) != 8 {
		t.Fatalf("%d fiches, %v: want 8 and no error", len(got), err)
	}
}

// TestReadXMLFicheTooLarge lowers the cap to check that one huge fiche
// stops the reading with a clear error instead of filling memory.
func TestReadXMLFicheTooLarge(t *testing.T) {
	defer func(n int64) { maxFicheBytes = n }(maxFicheBytes)
	maxFicheBytes = 1 << 20
	doc := "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>" +
		"<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>Petite</INTITULE></FICHE>" +
		"<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>" + strings.Repeat("x", 3<<20) + "</INTITULE></FICHE></FICHES>"
	got, err := readXMLString(t, doc)
	if err == nil || !strings.Contains(err.Error(), "fiche RNCP2 starting on line 1 is larger than 1 MB") {
		t.Fatalf("error %v, want fiche RNCP2 too large", err)
	}
	checkInvalid(t, err)
	if len(got) != 1 {
		t.Errorf("%d fiches before the error, want 1", len(got))
	}
	// Many fiches of half the cap each are fine: the cap is per fiche.
	fiche := "<FICHE><NUMERO_FICHE>RNCP3</NUMERO_FICHE><INTITULE>" + strings.Repeat("y", 1<<19) + "</INTITULE></FICHE>"
	got, err = readXMLString(t, "<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>"+strings.Repeat(fiche, 8)+"</FICHES>")
	if err != nil || len(got) != 8 {
		t.Errorf("8 fiches of 512 kB: got %d, %v", len(got), err)
	}
}

func TestReadXMLCallbackStops(t *testing.T) {
	stop := errors.New("stop here")
	calls := 0
	err := ReadXML(strings.NewReader(string(readFile(t, rncpXML))), func(string, *certibloc.Certification, error) error {
		if calls++; calls == 2 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 2 {
		t.Errorf("ReadXML = %v after %d calls, want the callback's error after 2", err, calls)
	}
}

// TestReadXMLReadFailure checks that a failing reader is reported as such,
// not as a bad file.
func TestReadXMLReadFailure(t *testing.T) {
	broken := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(string(readFile(t, rncpXML))[:100000]), iotest.ErrReader(broken))
	var got []result
	err := ReadXML(r, collector(t, &got))
	if !errors.Is(err, broken) || certibloc.ErrorCode(err) != certibloc.EINTERNAL {
		t.Errorf("error %v (code %s), want the reader's error, internal", err, certibloc.ErrorCode(err))
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want Format
	}{
		{"<?xml version", XML},
		{"\ufeff\r\n  <FICHES>", XML},
		{"PK\x03\x04\x14\x00", CSVZip},
		{"PK\x05\x06", Unknown}, // an empty zip holds no export
		{"\ufeff", Unknown},
		{"Numero_Fiche;Intitule", Unknown},
		{"", Unknown},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
	if got := Detect(readFile(t, csvZip)[:512]); got != CSVZip {
		t.Errorf("Detect(csv zip fixture) = %v", got)
	}
	if got := Detect(readFile(t, rsXML)[:512]); got != XML {
		t.Errorf("Detect(RS XML fixture) = %v", got)
	}
}
