package web

import (
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("outbox", "templates/outbox.html")
	addMessages(map[string]string{
		"outbox_search":       "Rechercher un courriel",
		"outbox_search_hint":  "Une partie de l'adresse du destinataire ou de l'objet, par exemple « martin » ou « admis ».",
		"outbox_search_go":    "Rechercher",
		"outbox_search_all":   "Tous les courriels",
		"outbox_found_one_f":  "%d courriel contient « %s » sur cette page.",
		"outbox_found_many_f": "%d courriels contiennent « %s » sur cette page.",
		"outbox_none_found_f": "Aucun courriel ne contient « %s » dans son destinataire ni dans son objet.",
		"outbox_pages":        "Pages de la boîte d'envoi",
		"outbox_page_f":       "Page %d",
		"outbox_newer":        "Courriels plus récents",
		"outbox_older":        "Courriels plus anciens",
		"outbox_e_page_f":     "Le numéro de page « %s » n'est pas valable : donnez un nombre entier à partir de 1.",
	}, map[string]string{
		"outbox_search":       "Search for an e-mail",
		"outbox_search_hint":  "Part of the recipient's address or of the subject, such as \"martin\" or \"admitted\".",
		"outbox_search_go":    "Search",
		"outbox_search_all":   "All e-mails",
		"outbox_found_one_f":  "%d e-mail contains \"%s\" on this page.",
		"outbox_found_many_f": "%d e-mails contain \"%s\" on this page.",
		"outbox_none_found_f": "No e-mail contains \"%s\" in its recipient or subject.",
		"outbox_pages":        "Outbox pages",
		"outbox_page_f":       "Page %d",
		"outbox_newer":        "Newer e-mails",
		"outbox_older":        "Older e-mails",
		"outbox_e_page_f":     "The page number \"%s\" is not valid: give a whole number from 1.",
	})
}

// outboxPerPage is how many messages a page of the outbox shows: the page
// stays under its 50 KB budget.
const outboxPerPage = 30

// outboxView is a page of the e-mails sent or to be sent.
type outboxView struct {
	Mails  []outboxRow
	Masked bool   // links that sign someone in are hidden
	SMTP   bool   // whether messages are delivered, or only kept here
	Search string // what the recipient or subject must contain
	Page   int    // from 1
	// Newer and Older are the addresses of the pages around this one, ""
	// when there is none.
	Newer, Older string
}

// outboxRow is one message as the page shows it.
type outboxRow struct {
	certibloc.Mail
	Created, Sent, Next  string
	Dead                 string        // why it was given up, with its attempts
	Text                 template.HTML // the body, its links clickable
	Lang                 string        // the language of a message written in one: fr or en
	French, English      template.HTML // the two halves of a message written in both languages
	SubjectFR, SubjectEN string        // and of its subject, "FR / EN"
	Signature            template.HTML // the school and the site's address (certibloc.Mail.Signed)
}

// mailEnglish is the line that starts the English half of a message
// written in both languages (certibloc.AdmissionNotice).
const mailEnglish = "\n— English —\n"

// secretLink matches the token of a password link in a message.
var secretLink = regexp.MustCompile(`token=[A-Za-z0-9_%-]+`)

