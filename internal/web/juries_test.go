package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
	"github.com/certibloc/certibloc/internal/web"
)

// testMinutes renders minutes as plain text: the place and the number of
// decisions, enough to check what is stored and downloaded.
func testMinutes(m *certibloc.Minutes) ([]byte, error) {
	return fmt.Appendf(nil, "%%PDF-1.4 PV %s, %d decisions", m.Jury.Place, len(m.Candidates)), nil
}

// jurySite is a site with the referential, four jury accounts (the first
// three will sit: a chair and two professionals) and two candidates.
type jurySite struct {
	*site
	jury  []certibloc.Account
	ada   int64 // the candidate's account's person
	grace int64
}

func newJurySite(t *testing.T, db *sqldb.DB) *jurySite {
	t.Helper()
	s := &jurySite{site: newAuthSite(t, db, server.WithMinutes(testMinutes))}
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test"})
	if err := server.LoadDefaults(ctx, db, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	s.ada = s.cand.PersonID
	g := &certibloc.Person{School: "DIIAGE", BirthName: "Hopper", FirstNames: "Grace"}
	if err := db.CreatePerson(ctx, g); err != nil {
		t.Fatal(err)
	}
	s.grace = g.ID
	for i := range 4 {
		a, err := db.CreateAccount(ctx, certibloc.Account{Email: fmt.Sprintf("jury%d@example.org", i), Role: certibloc.Jury,
			Schools: []string{"DIIAGE"}})
		if err != nil {
			t.Fatal(err)
		}
		s.jury = append(s.jury, a)
	}
	return s
}

// as is a browser signed in as an account, with a complete session made
// by the store as sign-in makes it.
func (s *jurySite) as(t *testing.T, a certibloc.Account) *browser {
	t.Helper()
	b := s.browser(t)
	token, err := s.db.CreateSession(t.Context(), a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	b.jar.SetCookies(siteURL, []*http.Cookie{{Name: "certibloc_session", Value: token, Path: "/"}})
	return b
}

// convene posts the form of a new jury as the admin and returns its page.
func (s *jurySite) convene(t *testing.T, admin *browser) string {
	t.Helper()
	form := url.Values{"certification": {"RNCP38478@1"}, "date": {"2027-07-01"}, "place": {"Dijon"},
		"others": {fmt.Sprintf("%d, %d", s.ada, s.grace)}}
	for i, role := range []string{"chair", "professional", "professional"} {
		form.Set(fmt.Sprintf("m%d_name", i+1), fmt.Sprintf("Membre %c", 'A'+i))
		form.Set(fmt.Sprintf("m%d_role", i+1), role)
		form.Set(fmt.Sprintf("m%d_account", i+1), fmt.Sprint(s.jury[i].ID))
		form.Set(fmt.Sprintf("m%d_present", i+1), "yes")
	}
	code, loc, body := admin.submit("/app/juries/new", "/app/juries", form)
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=created") {
		t.Fatalf("convening: %d %s\n%s", code, loc, text(body))
	}
	return strings.TrimSuffix(loc, "?done=created")
}

// englishRE finds English words that no French page may show.
var englishRE = regexp.MustCompile(`\b(?i:the|and|with|jury \d+|candidate|not|is|has|no|of)\b`)

// checkFrench fails when a French page shows an English interface string
// or English words.
func checkFrench(t *testing.T, name, body string) {
	t.Helper()
	txt := text(body)
	if m := englishRE.FindString(txt); m != "" {
		i := strings.Index(txt, m)
		t.Errorf("%s: English %q on the French page: …%s…", name, m, txt[max(0, i-60):min(len(txt), i+60)])
	}
	for _, en := range web.EnglishOnly() {
		if strings.Contains(txt, en) {
			t.Errorf("%s: English string %q on the French page", name, en)
		}
	}
	if strings.Contains(txt, "[[") {
		t.Errorf("%s: a missing interface string", name)
	}
}

// TestJuryPages: the admin convenes a jury through the form; a jury
// account not on it is told it does not exist; members declare; only the
// chair decides, and an override without a reason is refused in French;
// closing goes through its check; the minutes download; a correction
// needs a reason; the candidate reads their path. Every French page holds
// no English.
func TestJuryPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newJurySite(t, db)
		admin := s.as(t, s.admin)
		chair, member, third := s.as(t, s.jury[0]), s.as(t, s.jury[1]), s.as(t, s.jury[2])
		stranger := s.as(t, s.jury[3])
		french := func(b *browser, path string, want int) string {
			t.Helper()
			code, _, body := b.get(path)
			if code != want {
				t.Fatalf("GET %s: %d, want %d\n%.600s", path, code, want, text(body))
			}
			checkFrench(t, path, body)
			return body
		}

		// Convening: the form refuses in French what is wrong.
		french(admin, "/app/juries/new", 200)
		code, _, body := admin.submit("/app/juries/new", "/app/juries", url.Values{"certification": {"RNCP38478@1"},
			"m1_name": {"Membre A"}, "others": {"abc"}})
		if code != 400 || !strings.Contains(text(body), "choisissez le rôle du membre") ||
			!strings.Contains(text(body), "« abc » n'est le numéro d'aucune personne") {
			t.Fatalf("a wrong form: %d\n%s", code, text(body))
		}
		checkFrench(t, "the refused form", body)
		jury := s.convene(t, admin)

		// Scoping: the list and the page, for members and for others.
		if body := french(member, "/app/juries", 200); !strings.Contains(body, jury) {
			t.Errorf("a member's list lacks their jury")
		}
		if _, _, body := stranger.get("/app/juries"); strings.Contains(body, jury) {
			t.Errorf("a jury account on no jury sees it in the list")
		}
		for _, path := range []string{jury, jury + "/close", fmt.Sprintf("%s/candidates/%d", jury, s.ada), jury + "/minutes"} {
			if code, _, body := stranger.get(path); code != 404 || !strings.Contains(text(body), "Aucun jury de ce numéro") {
				t.Errorf("GET %s by a jury account not on the jury: %d\n%.300s", path, code, text(body))
			}
		}
		if code, _, _ := stranger.submit("/app/juries", jury+"/declarations", url.Values{fmt.Sprintf("c%d", s.ada): {"no"}}); code != 404 {
			t.Errorf("a declaration by a jury account not on the jury: %d", code)
		}
		if code, _, _ := s.as(t, s.staff).get(jury); code != 403 {
			t.Errorf("staff on a jury page: %d", code)
		}

		// The composition is plain; nobody has declared yet.
		page := text(french(chair, jury, 200))
		for _, want := range []string{"Membres présents : 3 (quorum : 3).", "La composition permet de délibérer.", "Non déclaré", "À décider"} {
			if !strings.Contains(page, want) {
				t.Errorf("the jury page lacks %q:\n%s", want, page)
			}
		}
		cand := fmt.Sprintf("%s/candidates/%d", jury, s.ada)
		if page := text(french(chair, cand, 200)); !strings.Contains(page, "n'a pas encore déclaré l'absence de conflit d'intérêts") {
			t.Errorf("the candidate page does not say who has not declared:\n%s", page)
		}
		for _, b := range []*browser{chair, member, third} {
			code, loc, body := b.submit(jury, jury+"/declarations", url.Values{
				fmt.Sprintf("c%d", s.ada): {"no"}, fmt.Sprintf("c%d", s.grace): {"no"}})
			if code != 303 || !strings.HasSuffix(loc, "done=declared") {
				t.Fatalf("declaring: %d %s\n%s", code, loc, text(body))
			}
		}

		// Only the chair decides; an override needs a reason, said before
		// submitting and in French when refused.
		if page := text(french(chair, cand, 200)); !strings.Contains(page, "tout écart (un bloc ou le titre) exige un motif écrit") {
			t.Errorf("the form does not say an override needs a reason:\n%s", page)
		}
		override := url.Values{"b_RNCP38478BC01": {"yes"}, "r_RNCP38478BC01": {"vae"}, "title": {"no"}}
		if code, _, body := member.submit(cand, cand, override); code != 403 || !strings.Contains(text(body), "Seul le président du jury") {
			t.Errorf("a member who is not the chair decides: %d\n%.300s", code, text(body))
		}
		code, _, body = chair.submit(cand, cand, override)
		if code != 400 || !strings.Contains(text(body),
			"la décision s'écarte de la proposition pour RNCP38478BC01 : écrivez un motif d'au moins 10 caractères") {
			t.Fatalf("an override without a reason: %d\n%s", code, text(body))
		}
		checkFrench(t, "the refused decision", body)
		override.Set("w_RNCP38478BC01", "Dossier de validation et oral favorables.")
		if code, loc, body := chair.submit(cand, cand, override); code != 303 || !strings.HasSuffix(loc, "done=decided") {
			t.Fatalf("the override with its reason: %d %s\n%s", code, loc, text(body))
		}

		// Closing: blocked while Grace is undecided, then done after the check.
		page = text(french(chair, jury+"/close", 200))
		for _, want := range []string{"Ce que la clôture va faire", "Blocs validés inscrits au registre des blocs acquis : 1 (candidats concernés : 1)", "Grace HOPPER n'a pas encore de décision"} {
			if !strings.Contains(page, want) {
				t.Errorf("the check before closing lacks %q:\n%s", want, page)
			}
		}
		if strings.Contains(page, "Clore le jury") {
			t.Errorf("the close button shows while a candidate is undecided")
		}
		grace := fmt.Sprintf("%s/candidates/%d", jury, s.grace)
		if code, _, body := chair.submit(grace, grace, url.Values{"title": {"no"}}); code != 303 {
			t.Fatalf("confirming nothing for Grace (partial success is normal): %d\n%s", code, text(body))
		}
		page = text(french(chair, jury+"/close", 200))
		if !strings.Contains(page, "Rien : le jury peut être clos.") {
			t.Fatalf("the check before closing: %s", page)
		}
		if code, _, body := member.submit(jury+"/close", jury+"/close", url.Values{"confirm": {"yes"}}); code != 403 {
			t.Errorf("a member who is not the chair closes: %d %.200s", code, text(body))
		}
		if code, _, body := chair.submit(jury+"/close", jury+"/close", url.Values{}); code != 400 ||
			!strings.Contains(text(body), "cochez la case pour confirmer la clôture") {
			t.Errorf("closing without confirming: %d\n%s", code, text(body))
		}
		if j, _ := db.Jury(t.Context(), juryID(t, jury)); j.State != certibloc.JuryOpen {
			t.Fatal("the jury closed without confirmation")
		}
		if code, loc, body := chair.submit(jury+"/close", jury+"/close", url.Values{"confirm": {"yes"}}); code != 303 ||
			!strings.HasSuffix(loc, "done=closed") {
			t.Fatalf("closing: %d %s\n%s", code, loc, text(body))
		}
		page = text(french(member, jury, 200))
		if !strings.Contains(page, "Télécharger le procès-verbal") || strings.Contains(page, "Vérifier avant de clore") {
			t.Errorf("the closed jury's page:\n%s", page)
		}
		code, _, pdf := member.get(jury + "/minutes")
		if code != 200 || member.last.Header.Get("Content-Type") != "application/pdf" || pdf != "%PDF-1.4 PV Dijon, 2 decisions" {
			t.Errorf("the minutes: %d %s %q", code, member.last.Header.Get("Content-Type"), pdf)
		}

		// Closed: decisions are read-only; a correction needs a reason.
		if code, _, _ := chair.submit(grace, grace, url.Values{"title": {"no"}}); code != 409 {
			t.Errorf("deciding on a closed jury: %d", code)
		}
		correction := url.Values{"b_RNCP38478BC02": {"yes"}, "r_RNCP38478BC02": {"vae"},
			"w_RNCP38478BC02": {"Pièce du dossier retrouvée après la séance."}, "title": {"no"}}
		code, _, body = chair.submit(grace, grace+"/correction", correction)
		if code != 400 || !strings.Contains(text(body), "écrivez le motif de la correction") {
			t.Errorf("a correction without a reason: %d\n%s", code, text(body))
		}
		checkFrench(t, "the refused correction", body)
		correction.Set("correction_reason", "Erreur matérielle au procès-verbal.")
		if code, loc, body := chair.submit(grace, grace+"/correction", correction); code != 303 || !strings.HasSuffix(loc, "done=corrected") {
			t.Fatalf("the correction: %d %s\n%s", code, loc, text(body))
		}

		// The candidate's path, in their space.
		ada := s.browser(t)
		ada.jar.SetCookies(siteURL, []*http.Cookie{{Name: "certibloc_session", Value: mustSession(t, db, s.cand.ID), Path: "/"}})
		path := fmt.Sprintf("/app/people/%d/path", s.ada)
		if body := french(ada, fmt.Sprintf("/app/people/%d", s.ada), 200); !strings.Contains(body, path) {
			t.Errorf("the candidate's page does not link to their path")
		}
		page = text(french(ada, path, 200))
		for _, want := range []string{"RNCP38478BC01", "Validé le 01/07/2027, voie : VAE – Jury du 01/07/2027 – Dijon", "Aucun titre délivré", "Ce qui reste"} {
			if !strings.Contains(page, want) {
				t.Errorf("the path lacks %q:\n%s", want, page)
			}
		}
		if code, _, body := ada.get(fmt.Sprintf("/app/people/%d/path?lang=en", s.ada)); code != 200 ||
			!strings.Contains(text(body), "Validated on 1 July 2027, route: VAE") {
			t.Errorf("the path in English: %d\n%s", code, text(body))
		}
		if code, _, _ := ada.get(fmt.Sprintf("/app/people/%d/path", s.grace)); code != 403 && code != 404 {
			t.Errorf("a candidate reads another's path: %d", code)
		}
		if code, _, _ := s.as(t, s.other).get(path); code != 403 && code != 404 {
			t.Errorf("staff of another school read the path: %d", code)
		}
	})
}

func juryID(t *testing.T, path string) int64 {
	var id int64
	if _, err := fmt.Sscanf(path, "/app/juries/%d", &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func mustSession(t *testing.T, db *sqldb.DB, account int64) string {
	t.Helper()
	token, err := db.CreateSession(t.Context(), account, true)
	if err != nil {
		t.Fatal(err)
	}
	return token
}
