package cdc

import (
	"bufio"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Writer streams a flux: the header first, then passage after passage,
// each written as it comes, so that memory stays flat whatever the number
// of passages. Consecutive passages of the same certification share one
// certification element. Every passage is validated before a byte of it is
// written: an invalid one is refused (a *FieldError) and the file stays
// as it was.
type Writer struct {
	enc      *xml.Encoder
	cw       *countWriter
	cert     Certification // the open certification, Code "" when none
	passages int
	closed   bool
}

// countWriter counts the bytes that reach the file.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// name is an element of the flux; the cpf prefix is written as the
// official example writes it, declared once on the root. The names are
// made once: an export writes some fifty elements per passage.
func name(local string) xml.Name {
	if n, ok := names[local]; ok {
		return n
	}
	return xml.Name{Local: "cpf:" + local}
}

var names = func() map[string]xml.Name {
	m := map[string]xml.Name{}
	for _, l := range strings.Fields(`flux idFlux horodatage emetteur idClient certificateurs certificateur idContrat
		certifications certification type code natureDeposant passageCertifications passageCertification idTechnique
		urlPreuve libelleOption obtentionCertification donneeCertifiee dateDebutExamen dateFinExamen modalitePassageExamen
		codePostalCentreExamen dateDebutValidite dateFinValidite presenceNiveauLangueEuro niveauLangueEuropeen
		presenceNiveauNumeriqueEuro niveauNumeriqueEuropeen scoreGeneral resultats resultat niveau domaineCompetenceId
		competenceId scoring mentionValidee modalitesInscription modaliteAcces voieAccessVAE initiativeInscription
		dateInscription identificationTitulaire dossierFormation idDossier nomTitulaire prenom1Titulaire titulaire
		nomNaissance nomUsage prenom1 prenom2 prenom3 anneeNaissance moisNaissance jourNaissance sexe codeCommuneNaissance
		codeInseeNaissance codeInsee codePostalNaissance codePostal libelleCommuneNaissance codePaysNaissance
		libellePaysNaissance commentairesMEN verbatim`) {
		m[l] = xml.Name{Local: "cpf:" + l}
	}
	return m
}()

// newline separates the passages, so that a file reads a passage a line;
// the XSD's element-only content allows the white space.
var newline = xml.CharData("\n")

// NewWriter writes the XML declaration and the header of a flux to w, up
// to the opening of its certifications.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	cw := &countWriter{w: w}
	if _, err := io.WriteString(cw, xml.Header); err != nil {
		return nil, err
	}
	enc := xml.NewEncoder(cw)
	wr := &Writer{enc: enc, cw: cw}
	wr.start("flux", xml.Attr{Name: xml.Name{Local: "xmlns:cpf"}, Value: NS}, xml.Attr{Name: xml.Name{Local: "xmlns:xsi"}, Value: XSINS})
	wr.leaf("idFlux", h.IDFlux)
	wr.leaf("horodatage", h.Horodatage.Format(StampLayout))
	wr.start("emetteur")
	wr.leaf("idClient", h.Emetteur)
	wr.start("certificateurs")
	wr.start("certificateur")
	wr.leaf("idClient", h.Certificateur)
	wr.leaf("idContrat", h.Contrat)
	wr.start("certifications")
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return wr, nil
}

func (w *Writer) start(local string, attrs ...xml.Attr) {
	_ = w.enc.EncodeToken(xml.StartElement{Name: name(local), Attr: attrs})
}

func (w *Writer) end(local string) { _ = w.enc.EncodeToken(xml.EndElement{Name: name(local)}) }

// leaf writes an element with text; encoding/xml escapes it.
func (w *Writer) leaf(local, text string) {
	w.start(local)
	_ = w.enc.EncodeToken(xml.CharData(text))
	w.end(local)
}

// opt writes an optional element, absent when empty.
func (w *Writer) opt(local, text string) {
	if text != "" {
		w.leaf(local, text)
	}
}

