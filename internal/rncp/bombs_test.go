package rncp

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
)

// The attacks of issue 15: zips and XML documents made to take all the
// memory or all the time. Each must end in an error that names the limit,
// within a few seconds and a bounded heap.

// saveAll is a Saver that creates every certification.
func saveAll(_ context.Context, c *certibloc.Certification) (certibloc.SaveResult, error) {
	return certibloc.SaveResult{Code: c.Code, Version: 1, Status: certibloc.Created}, nil
}

// importBomb imports data, checking that it fails with an invalid-input
// error saying want, with less than maxHeap MB of heap at the peak.
func importBomb(t *testing.T, data []byte, want string, maxHeap uint64) *Report {
	t.Helper()
	return importBombReader(t, bytes.NewReader(data), want, maxHeap)
}

// importBombReader is importBomb reading r, which may make its input as it
// goes: the heap it is measured against is then the importer's alone.
func importBombReader(t *testing.T, r io.Reader, want string, maxHeap uint64) *Report {
	t.Helper()
	var rep *Report
	var err error
	start := time.Now()
	peak := peakHeap(func() { rep, err = Import(t.Context(), r, saveAll) })
	t.Logf("%v, %d MB of heap at the peak, %v", err, peak>>20, time.Since(start).Round(time.Millisecond))
	if certibloc.ErrorCode(err) != certibloc.EINVALID || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want one saying %q", err, want)
	}
	if peak > maxHeap<<20 {
		t.Errorf("%d MB of heap at the peak, want under %d MB", peak>>20, maxHeap)
	}
	return rep
}

// standardMember is the name of the Standard member.
const standardMember = "export_fiches_CSV_Standard_2024_02_22.csv"

func TestZipBombMemberOverTheLimit(t *testing.T) {
	// 2 GB of zeros in 2 MB of zip; the directory says so.
	data := makeBombZip(t, nil, bomb{name: standardMember, head: standardHeader, chunk: chunkOf("\x00", 1<<20), n: 2048})
	importBomb(t, data, "more than the 1024 MB a member may be", 20)
}

func TestZipBombMemberLyingAboutItsSize(t *testing.T) {
	// The directory says 1 KB; the member inflates to 1 GB.
	data := makeBombZip(t, nil, bomb{name: standardMember, head: standardHeader, chunk: chunkOf("\r\n", 1<<20), n: 1024, declared: 1 << 10})
	importBomb(t, data, "member "+standardMember, 20)
}

func TestZipBombMembersOverTheLimitInAll(t *testing.T) {
	defer func(n int64) { maxZipBytes = n }(maxZipBytes)
	maxZipBytes = 64 << 20
	side := bomb{name: "export_fiches_CSV_Nsf_2024_02_22.csv", head: `"Numero_Fiche";"Nsf_Code"` + "\r\n", chunk: chunkOf("\r\n", 1<<20), n: 40}
	data := makeBombZip(t, nil, bomb{name: standardMember, head: standardHeader, chunk: chunkOf("\r\n", 1<<20), n: 40}, side)
	importBomb(t, data, "the members read are 80 MB uncompressed in all, more than the 64 MB an export may be", 20)
}

func TestCSVBombOneEnormousLine(t *testing.T) {
	// One line of 256 MB, and one of 200 MB of separators, each in a
	// member within the limits.
	for name, chunk := range map[string]string{"letters": chunkOf("a", 1<<20), "separators": chunkOf(";", 1<<20)} {
		t.Run(name, func(t *testing.T) {
			data := makeBombZip(t, nil, bomb{name: standardMember, head: standardHeader + `"1";"RNCP1";"`, chunk: chunk, n: 200})
			importBomb(t, data, "after line 1: a record (a line, or lines within quotes) larger than 1 MB", 120)
		})
	}
}

func TestCSVBombManyLines(t *testing.T) {
	// A side member of lines all distinct: what it leaves in memory is
	// bounded (here to 8 MB), and the lines are not kept.
	defer func(n int64) { maxSideBytes = n }(maxSideBytes)
	maxSideBytes = 8 << 20
	var blocs strings.Builder
	blocs.WriteString(`"Numero_Fiche";"Bloc_Competences_Code";"Bloc_Competences_Libelle";"Liste_Competences"` + "\r\n")
	long := strings.Repeat("x", 500) // read, not kept
	for i := 0; blocs.Len() < 20<<20; i++ {
		fmt.Fprintf(&blocs, "\"RNCP%d\";\"RNCP%dBC01\";\"Bloc\";\"%s\"\r\n", i, i, long)
	}
	data := makeBombZip(t, []zipMember{{name: standardMember, data: standardHeader},
		{name: "export_fiches_CSV_Blocs_De_Compétences_2024_02_22.csv", data: blocs.String()}})
	blocs.Reset()
	importBomb(t, data, "take more than 8 MB of memory, the most an import may hold", 48)
}

