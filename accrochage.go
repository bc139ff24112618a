package certibloc

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A certifier declares every holder of its titles to the Caisse des
// Dépôts, which hangs the certification on the holder's CPF account
// (« accrochage ») within three months of the jury. A holder is found there
// by birth data: birth name, first names, date, sex and commune of birth
// (or country, when born abroad). Each declaration is a passage with a
// stable technical id; the Caisse answers each file with a processing
// report that accepts or rejects each passage.

// DeclarationDeadline is how long after the jury a holder must be declared.
const DeclarationDeadline = 3 // months

// Holder is a title awarded as the declaration reads it: who, which
// certification, when, by which route, and to which certifier account at
// the Caisse.
type Holder struct {
	PersonID      int64  `json:"person_id"`
	BirthName     string `json:"birth_name"`
	UsageName     string `json:"usage_name,omitempty"`
	FirstNames    string `json:"first_names"`
	BirthDate     Date   `json:"birth_date"`
	Sex           string `json:"sex,omitempty"`
	BirthPlace    string `json:"birth_place,omitempty"`
	BirthCountry  string `json:"birth_country,omitempty"`
	Certification string `json:"certification"`
	AwardedOn     Date   `json:"awarded_on"` // the jury's date
	JuryID        int64  `json:"jury_id"`
	// Route is how the title's blocks were validated: vae when every block
	// was, training otherwise (a mixed path is declared by its training).
	Route Route `json:"route"`
	// Mode is the training's mode (initial, apprenticeship) from the
	// holder's enrolment in a cohort of the certification, "" without one.
	Mode Mode `json:"mode,omitempty"`
	// The certifier's account at the Caisse, set per certification.
	Emitter  string `json:"emitter,omitempty"`
	Client   string `json:"client,omitempty"`
	Contract string `json:"contract,omitempty"`
}

// IDTechnique is the passage's id at the Caisse: the same for a holder and
// a certification whatever is sent again, so that a second sending updates
// the first rather than adding a passage. The store finds a holder's
// passage by this very form ('certibloc-' || code || '-' || person).
func (h *Holder) IDTechnique() string {
	return "certibloc-" + h.Certification + "-" + strconv.FormatInt(h.PersonID, 10)
}

// BornAbroad reports whether the holder was born outside France.
func (h *Holder) BornAbroad() bool { return h.BirthCountry != "" && h.BirthCountry != "FR" }

