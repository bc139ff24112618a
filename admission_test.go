package certibloc

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// allowedTransitions is the workflow written out by hand, state by state:
// the decisions each state may take and where they lead. The test holds
// Next to it over every pair of state and decision.
var allowedTransitions = map[State]map[DecisionKind]State{
	Draft:              {Withdraw: Withdrawn},
	Submitted:          {DecideAdmissible: Admissible, DecideNotAdmissible: NotAdmissible, Withdraw: Withdrawn},
	Admissible:         {ScheduleInterview: InterviewScheduled, Withdraw: Withdrawn},
	NotAdmissible:      {},
	InterviewScheduled: {ScheduleInterview: InterviewScheduled, RecordInterview: Interviewed, Withdraw: Withdrawn},
	Interviewed:        {DecideAdmitted: Admitted, DecideWaitingList: WaitingList, DecideRefused: Refused, Withdraw: Withdrawn},
	Admitted:           {Enrol: Enrolled, Withdraw: Withdrawn},
	WaitingList:        {DecideAdmitted: Admitted, DecideRefused: Refused, Withdraw: Withdrawn},
	Refused:            {},
	Enrolled:           {},
	Withdrawn:          {},
}

var allKinds = []DecisionKind{DecideAdmissible, DecideNotAdmissible, ScheduleInterview, RecordInterview,
	DecideAdmitted, DecideWaitingList, DecideRefused, Enrol, Withdraw}

func TestNextAllowsExactlyTheWorkflow(t *testing.T) {
	if len(allowedTransitions) != len(States) {
		t.Fatalf("the table covers %d states of %d", len(allowedTransitions), len(States))
	}
	for _, s := range States {
		for _, k := range allKinds {
			want, allowed := allowedTransitions[s][k]
			got, err := Next(s, k)
			switch {
			case allowed && (err != nil || got != want):
				t.Errorf("Next(%s, %s) = %s, %v; want %s", s, k, got, err, want)
			case !allowed && ErrorCode(err) != ECONFLICT:
				t.Errorf("Next(%s, %s) = %s, %v; want a conflict", s, k, got, err)
			case !allowed && (got != s || !strings.Contains(err.Error(), "cannot be taken on an application that is "+string(s))):
				t.Errorf("Next(%s, %s) refused with %q, state %s", s, k, err, got)
			}
		}
	}
	if _, err := Next(Submitted, "admission"); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "is not one of") {
		t.Errorf("an unknown decision: %v", err)
	}
	// The step the issue names: admission before admissibility.
	_, err := Next(Submitted, DecideAdmitted)
	if err == nil || !strings.Contains(err.Error(), "needs an application that is interviewed or waiting_list") {
		t.Errorf("admission of a submitted application: %v", err)
	}
	for _, k := range allKinds {
		if !k.Valid() {
			t.Errorf("%s is not Valid", k)
		}
	}
	if DecisionKind("enrolled").Valid() {
		t.Error("an unknown kind is Valid")
	}
}

func TestDecisionCheck(t *testing.T) {
	at := time.Date(2026, 5, 12, 9, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	score := func(f float64) *float64 { return &f }
	members := []string{"Michel GIRARD", "Claire MOREAU"}
	tests := []struct {
		name string
		d    AdmissionDecision
		want string // "" for valid, else a part of the message
	}{
		{"admissible with its commission", AdmissionDecision{Kind: DecideAdmissible, Members: members}, ""},
		{"admissible without members", AdmissionDecision{Kind: DecideAdmissible}, "members of the commission are required"},
		{"not admissible with a reason", AdmissionDecision{Kind: DecideNotAdmissible, Members: members, Reason: "Niveau 3"}, ""},
		{"not admissible without a reason", AdmissionDecision{Kind: DecideNotAdmissible, Members: members, Reason: "  "}, "a reason is required"},
		{"interview with date and place", AdmissionDecision{Kind: ScheduleInterview, InterviewAt: &at, Place: "Salle B12"}, ""},
		{"interview without a place", AdmissionDecision{Kind: ScheduleInterview, InterviewAt: &at}, "interview_at and place are required"},
		{"interview without a date", AdmissionDecision{Kind: ScheduleInterview, Place: "Salle B12"}, "interview_at and place are required"},
		{"interview scored", AdmissionDecision{Kind: RecordInterview, Score: score(14), TestScore: score(12.5)}, ""},
		{"interview without the tests' score", AdmissionDecision{Kind: RecordInterview, Score: score(14)}, "interview_score and test_score are required"},
		{"a score above 20", AdmissionDecision{Kind: RecordInterview, Score: score(21), TestScore: score(12)}, "21 is not between 0 and 20"},
		{"a negative score", AdmissionDecision{Kind: RecordInterview, Score: score(10), TestScore: score(-1)}, "-1 is not between 0 and 20"},
		{"admitted by the commission", AdmissionDecision{Kind: DecideAdmitted, Members: members}, ""},
		{"admitted without members", AdmissionDecision{Kind: DecideAdmitted}, "members of the commission are required"},
		{"waiting list", AdmissionDecision{Kind: DecideWaitingList, Members: members}, ""},
		{"waiting list without members", AdmissionDecision{Kind: DecideWaitingList}, "members"},
		{"refused with a reason", AdmissionDecision{Kind: DecideRefused, Members: members, Reason: "Tests insuffisants"}, ""},
		{"refused without a reason", AdmissionDecision{Kind: DecideRefused, Members: members}, "a reason is required"},
		{"withdrawn needs nothing", AdmissionDecision{Kind: Withdraw}, ""},
		{"enrol needs nothing here", AdmissionDecision{Kind: Enrol}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Check()
			if tt.want == "" && err != nil {
				t.Errorf("Check = %v, want valid", err)
			}
			if tt.want != "" && (ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Check = %v, want an invalid error saying %q", err, tt.want)
			}
		})
	}
}

