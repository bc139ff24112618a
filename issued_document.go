package certibloc

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Issued documents are the certifier's proof that a person holds the title
// or some of its blocks: the certificate for the title, an attestation for
// one block, and a transcript of every block acquired. Each carries a
// number (docnumber.go) printed with a QR code to the public verification
// page. What it says is fixed when it is issued: the holder's name and
// birth date as printed, the certification's title, level and certifier as
// they were, so that a later change or an erasure of the person's record
// leaves the proof as it was handed out. A document is never deleted; it
// may be revoked, with a date and a reason.

// DocumentKind is what an issued document proves.
type DocumentKind string

// Kinds of issued documents.
const (
	Certificate DocumentKind = "certificate" // the title
	Attestation DocumentKind = "attestation" // one block
	Transcript  DocumentKind = "transcript"  // every block acquired, with dates and routes
)

// IssuedKinds lists the kinds of issued documents in the order of the forms.
var IssuedKinds = []DocumentKind{Certificate, Attestation, Transcript}

// In names the kind in language l.
func (k DocumentKind) In(l Lang) string {
	switch k {
	case Certificate:
		return pick(l == French, "certificat", "certificate")
	case Attestation:
		return pick(l == French, "attestation de bloc de compétences", "attestation of a block of competencies")
	case Transcript:
		return pick(l == French, "relevé des blocs de compétences", "transcript of blocks of competencies")
	}
	return string(k)
}

// DocumentHolder is the person a document is about, as printed on it.
type DocumentHolder struct {
	FirstNames string `json:"first_names"`
	LastName   string `json:"last_name"` // the usage name when there is one, else the birth name
	BirthName  string `json:"birth_name,omitempty"`
	BirthDate  Date   `json:"birth_date"`
}

// Name is the holder's name as printed: first names then last name, the
// birth name after « né(e) » when it differs.
func (h DocumentHolder) Name() string {
	s := strings.TrimSpace(h.FirstNames + " " + h.LastName)
	if h.BirthName != "" && h.BirthName != h.LastName {
		s += " (" + h.BirthName + ")"
	}
	return s
}

// HolderOf takes the holder of a document from a person's record.
func HolderOf(p *Person) DocumentHolder {
	h := DocumentHolder{FirstNames: p.FirstNames, LastName: p.BirthName, BirthDate: p.BirthDate}
	if p.UsageName != "" && p.UsageName != p.BirthName {
		h.LastName, h.BirthName = p.UsageName, p.BirthName
	}
	return h
}

// DocumentCertification is the certification as a document names it.
type DocumentCertification struct {
	Code      string `json:"code"`              // RNCP38478
	Version   int    `json:"version,omitempty"` // of the referential: not shown by the verification
	Title     string `json:"title"`
	Level     int    `json:"level"`     // European level, 0 when none (RS)
	Certifier string `json:"certifier"` // the body that awards it
}

// CertificationOf takes what a document names of a certification's version:
// the first certifier is the one that signs.
func CertificationOf(c *Certification) DocumentCertification {
	d := DocumentCertification{Code: c.Code, Version: c.Version, Title: c.Title, Level: c.Level}
	if len(c.Certifiers) > 0 {
		d.Certifier = c.Certifiers[0].Name
	}
	return d
}

// DocumentBlock is a block a document names: acquired on a date by a route.
type DocumentBlock struct {
	Code  string `json:"code"` // RNCP38478BC01
	Title string `json:"title"`
	Date  Date   `json:"date"`
	Route Route  `json:"route"`
}

// IssuedDocument is a document handed out by the certifier.
type IssuedDocument struct {
	ID            int64                 `json:"-"`
	Number        string                `json:"number"`
	Kind          DocumentKind          `json:"kind"`
	PersonID      int64                 `json:"person_id"`
	School        string                `json:"school"`
	Holder        DocumentHolder        `json:"holder"`
	Certification DocumentCertification `json:"certification"`
	Blocks        []DocumentBlock       `json:"blocks"`            // the attestation's one, the transcript's all, the certificate's all
	JuryID        int64                 `json:"jury_id,omitempty"` // the jury whose decision it records, when known
	JuryDate      Date                  `json:"jury_date"`
	IssuedAt      time.Time             `json:"issued_at"`
	RevokedAt     *time.Time            `json:"revoked_at,omitempty"`
	RevokeReason  string                `json:"revoke_reason,omitempty"`
	Digest        string                `json:"digest,omitempty"` // SHA-256 of the PDF, hex
}

