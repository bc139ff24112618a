// Package cdc reads and writes the files a certifier exchanges with the
// Caisse des Dépôts to declare its holders on their CPF account
// (« accrochage »): the XML flux of passages (XSD v1.1.2 of kit v2.0.0,
// namespace urn:cdc:cpf:pc5:schema:1.0.0) and the processing report the
// Caisse sends back (accusé de traitement).
//
// The model follows the XSD element for element; Validate checks every
// facet of the XSD (lengths in characters, patterns, enumerations, ranges,
// the choices), so that the writer never produces a file the Caisse's
// schema would reject.
package cdc

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"
)

// NS is the namespace of the flux; XSINS that of xsi:nil.
const (
	NS    = "urn:cdc:cpf:pc5:schema:1.0.0"
	XSINS = "http://www.w3.org/2001/XMLSchema-instance"
)

// Values of the XSD's enumerations that certibloc writes.
const (
	ParAdmission  = "PAR_ADMISSION"
	Certificateur = "CERTIFICATEUR"

	FormationInitiale   = "FORMATION_INITIALE_HORS_APPRENTISSAGE"
	Apprentissage       = "FORMATION_INITIALE_APPRENTISSAGE"
	FormationContinue   = "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION"
	ContratPro          = "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION"
	AccesVAE            = "VAE"
	EquivalenceEtranger = "EQUIVALENCE_DIPLOME_ETRANGER"
	CandidatLibre       = "CANDIDAT_LIBRE"
	VAEClassique        = "VAE_CLASSIQUE"
)

// The XSD's enumerations.
var (
	natures        = []string{"CERTIFICATEUR", "TIERS_CONFIANCE"}
	obtentions     = []string{"PAR_ADMISSION", "PAR_SCORING"}
	modalitesExam  = []string{"A_DISTANCE", "EN_PRESENTIEL", "MIXTE"}
	niveauxCECRL   = []string{"A1", "A2", "B1", "B2", "C1", "C2", "INSUFFISANT"}
	mentions       = []string{"SANS_MENTION", "MENTION_ASSEZ_BIEN", "MENTION_BIEN", "MENTION_TRES_BIEN", "MENTION_TRES_BIEN_AVEC_FELICITATIONS_DU_JURY"}
	modalitesAcces = []string{FormationInitiale, Apprentissage, FormationContinue, ContratPro, AccesVAE, EquivalenceEtranger, CandidatLibre}
	voiesVAE       = []string{"CONGES_VAE", "VAE_CLASSIQUE"}
	initiatives    = []string{"CERTIFIE", "OF", "POLE_EMPLOI", "EMPLOYEUR", "AUTRE"}
	genres         = []string{"M", "F"}
)

// Header is what a flux says before its passages: the flux, the emitter
// and the one certifier the file is about.
type Header struct {
	IDFlux     string    // 1 to 50 characters, unique per file
	Horodatage time.Time // written with its offset, to the second
	Emetteur   string    // the emitter's client number at the Caisse, 8 characters
	// The certifier: its client number (8 characters) and contract (1 to 20).
	Certificateur string
	Contrat       string
}

// Flux is a whole file: its header and its certifications in order.
type Flux struct {
	Header
	Certifications []Certification
}

// Certification is one certification of a flux and its passages.
type Certification struct {
	Type           string // RNCP or RS
	Code           string // RNCP38478
	NatureDeposant string // optional: CERTIFICATEUR or TIERS_CONFIANCE
	Passages       []Passage
}

// Passage is one person's passing of a certification (passageCertification).
// Optional elements are absent when empty; the nillable ones (DateFinValidite,
// Scoring, MentionValidee, ModaliteAcces) are written xsi:nil when empty.
type Passage struct {
	IDTechnique                 string
	URLPreuve                   string
	LibelleOption               string
	Obtention                   string
	DonneeCertifiee             bool
	DateDebutExamen             string // YYYY-MM-DD
	DateFinExamen               string
	ModalitePassageExamen       string
	CodePostalCentreExamen      string
	DateDebutValidite           string
	DateFinValidite             string
	PresenceNiveauLangueEuro    bool
	NiveauLangueEuropeen        string
	PresenceNiveauNumeriqueEuro bool
	NiveauNumerique             *NiveauNumerique
	Scoring                     string
	MentionValidee              string
	Inscription                 Inscription
	Titulaire                   *Titulaire        // one of Titulaire
	Dossier                     *DossierFormation // and Dossier
	Verbatim                    string
}

// NiveauNumerique is the European digital level (niveauNumeriqueEuropeen).
type NiveauNumerique struct {
	ScoreGeneral int        // 1 to 1000, 0 when absent
	Resultats    []Resultat // nil: no resultats element; empty: an empty one
}

// Resultat is one result of the digital level; zero fields are absent.
type Resultat struct {
	Niveau              int // 1 to 8
	DomaineCompetenceID string
	CompetenceID        string
}