// testCampaign is an open campaign of RNCP38478 with two options open.
func testCampaign() *Campaign {
	return &Campaign{School: "DIIAGE", CertificationCode: "RNCP38478", Version: 1, Year: 2026, Title: "Admissions 2026",
		OpensOn: DateOf(2026, time.January, 15), ClosesOn: DefaultClosing(2026),
		Offers:  []Offer{{OneYear, Initial, 20}, {OneYear, Apprenticeship, 20}, {ThreeYear, Initial, 10}},
		Options: []string{"RNCP38478BC04", "RNCP38478BC05"}}
}

func TestCheckChoice(t *testing.T) {
	c := testCampaign()
	tests := []struct {
		name string
		a    Application
		want string
	}{
		{"an offered track and mode", Application{Track: OneYear, Mode: Apprenticeship, Option: "RNCP38478BC04"}, ""},
		{"no option yet", Application{Track: ThreeYear, Mode: Initial}, ""},
		{"a mode not offered on the track", Application{Track: ThreeYear, Mode: Apprenticeship}, "track three_year in mode apprenticeship is not offered"},
		{"an unknown track", Application{Track: "two_year", Mode: Initial}, "track two_year in mode initial is not offered"},
		{"an option that is not open", Application{Track: OneYear, Mode: Initial, Option: "RNCP38478BC06"},
			"option RNCP38478BC06 is not open in this campaign (open: RNCP38478BC04, RNCP38478BC05)"},
		{"a common block as option", Application{Track: OneYear, Mode: Initial, Option: "RNCP38478BC01"}, "is not open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.CheckChoice(c)
			if (tt.want == "") != (err == nil) || (err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.want))) {
				t.Errorf("CheckChoice = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestCampaignValidateAndOpen(t *testing.T) {
	cert := testRNCP38478()
	if err := testCampaign().Validate(cert); err != nil {
		t.Fatalf("a good campaign: %v", err)
	}
	tests := []struct {
		name   string
		change func(c *Campaign)
		want   string
	}{
		{"no school", func(c *Campaign) { c.School = "" }, "school is required"},
		{"closing before opening", func(c *Campaign) { c.ClosesOn = DateOf(2026, 1, 1) }, "closes_on 2026-01-01 is before opens_on 2026-01-15"},
		{"no offer", func(c *Campaign) { c.Offers = nil }, "at least one track"},
		{"a track the certification lacks", func(c *Campaign) { c.Offers[0].Track = "two_year" }, `track "two_year" is not a track of RNCP38478`},
		{"an unknown mode", func(c *Campaign) { c.Offers[0].Mode = "evening" }, `mode "evening"`},
		{"negative places", func(c *Campaign) { c.Offers[0].Places = -1 }, "places must not be negative"},
		{"an offer twice", func(c *Campaign) { c.Offers = append(c.Offers, c.Offers[0]) }, "offered twice"},
		{"a common block as option", func(c *Campaign) { c.Options = []string{"RNCP38478BC02"} }, "RNCP38478BC02 is not an optional block"},
		{"an option twice", func(c *Campaign) { c.Options = []string{"RNCP38478BC04", "RNCP38478BC04"} }, "listed twice"},
		{"a title on two lines", func(c *Campaign) { c.Title = "a\nb" }, "one line"},
		{"an implausible year", func(c *Campaign) { c.Year = 26 }, "year 26"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCampaign()
			tt.change(c)
			if err := c.Validate(cert); ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
	c := testCampaign()
	for d, want := range map[Date]bool{DateOf(2026, 1, 14): false, DateOf(2026, 1, 15): true,
		DateOf(2026, 7, 1): true, DateOf(2026, 7, 2): false} {
		if c.Open(d) != want {
			t.Errorf("Open(%s) = %v", d, !want)
		}
	}
}

// document reads a real file of testdata/documents.
func document(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/documents/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSniffDocument(t *testing.T) {
	tests := []struct {
		file, name, want string
	}{
		{"cv.pdf", "cv.pdf", "application/pdf"},
		{"diploma.png", "diplome.png", "image/png"},
		{"transcript.jpg", "releve.jpeg", "image/jpeg"},
	}
	for _, tt := range tests {
		if got, err := SniffDocument(tt.name, document(t, tt.file)); got != tt.want || err != nil {
			t.Errorf("SniffDocument(%s) = %q, %v; want %s", tt.file, got, err, tt.want)
		}
	}
	text := []byte("Curriculum vitae\nJean DUPONT\n")
	if got, err := SniffDocument("cv.pdf", text); got != "" || ErrorCode(err) != EINVALID ||
		!strings.Contains(err.Error(), "cv.pdf is not a PDF, PNG or JPEG file") {
		t.Errorf("a text file named cv.pdf: %q, %v", got, err)
	}
	if _, err := SniffDocument("empty.pdf", nil); err == nil {
		t.Error("an empty file passed")
	}
	// A zip named .pdf, a GIF: not what the API takes.
	for _, head := range [][]byte{[]byte("PK\x03\x04rest"), []byte("GIF89a....")} {
		if _, err := SniffDocument("x.pdf", head); err == nil {
			t.Errorf("%q passed", head)
		}
	}
	if !slices.Contains(DocumentKinds, DocCV) || len(DocumentKinds) != 4 {
		t.Errorf("DocumentKinds = %v", DocumentKinds)
	}
}