// NewIssuedDocument prepares a document of kind about person p for a
// version of certification c, from a jury's block verdicts: the blocks it
// validated, titled as the referential names them (an attestation names
// its one block, so it takes one verdict). The holder and the
// certification are copied as they are now, to be printed; the document
// is checked (Validate).
func NewIssuedDocument(kind DocumentKind, number string, p *Person, c *Certification, verdicts []BlockVerdict,
	juryID int64, juryDate Date, at time.Time) (*IssuedDocument, error) {
	d := &IssuedDocument{Number: number, Kind: kind, PersonID: p.ID, School: p.School, Holder: HolderOf(p),
		Certification: CertificationOf(c), JuryID: juryID, JuryDate: juryDate, IssuedAt: at, Blocks: []DocumentBlock{}}
	for _, v := range verdicts {
		if !v.Validated {
			continue
		}
		i := slices.IndexFunc(c.Blocks, func(b Block) bool { return b.Code == v.Block })
		if i < 0 {
			return nil, Errorf(EINVALID, "block %s is not a block of %s version %d", v.Block, c.Code, c.Version)
		}
		d.Blocks = append(d.Blocks, DocumentBlock{Code: v.Block, Title: c.Blocks[i].Title, Date: v.Date, Route: v.Route})
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d, nil
}

// Validate checks a document before it is issued: a known kind, a well
// formed number, a holder with a name and a birth date, a certification
// with its code, title, level and certifier, the blocks its kind needs,
// each acquired by a known route no later than the jury.
func (d *IssuedDocument) Validate() error {
	switch d.Kind {
	case Certificate, Attestation, Transcript:
	default:
		return Errorf(EINVALID, "kind %q is not a kind of document (certificate, attestation, transcript)", d.Kind)
	}
	if n, err := ParseDocumentNumber(d.Number); err != nil || n != d.Number {
		return Errorf(EINVALID, "number %q is not a document number in its canonical form", d.Number)
	}
	if d.PersonID <= 0 {
		return Errorf(EINVALID, "the document needs the person it is about")
	}
	for field, v := range map[string]string{"first names": d.Holder.FirstNames, "last name": d.Holder.LastName,
		"certification code": d.Certification.Code, "certification title": d.Certification.Title,
		"certifier": d.Certification.Certifier} {
		if strings.TrimSpace(v) == "" {
			return Errorf(EINVALID, "the document's %s is missing", field)
		}
		if utf8.RuneCountInString(v) > 300 {
			return Errorf(EINVALID, "the document's %s is longer than 300 characters", field)
		}
	}
	if d.Holder.BirthDate.IsZero() {
		return Errorf(EINVALID, "the holder's birth date is missing: a document names its holder by name and birth date")
	}
	if d.Certification.Level < 0 || d.Certification.Level > 8 {
		return Errorf(EINVALID, "level %d is not a European level (1 to 8)", d.Certification.Level)
	}
	if d.JuryDate.IsZero() {
		return Errorf(EINVALID, "the jury date is missing: a document records a jury's decision")
	}
	switch {
	case d.Kind == Attestation && len(d.Blocks) != 1:
		return Errorf(EINVALID, "an attestation names one block, not %d", len(d.Blocks))
	case d.Kind == Transcript && len(d.Blocks) == 0:
		return Errorf(EINVALID, "a transcript names at least one block")
	}
	for i, b := range d.Blocks {
		if b.Code == "" || b.Title == "" {
			return Errorf(EINVALID, "block %d: its code and title are needed", i+1)
		}
		if b.Route != Training && b.Route != VAE && b.Route != Mixed {
			return Errorf(EINVALID, "block %s: route %q is not training, vae or mixed", b.Code, b.Route)
		}
		if b.Date.IsZero() || d.JuryDate.Before(b.Date) {
			return Errorf(EINVALID, "block %s: its date %s must be given, and not after the jury (%s)", b.Code, b.Date, d.JuryDate)
		}
		for _, o := range d.Blocks[:i] {
			if o.Code == b.Code {
				return Errorf(EINVALID, "block %s is named twice", b.Code)
			}
		}
	}
	return nil
}

// Revoked reports whether the document was revoked.
func (d *IssuedDocument) Revoked() bool { return d.RevokedAt != nil }

// CheckRevokeReason refuses a revocation without a reason a reader can
// follow: at least 10 characters, at most 500.
func CheckRevokeReason(reason string) error {
	n := utf8.RuneCountInString(strings.TrimSpace(reason))
	if n < 10 || n > 500 {
		return Errorf(EINVALID, "a revocation needs a reason of 10 to 500 characters (%d given)", n)
	}
	return nil
}

// The public verification is throttled per client address: VerifyLimit
// lookups of well-formed numbers per VerifyWindow, enough for a recruiter
// or an office behind one address checking documents one by one, and
// nothing against 80 random bits.
const (
	VerifyLimit  = 60
	VerifyWindow = 10 * time.Minute
)

// AuthorizeDownload says whether p may download the PDF of d: the holder
// themselves, the admin, or the staff of the holder's school.
func (d *IssuedDocument) AuthorizeDownload(p *Principal) error {
	switch {
	case p.Anonymous():
		return Errorf(EUNAUTHORIZED, "sign in first")
	case p.PersonID != 0 && p.PersonID == d.PersonID:
		return nil
	case p.Role == Admin, p.Role == Staff && p.InSchool(d.School):
		return nil
	}
	return Errorf(EFORBIDDEN, "only the holder and the staff of their school may download document %s", d.Number)
}

// Verification is what the public verification shows of a document: enough
// for a reader holding it to check that it is genuine and unchanged (the
// holder's name as printed, what it certifies, its dates and the digest of
// the file), nothing more. The birth date shows as its year only, and a
// revocation as its date only: its reason may say why (a fraud, an error
// of a jury), which is the holder's business and the certifier's, not the
// public's.
type Verification struct {
	Number        string                `json:"number"`
	Status        string                `json:"status"` // valid or revoked
	Kind          DocumentKind          `json:"kind"`
	Holder        string                `json:"holder"`     // as printed
	BirthYear     int                   `json:"birth_year"` // the year of the printed birth date
	Certification DocumentCertification `json:"certification"`
	Blocks        []VerifiedBlock       `json:"blocks"`
	JuryDate      Date                  `json:"jury_date"`
	IssuedOn      Date                  `json:"issued_on"`
	RevokedOn     *Date                 `json:"revoked_on,omitempty"`
	Digest        string                `json:"digest"` // SHA-256 of the PDF as issued
}

// VerifiedBlock is a block as the verification shows it.
type VerifiedBlock struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	Date  Date   `json:"date"`
}