// Inscription is modalitesInscription: how the holder came to the certification.
type Inscription struct {
	ModaliteAcces         string // nillable
	VoieAccesVAE          string
	InitiativeInscription string
	DateInscription       string
}

// DossierFormation identifies the holder by a CPF training file.
type DossierFormation struct {
	IDDossier string
	Nom       string
	Prenom    string
}

// Titulaire identifies the holder by birth data.
type Titulaire struct {
	NomNaissance string
	NomUsage     string // nillable
	Prenom1      string
	Prenom2      string
	Prenom3      string
	Annee        int
	Mois         int // 0: nil
	Jour         int // 0: nil
	Sexe         string
	// The commune of birth: its INSEE code, or else its postal code, which
	// is nil for a person born abroad (codePostalNaissance xsi:nil).
	CodeInsee       string
	CodePostal      string
	LibelleCommune  string
	CodePays        string // 3 characters
	LibellePays     string
	CommentairesMEN string
}

// FieldError names the element of a passage the XSD would reject.
type FieldError struct {
	IDTechnique string
	Field       string // the element, as the XSD names it
	Value       string
	Rule        string
}

func (e *FieldError) Error() string {
	id := e.IDTechnique
	if id == "" {
		id = "?"
	}
	if e.Value == "" {
		return fmt.Sprintf("passage %s: %s %s", id, e.Field, e.Rule)
	}
	return fmt.Sprintf("passage %s: %s %q %s", id, e.Field, cut(e.Value), e.Rule)
}

func cut(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	r := []rune(s)
	return string(r[:60]) + "…"
}

var (
	datePat  = regexp.MustCompile(`^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])$`)
	stampPat = regexp.MustCompile(`^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T(2[0-3]|[01][0-9]):[0-5][0-9]:[0-5][0-9](\+|-)(:2[0-3]|[01][0-9]):[0-5][0-9]$`)
)

// StampLayout is how horodatage is written: the XSD's pattern wants a
// numeric offset, never Z.
const StampLayout = "2006-01-02T15:04:05-07:00"

// checker gathers the first error of a run of checks.
type checker struct {
	id  string
	err error
}

func (c *checker) fail(field, value, rule string) {
	if c.err == nil {
		c.err = &FieldError{IDTechnique: c.id, Field: field, Value: value, Rule: rule}
	}
}

// text checks a string of min to max characters; optional ones may be empty.
func (c *checker) text(field, v string, min, max int, optional bool) {
	if v == "" && optional {
		return
	}
	if !utf8.ValidString(v) || !xmlChars(v) {
		c.fail(field, v, "holds characters XML cannot carry")
		return
	}
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0:
		c.fail(field, v, "is required")
	case min == max && n != min:
		c.fail(field, v, fmt.Sprintf("must be exactly %d characters", min))
	case n < min || n > max:
		c.fail(field, v, fmt.Sprintf("must be %d to %d characters", min, max))
	}
}

func (c *checker) enum(field, v string, values []string, optional bool) {
	if v == "" && optional {
		return
	}
	for _, x := range values {
		if v == x {
			return
		}
	}
	c.fail(field, v, fmt.Sprintf("is not one of %v", values))
}

func (c *checker) date(field, v string, optional bool) {
	if v == "" && optional {
		return
	}
	pattern, calendar := checkDate(v)
	switch {
	case !pattern:
		c.fail(field, v, "must be a date YYYY-MM-DD between 1900 and 2099")
	case !calendar:
		c.fail(field, v, "is not a date of the calendar")
	}
}

// checkDate reports whether v matches the XSD's pattern of a date
// (datePat) and whether it is a day of the calendar. It reads the digits
// by hand: an export checks a few dates a passage, and the regular
// expression and time.Parse took a tenth of its time.
func checkDate(v string) (pattern, calendar bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return false, false
	}
	n := func(s string) int {
		x := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return -1
			}
			x = x*10 + int(s[i]-'0')
		}
		return x
	}
	year, month, day := n(v[:4]), n(v[5:7]), n(v[8:])
	if year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31 {
		return false, false
	}
	return true, day <= time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (c *checker) rangeInt(field string, v, min, max int) {
	if v < min || v > max {
		c.fail(field, strconv.Itoa(v), fmt.Sprintf("must be between %d and %d", min, max))
	}
}

