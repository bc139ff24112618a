package server_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAccrochagePageInBrowser: the declarations page has no axe-core
// violation in French with a holder to correct, and in English with a
// file sent, its passages and an overdue holder.
func TestAccrochagePageInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	m := newMatrix(t, db)
	srv := httptest.NewServer(m.h)
	defer srv.Close()
	ctx := certibloc.WithPrincipal(t.Context(), m.certifierCtx())
	sent, _ := m.holders(2)
	if _, err := db.ExportAccrochage(ctx, sqldb.AccrochageScope{JuryID: sent}, &cdc.Export{Now: time.Now(),
		Open: func(string) (io.WriteCloser, error) { return nopWriteCloser{io.Discard}, nil }}); err != nil {
		t.Fatal(err)
	}
	jury, people := m.holders(1)
	p, err := db.Person(ctx, people[0])
	if err != nil {
		t.Fatal(err)
	}
	p.Sex = ""
	if err := db.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	a, err := db.CreateAccount(ctx, certibloc.Account{Email: "certificateur@example.org", Role: certibloc.Admin})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := db.CreateSession(ctx, a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	admin := []browsertest.Cookie{{Name: "certibloc_session", Value: secret}}
	results := browsertest.Check(t,
		browsertest.Page{Name: "accrochage (fr)", URL: fmt.Sprintf("%s/app/reports/accrochage?jury=%d", srv.URL, jury), Cookies: admin},
		browsertest.Page{Name: "accrochage (en)", URL: fmt.Sprintf("%s/app/reports/accrochage?jury=%d&lang=en", srv.URL, sent), Cookies: admin},
	)
	browsertest.AssertClean(t, results, 50<<10)
}
