// The writer certibloc had before the hand-written one: encoding/xml's
// Encoder, token by token. Kept as the reference the new writer must
// match byte for byte.

package cdc

import (
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
type refWriter struct {
	enc      *xml.Encoder
	cw       *refCount
	cert     Certification // the open certification, Code "" when none
	passages int
	closed   bool
}

// refCount counts the bytes that reach the file.
type refCount struct {
	w io.Writer
	n int64
}

func (c *refCount) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// name is an element of the flux; the cpf prefix is written as the
// official example writes it, declared once on the root. The refNames are
// made once: an export writes some fifty elements per passage.
func refName(local string) xml.Name {
	if n, ok := refNames[local]; ok {
		return n
	}
	return xml.Name{Local: "cpf:" + local}
}

var refNames = func() map[string]xml.Name {
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

// refNewline separates the passages, so that a file reads a passage a line;
// the XSD's element-only content allows the white space.
var refNewline = xml.CharData("\n")

// newRefWriter writes the XML declaration and the header of a flux to w, up
// to the opening of its certifications.
func newRefWriter(w io.Writer, h Header) (*refWriter, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	cw := &refCount{w: w}
	if _, err := io.WriteString(cw, xml.Header); err != nil {
		return nil, err
	}
	enc := xml.NewEncoder(cw)
	wr := &refWriter{enc: enc, cw: cw}
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

func (w *refWriter) start(local string, attrs ...xml.Attr) {
	_ = w.enc.EncodeToken(xml.StartElement{Name: refName(local), Attr: attrs})
}

func (w *refWriter) end(local string) { _ = w.enc.EncodeToken(xml.EndElement{Name: refName(local)}) }

// leaf writes an element with text; encoding/xml escapes it.
func (w *refWriter) leaf(local, text string) {
	w.start(local)
	_ = w.enc.EncodeToken(xml.CharData(text))
	w.end(local)
}

// opt writes an optional element, absent when empty.
func (w *refWriter) opt(local, text string) {
	if text != "" {
		w.leaf(local, text)
	}
}

// nillable writes an element, xsi:nil when empty.
func (w *refWriter) nillable(local, text string) {
	if text != "" {
		w.leaf(local, text)
		return
	}
	w.start(local, xml.Attr{Name: xml.Name{Local: "xsi:nil"}, Value: "true"})
	w.end(local)
}

func (w *refWriter) boolean(local string, b bool) { w.leaf(local, strconv.FormatBool(b)) }

func (w *refWriter) number(local string, n int) { w.leaf(local, strconv.Itoa(n)) }

func (w *refWriter) write(ct *Certification, p *Passage) error {
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

func (w *refWriter) closeCertification() {
	if w.cert.Code != "" {
		w.end("passageCertifications")
		w.end("certification")
	}
}

func (w *refWriter) passage(p *Passage) {
	_ = w.enc.EncodeToken(refNewline)
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

func (w *refWriter) titulaire(t *Titulaire) {
	w.start("titulaire")
	w.leaf("nomNaissance", t.NomNaissance)
	w.nillable("nomUsage", t.NomUsage)
	w.leaf("prenom1", t.Prenom1)
	w.opt("prenom2", t.Prenom2)
	w.opt("prenom3", t.Prenom3)
	w.number("anneeNaissance", t.Annee)
	w.nillable("moisNaissance", refNonZero(t.Mois))
	w.nillable("jourNaissance", refNonZero(t.Jour))
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

func refNonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Close ends the flux. A flux needs at least one passage: the XSD wants a
// certification with a passage, and an empty file is refused.
func (w *refWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.passages == 0 {
		return ErrEmpty
	}
	w.closeCertification()
	_ = w.enc.EncodeToken(refNewline)
	for _, local := range []string{"certifications", "certificateur", "certificateurs", "emetteur", "flux"} {
		w.end(local)
	}
	if err := w.enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w.cw, "\n")
	return err
}
