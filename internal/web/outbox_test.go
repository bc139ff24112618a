package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// signedInAs is a browser signed in as a, second factor done.
func (s *site) signedInAs(t *testing.T, a certibloc.Account) *browser {
	t.Helper()
	token, err := s.db.CreateSession(t.Context(), a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser(t)
	b.jar.SetCookies(siteURL, []*http.Cookie{{Name: "certibloc_session", Value: token}})
	return b
}

// TestOutboxSearchAndPages: the outbox says what it is, finds messages by
// recipient or subject, whatever the case, and goes through them a page
// at a time, with links both ways.
func TestOutboxSearchAndPages(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db)
	for i := 1; i <= 65; i++ {
		to, subject := fmt.Sprintf("person%02d@example.org", i), fmt.Sprintf("Message n° %02d", i)
		if i == 7 {
			to, subject = "Lea.Martin@example.org", "Votre candidature est admissible"
		}
		if _, err := db.Enqueue(t.Context(), certibloc.Mail{To: to, Subject: subject, Body: "x", School: "DIIAGE"}); err != nil {
			t.Fatal(err)
		}
	}
	b := s.signedInAs(t, s.admin)
	code, _, body := b.get("/app/outbox?lang=fr")
	page := text(body)
	if code != 200 || !strings.Contains(page, "Boîte d'envoi : courriels envoyés ou à envoyer") ||
		!strings.Contains(page, "Message n° 65") || strings.Contains(page, "Message n° 35") {
		t.Fatalf("first page (%d):\n%.2000s", code, page)
	}
	if !strings.Contains(body, `href="/app/outbox?page=2" rel="next"`) || strings.Contains(body, `rel="prev"`) {
		t.Errorf("the first page does not link to the second only:\n%s", body)
	}
	_, _, body = b.get("/app/outbox?page=2")
	if page = text(body); !strings.Contains(page, "Message n° 35") || !strings.Contains(page, "Message n° 06") ||
		strings.Contains(page, "Message n° 36") || !strings.Contains(body, `href="/app/outbox?page=3" rel="next"`) ||
		!strings.Contains(body, `href="/app/outbox" rel="prev"`) {
		t.Errorf("second page:\n%s", body)
	}
	_, _, body = b.get("/app/outbox?page=3")
	if page = text(body); !strings.Contains(page, "Message n° 01") || strings.Contains(body, `rel="next"`) {
		t.Errorf("last page:\n%s", page)
	}
	for _, q := range []string{"lea.martin", "ADMISSIBLE"} {
		_, _, body = b.get("/app/outbox?q=" + q)
		if page = text(body); !strings.Contains(page, "1 courriel contient") || !strings.Contains(page, "Lea.Martin@example.org") ||
			strings.Contains(page, "Message n°") {
			t.Errorf("search %q:\n%s", q, page)
		}
	}
	_, _, body = b.get("/app/outbox?q=nobody&lang=en")
	if page = text(body); !strings.Contains(page, `No e-mail contains "nobody"`) {
		t.Errorf("search for nothing:\n%s", page)
	}
	if code, _, body = b.get("/app/outbox?page=zero&lang=fr"); code != http.StatusBadRequest ||
		!strings.Contains(text(body), "Le numéro de page « zero » n'est pas valable") {
		t.Errorf("a wrong page number: %d\n%s", code, text(body))
	}
}

