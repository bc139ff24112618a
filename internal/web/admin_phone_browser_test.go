package web_test

import (
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAdminPagesOnAPhone: the outbox, an audit trail and the pages of the
// accounts, in French and English, at 390 px: axe-core clean and nothing
// wider than the window (long addresses and links included), and the
// account set-up's QR code on a desktop.
func TestAdminPagesOnAPhone(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db)
	long := "https://certibloc.example.org/password/reset?token=" + strings.Repeat("AbCdEf0123", 12) + "&lang=en"
	for i := 0; i < 35; i++ {
		m := certibloc.Mail{To: fmt.Sprintf("une.adresse.particulierement.longue.%d@sous-domaine.example.org", i),
			Subject: "Votre candidature est admissible / Your application is admissible", School: "DIIAGE",
			Body: "Bonjour,\n\nOuvrez ce lien : " + long + "\n\n— English —\n\nDear candidate,\n\nOpen " + long + "\n"}
		if _, err := db.Enqueue(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	// A trail of some length: the account disabled and enabled again.
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{AccountID: s.admin.ID, Role: certibloc.Admin, Label: "account 1"})
	for i := 0; i < 3; i++ {
		if err := db.DisableAccount(ctx, s.staff.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.EnableAccount(ctx, s.staff.ID); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(s.h)
	defer srv.Close()
	session, err := db.CreateSession(t.Context(), s.admin.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	admin := []browsertest.Cookie{{Name: "certibloc_session", Value: session}}
	phone := &browsertest.Viewport{Width: 390, Height: 844}
	staff := strconv.FormatInt(s.staff.ID, 10)
	// The outbox and the trail in both languages; the rest once, in one
	// or the other (the language crawl reads every page in both).
	var pages []browsertest.Page
	for _, p := range []struct{ name, path string }{
		{"outbox", "/app/outbox?lang=fr"}, {"outbox (en)", "/app/outbox?lang=en"},
		{"outbox, page 2, searched", "/app/outbox?page=2&q=longue&lang=fr"},
		{"audit", "/app/audit/account/" + staff + "?lang=fr"}, {"audit (en)", "/app/audit/account/" + staff + "?lang=en"},
		{"accounts", "/app/accounts?lang=fr"}, {"an account (en)", "/app/accounts/" + staff + "?lang=en"},
		{"disable, asked", "/app/accounts/" + staff + "/disable?lang=fr"}, {"account and its QR code", "/app/account?lang=fr"},
	} {
		pages = append(pages, browsertest.Page{Name: p.name, URL: srv.URL + p.path, Cookies: admin, Viewport: phone})
	}
	pages = append(pages, browsertest.Page{Name: "account and its QR code, desktop", URL: srv.URL + "/app/account?lang=en", Cookies: admin})
	results := browsertest.Check(t, pages...)
	browsertest.AssertClean(t, results, 50<<10)
	for _, r := range results {
		t.Logf("%-36s %d %6d bytes, %d px too wide", r.Name, r.Status, r.Bytes, r.Overflow)
		if r.Overflow > 0 {
			t.Errorf("%s: the page is %d px wider than the 390 px window (document.documentElement.scrollWidth)", r.Name, r.Overflow)
		}
	}
}
