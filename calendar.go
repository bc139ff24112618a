package certibloc

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// CalendarContentType is the type of an iCalendar file attached to an
// e-mail (RFC 5545, RFC 6047).
const CalendarContentType = "text/calendar; charset=utf-8; method=PUBLISH"

// CalendarEvent is one event of an iCalendar file: an interview.
type CalendarEvent struct {
	UID                    string    // unique and stable: the same event sent again replaces it
	Stamp                  time.Time // when the file was written (DTSTAMP)
	Start, End             time.Time
	Summary, Location, URL string
}

// ICS writes the event as an iCalendar file (RFC 5545): lines ending in
// CRLF and folded at 75 octets, text escaped, times in UTC, so that no
// time zone definition is needed.
func (e *CalendarEvent) ICS() []byte {
	var b bytes.Buffer
	line := func(name, value string) { foldLine(&b, name+":"+value) }
	utc := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//certibloc//admissions//FR")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("BEGIN", "VEVENT")
	line("UID", escapeText(e.UID))
	line("DTSTAMP", utc(e.Stamp))
	line("DTSTART", utc(e.Start))
	line("DTEND", utc(e.End))
	line("SUMMARY", escapeText(e.Summary))
	if e.Location != "" {
		line("LOCATION", escapeText(e.Location))
	}
	if e.URL != "" {
		line("URL", e.URL) // a URI value: not escaped
	}
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return b.Bytes()
}

// escapeText escapes a TEXT value (RFC 5545, 3.3.11): backslash,
// semicolon, comma and new lines.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldLine writes a content line, folded so that no line is longer than
// 75 octets (RFC 5545, 3.1): a CRLF and a space before each part after the
// first, never inside a UTF-8 sequence.
func foldLine(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the space that starts a continuation counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