// TestOutboxLinksClickable: the addresses in a message are links on the
// outbox page, the rest of the text escaped, and a signature is shown
// apart; nothing in a body becomes markup.
func TestOutboxLinksClickable(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db, server.WithBaseURL("http://certibloc.example.org"))
	body := "Ouvrez https://certibloc.example.org/password/reset?token=abc&lang=en.\n" +
		"Piège : <script>alert(1)</script> \"http://x.example/\"onmouseover=alert(1)"
	if _, err := db.Enqueue(t.Context(), certibloc.Mail{To: "ada@example.org", Subject: "Lien", Body: body, School: "DIIAGE"}); err != nil {
		t.Fatal(err)
	}
	_, _, page := s.signedInAs(t, s.admin).get("/app/outbox")
	for _, want := range []string{
		`<a href="https://certibloc.example.org/password/reset?token=abc&amp;lang=en">https://certibloc.example.org/password/reset?token=abc&amp;lang=en</a>.`,
		`&lt;script&gt;alert(1)&lt;/script&gt;`,
		`<a href="http://x.example/">http://x.example/</a>&#34;onmouseover=alert(1)`,
		`<pre class="signature">École DIIAGE` + "\n" + `<a href="http://certibloc.example.org/app">http://certibloc.example.org/app</a></pre>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the outbox page lacks %s:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("a message's markup reached the page")
	}
}

// TestOutboxMarksAMessagesLanguage: a message written in English only is
// marked lang="en" on the French page, its subject too; one in French
// only, lang="fr" on the English page; a bilingual one, each half in its
// language.
func TestOutboxMarksAMessagesLanguage(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db)
	link := "https://certibloc.example.org/survey?token=abc&lang=fr"
	closes := certibloc.DateOf(2027, 3, 1)
	for _, m := range []certibloc.Mail{
		certibloc.SurveyMail(certibloc.English, "ada@example.org", "Ada", "Concepteur développeur", certibloc.SurveySixMonths, link, closes),
		certibloc.SurveyMail(certibloc.French, "lea@example.org", "Léa", "Concepteur développeur", certibloc.SurveySixMonths, link, closes),
		{To: "zoe@example.org", Subject: "Votre candidature / Your application",
			Body: "Bonjour Zoé, votre candidature est reçue.\n— English —\nDear Zoé, your application is received.\n"},
	} {
		m.School = "DIIAGE"
		if _, err := db.Enqueue(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	b := s.signedInAs(t, s.admin)
	_, _, fr := b.get("/app/outbox?lang=fr")
	_, _, en := b.get("/app/outbox?lang=en")
	for _, c := range []struct{ page, name, want string }{
		{fr, "the English subject", `<span lang="en">What has become of you since your title? (2 minutes)</span>`},
		{fr, "the English body", `<pre lang="en">Hello Ada,`},
		{fr, "the French subject", `<span lang="fr">Que devenez-vous depuis votre titre ? (2 minutes)</span>`},
		{fr, "the French body", `<pre lang="fr">Bonjour Léa,`},
		{en, "the English body", `<pre lang="en">Hello Ada,`},
		{en, "the French body", `<pre lang="fr">Bonjour Léa,`},
		{fr, "the bilingual subject", `<span>Votre candidature</span> / <span lang="en">Your application</span>`},
		{fr, "the bilingual body", "<pre>Bonjour Zoé, votre candidature est reçue.</pre>\n<pre lang=\"en\">Dear Zoé"},
		{en, "the bilingual body", "<pre lang=\"fr\">Bonjour Zoé, votre candidature est reçue.</pre>\n<pre lang=\"en\">Dear Zoé"},
	} {
		if !strings.Contains(c.page, c.want) {
			t.Errorf("%s: the page lacks %s:\n%s", c.name, c.want, c.page)
		}
	}
}

// TestPasswordMailSigned: the e-mails the pages send themselves (here a
// password link) end, as every other, naming the school and the site.
func TestPasswordMailSigned(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db, server.WithBaseURL("http://certibloc.example.org"))
	s.browser(t).submit("/password/forgot", "/password/forgot", url.Values{"email": {"staff@example.org"}})
	mails, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
	if err != nil || len(mails) != 1 {
		t.Fatalf("%d mails, %v", len(mails), err)
	}
	if !strings.HasSuffix(mails[0].Body, certibloc.SignatureMark+"École DIIAGE\nhttp://certibloc.example.org/app\n") ||
		!strings.Contains(mails[0].Body, "http://certibloc.example.org/password/reset?token=") {
		t.Errorf("the password link is not signed:\n%s", mails[0].Body)
	}
}
