package cdc

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// ReportNS is the namespace of the Caisse's processing report.
const ReportNS = "urn:cdc:cpf:pc5:rapport:schema"

// Report is the Caisse's processing report on one flux (accusé de
// traitement): the passages it accepted and those it rejected with its
// message. No XSD of it is public; its shape is the one the Caisse's
// certifiers document: rapport{nomFichier, idFlux, idTraitement,
// PassagesOK{idTechnique*}, PassagesKO{passage{idTechnique, messageErreur}*}}.
type Report struct {
	NomFichier   string     `json:"file_name"`
	IDFlux       string     `json:"id_flux"`
	IDTraitement string     `json:"processing_id"`
	OK           []string   `json:"accepted"`
	KO           []Rejected `json:"rejected"`
}

// Rejected is a passage the Caisse refused, with its message.
type Rejected struct {
	IDTechnique string `json:"id_technique"`
	Message     string `json:"message"`
}

// xmlReport reads the report whether its elements are in the report's
// namespace or in none (the one parsed sample has the namespace declared
// on a prefix and the elements unprefixed, hence in no namespace).
type xmlReport struct {
	XMLName      xml.Name
	NomFichier   string   `xml:"nomFichier"`
	IDFlux       string   `xml:"idFlux"`
	IDTraitement string   `xml:"idTraitement"`
	OK           []string `xml:"PassagesOK>idTechnique"`
	KO           []struct {
		IDTechnique string `xml:"idTechnique"`
		Message     string `xml:"messageErreur"`
	} `xml:"PassagesKO>passage"`
}

// MaxReportBytes bounds a report read: a line per passage of a flux that
// itself stays under the split limit.
var MaxReportBytes int64 = 64 << 20

// ParseReport reads a processing report, refusing anything else with a
// message that says what was found.
func ParseReport(r io.Reader) (*Report, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxReportBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > MaxReportBytes {
		return nil, fmt.Errorf("the report is larger than %d bytes", MaxReportBytes)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var x xmlReport
	if err := dec.Decode(&x); err != nil {
		return nil, fmt.Errorf("the report is not well-formed XML: %v", err)
	}
	if x.XMLName.Local != "rapport" || (x.XMLName.Space != "" && x.XMLName.Space != ReportNS) {
		if x.XMLName.Space == NS {
			return nil, fmt.Errorf("this is an accrochage flux (%s), not the Caisse's processing report", x.XMLName.Local)
		}
		return nil, fmt.Errorf("the root element is %s, not rapport: this is not a processing report of the Caisse des Dépôts", x.XMLName.Local)
	}
	rep := &Report{NomFichier: strings.TrimSpace(x.NomFichier), IDFlux: strings.TrimSpace(x.IDFlux), IDTraitement: strings.TrimSpace(x.IDTraitement)}
	if rep.IDFlux == "" {
		return nil, fmt.Errorf("the report names no idFlux: which file it answers cannot be told")
	}
	seen := map[string]bool{}
	for _, id := range x.OK {
		id = strings.TrimSpace(id)
		if id == "" {
			return nil, fmt.Errorf("the report has an empty idTechnique among PassagesOK")
		}
		if seen[id] {
			return nil, fmt.Errorf("the report names passage %s twice", cut(id))
		}
		seen[id] = true
		rep.OK = append(rep.OK, id)
	}
	for _, k := range x.KO {
		id := strings.TrimSpace(k.IDTechnique)
		if id == "" {
			return nil, fmt.Errorf("the report has a rejected passage without idTechnique")
		}
		if seen[id] {
			return nil, fmt.Errorf("the report names passage %s twice", cut(id))
		}
		seen[id] = true
		rep.KO = append(rep.KO, Rejected{IDTechnique: id, Message: strings.TrimSpace(k.Message)})
	}
	return rep, nil
}

// WriteReport writes a report in the shape ParseReport reads: what a test
// plays as the Caisse.
func WriteReport(w io.Writer, r *Report) error {
	type ko struct {
		IDTechnique string `xml:"idTechnique"`
		Message     string `xml:"messageErreur"`
	}
	x := struct {
		XMLName      xml.Name `xml:"ns2:rapport"`
		NS           string   `xml:"xmlns:ns2,attr"`
		NomFichier   string   `xml:"nomFichier"`
		IDFlux       string   `xml:"idFlux"`
		IDTraitement string   `xml:"idTraitement"`
		KO           []ko     `xml:"PassagesKO>passage"`
		OK           []string `xml:"PassagesOK>idTechnique"`
	}{NS: ReportNS, NomFichier: r.NomFichier, IDFlux: r.IDFlux, IDTraitement: r.IDTraitement, OK: r.OK}
	for _, k := range r.KO {
		x.KO = append(x.KO, ko(k))
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return enc.Encode(x)
}
