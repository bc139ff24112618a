package rncp

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/certibloc/certibloc"
)

// table reads one CSV member: ';'-separated, every field quoted, CRLF line
// ends, a header line naming the columns.
type table struct {
	name string // the member's name, for messages
	rc   io.ReadCloser
	r    *csv.Reader
	cols map[string]int // lower-cased column name → index
	rec  []string       // the current record
	line int            // its line number
	err  error          // what stopped next, if not the end of the member
	// record counts the bytes read for the current record: next gives it
	// maxRecordBytes before each, so one enormous line fails, not the
	// memory. encoding/csv reads ahead 4 KB at most.
	record *capped
}

// openTable opens a member and reads its header. The caller closes it.
// Reads fail once ctx is done.
func openTable(ctx context.Context, f *zip.File) (*table, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, certibloc.Errorf(certibloc.EINVALID, "CSV export, member %s: %v", f.Name, err)
	}
	member := &capped{r: ctxReader{ctx, rc}, left: maxMemberBytes, err: errMemberTooLarge}
	record := &capped{r: member, err: errRecordTooLarge}
	r := csv.NewReader(record)
	r.Comma = ';'
	r.FieldsPerRecord = -1 // columns are found by name; a short line reads as blanks
	r.ReuseRecord = true
	t := &table{name: f.Name, rc: rc, r: r, cols: map[string]int{}, record: record}
	if !t.next() {
		rc.Close()
		if t.err != nil {
			return nil, t.err
		}
		return nil, certibloc.Errorf(certibloc.EINVALID, "CSV export, member %s: empty, not even a header", f.Name)
	}
	for i, col := range t.rec {
		col = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(col, "\ufeff")))
		if _, dup := t.cols[col]; !dup {
			t.cols[col] = i
		}
	}
	return t, nil
}

// Close closes the member.
func (t *table) Close() error { return t.rc.Close() }

// need fails unless the member has all the named columns.
func (t *table) need(cols ...string) error {
	for _, c := range cols {
		if _, ok := t.cols[strings.ToLower(c)]; !ok {
			return certibloc.Errorf(certibloc.EINVALID, "CSV export, member %s: no column %s", t.name, c)
		}
	}
	return nil
}

// next reads the next record. It returns false at the end of the member or
// on an error, which t.err then holds.
func (t *table) next() bool {
	t.record.left = maxRecordBytes
	rec, err := t.r.Read()
	if err == io.EOF {
		return false
	}
	if err != nil {
		t.err = t.wrap(err)
		return false
	}
	t.line, _ = t.r.FieldPos(0)
	for _, field := range rec {
		if !utf8.ValidString(field) {
			t.err = certibloc.Errorf(certibloc.EINVALID,
				"CSV export, member %s, line %d: not UTF-8 text; the export is UTF-8", t.name, t.line)
			return false
		}
	}
	t.rec = rec
	return true
}

// get returns the named field of the current record, cleaned: white space
// trimmed (SIRETs come with a leading TAB) and doubled apostrophes undone.
func (t *table) get(col string) string {
	i, ok := t.cols[strings.ToLower(col)]
	if !ok || i >= len(t.rec) {
		return ""
	}
	// Some members double apostrophes: Rome has "Management et ingénierie
	// d''affaires" where the XML and the other members have "d'affaires".
	// It is an SQL-style escape left in, not text, and two apostrophes in a
	// row mean nothing in French.
	return strings.ReplaceAll(strings.TrimSpace(t.rec[i]), "''", "'")
}

// wrap turns a read error into a *certibloc.Error naming the member and line.
func (t *table) wrap(err error) error {
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return certibloc.Errorf(certibloc.EINVALID, "CSV export, member %s, line %d, column %d: %v",
			t.name, pe.Line, pe.Column, pe.Err)
	case errors.Is(err, errMemberTooLarge):
		return certibloc.Errorf(certibloc.EINVALID, "CSV export, member %s: larger than %d MB uncompressed, the most a member may be",
			t.name, mb(maxMemberBytes))
	case errors.Is(err, errRecordTooLarge):
		return certibloc.Errorf(certibloc.EINVALID,
			"CSV export, member %s, after line %d: a record (a line, or lines within quotes) larger than %d MB, the most one may be; the file looks corrupt",
			t.name, t.line, mb(maxRecordBytes))
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return certibloc.Errorf(certibloc.EINVALID, "CSV export, member %s: %v", t.name, err)
}

var (
	errMemberTooLarge = errors.New("member too large")
	errRecordTooLarge = errors.New("record too large")
)

// keep returns the named field of the current record, as get does, in
// memory of its own (get's strings hold the whole record), and counts its
// bytes in *used.
func (t *table) keep(col string, used *int64) string {
	s := strings.Clone(t.get(col))
	*used += int64(len(s))
	return s
}