// outbox lists the e-mails, newest first, a page at a time, those whose
// recipient or subject holds ?q= when asked. Who sees what: the admin
// sees every message whole, since without SMTP relaying a password link
// by hand is the admin's job. Staff see the messages about their own
// schools only, with the tokens of password links hidden: a live link
// lets whoever holds it into someone else's account, a colleague's or a
// candidate's.
func (s *Site) outbox(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	pg := s.page(r, "")
	v := &outboxView{Search: strings.TrimSpace(r.URL.Query().Get("q")), Page: 1, SMTP: s.mailer().SMTP()}
	if raw := r.URL.Query().Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 1_000_000 {
			return certibloc.Errorf(certibloc.EINVALID, "%s", pg.Tf("outbox_e_page_f", raw))
		}
		v.Page = n
	}
	// One more than a page: whether an older page exists.
	f := sqldb.OutboxFilter{All: p.Role == certibloc.Admin, Schools: p.Schools, Search: v.Search,
		Limit: outboxPerPage + 1, Offset: (v.Page - 1) * outboxPerPage}
	v.Masked = !f.All
	list, err := s.db.Outbox(r.Context(), f)
	if err != nil {
		return err
	}
	if len(list) > outboxPerPage {
		list = list[:outboxPerPage]
		v.Older = outboxPageURL(v.Search, v.Page+1)
	}
	if v.Page > 1 {
		v.Newer = outboxPageURL(v.Search, v.Page-1)
	}
	for _, m := range list {
		v.Mails = append(v.Mails, outboxRowOf(pg, m, v.Masked))
	}
	pg.Title, pg.Description = pg.T("auth_outbox_title"), pg.T("auth_outbox_description")
	return s.renderAuth(w, http.StatusOK, "outbox", pg, v)
}

// outboxPageURL is the address of a page of the outbox.
func outboxPageURL(search string, page int) string {
	q := url.Values{}
	if search != "" {
		q.Set("q", search)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return "/app/outbox"
	}
	return "/app/outbox?" + q.Encode()
}

// outboxRowOf is message m as the page shows it: its dates in the page's
// language, password tokens hidden when masked, its links clickable.
func outboxRowOf(pg *page, m certibloc.Mail, masked bool) outboxRow {
	row := outboxRow{Mail: m, Created: pg.dateTime(m.CreatedAt)}
	if m.SentAt != nil {
		row.Sent = pg.dateTime(*m.SentAt)
	}
	if m.NextTry != nil {
		row.Next = pg.dateTime(*m.NextTry)
	}
	if m.State == certibloc.MailDead {
		row.Dead = pg.Nf("auth_outbox_dead", m.Attempts, m.LastError)
	}
	body := m.Body
	if masked {
		body = secretLink.ReplaceAllString(body, "token=…")
	}
	if text, sig, ok := strings.Cut(body, certibloc.SignatureMark); ok {
		body, row.Signature = text, linkify(strings.TrimSpace(sig))
	}
	row.Text = linkify(body)
	// Each half is marked in its language on the page of the other.
	if fr, en, ok := strings.Cut(body, mailEnglish); ok {
		row.French, row.English = linkify(fr), linkify(strings.TrimLeft(en, "\n"))
		row.SubjectFR, row.SubjectEN, _ = strings.Cut(m.Subject, " / ")
	}
	row.Lang = mailLang(m.Subject + "\n" + body)
	return row
}

// mailLang is the language of a message written in one language (the
// outbox keeps none): English when more of its words are words only the
// English interface uses than words only the French one does, as error
// pages tell a French message (looksFrench); French, the default,
// otherwise. Its addresses are left out: a link's path is no prose.
func mailLang(text string) string {
	if fr, en := languageCounts(webLink.ReplaceAllString(text, " ")); en > fr {
		return "en"
	}
	return "fr"
}

// webLink matches an address in the text of an e-mail.
var webLink = regexp.MustCompile(`https?://[^\s<>"'«»]+`)

// linkify is text as HTML, escaped, with its http and https addresses made
// links; the punctuation that ends a sentence is left out of them.
func linkify(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, loc := range webLink.FindAllStringIndex(text, -1) {
		start, end := loc[0], loc[1]
		end = start + len(strings.TrimRight(text[start:end], ".,;:!?)]"))
		link := text[start:end]
		if _, err := url.Parse(link); err != nil {
			continue
		}
		b.WriteString(template.HTMLEscapeString(text[last:start]))
		b.WriteString(`<a href="` + template.HTMLEscapeString(link) + `">` + template.HTMLEscapeString(link) + `</a>`)
		last = end
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String()) //nolint:gosec // every piece is escaped above
}
