package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestOutboxPageShowsDelivery: staff see where each message is on its
// way out: sent, failed and tried again later, given up.
func TestOutboxPageShowsDelivery(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db)
	for _, to := range []string{"sent@example.org", "retry@example.org", "dead@example.org"} {
		if _, err := db.Enqueue(t.Context(), certibloc.Mail{To: to, Subject: "Essai " + to, Body: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := sqldbtest.ClaimMail(t.Context(), db, 10, time.Minute)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.MarkSent(t.Context(), claimed[0].ID, 1))
	must(db.RetryMail(t.Context(), claimed[1].ID, 1, "451 4.3.0 busy", time.Now().Add(time.Hour)))
	must(db.MarkDead(t.Context(), claimed[2].ID, 1, "550 5.1.1 no such mailbox"))
	b := s.browser(t)
	token, err := db.CreateSession(t.Context(), mustAccount(t, db, "admin@example.org").ID, true)
	must(err)
	b.jar.SetCookies(siteURL, []*http.Cookie{{Name: "certibloc_session", Value: token}})
	code, _, body := b.get("/app/outbox")
	page := text(body)
	for _, want := range []string{"envoyé le", "échec de l'envoi (tentative 1) : 451 4.3.0 busy ; nouvel essai le",
		"abandonné après 1 tentative : 550 5.1.1 no such mailbox"} {
		if code != 200 || !strings.Contains(page, want) {
			t.Errorf("the outbox page (%d) does not say %q:\n%s", code, want, page)
		}
	}
}