func TestZipBombManyMembers(t *testing.T) {
	var members []zipMember
	for i := range 40000 {
		members = append(members, zipMember{name: fmt.Sprintf("m%d.csv", i)})
	}
	data := makeBombZip(t, members)
	importBomb(t, data, "the zip's directory is larger than 1 MB", 20)
}

func TestXMLBombs(t *testing.T) {
	const head = "<?xml version=\"1.0\"?>\n<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>\n"
	fiche := "<FICHE><NUMERO_FICHE>RNCP1</NUMERO_FICHE><INTITULE>Titre</INTITULE></FICHE>\n"
	tests := []struct {
		name      string
		start     string
		fill      string // repeated to 40 MB
		end, want string
	}{
		{"one enormous text", head + fiche + "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>", "a", "</INTITULE></FICHE></FICHES>",
			"fiche RNCP2 starting on line 4 is larger than 16 MB"},
		{"one enormous CDATA", head + fiche + "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE><![CDATA[", "a&amp;\r\n", "]]></INTITULE></FICHE></FICHES>",
			"fiche RNCP2 starting on line 4 is larger than 16 MB"},
		{"entities", head + fiche + "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE>", "&amp;&#233;\r\n", "</INTITULE></FICHE></FICHES>",
			"fiche RNCP2 starting on line 4 is larger than 16 MB"},
		{"many elements", head + fiche + "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><BLOCS_COMPETENCES>",
			"<BLOC_COMPETENCES><CODE>RNCP2BC01</CODE><LIBELLE>Bloc</LIBELLE></BLOC_COMPETENCES>", "</BLOCS_COMPETENCES></FICHE></FICHES>",
			"fiche RNCP2 starting on line 4 is larger than 16 MB"},
		{"attributes", head + "<FICHE><NUMERO_FICHE>RNCP2</NUMERO_FICHE><INTITULE", ` a="b"`, ">x</INTITULE></FICHE></FICHES>",
			"line 3: a comment, a tag with attributes or another unusual token larger than 1024 KB"},
		{"a comment between fiches", head + fiche + "<!--", "-a", "-->" + fiche + "</FICHES>",
			"line 4: a comment, a tag with attributes or another unusual token larger than 1024 KB"},
		{"white space between fiches", head + fiche, " \n", fiche + "</FICHES>", "the fiche starting on line 3 is larger than 16 MB"},
		{"deep nesting", head + "<FICHE>", "<A>", "", "elements nest deeper than 64 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fill := io.LimitReader(repeat(tt.fill), 40<<20)
			r := io.MultiReader(strings.NewReader(tt.start), fill, strings.NewReader(tt.end))
			importBombReader(t, r, tt.want, 100)
		})
	}
}

// repeater reads s over and over, without end.
type repeater struct {
	s string
	i int // where the next read starts in s
}

func repeat(s string) *repeater { return &repeater{s: s} }

func (r *repeater) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		c := copy(b[n:], r.s[r.i:])
		n += c
		r.i = (r.i + c) % len(r.s)
	}
	return n, nil
}

// endless is an input that never ends: an XML export whose fiches never
// come, or a zip never done uploading.
type endless struct{ fill byte }

func (e endless) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = e.fill
	}
	return len(b), nil
}

