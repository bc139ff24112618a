package certibloc

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Mode is how a learner follows a track: initial training with its
// internship, or apprenticeship with an employer.
type Mode string

// Modes of RNCP38478's programme (600 h + 6-month internship, or 600 h in
// apprenticeship).
const (
	Initial        Mode = "initial"
	Apprenticeship Mode = "apprenticeship"
)

// ValidMode reports whether m is a known mode.
func ValidMode(m Mode) bool { return m == Initial || m == Apprenticeship }

// Campaign is a school's admission campaign for a programme and a year:
// when applications open and close (1 July by default), which tracks and
// modes are offered with how many places, and which optional blocks are open.
type Campaign struct {
	ID                int64    `json:"id"`
	School            string   `json:"school"`
	Programme         string   `json:"programme"` // programme slug
	CertificationCode string   `json:"certification_code"`
	Version           int      `json:"certification_version"` // the referential version in force
	Year              int      `json:"year"`
	Title             string   `json:"title"`
	OpensOn           Date     `json:"opens_on"`
	ClosesOn          Date     `json:"closes_on"` // applications are accepted until this day, included
	Offers            []Offer  `json:"offers"`
	Options           []string `json:"options"` // optional block codes open to applicants
	// RequiredDocuments is the checklist of the document kinds an
	// application must carry to be submitted (cv, diploma, transcript…).
	RequiredDocuments []string  `json:"required_documents"`
	CreatedAt         time.Time `json:"created_at"`
}

// Offer is a number of places on a track in a mode.
type Offer struct {
	Track  Track `json:"track"`
	Mode   Mode  `json:"mode"`
	Places int   `json:"places"`
}

// DefaultClosing is the seed's closing date: applications until 1 July.
func DefaultClosing(year int) Date { return DateOf(year, time.July, 1) }

// Open reports whether applications are accepted on day d.
func (c *Campaign) Open(d Date) bool {
	return !d.Before(c.OpensOn) && !c.ClosesOn.Before(d)
}

// Offer returns the offer of a track and mode, or nil.
func (c *Campaign) Offer(t Track, m Mode) *Offer {
	for i := range c.Offers {
		if c.Offers[i].Track == t && c.Offers[i].Mode == m {
			return &c.Offers[i]
		}
	}
	return nil
}

// MaxPlaces bounds the places of an offer.
const MaxPlaces = 10_000

// Validate checks a campaign against the certification it recruits for.
func (c *Campaign) Validate(cert *Certification) error {
	switch {
	case c.School == "":
		return Errorf(EINVALID, "school is required")
	case c.Year < 2000 || c.Year > 2200:
		return Errorf(EINVALID, "year %d is not plausible", c.Year)
	case c.OpensOn.IsZero() || c.ClosesOn.IsZero():
		return Errorf(EINVALID, "opens_on and closes_on are required")
	case c.ClosesOn.Before(c.OpensOn):
		return Errorf(EINVALID, "closes_on %s is before opens_on %s", c.ClosesOn, c.OpensOn)
	case len(c.Offers) == 0:
		return Errorf(EINVALID, "offers: at least one track with places is required")
	}
	c.Title = NFC(c.Title)
	if err := CheckText("title", c.Title, MaxName, false); err != nil {
		return err
	}
	tracks := cert.Tracks()
	for i, o := range c.Offers {
		if c.Offer(o.Track, o.Mode) != &c.Offers[i] {
			return Errorf(EINVALID, "offers: track %s in mode %s is offered twice", o.Track, o.Mode)
		}
		if !slices.Contains(tracks, o.Track) {
			return Errorf(EINVALID, "offers: track %q is not a track of %s (%v)", o.Track, cert.Code, tracks)
		}
		if !ValidMode(o.Mode) {
			return Errorf(EINVALID, "offers: mode %q is neither initial nor apprenticeship", o.Mode)
		}
		if o.Places < 0 {
			return Errorf(EINVALID, "offers: places must not be negative")
		}
		if o.Places > MaxPlaces {
			return Errorf(EINVALID, "offers: places must be at most %d, not %d", MaxPlaces, o.Places)
		}
	}
	if err := CheckRequiredDocuments(c.RequiredDocuments); err != nil {
		return err
	}
	for i, code := range c.Options {
		if slices.Index(c.Options, code) != i {
			return Errorf(EINVALID, "options: %s is listed twice", code)
		}
		b := cert.Block(code)
		if b == nil || b.Kind != Optional {
			return Errorf(EINVALID, "options: %s is not an optional block of %s", code, cert.Code)
		}
	}
	return nil
}

