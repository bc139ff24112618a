package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
)

// TestFormatWithAttachment: a message with an attachment goes out as
// multipart/mixed, its text first, then the file in base64 with its name
// and type, as mail readers and calendars expect.
func TestFormatWithAttachment(t *testing.T) {
	m := &Mailer{cfg: Config{From: "admissions@diiage.example"}}
	ics := []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
	raw := m.format(certibloc.Mail{ID: 7, To: "lea@example.org", Subject: "Convocation à l'entretien", Body: "Bonjour Léa,\n",
		CreatedAt:   time.Date(2027, 5, 1, 8, 0, 0, 0, time.UTC),
		Attachments: []certibloc.Attachment{{Filename: "entretien.ics", ContentType: certibloc.CalendarContentType, Data: ics}}})
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || media != "multipart/mixed" {
		t.Fatalf("content type %q, %v", msg.Header.Get("Content-Type"), err)
	}
	r := multipart.NewReader(msg.Body, params["boundary"])
	text, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(text) // quoted-printable, decoded by the reader
	if !strings.Contains(string(body), "Bonjour Léa") {
		t.Errorf("the text part: %q", body)
	}
	file, err := r.NextPart()
	if err != nil {
		t.Fatal(err)
	}
	if file.FileName() != "entretien.ics" || !strings.HasPrefix(file.Header.Get("Content-Type"), "text/calendar") ||
		file.Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("the attachment's headers: %v", file.Header)
	}
	if _, err := r.NextPart(); err != io.EOF {
		t.Errorf("a third part: %v", err)
	}
	plain := m.format(certibloc.Mail{To: "lea@example.org", Subject: "x", Body: "y"})
	if !bytes.Contains(plain, []byte("Content-Type: text/plain; charset=utf-8")) {
		t.Errorf("a message without attachment changed:\n%s", plain)
	}
}