func TestImportStopsWhenTheContextIsDone(t *testing.T) {
	slowSide := makeBombZip(t, nil, bomb{name: standardMember, head: standardHeader, chunk: chunkOf("\r\n", 1<<20), n: 1000},
		bomb{name: "export_fiches_CSV_Nsf_2024_02_22.csv", head: `"Numero_Fiche";"Nsf_Code"` + "\r\n", chunk: chunkOf(`"";"1"`+"\r\n", 1<<20), n: 1000})
	for name, in := range map[string]func() io.Reader{
		"XML with no fiche": func() io.Reader {
			return io.MultiReader(strings.NewReader("<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>"), repeat("<X>y</X>\n"))
		},
		"a zip never done":       func() io.Reader { return io.MultiReader(strings.NewReader("PK\x03\x04"), endless{0}) },
		"a zip of 2 GB of lines": func() io.Reader { return bytes.NewReader(slowSide) },
	} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				_, err := Import(ctx, in(), saveAll)
				done <- err
			}()
			time.Sleep(100 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("error %v, want context.Canceled", err)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("the import goes on 2 s after its context was cancelled")
			}
		})
	}
}

func TestOneImportAtATime(t *testing.T) {
	pr, pw := io.Pipe()
	first := make(chan error, 1)
	go func() {
		_, err := Import(t.Context(), pr, saveAll)
		first <- err
	}()
	pw.Write([]byte("<FICHES><VERSION_FLUX>4.1</VERSION_FLUX>")) // the first import is reading
	rep, err := Import(t.Context(), strings.NewReader("<FICHES/>"), saveAll)
	if rep != nil || certibloc.ErrorCode(err) != certibloc.ECONFLICT || !strings.Contains(err.Error(), "another RNCP import is running") {
		t.Errorf("a second import: %v, %v", rep, err)
	}
	pw.Write([]byte("</FICHES>"))
	pw.Close()
	if err := <-first; err != nil {
		t.Errorf("the first import: %v", err)
	}
	if _, err := Import(t.Context(), strings.NewReader("<FICHES/>"), saveAll); err != nil {
		t.Errorf("an import after the first: %v", err)
	}
}

func TestImportReportsWhatItDidBeforeAnError(t *testing.T) {
	doc := readFile(t, rncpXML)
	// The document breaks in its fourth fiche.
	at := 0
	for range 4 {
		at += bytes.Index(doc[at:], []byte("<FICHE>")) + 1
	}
	broken := append(append([]byte{}, doc[:at+20]...), "</FICHES>"...)
	rep, err := Import(t.Context(), bytes.NewReader(broken), saveAll)
	if certibloc.ErrorCode(err) != certibloc.EINVALID || rep == nil || len(rep.Created) != 3 || rep.Fiches != 3 {
		t.Fatalf("report %+v, error %v; want the 3 fiches created before the error", rep, err)
	}
	var out strings.Builder
	rep.Print(&out)
	for _, want := range []string{"created  RNCP34762", "created  RNCP35419", "xml: 3 fiches, 3 created"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the printed report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBombsAtDefaultLimits measures the heap of the worst inputs under the
// default limits: side members that fill maxSideBytes (160 MB), and CSV
// records of separators just under maxRecordBytes. It takes half a minute,
// so it runs when asked: CERTIBLOC_BOMB_DEFAULTS=1 go test -run BombsAtDefault -v ./internal/rncp
func TestBombsAtDefaultLimits(t *testing.T) {
	if os.Getenv("CERTIBLOC_BOMB_DEFAULTS") == "" {
		t.Skip("set CERTIBLOC_BOMB_DEFAULTS=1 to run")
	}
	// Blocs lines for distinct fiches, deflated as they are written.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create(standardMember)
	io.WriteString(w, standardHeader)
	w, _ = zw.Create("export_fiches_CSV_Blocs_De_Compétences_2024_02_22.csv")
	io.WriteString(w, `"Numero_Fiche";"Bloc_Competences_Code";"Bloc_Competences_Libelle"`+"\r\n")
	title := strings.Repeat("Concevoir et piloter ", 5)
	for i := range 2_000_000 {
		fmt.Fprintf(w, "\"RNCP%d\";\"RNCP%dBC01\";\"%s%d\"\r\n", i, i, title, i)
	}
	zw.Close()
	importBomb(t, zbuf.Bytes(), "take more than 160 MB of memory", 300)
	zbuf = bytes.Buffer{}

	// Records of separators just under 1 MB, one after the other.
	var lines strings.Builder
	lines.WriteString(standardHeader)
	for range 20 {
		lines.WriteString(strings.Repeat(";", 1<<20-8<<10) + "\r\n")
	}
	lines.WriteString(strings.Repeat(";", 2<<20))
	data := makeZip(t, []zipMember{{name: standardMember, data: lines.String()}})
	importBomb(t, data, "larger than 1 MB", 300)
}
