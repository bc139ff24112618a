package certibloc

import (
	"strings"
	"testing"
	"time"
)

// TestCalendarEventIsRFC5545: lines end in CRLF and are no longer than 75
// octets, folded without cutting a UTF-8 character, text escaped, times
// in UTC; unfolded, the values are whole again.
func TestCalendarEventIsRFC5545(t *testing.T) {
	at := time.Date(2027, 5, 12, 9, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	e := CalendarEvent{UID: "interview-7-42@certibloc.example.org", Stamp: time.Date(2027, 5, 1, 8, 0, 0, 0, time.UTC),
		Start: at, End: at.Add(45 * time.Minute),
		Summary:  "Entretien d'admission – Coordinateur de projets informatiques, promotion 2027-2028 ; cursus en un an",
		Location: "Campus de Dijon, bâtiment B, salle 12 – https://visio.example.org/entretien/très-long-identifiant-de-réunion",
		URL:      "https://visio.example.org/entretien/b12"}
	ics := string(e.ICS())
	if !strings.HasSuffix(ics, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(ics, "\r\n", ""), "\n") {
		t.Fatalf("lines do not all end in CRLF:\n%q", ics)
	}
	for _, line := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line of %d octets: %q", len(line), line)
		}
		if !strings.ContainsRune(line, '\uFFFD') && !isValidUTF8(line) {
			t.Errorf("a fold cut a character: %q", line)
		}
	}
	unfolded := strings.ReplaceAll(ics, "\r\n ", "")
	for _, want := range []string{"UID:interview-7-42@certibloc.example.org\r\n", "DTSTAMP:20270501T080000Z\r\n",
		"DTSTART:20270512T073000Z\r\n", "DTEND:20270512T081500Z\r\n",
		"SUMMARY:Entretien d'admission – Coordinateur de projets informatiques\\, promotion 2027-2028 \\; cursus en un an\r\n",
		"LOCATION:Campus de Dijon\\, bâtiment B\\, salle 12 – https://visio.example.org/entretien/très-long-identifiant-de-réunion\r\n",
		"URL:https://visio.example.org/entretien/b12\r\n", "BEGIN:VEVENT\r\n", "VERSION:2.0\r\n", "PRODID:"} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("the event lacks %q:\n%s", want, unfolded)
		}
	}
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// TestCorrections: a commission's decision is corrected into another of
// the same commission that could have been taken from the same state.
func TestCorrections(t *testing.T) {
	for _, c := range []struct {
		old  AdmissionDecision
		want string
	}{
		{AdmissionDecision{Kind: DecideAdmissible, From: Submitted}, "not_admissible"},
		{AdmissionDecision{Kind: DecideAdmitted, From: Interviewed}, "waiting_list refused"},
		{AdmissionDecision{Kind: DecideAdmitted, From: WaitingList}, "refused"},
		{AdmissionDecision{Kind: ScheduleInterview, From: Admissible}, ""},
	} {
		var got []string
		for _, k := range c.old.Corrections() {
			got = append(got, string(k))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s from %s corrected into %v, want %s", c.old.Kind, c.old.From, got, c.want)
		}
	}
}