// FirstNameList splits the first names as the Caisse wants them, one to
// three: by commas when the civil register's list has them, by spaces
// otherwise ("Jean-Éric" stays one).
func (h *Holder) FirstNameList() []string {
	sep := " "
	if strings.Contains(h.FirstNames, ",") {
		sep = ","
	}
	var out []string
	for _, f := range strings.Split(h.FirstNames, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	if len(out) > 3 {
		out = append(out[:2], strings.Join(out[2:], " "))
	}
	return out
}

// Name is the holder as a problem quotes them: first names, BIRTH NAME, id.
func (h *Holder) Name() string {
	return fmt.Sprintf("%s %s (n° %d)", h.FirstNames, strings.ToUpper(h.BirthName), h.PersonID)
}

// Digest identifies what is declared about the holder: a passage whose
// digest changed since it was sent is sent again.
func (h *Holder) Digest() string {
	s := sha256.Sum256([]byte(strings.Join([]string{h.BirthName, h.UsageName, h.FirstNames, h.BirthDate.String(), h.Sex,
		h.BirthPlace, h.BirthCountry, h.Certification, h.AwardedOn.String(), string(h.Route), string(h.Mode),
		h.Emitter, h.Client, h.Contract}, "\x1f")))
	return hex.EncodeToString(s[:16])
}

// The lengths the Caisse's schema allows.
const (
	maxCDCName      = 60
	cdcClientLength = 8
	maxCDCContract  = 20
)

// Check lists what keeps the holder from being declared: a problem per
// missing or unfit field, each with the link of the page that corrects it.
func (h *Holder) Check() Problems {
	var ps Problems
	// The name and link are written only for a holder with a problem: an
	// export checks every holder, and most have none.
	add := func(code, field, detail string) {
		ps = append(ps, Problem{Code: code, Field: field, Value: h.Name(), Detail: detail, Link: "/app/people/" + strconv.FormatInt(h.PersonID, 10)})
	}
	switch {
	case strings.TrimSpace(h.BirthName) == "":
		add("holder_birth_name", "birth_name", "")
	case utf8.RuneCountInString(h.BirthName) > maxCDCName:
		add("holder_too_long", "birth_name", fmt.Sprint(maxCDCName))
	}
	if utf8.RuneCountInString(h.UsageName) > maxCDCName {
		add("holder_too_long", "usage_name", fmt.Sprint(maxCDCName))
	}
	names := h.FirstNameList()
	if len(names) == 0 {
		add("holder_first_names", "first_names", "")
	}
	for _, n := range names {
		if utf8.RuneCountInString(n) > maxCDCName {
			add("holder_too_long", "first_names", fmt.Sprint(maxCDCName))
			break
		}
	}
	if h.BirthDate.IsZero() {
		add("holder_birth_date", "birth_date", "")
	} else if y := h.BirthDate.Year(); y < 1900 || y > 2099 {
		add("holder_birth_date", "birth_date", "")
	}
	if h.Sex != "F" && h.Sex != "M" {
		add("holder_sex", "sex", "")
	}
	if !h.BornAbroad() && h.BirthPlace == "" {
		add("holder_birth_place", "birth_place", "")
	}
	if h.BornAbroad() && h.BirthPlace != "" {
		add("holder_birth_place_abroad", "birth_place", h.BirthCountry)
	}
	if len(h.Client) != cdcClientLength || len(h.Emitter) != cdcClientLength || h.Contract == "" || len(h.Contract) > maxCDCContract {
		ps = append(ps, Problem{Code: "cdc_account", Field: "certification", Value: h.Certification,
			Link: "/app/reports/accrochage"})
	}
	return ps
}

// CDCAccount is a certification's account at the Caisse des Dépôts: the
// emitter of the files (the certifier itself, or a trusted third party),
// the certifier's client number and its contract.
type CDCAccount struct {
	Certification string    `json:"certification"`
	Emitter       string    `json:"emitter"`
	Client        string    `json:"client"`
	Contract      string    `json:"contract"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Validate checks the account's numbers as the Caisse's schema wants them.
func (a *CDCAccount) Validate() error {
	a.Emitter, a.Client, a.Contract = strings.TrimSpace(a.Emitter), strings.TrimSpace(a.Client), strings.TrimSpace(a.Contract)
	if a.Emitter == "" {
		a.Emitter = a.Client
	}
	switch {
	case len(a.Client) != cdcClientLength || !printableASCII(a.Client):
		return Errorf(EINVALID, "client %q must be the certifier's client number at the Caisse des Dépôts, 8 characters", a.Client)
	case len(a.Emitter) != cdcClientLength || !printableASCII(a.Emitter):
		return Errorf(EINVALID, "emitter %q must be a client number at the Caisse des Dépôts, 8 characters", a.Emitter)
	case a.Contract == "" || len(a.Contract) > maxCDCContract || !printableASCII(a.Contract):
		return Errorf(EINVALID, "contract %q must be the certifier's contract number, 1 to 20 characters", a.Contract)
	}
	return nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// Passage statuses: to send (never sent, or changed since), sent, and the
// Caisse's answer.
const (
	PassageToSend   = "to_send"
	PassageSent     = "sent"
	PassageAccepted = "accepted"
	PassageRejected = "rejected"
)

// PassageState is where a holder's declaration stands.
type PassageState struct {
	Holder
	IDTechnique string     `json:"id_technique"`
	Status      string     `json:"status"`
	Changed     bool       `json:"changed,omitempty"` // sent, then corrected: to send again
	IDFlux      string     `json:"id_flux,omitempty"`
	Message     string     `json:"message,omitempty"` // the Caisse's, on a rejection
	SentAt      *time.Time `json:"sent_at,omitempty"`
	// Due is the date by which the holder must be declared; Overdue says
	// it passed without an acceptance or a sending.
	Due     Date `json:"due"`
	Overdue bool `json:"overdue,omitempty"`
	// Digest is the holder's Digest as of now, worked out once.
	Digest string `json:"-"`
}

// DueDate is the last day to declare a holder awarded on d.
func DueDate(d Date) Date { return Date{d.AddDate(0, DeclarationDeadline, 0)} }

// ProcessingReport is the Caisse's answer to one file: the passages it
// accepted, and those it rejected with its message.
type ProcessingReport struct {
	IDFlux       string            `json:"id_flux"`
	ProcessingID string            `json:"processing_id"`
	FileName     string            `json:"file_name,omitempty"`
	Accepted     []string          `json:"accepted"`
	Rejected     []RejectedPassage `json:"rejected"`
}

// RejectedPassage is a passage the Caisse refused, with its message.
type RejectedPassage struct {
	IDTechnique string `json:"id_technique"`
	Message     string `json:"message"`
}

// ReportApplied says what a processing report changed.
type ReportApplied struct {
	IDFlux   string `json:"id_flux"`
	Accepted int    `json:"accepted"`
	Rejected int    `json:"rejected"`
	// Superseded counts the passages the report names that were sent again
	// in a later file since: the later file's report will tell.
	Superseded int `json:"superseded"`
}

// ExportedFile is one file of an export: its idFlux, the certifier's
// account it is for, its passages and size.
type ExportedFile struct {
	IDFlux   string `json:"id_flux"`
	Client   string `json:"client"`
	Contract string `json:"contract"`
	Passages int    `json:"passages"`
	Bytes    int64  `json:"bytes"`
}
