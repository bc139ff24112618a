// Package rncp reads the open-data exports of France Compétences — the RNCP
// and RS registers as XML (flux v4.1) or as the zip of CSV files — and turns
// each fiche into a certibloc.Certification. It only parses: storing the
// certifications and choosing what to do with a bad fiche is the caller's job.
//
// Both readers share one contract: they call back once per fiche, in file
// order, with either a certification that passed Validate or a
// *certibloc.Error saying what is wrong with that fiche, and they go on.
// Only a broken file (not XML, not a zip, a wrong root, a truncated document)
// stops the reading.
package rncp

import (
	"bytes"

	"github.com/certibloc/certibloc"
)

// Format is the kind of an export file, as told by its first bytes.
type Format int

// Export formats.
const (
	Unknown Format = iota
	XML            // export_fiches_RNCP_V4_1_YYYY-MM-DD.xml, export_fiches_RS_V4_1_….xml
	CSVZip         // export-fiches-csv-YYYY-MM-DD.zip
)

// String names the format for messages.
func (f Format) String() string {
	switch f {
	case XML:
		return "xml"
	case CSVZip:
		return "csv-zip"
	}
	return "unknown"
}

// Detect tells the format of an export from its first bytes: a zip starts
// with a local file header, an XML document with '<' once a UTF-8 byte order
// mark and white space are skipped. A few hundred bytes are plenty.
func Detect(head []byte) Format {
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return CSVZip
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) > 0 && head[0] == '<' {
		return XML
	}
	return Unknown
}

var utf8BOM = []byte("\xef\xbb\xbf")

// Callback receives each fiche of an export. Exactly one of cert and err is
// non-nil; code is the fiche number when it is known, even on error.
// Returning an error stops the reading, and the reader returns that error.
//
// It is the type of the each parameter of ReadXML and ReadCSVZip.
type Callback = func(code string, cert *certibloc.Certification, err error) error

// Sources recorded in Certification.Source.
const (
	sourceXML = "rncp-xml"
	sourceCSV = "rncp-csv"
)
