package web_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestJuryInBrowser deliberates on one candidate in Chromium, as the
// chair: an override without a reason is refused, then recorded with
// one; the jury closes through its check page; the candidate reads their
// path on a phone, 390 pixels wide, without scrolling sideways. Every
// page passes axe-core.
func TestJuryInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	s := newJurySite(t, db)
	srv := httptest.NewServer(s.h)
	defer srv.Close()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test", Role: certibloc.Admin})
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon",
		Candidates: []int64{s.ada}}
	for i, role := range []string{certibloc.JuryChair, certibloc.JuryProfessional, certibloc.JuryProfessional} {
		j.Members = append(j.Members, certibloc.JuryMember{AccountID: s.jury[i].ID, Name: fmt.Sprintf("Membre %c", 'A'+i),
			Role: role, Present: true})
	}
	if err := db.CreateJury(ctx, j); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		as := certibloc.WithPrincipal(ctx, &certibloc.Principal{AccountID: s.jury[i].ID, Role: certibloc.Jury, Label: "jury"})
		if err := db.DeclareConflict(as, j.ID, s.ada, false); err != nil {
			t.Fatal(err)
		}
	}
	chair := []browsertest.Cookie{{Name: "certibloc_session", Value: mustSession(t, db, s.jury[0].ID)}}
	ada := []browsertest.Cookie{{Name: "certibloc_session", Value: mustSession(t, db, s.cand.ID)}}
	jury := fmt.Sprintf("%s/app/juries/%d", srv.URL, j.ID)
	cand := fmt.Sprintf("%s/candidates/%d", jury, s.ada)
	override := []browsertest.Action{
		{Do: "check", Selector: "#f-b-RNCP38478BC01-0"},
		{Do: "select", Selector: "#f-r-RNCP38478BC01", Value: "vae"},
	}
	phone := &browsertest.Viewport{Width: 390, Height: 844}
	submit := browsertest.Action{Do: "click", Selector: "main form button[type=submit]"}
	pages := []browsertest.Page{
		{Name: "juries", URL: srv.URL + "/app/juries", Cookies: chair},
		{Name: "the jury", URL: jury, Cookies: chair},
		{Name: "the candidate", URL: cand, Cookies: chair},
		{Name: "the candidate (en)", URL: cand + "?lang=en", Cookies: chair},
		{Name: "override with a reason", URL: cand, Cookies: chair, Actions: append(append([]browsertest.Action{}, override...),
			browsertest.Action{Do: "fill", Selector: "#f-w-RNCP38478BC01", Value: "Dossier de validation et oral favorables."}, submit)},
		{Name: "the check before closing", URL: jury, Cookies: chair, Actions: []browsertest.Action{
			{Do: "click", Selector: "a[href$='/close']"}}},
		{Name: "closed after the check", URL: jury + "/close", Cookies: chair, Actions: []browsertest.Action{
			{Do: "check", Selector: "#f-confirm-0"}, submit}},
		{Name: "the closed jury (en)", URL: jury + "?lang=en", Cookies: chair},
		{Name: "the path on a phone", URL: fmt.Sprintf("%s/app/people/%d/path", srv.URL, s.ada), Cookies: ada, Viewport: phone},
		{Name: "the path on a phone (en)", URL: fmt.Sprintf("%s/app/people/%d/path?lang=en", srv.URL, s.ada), Cookies: ada, Viewport: phone},
	}
	refused := []browsertest.Page{
		{Name: "override without a reason", URL: cand, Cookies: chair, Actions: append(append([]browsertest.Action{}, override...), submit)},
	}
	// The refusal first, while the jury is open; then the walk.
	results := browsertest.Check(t, append(refused, pages...)...)
	for _, r := range results {
		t.Logf("%-28s %d %6d bytes, %d px too wide, %s", r.Name, r.Status, r.Bytes, r.Overflow, strings.TrimPrefix(r.FinalURL, srv.URL))
	}
	if r := results[0]; r.Status != 400 || r.Error != "" || len(r.Violations) > 0 {
		t.Errorf("%s: status %d, %q, violations %v", r.Name, r.Status, r.Error, r.ViolationIDs())
	}
	results = results[1:]
	browsertest.AssertClean(t, results, 50<<10)
	for i, want := range map[int]string{4: "?done=decided", 5: "/close", 6: "?done=closed"} {
		if !strings.HasSuffix(results[i].FinalURL, want) {
			t.Errorf("%s ended at %s, want …%s", results[i].Name, results[i].FinalURL, want)
		}
	}
	for _, r := range results[8:] {
		if r.Overflow > 0 {
			t.Errorf("%s: %d px wider than a 390 px phone: it scrolls sideways", r.Name, r.Overflow)
		}
	}
	got, err := db.Jury(ctx, j.ID)
	if err != nil || got.State != certibloc.JuryClosed {
		t.Fatalf("the jury after the walk: %v %+v", err, got)
	}
	ledger, _ := db.Ledger(ctx, s.ada)
	if len(ledger) != 1 || ledger[0].Block != "RNCP38478BC01" || ledger[0].Route != certibloc.VAE {
		t.Errorf("the ledger after closing: %+v", ledger)
	}
}
