package certibloc

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMissingDocumentsAgainstTheChecklist(t *testing.T) {
	docs := []Document{{Kind: DocCV}, {Kind: DocOther}, {Kind: DocCV}}
	if got := MissingDocuments([]string{DocCV, DocDiploma, DocTranscript}, docs); !slices.Equal(got, []string{DocDiploma, DocTranscript}) {
		t.Errorf("MissingDocuments = %v", got)
	}
	if got := MissingDocuments(nil, nil); len(got) != 0 || got == nil {
		t.Errorf("nothing required: %#v", got)
	}
	for _, bad := range [][]string{{"passport"}, {DocCV, DocCV}} {
		if err := CheckRequiredDocuments(bad); ErrorCode(err) != EINVALID {
			t.Errorf("CheckRequiredDocuments(%v) = %v", bad, err)
		}
	}
}

func TestDocumentsOpenUntilTheAdmissibilityCommission(t *testing.T) {
	for _, tt := range []struct {
		state     State
		requested bool
		want      bool
	}{
		{Draft, false, true}, {Submitted, false, true}, {Admissible, false, false}, {Admissible, true, true},
		{InterviewScheduled, true, true}, {Withdrawn, true, false}, {Refused, true, false}, {NotAdmissible, true, false},
	} {
		if got := DocumentsOpen(tt.state, tt.requested); got != tt.want {
			t.Errorf("DocumentsOpen(%s, %v) = %v", tt.state, tt.requested, got)
		}
	}
}

func TestProgressFollowsTheDecisions(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2026, 3, day, 10, 0, 0, 0, time.UTC) }
	submitted := at(1)
	interview := at(20)
	a := &Application{State: Interviewed, SubmittedAt: &submitted}
	ds := []AdmissionDecision{
		{Kind: DecideAdmissible, DecidedAt: at(5)},
		{Kind: ScheduleInterview, DecidedAt: at(6), InterviewAt: &interview, Place: "Salle B12"},
		{Kind: RecordInterview, DecidedAt: at(20)},
	}
	status := func(steps []ProgressStep) []StepStatus {
		var out []StepStatus
		for _, s := range steps {
			out = append(out, s.Status)
		}
		return out
	}
	steps := Progress(a, ds)
	if got := status(steps); !slices.Equal(got, []StepStatus{StepDone, StepDone, StepDone, StepCurrent, StepTodo}) {
		t.Errorf("interviewed: %v", got)
	}
	if iv := steps[2].Interview; iv == nil || iv.Place != "Salle B12" || steps[2].At == nil || !steps[2].At.Equal(at(20)) {
		t.Errorf("the interview stage: %+v", steps[2])
	}
	if got := status(Progress(&Application{State: Draft}, nil)); !slices.Equal(got, []StepStatus{StepTodo, StepTodo, StepTodo, StepTodo, StepTodo}) {
		t.Errorf("a draft: %v", got)
	}
	refused := append(slices.Clone(ds), AdmissionDecision{Kind: DecideRefused, DecidedAt: at(25)})
	if got := status(Progress(&Application{State: Refused, SubmittedAt: &submitted}, refused)); !slices.Equal(got,
		[]StepStatus{StepDone, StepDone, StepDone, StepStopped, StepTodo}) {
		t.Errorf("refused: %v", got)
	}
	withdrawn := &Application{State: Withdrawn, SubmittedAt: &submitted}
	if got := status(Progress(withdrawn, []AdmissionDecision{{Kind: Withdraw, DecidedAt: at(2)}})); !slices.Equal(got,
		[]StepStatus{StepDone, StepStopped, StepTodo, StepTodo, StepTodo}) {
		t.Errorf("withdrawn: %v", got)
	}
	enrolled := append(slices.Clone(ds), AdmissionDecision{Kind: DecideAdmitted, DecidedAt: at(25)}, AdmissionDecision{Kind: Enrol, DecidedAt: at(30)})
	if got := status(Progress(&Application{State: Enrolled, SubmittedAt: &submitted}, enrolled)); !slices.Equal(got,
		[]StepStatus{StepDone, StepDone, StepDone, StepDone, StepDone}) {
		t.Errorf("enrolled: %v", got)
	}
}

func TestApplicantAge(t *testing.T) {
	today := DateOf(2026, 9, 1)
	for _, tt := range []struct {
		birth Date
		ok    bool
	}{
		{DateOf(2011, 9, 2), false}, // 14 until tomorrow
		{DateOf(2011, 9, 1), true},  // 15 today
		{DateOf(1926, 9, 2), true},  // 99, 100 tomorrow
		{DateOf(1925, 9, 2), true},  // 100
		{DateOf(1925, 9, 1), false}, // 101 today
	} {
		if err := CheckApplicantAge(tt.birth, today); (err == nil) != tt.ok {
			t.Errorf("CheckApplicantAge(%s) = %v", tt.birth, err)
		}
	}
}

func TestPersonProblemsAreAllReported(t *testing.T) {
	p := &Person{School: "DIIAGE", Email: "pas une adresse", Level: 12, ECTS: -1}
	var fields []string
	for _, err := range p.Problems() {
		field, _, _ := strings.Cut(ErrorMessage(err), " ")
		fields = append(fields, field)
	}
	if !slices.Equal(fields, []string{"birth_name", "first_names", "email", "level", "ects"}) {
		t.Errorf("problems: %v", fields)
	}
	if err := p.Validate(); !strings.HasPrefix(ErrorMessage(err), "birth_name") {
		t.Errorf("Validate names the first: %v", err)
	}
}

func TestAcknowledgementNamesTheSchoolAndLinksBack(t *testing.T) {
	at := time.Date(2026, 3, 15, 9, 30, 0, 0, time.UTC)
	a := &Application{ID: 42, School: "DIIAGE", SubmittedAt: &at}
	p := &Person{ID: 7, FirstNames: "Léa", BirthName: "Petit", Email: "lea@example.org"}
	m, ok := Acknowledgement(a, "Admissions L3 2026", "DIIAGE Dijon", p, "", "https://x.example/app/applications/42")
	if !ok || m.To != "lea@example.org" || !strings.Contains(m.Subject, "DIIAGE Dijon") ||
		!strings.Contains(m.Body, "le 15/03/2026 à 10h30") || !strings.Contains(m.Body, "https://x.example/app/applications/42") ||
		strings.Contains(m.Body, "English") || m.PersonID != 7 {
		t.Errorf("French acknowledgement: %+v", m)
	}
	m, _ = Acknowledgement(a, "Admissions L3 2026", "DIIAGE Dijon", p, "en", "https://x.example/app/applications/42")
	if !strings.Contains(m.Subject, "your application is received") || !strings.Contains(m.Body, "15 March 2026 at 10:30") ||
		strings.Contains(m.Body, "Bonjour") {
		t.Errorf("English acknowledgement: %+v", m)
	}
	if _, ok := Acknowledgement(a, "", "", &Person{}, "", ""); ok {
		t.Error("an acknowledgement to nobody")
	}
}
