package certibloc

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestCheckDocument(t *testing.T) {
	pdf, png := document(t, "cv.pdf"), document(t, "diploma.png")
	big := append(append([]byte{}, pdf...), bytes.Repeat([]byte{' '}, MaxDocumentSize)...)
	tests := []struct {
		name, kind, filename string
		data                 []byte
		wantName, wantType   string
		wantErr              string
	}{
		{"a PDF CV", DocCV, "cv.pdf", pdf, "cv.pdf", "application/pdf", ""},
		{"a PNG diploma without an ending", DocDiploma, "diplome", png, "diplome.png", "image/png", ""},
		{"a Windows path", DocCV, `C:\Users\lea\Documents\CV Léa.PDF`, pdf, "CV Léa.PDF", "application/pdf", ""},
		{"a Unix path", DocOther, "../../etc/cv.pdf", pdf, "cv.pdf", "application/pdf", ""},
		{"control characters and quotes", DocCV, "c\"v\r\n.pdf", pdf, "cv.pdf", "application/pdf", ""},
		{"an unknown kind", "photo", "cv.pdf", pdf, "", "", `document kind "photo" is not one of cv, diploma, transcript, other`},
		{"no name", DocCV, " ", pdf, "", "", "needs a file name"},
		{"empty", DocCV, "cv.pdf", nil, "", "", "cv.pdf is empty"},
		{"too large", DocCV, "cv.pdf", big, "", "", "a document may not be larger than 10 MiB"},
		{"a text file named .pdf", DocCV, "cv.pdf", []byte("Jean DUPONT\n"), "", "", "cv.pdf is not a PDF, PNG or JPEG file"},
		{"a PNG named .pdf", DocDiploma, "diplome.pdf", png, "", "", "diplome.pdf is not what its name claims: its content is image/png, not application/pdf"},
		{"a PDF named .jpg", DocTranscript, "releve.jpg", pdf, "", "", "its content is application/pdf, not image/jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, typ, err := CheckDocument(tt.kind, tt.filename, tt.data)
			if tt.wantErr != "" {
				if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("CheckDocument = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || name != tt.wantName || typ != tt.wantType {
				t.Errorf("CheckDocument = %q, %q, %v; want %q, %q", name, typ, err, tt.wantName, tt.wantType)
			}
		})
	}
	long := strings.Repeat("é", 150) + ".pdf"
	if name, _, err := CheckDocument(DocCV, long, pdf); err != nil || len(name) > 200 || !strings.HasPrefix(name, "éé") {
		t.Errorf("a long name: %q (%d bytes), %v", name, len(name), err)
	}
}