// State is where an application stands in the admission workflow.
type State string

// The states of an application, in the order of the workflow.
const (
	Draft              State = "draft"
	Submitted          State = "submitted"
	Admissible         State = "admissible"
	NotAdmissible      State = "not_admissible"
	InterviewScheduled State = "interview_scheduled"
	Interviewed        State = "interviewed"
	Admitted           State = "admitted"
	WaitingList        State = "waiting_list"
	Refused            State = "refused"
	Enrolled           State = "enrolled"
	Withdrawn          State = "withdrawn"
)

// States lists the states in workflow order (for counts and the funnel).
var States = []State{Draft, Submitted, Admissible, NotAdmissible, InterviewScheduled, Interviewed,
	Admitted, WaitingList, Refused, Enrolled, Withdrawn}

// DecisionKind is a step of the workflow taken by staff or a commission.
type DecisionKind string

// Decisions and the state each leads to.
const (
	DecideAdmissible    DecisionKind = "admissible"     // admissibility commission
	DecideNotAdmissible DecisionKind = "not_admissible" // admissibility commission
	ScheduleInterview   DecisionKind = "schedule_interview"
	RecordInterview     DecisionKind = "interview" // interview and technical tests scored
	DecideAdmitted      DecisionKind = "admitted"  // admission commission
	DecideWaitingList   DecisionKind = "waiting_list"
	DecideRefused       DecisionKind = "refused"
	Enrol               DecisionKind = "enrol"
	Withdraw            DecisionKind = "withdraw" // the candidate withdraws
)

// workflow says, for each decision, the states it may be taken from and
// the state it leads to: the rules of the admission process as data.
var workflow = map[DecisionKind]struct {
	from []State
	to   State
}{
	DecideAdmissible:    {[]State{Submitted}, Admissible},
	DecideNotAdmissible: {[]State{Submitted}, NotAdmissible},
	ScheduleInterview:   {[]State{Admissible, InterviewScheduled}, InterviewScheduled},
	RecordInterview:     {[]State{InterviewScheduled}, Interviewed},
	DecideAdmitted:      {[]State{Interviewed, WaitingList}, Admitted},
	DecideWaitingList:   {[]State{Interviewed}, WaitingList},
	DecideRefused:       {[]State{Interviewed, WaitingList}, Refused},
	Enrol:               {[]State{Admitted}, Enrolled},
	Withdraw:            {[]State{Draft, Submitted, Admissible, InterviewScheduled, Interviewed, Admitted, WaitingList}, Withdrawn},
}

// Commission decisions must name the commission's members and give a
// reason when they say no.
var (
	commissionDecisions = []DecisionKind{DecideAdmissible, DecideNotAdmissible, DecideAdmitted, DecideWaitingList, DecideRefused}
	negativeDecisions   = []DecisionKind{DecideNotAdmissible, DecideRefused}
)

// Next returns the state a decision leads to from state s, or an error
// that says why the decision cannot be taken now.
func Next(s State, k DecisionKind) (State, error) {
	w, ok := workflow[k]
	if !ok {
		return s, Errorf(EINVALID, "decision %q is not one of admissible, not_admissible, schedule_interview, interview, admitted, waiting_list, refused, enrol, withdraw", k)
	}
	if !slices.Contains(w.from, s) {
		from := make([]string, len(w.from))
		for i, f := range w.from {
			from[i] = string(f)
		}
		return s, Errorf(ECONFLICT, "decision %s cannot be taken on an application that is %s: it needs an application that is %s",
			k, s, strings.Join(from, " or "))
	}
	return w.to, nil
}

// AdmissionDecision is one step taken on an application: who took it, when, with
// which commission, why, and for interviews when, where and the scores.
type AdmissionDecision struct {
	ID            int64        `json:"id"`
	ApplicationID int64        `json:"application_id"`
	Kind          DecisionKind `json:"kind"`
	From          State        `json:"from"`
	To            State        `json:"to"`
	Reason        string       `json:"reason,omitempty"`
	Members       []string     `json:"members,omitempty"` // the commission's members
	InterviewAt   *time.Time   `json:"interview_at,omitempty"`
	Place         string       `json:"place,omitempty"`
	Score         *float64     `json:"interview_score,omitempty"` // out of 20
	TestScore     *float64     `json:"test_score,omitempty"`      // technical tests, out of 20
	DecidedBy     string       `json:"decided_by"`
	DecidedAt     time.Time    `json:"decided_at"`
	// Corrects is the decision this one corrects, kept in the history
	// (CorrectDecision in the store); 0 for a decision of its own.
	Corrects int64 `json:"corrects,omitempty"`
}

