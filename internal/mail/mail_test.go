package mail

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

var reset = certibloc.Mail{To: "ada@example.org", Subject: "Réinitialisation du mot de passe",
	Body: "Bonjour,\n\nsuivez ce lien : http://localhost:8080/password/reset?token=abc\n.\nUne ligne qui commence par un point.\n", School: "DIIAGE"}

func newMailer(t *testing.T, db *sqldb.DB, c Config) *Mailer {
	t.Helper()
	m, err := New(db, slog.New(slog.DiscardHandler), c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// flush delivers what is due now.
func flush(t *testing.T, m *Mailer) {
	t.Helper()
	if _, err := m.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestOutboxOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		m := newMailer(t, db, Config{})
		if m.SMTP() {
			t.Error("SMTP without a URL")
		}
		sent, err := m.Send(t.Context(), reset)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.OutboxMail(t.Context(), sent.ID)
		if err != nil || got.To != reset.To || !strings.HasPrefix(got.Body, reset.Body) || !strings.Contains(got.Body, certibloc.SignatureMark) || got.School != "DIIAGE" || got.SentAt != nil ||
			got.State != certibloc.MailPending || got.LastError != "" {
			t.Errorf("outbox = %+v, %v", got, err)
		}
		if _, err := m.Flush(t.Context()); err == nil {
			t.Error("delivered without SMTP")
		}
	})
}

func TestConfigErrors(t *testing.T) {
	db := sqldbtest.SQLite(t)
	for _, c := range []Config{
		{SMTPURL: "http://mail.example.org", From: "a@example.org"},
		{SMTPURL: "smtp://user:s3cret@/", From: "a@example.org"},
		{SMTPURL: "smtp://mail.example.org:587"},
		{SMTPURL: "smtp://mail.example.org:587", From: "not an address"},
	} {
		_, err := New(db, slog.New(slog.DiscardHandler), c)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%+v: %v; want an error without the password", c, err)
		}
	}
}

// TestSMTPDelivery talks to a fake server over TCP: plain, then with
// STARTTLS and AUTH, then with a recipient the server refuses.
func TestSMTPDelivery(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		t.Run("plain", func(t *testing.T) {
			srv := startFakeSMTP(t, false, "")
			m := newMailer(t, db, Config{SMTPURL: "smtp://" + srv.addr, From: "certibloc@diiage.example"})
			sent, err := m.Send(t.Context(), reset)
			if err != nil {
				t.Fatal(err)
			}
			flush(t, m)
			got, _ := db.OutboxMail(t.Context(), sent.ID)
			if got.SentAt == nil || got.LastError != "" || got.State != certibloc.MailSent || got.Attempts != 1 {
				t.Fatalf("outbox after delivery: %+v", got)
			}
			commands, _, _, data := srv.seen()
			if want := []string{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}; !slices.Equal(commands, want) {
				t.Errorf("conversation %v, want %v", commands, want)
			}
			text := strings.ReplaceAll(data[0], "\r\n", "\n")
			for _, want := range []string{
				"From: certibloc@diiage.example\n", "To: ada@example.org\n",
				"Subject: =?utf-8?q?R=C3=A9initialisation_du_mot_de_passe?=\n",
				"Content-Type: text/plain; charset=utf-8\n", "@diiage.example>\n",
				"suivez ce lien : http://localhost:8080/password/reset?token=3Dabc\n.\nUne ligne",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("message lacks %q:\n%s", want, text)
				}
			}
		})
		t.Run("STARTTLS and AUTH", func(t *testing.T) {
			srv := startFakeSMTP(t, true, "")
			m := newMailer(t, db, Config{SMTPURL: "smtp://mailer:pa%24%24@" + srv.addr, From: "certibloc@diiage.example",
				TLS: srv.roots(t)})
			db.Enqueue(t.Context(), reset)
			flush(t, m)
			commands, auth, authTLS, _ := srv.seen()
			if want := []string{"EHLO", "STARTTLS", "EHLO", "AUTH", "MAIL", "RCPT", "DATA", "QUIT"}; !slices.Equal(commands, want) {
				t.Errorf("conversation %v, want %v", commands, want)
			}
			if auth != "|mailer|pa$$" || !authTLS {
				t.Errorf("AUTH %q over TLS %v", auth, authTLS)
			}
		})
		t.Run("untrusted certificate", func(t *testing.T) {
			srv := startFakeSMTP(t, true, "")
			m := newMailer(t, db, Config{SMTPURL: "smtp://" + srv.addr, From: "certibloc@diiage.example"})
			sent, _ := db.Enqueue(t.Context(), reset)
			flush(t, m)
			if got, _ := db.OutboxMail(t.Context(), sent.ID); got.State != certibloc.MailPending || !strings.Contains(got.LastError, "STARTTLS") {
				t.Errorf("a self-signed server was trusted: %+v", got)
			}
		})
		t.Run("recipient refused", func(t *testing.T) {
			srv := startFakeSMTP(t, false, "ada@example.org")
			m := newMailer(t, db, Config{SMTPURL: "smtp://" + srv.addr, From: "certibloc@diiage.example"})
			sent, _ := m.Send(t.Context(), reset)
			flush(t, m)
			got, _ := db.OutboxMail(t.Context(), sent.ID)
			// Refused for good: dead at once, not retried.
			if got.SentAt != nil || got.State != certibloc.MailDead || got.Attempts != 1 ||
				!strings.Contains(got.LastError, "550") || !strings.Contains(got.LastError, "5.1.1") {
				t.Errorf("refused message: %+v", got)
			}
		})
		t.Run("no server", func(t *testing.T) {
			m := newMailer(t, db, Config{SMTPURL: "smtp://127.0.0.1:1", From: "certibloc@diiage.example"})
			sent, _ := db.Enqueue(t.Context(), reset)
			flush(t, m)
			if got, _ := db.OutboxMail(t.Context(), sent.ID); !strings.Contains(got.LastError, "connect") ||
				got.State != certibloc.MailPending || got.NextTry == nil || got.NextTry.Before(time.Now().Add(50*time.Second)) {
				t.Errorf("a failed message, to retry in a minute: %+v", got)
			}
		})
	})
}