func TestEnrolmentCheck(t *testing.T) {
	initial := func() Enrolment { return Enrolment{Mode: Initial, InternshipMonths: 6} }
	apprentice := func() Enrolment {
		return Enrolment{Mode: Apprenticeship, Employer: "ACME SAS", EmployerSIRET: "73282932000074",
			ContractStart: DateOf(2026, 9, 1), ContractEnd: DateOf(2027, 8, 31), Tutor: "Paul DURAND", TutorEmail: "p.durand@acme.example"}
	}
	tests := []struct {
		name   string
		e      func() Enrolment
		change func(e *Enrolment)
		want   string
	}{
		{"initial training with its internship", initial, func(*Enrolment) {}, ""},
		{"initial training without internship", initial, func(e *Enrolment) { e.InternshipMonths = 0 }, "internship_months is required"},
		{"initial training with an employer", initial, func(e *Enrolment) { e.Employer = "ACME" }, "for apprenticeships only"},
		{"an apprenticeship", apprentice, func(*Enrolment) {}, ""},
		{"an apprenticeship without employer", apprentice, func(e *Enrolment) { e.Employer = " " }, "employer is required"},
		{"an apprenticeship without contract", apprentice, func(e *Enrolment) { e.ContractEnd = Date{} }, "contract_start and contract_end are required"},
		{"a contract ending before it starts", apprentice, func(e *Enrolment) { e.ContractEnd = DateOf(2026, 8, 1) }, "contract_end is before contract_start"},
		{"an apprenticeship without tutor", apprentice, func(e *Enrolment) { e.Tutor = "" }, "tutor is required"},
		{"a SIRET of 9 digits", apprentice, func(e *Enrolment) { e.EmployerSIRET = "123456789" }, "14 digits of a SIRET"},
		{"a tutor address that is none", apprentice, func(e *Enrolment) { e.TutorEmail = "paul" }, "tutor_email"},
		{"an apprentice with an internship", apprentice, func(e *Enrolment) { e.InternshipMonths = 6 }, "for initial training only"},
		{"no mode", initial, func(e *Enrolment) { e.Mode = "" }, "neither initial nor apprenticeship"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.e()
			tt.change(&e)
			err := e.Check()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Check = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCohortValidate(t *testing.T) {
	cert := testRNCP38478()
	good := func() *Cohort {
		return &Cohort{School: "DIIAGE", Name: " DIIAGE L3 2026 ", Track: OneYear, StartsOn: DateOf(2026, 9, 1),
			EndsOn: DateOf(2027, 8, 31), PlannedHours: 600, WeeklyHours: 35}
	}
	c := good()
	if err := c.Validate(cert); err != nil || c.Name != "DIIAGE L3 2026" {
		t.Fatalf("a good cohort: %v (%q)", err, c.Name)
	}
	for _, tt := range []struct {
		change func(c *Cohort)
		want   string
	}{
		{func(c *Cohort) { c.Name = "" }, "name is required"},
		{func(c *Cohort) { c.Track = "evening" }, `track "evening" is not a track of RNCP38478`},
		{func(c *Cohort) { c.EndsOn = DateOf(2026, 1, 1) }, "ends_on 2026-01-01 is before starts_on"},
		{func(c *Cohort) { c.PlannedHours = 0 }, "planned_hours"},
		{func(c *Cohort) { c.WeeklyHours = 80 }, "weekly_hours"},
		{func(c *Cohort) { c.School = "" }, "school is required"},
	} {
		c := good()
		tt.change(c)
		if err := c.Validate(cert); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate = %v, want %q", err, tt.want)
		}
	}
}

func TestAuthorizeApplication(t *testing.T) {
	app := &Application{ID: 7, PersonID: 42, School: "DIIAGE"}
	staff := &Principal{Role: Staff, Schools: []string{"DIIAGE"}, Label: "account 1"}
	otherStaff := &Principal{Role: Staff, Schools: []string{"ESTIA"}}
	admin := &Principal{Role: Admin}
	me := &Principal{Role: Candidate, PersonID: 42, Label: "account 2"}
	someoneElse := &Principal{Role: Candidate, PersonID: 43}
	token := &Principal{Role: Candidate, TokenID: 3}
	jury := &Principal{Role: Jury, Schools: []string{"DIIAGE"}}
	tests := []struct {
		name        string
		p           *Principal
		read        string // error code of AuthorizeApplication, "" when allowed
		admit, quit string // of AuthorizeDecision for an admission and a withdrawal
	}{
		{"staff of the school", staff, "", "", ""},
		{"staff of another school", otherStaff, EFORBIDDEN, EFORBIDDEN, EFORBIDDEN},
		{"the admin", admin, "", "", ""},
		{"the candidate themselves", me, "", EFORBIDDEN, ""},
		{"another candidate", someoneElse, EFORBIDDEN, EFORBIDDEN, EFORBIDDEN},
		{"a candidate's API token", token, EFORBIDDEN, EFORBIDDEN, EFORBIDDEN},
		{"a jury member", jury, EFORBIDDEN, EFORBIDDEN, EFORBIDDEN},
		{"nobody", &Principal{}, EUNAUTHORIZED, EUNAUTHORIZED, EUNAUTHORIZED},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.p.AuthorizeApplication(app)); got != tt.read {
				t.Errorf("AuthorizeApplication: %q, want %q", got, tt.read)
			}
			if got := ErrorCode(tt.p.AuthorizeDecision(app, DecideAdmitted)); got != tt.admit {
				t.Errorf("AuthorizeDecision(admitted): %q, want %q", got, tt.admit)
			}
			if got := ErrorCode(tt.p.AuthorizeDecision(app, Withdraw)); got != tt.quit {
				t.Errorf("AuthorizeDecision(withdraw): %q, want %q", got, tt.quit)
			}
			if got := ErrorCode(tt.p.AuthorizeApplicant(42, "DIIAGE")); got != tt.read {
				t.Errorf("AuthorizeApplicant: %q, want %q", got, tt.read)
			}
		})
	}
	if err := token.AuthorizeApplication(app); !strings.Contains(err.Error(), "an API token stands for no person") {
		t.Errorf("a candidate's token is told %q", err)
	}
	if err := otherStaff.AuthorizeDecision(app, DecideAdmitted); !strings.Contains(err.Error(), "application 7 belongs to another school") {
		t.Errorf("staff of another school are told %q", err)
	}
}

func TestDecisionNotice(t *testing.T) {
	at := time.Date(2026, 5, 12, 9, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	refused := AdmissionDecision{Kind: DecideRefused, From: Interviewed, To: Refused, Reason: "Tests techniques insuffisants"}
	subject, body := refused.Notice("Admissions 2026", "Léa MARTIN")
	for _, want := range []string{"Bonjour Léa MARTIN,", "n'a pas retenu", "Motif : Tests techniques insuffisants",
		"— English —", "Dear Léa MARTIN,", "Reason: Tests techniques insuffisants", "Admissions 2026"} {
		if !strings.Contains(body, want) {
			t.Errorf("the notice lacks %q:\n%s", want, body)
		}
	}
	if subject != "Votre candidature n'est pas retenue / Your application is not accepted" {
		t.Errorf("subject %q", subject)
	}
	if strings.Index(body, "Bonjour") > strings.Index(body, "Dear") {
		t.Error("English comes before French")
	}
	interview := AdmissionDecision{Kind: ScheduleInterview, From: InterviewScheduled, To: InterviewScheduled, InterviewAt: &at, Place: "Salle B12"}
	_, body = interview.Notice("Admissions 2026", "Léa MARTIN")
	if !strings.Contains(body, "Date : le 12/05/2026 à 09h30 (UTC+02:00)") || !strings.Contains(body, "Place: Salle B12") {
		t.Errorf("the convocation:\n%s", body)
	}
	for _, k := range allKinds {
		if s, _ := (&AdmissionDecision{Kind: k}).Notice("c", "n"); strings.ContainsAny(s, "\r\n") || s == "" {
			t.Errorf("subject of %s: %q", k, s)
		}
	}
	for d, want := range map[*AdmissionDecision]bool{
		&refused: true, &interview: true,
		{Kind: DecideAdmissible, From: Submitted, To: Admissible}: true,
	} {
		if d.Notifies() != want {
			t.Errorf("%s Notifies = %v", d.Kind, !want)
		}
	}
}
