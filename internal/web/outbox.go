package web

import (
	"net/http"
	"regexp"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("outbox", "templates/outbox.html")
}

// outboxView is the list of e-mails sent or waiting.
type outboxView struct {
	Mails  []outboxRow
	Masked bool // links that sign someone in are hidden
	SMTP   bool // whether messages are delivered, or only kept here
}

// outboxRow is one message as the page shows it.
type outboxRow struct {
	sqldb.Mail
	Created, Sent string
}

// secretLink matches the token of a password link in a message.
var secretLink = regexp.MustCompile(`token=[A-Za-z0-9_%-]+`)

// outbox lists the latest e-mails. Who sees what: the admin sees every
// message whole, since without SMTP relaying a password link by hand is
// the admin's job. Staff see the messages about their own schools only,
// with the tokens of password links hidden: a live link lets whoever holds
// it into someone else's account, a colleague's or a candidate's.
func (s *Site) outbox(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	f := sqldb.OutboxFilter{All: p.Role == certibloc.Admin, Schools: p.Schools, Limit: 100}
	list, err := s.db.Outbox(r.Context(), f)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	v := &outboxView{Masked: !f.All, SMTP: s.mailer().SMTP()}
	for _, m := range list {
		row := outboxRow{Mail: m, Created: pg.dateTime(m.CreatedAt)}
		if m.SentAt != nil {
			row.Sent = pg.dateTime(*m.SentAt)
		}
		if v.Masked {
			row.Body = secretLink.ReplaceAllString(row.Body, "token=…")
		}
		v.Mails = append(v.Mails, row)
	}
	pg.Title, pg.Description = pg.T("auth_outbox_title"), pg.T("auth_outbox_description")
	return s.renderAuth(w, http.StatusOK, "outbox", pg, v)
}
