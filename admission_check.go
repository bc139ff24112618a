package certibloc

import (
	"slices"
	"strings"
)

// The checks of admissions that need more than one record: who may act on
// an application, whether a document is what it claims, whether a cohort
// is whole. Like the workflow in admission.go, they do no I/O.

// DocumentKinds are the kinds of documents an application carries.
var DocumentKinds = []string{DocCV, DocDiploma, DocTranscript, DocOther}

// MaxDocuments bounds how many documents one application carries.
const MaxDocuments = 20

// CheckDocument checks an uploaded document before it is stored: a known
// kind, a file name, a size within MaxDocumentSize, and a content that is
// a PDF, a PNG or a JPEG and agrees with the ending of its name (a PNG
// named cv.pdf is not what it claims). It returns the name to store (see
// DocumentName: cleaned, and ending as its content type does) and the
// content type read from the bytes.
func CheckDocument(kind, filename string, data []byte) (name, contentType string, err error) {
	if !slices.Contains(DocumentKinds, kind) {
		return "", "", Errorf(EINVALID, "document kind %q is not one of %s", kind, strings.Join(DocumentKinds, ", "))
	}
	name = CleanFilename(filename)
	switch {
	case name == "":
		return "", "", Errorf(EINVALID, "the document needs a file name, such as cv.pdf")
	case len(data) == 0:
		return "", "", Errorf(EINVALID, "%s is empty", name)
	case len(data) > MaxDocumentSize:
		return "", "", Errorf(EINVALID, "%s is %d bytes: a document may not be larger than %d MiB",
			name, len(data), MaxDocumentSize>>20)
	}
	contentType, err = SniffDocument(name, data)
	if err != nil {
		return "", "", err
	}
	claimed, known := claimedType(name)
	if known && claimed != contentType {
		return "", "", Errorf(EINVALID, "%s is not what its name claims: its content is %s, not %s",
			name, contentType, claimed)
	}
	return DocumentName(name, contentType), contentType, nil
}

// AuthorizeApplication checks that p may read or edit application a
// (its choice, its documents, its submission): staff who manage
// admissions in its school, or the candidate it belongs to. An API token
// stands for no person, so a candidate's token reaches no application:
// candidates act signed in on the web.
func (p *Principal) AuthorizeApplication(a *Application) error {
	if p.Anonymous() {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	if p.Can(ManageAdmission) {
		return p.Authorize(ManageAdmission, a.School)
	}
	if !p.Can(Apply) {
		return Errorf(EFORBIDDEN, "the %s role may not do this (%s)", p.Role, ManageAdmission)
	}
	if p.PersonID == 0 {
		return errNoPerson
	}
	if p.PersonID != a.PersonID {
		return Errorf(EFORBIDDEN, "this application is someone else's")
	}
	return nil
}

// errNoPerson is the answer to a candidate's API token on their own
// records: no token stands for a person.
var errNoPerson = Errorf(EFORBIDDEN, "an API token stands for no person: a candidate applies signed in on the web")

// AuthorizeApplicant checks that p may apply, or have someone apply, as
// the person personID of school: the candidate themselves, or staff who
// manage admissions in that school.
func (p *Principal) AuthorizeApplicant(personID int64, school string) error {
	if p.Anonymous() {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	if p.Can(ManageAdmission) {
		return p.Authorize(ManageAdmission, school)
	}
	if !p.Can(Apply) {
		return Errorf(EFORBIDDEN, "the %s role may not do this (%s)", p.Role, Apply)
	}
	if p.PersonID == 0 {
		return errNoPerson
	}
	if personID != p.PersonID {
		return Errorf(EFORBIDDEN, "a candidate applies for themselves only")
	}
	return nil
}

// AuthorizeDecision checks that p may take a decision of kind k on
// application a: staff who manage admissions in its school; the candidate
// themselves may only withdraw.
func (p *Principal) AuthorizeDecision(a *Application, k DecisionKind) error {
	if !p.Anonymous() && !p.Can(ManageAdmission) && k == Withdraw {
		return p.AuthorizeApplication(a)
	}
	if err := p.Authorize(ManageAdmission, ""); err != nil {
		return err
	}
	if !p.InSchool(a.School) {
		return Errorf(EFORBIDDEN, "application %d belongs to another school", a.ID)
	}
	return nil
}

// Validate checks a cohort against the certification version it follows.
func (c *Cohort) Validate(cert *Certification) error {
	c.Name = strings.TrimSpace(c.Name)
	switch {
	case c.School == "":
		return Errorf(EINVALID, "school is required")
	case c.Name == "":
		return Errorf(EINVALID, "name is required, such as \"DIIAGE L3 2027\"")
	case len(c.Name) > 200:
		return Errorf(EINVALID, "name is longer than 200 characters")
	case !slices.Contains(cert.Tracks(), c.Track):
		return Errorf(EINVALID, "track %q is not a track of %s (%v)", c.Track, cert.Code, cert.Tracks())
	case c.StartsOn.IsZero() || c.EndsOn.IsZero():
		return Errorf(EINVALID, "starts_on and ends_on are required")
	case c.EndsOn.Before(c.StartsOn):
		return Errorf(EINVALID, "ends_on %s is before starts_on %s", c.EndsOn, c.StartsOn)
	case c.PlannedHours <= 0 || c.PlannedHours > 10000:
		return Errorf(EINVALID, "planned_hours must be a positive number of hours (600 for RNCP38478)")
	case c.WeeklyHours <= 0 || c.WeeklyHours > 60:
		return Errorf(EINVALID, "weekly_hours must be between 1 and 60 (35 for RNCP38478)")
	}
	return nil
}

// Valid reports whether k is a decision of the workflow.
func (k DecisionKind) Valid() bool {
	_, ok := workflow[k]
	return ok
}