// nillable writes an element, xsi:nil when empty.
func (w *Writer) nillable(local, text string) {
	if text != "" {
		w.leaf(local, text)
		return
	}
	w.start(local, xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})
	w.end(local)
}

func (w *Writer) boolean(local string, b bool) { w.leaf(local, strconv.FormatBool(b)) }

func (w *Writer) number(local string, n int) { w.leaf(local, strconv.Itoa(n)) }

// Written is the number of bytes written to the file so far.
func (w *Writer) Written() int64 { return w.cw.n }

// Passages is the number of passages written so far.
func (w *Writer) Passages() int { return w.passages }

// Write writes passage p of certification ct (whose Passages are ignored).
func (w *Writer) Write(ct *Certification, p *Passage) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return w.write(ct, p)
}

// write writes a passage already validated.
func (w *Writer) write(ct *Certification, p *Passage) error {
	if w.closed {
		return errors.New("cdc: write after close")
	}
	if w.cert.Code != ct.Code || w.cert.Type != ct.Type || w.cert.NatureDeposant != ct.NatureDeposant {
		if err := ct.Validate(); err != nil {
			return err
		}
		w.closeCertification()
		w.cert = Certification{Type: ct.Type, Code: ct.Code, NatureDeposant: ct.NatureDeposant}
		w.start("certification")
		w.leaf("type", ct.Type)
		w.leaf("code", ct.Code)
		w.opt("natureDeposant", ct.NatureDeposant)
		w.start("passageCertifications")
	}
	w.passage(p)
	w.passages++
	return w.enc.Flush()
}

func (w *Writer) closeCertification() {
	if w.cert.Code != "" {
		w.end("passageCertifications")
		w.end("certification")
	}
}

func (w *Writer) passage(p *Passage) {
	_ = w.enc.EncodeToken(newline)
	w.start("passageCertification")
	w.leaf("idTechnique", p.IDTechnique)
	w.opt("urlPreuve", p.URLPreuve)
	w.opt("libelleOption", p.LibelleOption)
	w.leaf("obtentionCertification", p.Obtention)
	w.boolean("donneeCertifiee", p.DonneeCertifiee)
	w.opt("dateDebutExamen", p.DateDebutExamen)
	w.opt("dateFinExamen", p.DateFinExamen)
	w.opt("modalitePassageExamen", p.ModalitePassageExamen)
	w.opt("codePostalCentreExamen", p.CodePostalCentreExamen)
	w.leaf("dateDebutValidite", p.DateDebutValidite)
	w.nillable("dateFinValidite", p.DateFinValidite)
	w.boolean("presenceNiveauLangueEuro", p.PresenceNiveauLangueEuro)
	w.opt("niveauLangueEuropeen", p.NiveauLangueEuropeen)
	w.boolean("presenceNiveauNumeriqueEuro", p.PresenceNiveauNumeriqueEuro)
	if n := p.NiveauNumerique; n != nil {
		w.start("niveauNumeriqueEuropeen")
		if n.ScoreGeneral != 0 {
			w.number("scoreGeneral", n.ScoreGeneral)
		}
		if n.Resultats != nil {
			w.start("resultats")
			for _, r := range n.Resultats {
				w.start("resultat")
				if r.Niveau != 0 {
					w.number("niveau", r.Niveau)
				}
				w.opt("domaineCompetenceId", r.DomaineCompetenceID)
				w.opt("competenceId", r.CompetenceID)
				w.end("resultat")
			}
			w.end("resultats")
		}
		w.end("niveauNumeriqueEuropeen")
	}
	w.nillable("scoring", p.Scoring)
	w.nillable("mentionValidee", p.MentionValidee)
	w.start("modalitesInscription")
	w.nillable("modaliteAcces", p.Inscription.ModaliteAcces)
	w.opt("voieAccessVAE", p.Inscription.VoieAccesVAE)
	w.opt("initiativeInscription", p.Inscription.InitiativeInscription)
	w.opt("dateInscription", p.Inscription.DateInscription)
	w.end("modalitesInscription")
	w.start("identificationTitulaire")
	if d := p.Dossier; d != nil {
		w.start("dossierFormation")
		w.leaf("idDossier", d.IDDossier)
		w.leaf("nomTitulaire", d.Nom)
		w.leaf("prenom1Titulaire", d.Prenom)
		w.end("dossierFormation")
	} else {
		w.titulaire(p.Titulaire)
	}
	w.end("identificationTitulaire")
	w.opt("verbatim", p.Verbatim)
	w.end("passageCertification")
}