// xmlChars reports whether s holds only characters XML 1.0 allows.
func xmlChars(s string) bool {
	for _, r := range s {
		switch {
		case r == 0x9 || r == 0xA || r == 0xD:
		case r >= 0x20 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		case r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return true
}

// Validate checks a header against the XSD.
func (h *Header) Validate() error {
	c := checker{id: "-"}
	c.text("idFlux", h.IDFlux, 1, 50, false)
	if s := h.Horodatage.Format(StampLayout); !stampPat.MatchString(s) {
		c.fail("horodatage", s, "must be a date and time between 1900 and 2099 with its offset")
	}
	c.text("emetteur/idClient", h.Emetteur, 8, 8, false)
	c.text("certificateur/idClient", h.Certificateur, 8, 8, false)
	c.text("idContrat", h.Contrat, 1, 20, false)
	if c.err != nil {
		fe := c.err.(*FieldError)
		return fmt.Errorf("flux header: %s %q %s", fe.Field, cut(fe.Value), fe.Rule)
	}
	return nil
}

// Validate checks a certification's own fields (not its passages).
func (ct *Certification) Validate() error {
	c := checker{id: "-"}
	c.text("type", ct.Type, 1, 255, false)
	c.text("code", ct.Code, 1, 100, false)
	c.enum("natureDeposant", ct.NatureDeposant, natures, true)
	if c.err != nil {
		fe := c.err.(*FieldError)
		return fmt.Errorf("certification %s: %s %q %s", cut(ct.Code), fe.Field, cut(fe.Value), fe.Rule)
	}
	return nil
}

// Validate checks a passage against every facet of the XSD, naming the
// first element it would reject (a *FieldError).
func (p *Passage) Validate() error {
	c := checker{id: p.IDTechnique}
	c.text("idTechnique", p.IDTechnique, 1, 255, false)
	c.text("urlPreuve", p.URLPreuve, 1, 255, true)
	c.text("libelleOption", p.LibelleOption, 1, 255, true)
	c.enum("obtentionCertification", p.Obtention, obtentions, false)
	c.date("dateDebutExamen", p.DateDebutExamen, true)
	c.date("dateFinExamen", p.DateFinExamen, true)
	c.enum("modalitePassageExamen", p.ModalitePassageExamen, modalitesExam, true)
	c.text("codePostalCentreExamen", p.CodePostalCentreExamen, 1, 9, true)
	c.date("dateDebutValidite", p.DateDebutValidite, false)
	c.date("dateFinValidite", p.DateFinValidite, true)
	c.enum("niveauLangueEuropeen", p.NiveauLangueEuropeen, niveauxCECRL, true)
	if n := p.NiveauNumerique; n != nil {
		if n.ScoreGeneral != 0 {
			c.rangeInt("scoreGeneral", n.ScoreGeneral, 1, 1000)
		}
		for _, r := range n.Resultats {
			if r.Niveau != 0 {
				c.rangeInt("resultat/niveau", r.Niveau, 1, 8)
			}
			c.text("domaineCompetenceId", r.DomaineCompetenceID, 1, 1, true)
			c.text("competenceId", r.CompetenceID, 1, 1, true)
		}
	}
	c.text("scoring", p.Scoring, 1, 255, true)
	c.enum("mentionValidee", p.MentionValidee, mentions, true)
	c.enum("modaliteAcces", p.Inscription.ModaliteAcces, modalitesAcces, true)
	c.enum("voieAccessVAE", p.Inscription.VoieAccesVAE, voiesVAE, true)
	c.enum("initiativeInscription", p.Inscription.InitiativeInscription, initiatives, true)
	c.date("dateInscription", p.Inscription.DateInscription, true)
	switch {
	case (p.Titulaire == nil) == (p.Dossier == nil):
		c.fail("identificationTitulaire", "", "needs either titulaire or dossierFormation, not both")
	case p.Dossier != nil:
		c.text("idDossier", p.Dossier.IDDossier, 1, 13, false)
		c.text("nomTitulaire", p.Dossier.Nom, 1, 30, false)
		c.text("prenom1Titulaire", p.Dossier.Prenom, 1, 20, false)
	default:
		t := p.Titulaire
		c.text("nomNaissance", t.NomNaissance, 1, 60, false)
		c.text("nomUsage", t.NomUsage, 1, 60, true)
		c.text("prenom1", t.Prenom1, 1, 60, false)
		c.text("prenom2", t.Prenom2, 1, 60, true)
		c.text("prenom3", t.Prenom3, 1, 60, true)
		c.rangeInt("anneeNaissance", t.Annee, 1900, 2099)
		if t.Mois != 0 {
			c.rangeInt("moisNaissance", t.Mois, 1, 12)
		}
		if t.Jour != 0 {
			c.rangeInt("jourNaissance", t.Jour, 1, 31)
		}
		c.enum("sexe", t.Sexe, genres, false)
		if t.CodeInsee != "" && t.CodePostal != "" {
			c.fail("codeCommuneNaissance", "", "takes either codeInseeNaissance or codePostalNaissance, not both")
		}
		c.text("codeInsee", t.CodeInsee, 5, 5, true)
		c.text("codePostal", t.CodePostal, 1, 9, true)
		c.text("libelleCommuneNaissance", t.LibelleCommune, 1, 60, true)
		c.text("codePaysNaissance", t.CodePays, 3, 3, true)
		c.text("libellePaysNaissance", t.LibellePays, 1, 60, true)
		c.text("commentairesMEN", t.CommentairesMEN, 1, 250, true)
	}
	c.text("verbatim", p.Verbatim, 1, 255, true)
	return c.err
}