// Check validates a decision's own fields for its kind: commission members
// for commission decisions, a reason for a refusal, a date and place for
// an interview, scores between 0 and 20.
func (d *AdmissionDecision) Check() error {
	texts := Texts{{"reason", d.Reason, MaxText, true}, {"place", d.Place, MaxLine, false}}
	for _, m := range d.Members {
		texts = append(texts, TextField{"members", m, MaxName, false})
	}
	if err := texts.Check(); err != nil {
		return err
	}
	if slices.Contains(commissionDecisions, d.Kind) && len(d.Members) == 0 {
		return Errorf(EINVALID, "decision %s: members of the commission are required", d.Kind)
	}
	if slices.Contains(negativeDecisions, d.Kind) && strings.TrimSpace(d.Reason) == "" {
		return Errorf(EINVALID, "decision %s: a reason is required", d.Kind)
	}
	if d.Kind == ScheduleInterview && (d.InterviewAt == nil || strings.TrimSpace(d.Place) == "") {
		return Errorf(EINVALID, "decision schedule_interview: interview_at and place are required")
	}
	if d.Kind == RecordInterview && (d.Score == nil || d.TestScore == nil) {
		return Errorf(EINVALID, "decision interview: interview_score and test_score are required")
	}
	for _, s := range []*float64{d.Score, d.TestScore} {
		if s != nil && (*s < 0 || *s > 20) {
			return Errorf(EINVALID, "scores are out of 20: %g is not between 0 and 20", *s)
		}
	}
	return nil
}

// Application is a candidate's application to a campaign.
type Application struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	PersonID   int64  `json:"person_id"`
	School     string `json:"school"`
	Track      Track  `json:"track"`
	Mode       Mode   `json:"mode"`
	Option     string `json:"option,omitempty"` // optional block wished
	State      State  `json:"state"`
	// The entry rules' verdict when the application was submitted, with
	// its reasons; CommitteeReview flags it for the committee.
	Eligibility *Eligibility `json:"eligibility,omitempty"`
	SubmittedAt *time.Time   `json:"submitted_at,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	// For lists: the candidate's name, filled by queries that join it.
	Name string `json:"name,omitempty"`
	// MissingDocuments are the kinds of the documents the campaign
	// requires that the application lacks, when asked for.
	MissingDocuments []string `json:"missing_documents,omitempty"`
}

// CheckChoice validates the track, mode and option of an application
// against its campaign.
func (a *Application) CheckChoice(c *Campaign) error {
	if c.Offer(a.Track, a.Mode) == nil {
		return Errorf(EINVALID, "track %s in mode %s is not offered by this campaign", a.Track, a.Mode)
	}
	if a.Option != "" && !slices.Contains(c.Options, a.Option) {
		return Errorf(EINVALID, "option %s is not open in this campaign (open: %s)", a.Option, strings.Join(c.Options, ", "))
	}
	return nil
}

// Document kinds an application carries.
const (
	DocCV         = "cv"
	DocDiploma    = "diploma"
	DocTranscript = "transcript"
	DocOther      = "other"
)

// Document is a file attached to an application: a PDF or an image,
// recognised by its content, not its name.
type Document struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Kind          string    `json:"kind"`
	Filename      string    `json:"filename"`
	ContentType   string    `json:"content_type"` // application/pdf, image/png, image/jpeg
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
	CreatedAt     time.Time `json:"created_at"`
}

// MaxDocumentSize bounds an uploaded document.
const MaxDocumentSize = 10 << 20

// SniffDocument returns the content type of a document from its first
// bytes — PDF, PNG or JPEG — or an error naming what the file is not.
func SniffDocument(filename string, head []byte) (string, error) {
	switch {
	case len(head) >= 5 && string(head[:5]) == "%PDF-":
		return "application/pdf", nil
	case len(head) >= 8 && string(head[:8]) == "\x89PNG\r\n\x1a\n":
		return "image/png", nil
	case len(head) >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF:
		return "image/jpeg", nil
	}
	return "", Errorf(EINVALID, "%s is not a PDF, PNG or JPEG file (its content says otherwise, whatever its name)", filename)
}

// Cohort is a promotion: learners of a school following a track of a
// certification version together.
type Cohort struct {
	ID                int64     `json:"id"`
	School            string    `json:"school"`
	CampaignID        int64     `json:"campaign_id,omitempty"`
	Name              string    `json:"name"` // "DIIAGE L3 2027"
	CertificationCode string    `json:"certification_code"`
	Version           int       `json:"certification_version"`
	Track             Track     `json:"track"`
	StartsOn          Date      `json:"starts_on"`
	EndsOn            Date      `json:"ends_on"`
	PlannedHours      int       `json:"planned_hours"` // 600
	WeeklyHours       int       `json:"weekly_hours"`  // 35
	CreatedAt         time.Time `json:"created_at"`
	Learners          int       `json:"learners"`
}

// Enrolment makes an admitted candidate a learner of a cohort.
type Enrolment struct {
	ID               int64  `json:"id"`
	CohortID         int64  `json:"cohort_id"`
	PersonID         int64  `json:"person_id"`
	ApplicationID    int64  `json:"application_id,omitempty"`
	School           string `json:"school"`
	Track            Track  `json:"track"`
	Mode             Mode   `json:"mode"`
	Option           string `json:"option,omitempty"`
	Version          int    `json:"certification_version"` // the referential version the learner is on
	InternshipMonths int    `json:"internship_months,omitempty"`
	// Apprenticeship: the employer, the contract and the tutor.
	Employer      string    `json:"employer,omitempty"`
	EmployerSIRET string    `json:"employer_siret,omitempty"`
	ContractStart Date      `json:"contract_start"`
	ContractEnd   Date      `json:"contract_end"`
	Tutor         string    `json:"tutor,omitempty"`
	TutorEmail    string    `json:"tutor_email,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	Name          string    `json:"name,omitempty"` // the learner's name, for lists
}

