package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// readWorkbook reads the first sheet of a workbook, as Excel, LibreOffice and
// WriteXLSX save it: shared or inline strings, numbers, booleans, the
// cached value of a formula; cell and row references present or not.
func readWorkbook(data []byte) ([]Line, error) {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &ReadError{Reason: ReasonBadXLSX, Err: err}
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[strings.ToLower(f.Name)] = f
	}
	sheetPath, err := firstSheet(files)
	if err != nil {
		return nil, err
	}
	var shared []string
	if f := files["xl/sharedstrings.xml"]; f != nil {
		if shared, err = readShared(f); err != nil {
			return nil, err
		}
	}
	f := files[strings.ToLower(sheetPath)]
	if f == nil {
		return nil, &ReadError{Reason: ReasonBadXLSX, Err: fmt.Errorf("no part %s", sheetPath)}
	}
	return readWorksheet(f, shared)
}

// part opens a member of the zip, bounded to MaxReadBytes once inflated.
func part(f *zip.File) (io.ReadCloser, error) {
	if f.UncompressedSize64 > MaxReadBytes {
		return nil, &ReadError{Reason: ReasonTooLarge}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &ReadError{Reason: ReasonBadXLSX, Err: err}
	}
	return struct {
		io.Reader
		io.Closer
	}{io.LimitReader(rc, MaxReadBytes), rc}, nil
}

// decode unmarshals a small part (the workbook, its relationships).
func decode(f *zip.File, v any) error {
	rc, err := part(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return &ReadError{Reason: ReasonBadXLSX, Err: fmt.Errorf("%s: %w", f.Name, err)}
	}
	return nil
}

// firstSheet finds the path of the workbook's first sheet through the
// workbook's relationships, or the usual path when they say nothing.
func firstSheet(files map[string]*zip.File) (string, error) {
	const usual = "xl/worksheets/sheet1.xml"
	wbf, relf := files["xl/workbook.xml"], files["xl/_rels/workbook.xml.rels"]
	if wbf == nil || relf == nil {
		if files[usual] != nil {
			return usual, nil
		}
		return "", &ReadError{Reason: ReasonBadXLSX, Err: errors.New("no workbook part")}
	}
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decode(wbf, &wb); err != nil {
		return "", err
	}
	if err := decode(relf, &rels); err != nil {
		return "", err
	}
	if len(wb.Sheets) == 0 {
		return "", &ReadError{Reason: ReasonBadXLSX, Err: errors.New("the workbook has no sheet")}
	}
	for _, r := range rels.Rels {
		if r.ID == wb.Sheets[0].ID && r.Target != "" {
			if strings.HasPrefix(r.Target, "/") {
				return strings.TrimPrefix(r.Target, "/"), nil
			}
			return path.Join("xl", r.Target), nil
		}
	}
	return usual, nil
}

// readShared reads the shared strings: each <si> is the text of its <t>
// elements, leaving out phonetic guides (<rPh>).
func readShared(f *zip.File) ([]string, error) {
	rc, err := part(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var out []string
	var b strings.Builder
	inSI, inT, phonetic := false, false, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, &ReadError{Reason: ReasonBadXLSX, Err: fmt.Errorf("shared strings: %w", err)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				b.Reset()
			case "rPh":
				phonetic++
			case "t":
				inT = inSI && phonetic == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if inSI {
					out = append(out, b.String())
				}
				inSI = false
			case "rPh":
				phonetic = max(phonetic-1, 0)
			case "t":
				inT = false
			}
		case xml.CharData:
			if inT {
				if b.Len()+len(t) > MaxCellBytes {
					return nil, &ReadError{Reason: ReasonTooLarge}
				}
				b.Write(t)
			}
		}
	}
}

// xcell is the cell being read.
type xcell struct {
	col   int    // from 0
	typ   string // the t attribute
	value strings.Builder
	text  bool // inside <v>, or <t> of an inline string
}

// readWorksheet streams the sheet's rows.
func readWorksheet(f *zip.File, shared []string) ([]Line, error) {
	rc, err := part(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var (
		out   []Line
		row   = 0 // the current row's number
		cells []string
		c     *xcell
		nextC = 0 // the column of a cell without a reference
	)
	fail := func(err error) error {
		var re *ReadError
		if errors.As(err, &re) {
			return err
		}
		return &ReadError{Line: row, Reason: ReasonBadXLSX, Err: err}
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				n := row + 1
				if r := attr(t, "r"); r != "" {
					if n, err = strconv.Atoi(r); err != nil || n <= row {
						return nil, fail(fmt.Errorf("row number %q out of order", r))
					}
				}
				if n > MaxLines {
					return nil, &ReadError{Line: n, Reason: ReasonTooLarge}
				}
				row, cells, nextC = n, nil, 0
			case "c":
				col := nextC
				if ref := attr(t, "r"); ref != "" {
					if col, err = column(ref); err != nil {
						return nil, fail(err)
					}
				}
				if col < nextC {
					return nil, fail(fmt.Errorf("cell %s out of order", attr(t, "r")))
				}
				c = &xcell{col: col, typ: attr(t, "t")}
				nextC = col + 1
			case "v":
				if c != nil {
					c.text = true
				}
			case "t":
				if c != nil && c.typ == "inlineStr" {
					c.text = true
				}
			case "rPh":
				if c != nil {
					c.text = false
				}
			}
		case xml.CharData:
			if c != nil && c.text {
				if c.value.Len()+len(t) > MaxCellBytes {
					return nil, &ReadError{Line: row, Reason: ReasonTooLarge}
				}
				c.value.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				if c != nil {
					c.text = false
				}
			case "c":
				if c == nil {
					continue
				}
				v, err := c.read(shared)
				if err != nil {
					return nil, fail(err)
				}
				if strings.TrimSpace(v) != "" {
					if c.col >= MaxColumns {
						return nil, &ReadError{Line: row, Reason: ReasonTooLarge}
					}
					for len(cells) < c.col {
						cells = append(cells, "")
					}
					cells = append(cells, v)
				}
				c = nil
			case "row":
				if cells = trimEmpty(cells); len(cells) > 0 {
					out = append(out, Line{Number: row, Cells: cells})
				}
				cells = nil
			}
		}
	}
}

// read is the cell's value as text.
func (c *xcell) read(shared []string) (string, error) {
	v := c.value.String()
	switch c.typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= len(shared) {
			return "", fmt.Errorf("shared string %q does not exist", v)
		}
		return shared[i], nil
	case "b":
		if strings.TrimSpace(v) == "1" || strings.EqualFold(strings.TrimSpace(v), "true") {
			return "1", nil
		}
		return "0", nil
	case "", "n":
		return shownNumber(v), nil
	}
	return v, nil // inlineStr, str (a formula's text), e (#N/A…), d (an ISO date)
}

// shownNumber writes a stored number as Excel shows it, to 15 significant
// digits: 14.499999999999998 is 14.5. Text that is not a number is kept.
func shownNumber(v string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return v
	}
	f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if f == 0 {
		return "0" // not -0
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// column reads the column of a cell reference: B12 is 1.
func column(ref string) (int, error) {
	col, i := 0, 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		col = col*26 + int(ref[i]-'A'+1)
		if col > 16384 { // XFD, Excel's last column
			return 0, fmt.Errorf("cell reference %q beyond the last column", ref)
		}
	}
	if i == 0 || i == len(ref) {
		return 0, fmt.Errorf("cell reference %q is not a reference", ref)
	}
	if _, err := strconv.Atoi(ref[i:]); err != nil {
		return 0, fmt.Errorf("cell reference %q is not a reference", ref)
	}
	return col - 1, nil
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
