package cdc

import (
	"bufio"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// Writer streams a flux: the header first, then passage after passage,
// each written as it comes, so that memory stays flat whatever the number
// of passages. Consecutive passages of the same certification share one
// certification element. Every passage is validated before a byte of it is
// written: an invalid one is refused (a *FieldError) and the file stays
// as it was.
//
// The elements are written by hand into a buffer reused from passage to
// passage, one write per passage: encoding/xml's Encoder, which certibloc
// used first, spent most of an export's time on its reflection and its
// namespace bookkeeping for some fifty elements a passage. The bytes are
// the same as the Encoder's (write_reference_test.go holds it to that),
// escaping included.
type Writer struct {
	w        io.Writer
	buf      []byte
	n        int64         // bytes written to w
	cert     Certification // the open certification, Code "" when none
	passages int
	closed   bool
}

// The cpf prefix is written as the official example writes it, declared
// once on the root.
const prefix = "cpf:"

// NewWriter writes the XML declaration and the header of a flux to w, up
// to the opening of its certifications.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	wr := &Writer{w: w, buf: make([]byte, 0, 4096)}
	wr.buf = append(wr.buf, xml.Header...)
	wr.buf = append(wr.buf, `<cpf:flux xmlns:cpf="`+NS+`" xmlns:xsi="`+XSINS+`">`...)
	wr.leaf("idFlux", h.IDFlux)
	wr.leaf("horodatage", h.Horodatage.Format(StampLayout))
	wr.start("emetteur")
	wr.leaf("idClient", h.Emetteur)
	wr.start("certificateurs")
	wr.start("certificateur")
	wr.leaf("idClient", h.Certificateur)
	wr.leaf("idContrat", h.Contrat)
	wr.start("certifications")
	if err := wr.flush(); err != nil {
		return nil, err
	}
	return wr, nil
}

// flush writes the buffer to the file and empties it.
func (w *Writer) flush() error {
	n, err := w.w.Write(w.buf)
	w.n += int64(n)
	w.buf = w.buf[:0]
	return err
}

func (w *Writer) start(local string) {
	w.buf = append(w.buf, '<')
	w.buf = append(w.buf, prefix...)
	w.buf = append(w.buf, local...)
	w.buf = append(w.buf, '>')
}

func (w *Writer) end(local string) {
	w.buf = append(w.buf, "</"+prefix...)
	w.buf = append(w.buf, local...)
	w.buf = append(w.buf, '>')
}

// leaf writes an element with text, escaped.
func (w *Writer) leaf(local, text string) {
	w.start(local)
	w.buf = appendEscaped(w.buf, text)
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
	w.buf = append(w.buf, '<')
	w.buf = append(w.buf, prefix...)
	w.buf = append(w.buf, local...)
	w.buf = append(w.buf, ` xsi:nil="true">`...)
	w.end(local)
}

func (w *Writer) boolean(local string, b bool) {
	w.start(local)
	w.buf = strconv.AppendBool(w.buf, b)
	w.end(local)
}

func (w *Writer) number(local string, n int) {
	w.start(local)
	w.buf = strconv.AppendInt(w.buf, int64(n), 10)
	w.end(local)
}

// appendEscaped appends s as XML character data, escaped as encoding/xml
// escapes it (quotes, apostrophes, tabs and carriage returns as character
// references, so that they read back as they were); a character XML cannot
// carry becomes U+FFFD, though Validate has refused such text already.
func appendEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		var esc string
		width := 1
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				esc = "&#34;"
			case '\'':
				esc = "&#39;"
			case '&':
				esc = "&amp;"
			case '<':
				esc = "&lt;"
			case '>':
				esc = "&gt;"
			case '\t':
				esc = "&#x9;"
			case '\r':
				esc = "&#xD;"
			case '\n':
			default:
				if c < 0x20 {
					esc = "\uFFFD"
				}
			}
		} else {
			var r rune
			r, width = utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && width == 1) || !inCharacterRange(r) {
				esc = "\uFFFD"
			}
		}
		i += width
		if esc != "" {
			b = append(b, s[last:i-width]...)
			b = append(b, esc...)
			last = i
		}
	}
	return append(b, s[last:]...)
}

// inCharacterRange is XML 1.0's Char production for runes past ASCII.
func inCharacterRange(r rune) bool {
	return (r >= 0x80 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// Written is the number of bytes written to the file so far.
func (w *Writer) Written() int64 { return w.n }

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
	return w.flush()
}

func (w *Writer) closeCertification() {
	if w.cert.Code != "" {
		w.end("passageCertifications")
		w.end("certification")
	}
}

// passage writes a passage; a newline before each makes a file read a
// passage a line, which the XSD's element-only content allows.
func (w *Writer) passage(p *Passage) {
	w.buf = append(w.buf, '\n')
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
	w.nillableNumber("moisNaissance", t.Mois)
	w.nillableNumber("jourNaissance", t.Jour)
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

// nillableNumber writes a number, xsi:nil when zero.
func (w *Writer) nillableNumber(local string, n int) {
	if n == 0 {
		w.nillable(local, "")
		return
	}
	w.number(local, n)
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
	w.buf = append(w.buf, '\n')
	for _, local := range []string{"certifications", "certificateur", "certificateurs", "emetteur", "flux"} {
		w.end(local)
	}
	w.buf = append(w.buf, '\n')
	return w.flush()
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
