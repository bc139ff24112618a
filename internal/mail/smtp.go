package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// send holds one SMTP conversation for msg: connect (TLS from the start
// for smtps), STARTTLS when the server offers it, authenticate when the
// URL has a user, then MAIL, RCPT, DATA and QUIT. Once the server has
// accepted the message (its answer to the end of DATA), send calls
// accepted at once, before QUIT, and returns its error: what happens to
// the connection after that no longer matters to the message.
func (m *Mailer) send(ctx context.Context, msg certibloc.Mail, accepted func() error) error {
	host, port := m.smtp.Hostname(), m.smtp.Port()
	if port == "" {
		port = map[string]string{"smtp": "587", "smtps": "465"}[m.smtp.Scheme]
	}
	tlsConfig := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if m.cfg.TLS != nil {
		tlsConfig = m.cfg.TLS.Clone()
		tlsConfig.ServerName = host
	}
	dialer := net.Dialer{Timeout: 10 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return fmt.Errorf("connect to the SMTP server: %w", err)
	}
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetDeadline(deadline)
	if m.smtp.Scheme == "smtps" {
		conn = tls.Client(conn, tlsConfig)
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("SMTP greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return fmt.Errorf("SMTP EHLO: %w", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok && m.smtp.Scheme == "smtp" {
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("SMTP STARTTLS: %w", err)
		}
	}
	if user := m.smtp.User; user != nil {
		password, _ := user.Password()
		// PlainAuth itself refuses to send the password unencrypted to
		// anything but localhost.
		if err := c.Auth(smtp.PlainAuth("", user.Username(), password, host)); err != nil {
			return fmt.Errorf("SMTP AUTH: %w", err)
		}
	}
	if err := c.Mail(m.cfg.From); err != nil {
		return fmt.Errorf("SMTP MAIL FROM: %w", err)
	}
	if err := c.Rcpt(msg.To); err != nil {
		return refused{fmt.Errorf("SMTP RCPT TO: %w", err)}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	if _, err := w.Write(m.format(msg)); err != nil {
		return fmt.Errorf("SMTP DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return refused{fmt.Errorf("SMTP DATA: %w", err)}
	}
	if err := accepted(); err != nil {
		c.Quit()
		return fmt.Errorf("record the message as sent: %w", err)
	}
	c.Quit() // sent: a failed goodbye changes nothing
	return nil
}

// format writes msg as a MIME message: UTF-8 text, quoted-printable, the
// subject encoded for non-ASCII characters.
func (m *Mailer) format(msg certibloc.Mail) []byte {
	var b bytes.Buffer
	domain := m.cfg.From[strings.LastIndex(m.cfg.From, "@")+1:]
	domain = strings.TrimRight(domain, ">")
	fmt.Fprintf(&b, "From: %s\r\n", m.cfg.From)
	fmt.Fprintf(&b, "To: %s\r\n", msg.To)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", msg.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", msg.CreatedAt.Format(time.RFC1123Z))
	// The same at every attempt: a message sent twice (see worker.go) is
	// recognised as one by the recipient's mail client.
	fmt.Fprintf(&b, "Message-ID: %s\r\n", messageID(msg, domain))
	b.WriteString("MIME-Version: 1.0\r\n")
	if len(msg.Attachments) == 0 {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		qp := quotedprintable.NewWriter(&b)
		qp.Write([]byte(msg.Body))
		qp.Close()
		return b.Bytes()
	}
	// With attachments: multipart/mixed, the text first, each file in
	// base64 (RFC 2045, 2046).
	mw := multipart.NewWriter(&b)
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n", mw.Boundary())
	text, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"}})
	qp := quotedprintable.NewWriter(text)
	qp.Write([]byte(msg.Body))
	qp.Close()
	for _, a := range msg.Attachments {
		part, _ := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {a.ContentType},
			"Content-Transfer-Encoding": {"base64"},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename})}})
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 {
			io.WriteString(part, enc[:76]+"\r\n")
			enc = enc[76:]
		}
		io.WriteString(part, enc+"\r\n")
	}
	mw.Close()
	return b.Bytes()
}

// messageID is the Message-ID of msg, its idempotency key: made of its
// outbox id and the instant it was written, it is the same at every
// attempt, and differs between two messages even when a purged id is used
// again.
func messageID(msg certibloc.Mail, domain string) string {
	return fmt.Sprintf("<certibloc.%d.%s@%s>", msg.ID, strconv.FormatInt(msg.CreatedAt.UnixMicro(), 36), domain)
}