func (w *Writer) titulaire(t *Titulaire) {
	w.start("titulaire")
	w.leaf("nomNaissance", t.NomNaissance)
	w.nillable("nomUsage", t.NomUsage)
	w.leaf("prenom1", t.Prenom1)
	w.opt("prenom2", t.Prenom2)
	w.opt("prenom3", t.Prenom3)
	w.number("anneeNaissance", t.Annee)
	w.nillable("moisNaissance", nonZero(t.Mois))
	w.nillable("jourNaissance", nonZero(t.Jour))
	w.leaf("sexe", t.Sexe)
	w.start("codeCommuneNaissance")
	if t.CodeInsee != "" {
		w.start("codeInseeNaissance")
		w.leaf("codeInsee", t.CodeInsee)
		w.end("codeInseeNaissance")
	} else {
		w.start("codePostalNaissance")
		w.nillable("codePostal", t.CodePostal)
		w.end("codePostalNaissance")
	}
	w.end("codeCommuneNaissance")
	w.opt("libelleCommuneNaissance", t.LibelleCommune)
	w.opt("codePaysNaissance", t.CodePays)
	w.opt("libellePaysNaissance", t.LibellePays)
	w.opt("commentairesMEN", t.CommentairesMEN)
	w.end("titulaire")
}

func nonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Close ends the flux. A flux needs at least one passage: the XSD wants a
// certification with a passage, and an empty file is refused.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.passages == 0 {
		return ErrEmpty
	}
	w.closeCertification()
	_ = w.enc.EncodeToken(newline)
	for _, local := range []string{"certifications", "certificateur", "certificateurs", "emetteur", "flux"} {
		w.end(local)
	}
	if err := w.enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w.cw, "\n")
	return err
}

// ErrEmpty is the error of a flux closed without a passage.
var ErrEmpty = errors.New("cdc: a flux needs at least one passage")

// WriteFlux writes a whole flux held in memory.
func WriteFlux(w io.Writer, f *Flux) error {
	bw := bufio.NewWriter(w)
	wr, err := NewWriter(bw, f.Header)
	if err != nil {
		return err
	}
	for i := range f.Certifications {
		ct := &f.Certifications[i]
		for j := range ct.Passages {
			if err := wr.Write(ct, &ct.Passages[j]); err != nil {
				return err
			}
		}
	}
	if err := wr.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// Bound is an upper bound on the bytes passage p takes in a file,
// certification element included: the tags, the indentation, and each
// value at its worst escaping (a quote becomes &#34;, 5 bytes for 1).
func Bound(ct *Certification, p *Passage) int64 {
	n := len(ct.Type) + len(ct.Code) + len(ct.NatureDeposant) +
		len(p.IDTechnique) + len(p.URLPreuve) + len(p.LibelleOption) + len(p.CodePostalCentreExamen) +
		len(p.Scoring) + len(p.Verbatim)
	if t := p.Titulaire; t != nil {
		n += len(t.NomNaissance) + len(t.NomUsage) + len(t.Prenom1) + len(t.Prenom2) + len(t.Prenom3) +
			len(t.CodeInsee) + len(t.CodePostal) + len(t.LibelleCommune) + len(t.CodePays) + len(t.LibellePays) + len(t.CommentairesMEN)
	}
	if d := p.Dossier; d != nil {
		n += len(d.IDDossier) + len(d.Nom) + len(d.Prenom)
	}
	fixed := 6000
	if nn := p.NiveauNumerique; nn != nil {
		fixed += 300 * len(nn.Resultats)
	}
	return int64(fixed + 5*n)
}

// trailerBytes bounds what Close writes after the last passage.
const trailerBytes = 512