var siretRE = regexp.MustCompile(`^[0-9]{14}$`)

// Check validates an enrolment's mode-specific fields: the internship of
// initial training; the employer, contract and tutor of an apprenticeship.
func (e *Enrolment) Check() error {
	err := Texts{
		{"employer", e.Employer, MaxLine, false},
		{"employer_siret", e.EmployerSIRET, MaxShort, false},
		{"tutor", e.Tutor, MaxName, false},
		{"tutor_email", e.TutorEmail, MaxEmail, false},
		{"option", e.Option, MaxShort, false},
	}.Check()
	if err != nil {
		return err
	}
	switch e.Mode {
	case Initial:
		switch {
		case e.InternshipMonths <= 0 || e.InternshipMonths > 36:
			return Errorf(EINVALID, "initial training: internship_months is required, between 1 and 36 (6 for RNCP38478)")
		case e.Employer != "" || e.EmployerSIRET != "" || e.Tutor != "" || e.TutorEmail != "" ||
			!e.ContractStart.IsZero() || !e.ContractEnd.IsZero():
			return Errorf(EINVALID, "initial training: employer, contract and tutor are for apprenticeships only")
		}
	case Apprenticeship:
		switch {
		case e.InternshipMonths != 0:
			return Errorf(EINVALID, "apprenticeship: internship_months is for initial training only")
		case e.EmployerSIRET != "" && !siretRE.MatchString(e.EmployerSIRET):
			return Errorf(EINVALID, "apprenticeship: employer_siret %q must be the 14 digits of a SIRET number", e.EmployerSIRET)
		case e.EmployerSIRET != "" && !ValidSIRET(e.EmployerSIRET):
			return Errorf(EINVALID, "apprenticeship: employer_siret %q is not a SIRET number: its check digit is wrong (a digit mistyped?)", e.EmployerSIRET)
		case e.TutorEmail != "" && !emailRE.MatchString(e.TutorEmail):
			return Errorf(EINVALID, "apprenticeship: tutor_email %q is not an e-mail address", e.TutorEmail)
		case strings.TrimSpace(e.Employer) == "":
			return Errorf(EINVALID, "apprenticeship: employer is required")
		case e.ContractStart.IsZero() || e.ContractEnd.IsZero():
			return Errorf(EINVALID, "apprenticeship: contract_start and contract_end are required")
		case e.ContractEnd.Before(e.ContractStart):
			return Errorf(EINVALID, "apprenticeship: contract_end is before contract_start")
		case strings.TrimSpace(e.Tutor) == "":
			return Errorf(EINVALID, "apprenticeship: tutor is required")
		}
	default:
		return Errorf(EINVALID, "mode %q is neither initial nor apprenticeship", e.Mode)
	}
	return nil
}