// Verification statuses.
const (
	DocumentValid   = "valid"
	DocumentRevoked = "revoked"
)

// Verify returns what the public verification shows of d.
func (d *IssuedDocument) Verify() Verification {
	v := Verification{Number: d.Number, Status: DocumentValid, Kind: d.Kind, Holder: d.Holder.Name(),
		BirthYear: d.Holder.BirthDate.Year(), Certification: d.Certification, JuryDate: d.JuryDate,
		IssuedOn: DateOf(d.IssuedAt.Date()), Digest: d.Digest, Blocks: make([]VerifiedBlock, len(d.Blocks))}
	v.Certification.Version = 0 // the referential's version is internal bookkeeping
	for i, b := range d.Blocks {
		v.Blocks[i] = VerifiedBlock{Code: b.Code, Title: b.Title, Date: b.Date}
	}
	if d.RevokedAt != nil {
		v.Status = DocumentRevoked
		on := DateOf(d.RevokedAt.Date())
		v.RevokedOn = &on
	}
	return v
}

// VerifyRefusal words in language l why a verification shows no
// document: a malformed number (its own words), an unknown one, too many
// lookups from one address.
func VerifyRefusal(err error, l Lang) string {
	switch ErrorCode(err) {
	case ENOTFOUND:
		return pick(l == French,
			"Aucun document ne porte ce numéro : vérifiez chaque symbole. Un document dont le numéro est inconnu n'a pas été délivré par ce certificateur.",
			"No document has this number: check each symbol. A document whose number is unknown was not issued by this certifier.")
	case ETOOMANY:
		return pick(l == French,
			fmt.Sprintf("Trop de vérifications depuis votre adresse : au plus %d en %d minutes. Réessayez plus tard.", VerifyLimit, int(VerifyWindow.Minutes())),
			fmt.Sprintf("Too many verifications from your address: at most %d in %d minutes. Please try again later.", VerifyLimit, int(VerifyWindow.Minutes())))
	}
	return ErrorMessage(err)
}

// String names a document for logs and the audit trail.
func (d *IssuedDocument) String() string {
	return fmt.Sprintf("%s %s (%s)", d.Kind, d.Number, d.Certification.Code)
}
