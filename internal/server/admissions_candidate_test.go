package server_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// signupForm is a whole sign-up form of a level-4 candidate with a year
// and two months of experience.
func signupForm(email string) url.Values {
	return url.Values{"birth_name": {"Petit"}, "first_names": {"Léa Anne"}, "birth_date": {"2002-03-04"},
		"email": {email}, "level": {"4"}, "ects": {"0"}, "experience_months": {"14"}}
}

// confirmed is the recap's confirmation of a submission.
var confirmed = url.Values{"confirm": {"yes"}}

// resetLinkRE finds the password link of a message.
var resetLinkRE = regexp.MustCompile(`/password/reset\?token=([A-Za-z0-9_-]+)`)

func TestSignUpMakesACandidateAndSendsThePasswordLink(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		c := admAnonymous(t, h)
		page := c.post("/signup", url.Values{"birth_name": {"Petit"}, "level": {"neuf"}}, http.StatusBadRequest).Body.String()
		wantIn(t, "the refused sign-up", page, `href="#f-first_names"`, `id="f-email-error"`, `aria-invalid="true"`,
			"saisissez un nombre entier", `value="Petit"`)

		page = c.post("/signup", signupForm("Lea.Petit@Example.org"), http.StatusOK).Body.String()
		wantIn(t, "the answer", page, "Un message vient d&#39;être envoyé à lea.petit@example.org")
		acct, err := db.AccountByEmail(ctx, "lea.petit@example.org")
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.Person(ctx, acct.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if acct.Role != certibloc.Candidate || p.School != ownSchool || p.Level != 4 || p.ExperienceMonths != 14 ||
			p.BirthDate.String() != "2002-03-04" || p.Email != "lea.petit@example.org" {
			t.Errorf("account %+v, person %+v", acct, p)
		}
		mails, err := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if err != nil || len(mails) != 1 || mails[0].To != "lea.petit@example.org" {
			t.Fatalf("outbox: %v %+v", err, mails)
		}
		link := resetLinkRE.FindStringSubmatch(mails[0].Body)
		if link == nil {
			t.Fatalf("no password link in %q", mails[0].Body)
		}
		if a, err := db.PasswordReset(ctx, link[1]); err != nil || a.ID != acct.ID {
			t.Errorf("the link does not set the account's password: %v %+v", err, a)
		}

		// The same address again: the same answer, nobody new, a reminder.
		again := admAnonymous(t, h).post("/signup", signupForm("lea.petit@example.org"), http.StatusOK).Body.String()
		if again != page {
			t.Error("signing up an address that has an account answers differently")
		}
		mails, _ = db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if len(mails) != 2 || !strings.Contains(mails[0].Body, "en a déjà un") {
			t.Errorf("no reminder to the existing account: %+v", mails)
		}
		if list, _ := db.People(ctx, sqldb.PeopleFilter{Search: "petit"}); list.Total != 1 {
			t.Errorf("%d people named Petit, want 1", list.Total)
		}
	})
}

// admCandidate makes a person of DIIAGE with their candidate account.
func admCandidate(t *testing.T, h http.Handler, db *sqldb.DB, name string, level, ects, experience int) (*certibloc.Person, *admClient) {
	t.Helper()
	p := &certibloc.Person{School: ownSchool, BirthName: name, FirstNames: "Camille", Email: strings.ToLower(name) + "@example.org",
		Level: level, ECTS: ects, ExperienceMonths: experience}
	if err := db.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	return p, admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Candidate, PersonID: p.ID})
}

// appIDOf reads the application's number from where a form sent to.
func appIDOf(t *testing.T, location string) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/app/applications/([0-9]+)`).FindStringSubmatch(location)
	if m == nil {
		t.Fatalf("sent to %q, not to an application", location)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func TestCandidateAppliesUploadsAndSubmits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		camp := admCampaign(t, db, "Admissions L3")
		_, c := admCandidate(t, h, db, "DURAND", 4, 0, 14)
		newForm := "/app/applications/new?campaign=" + strconv.FormatInt(camp.ID, 10)
		wantIn(t, "my applications", c.get("/app/applications", http.StatusOK).Body.String(), newForm)
		wantIn(t, "the form", c.get(newForm, http.StatusOK).Body.String(), `value="one_year/apprenticeship"`,
			"RNCP38478BC04", `name="experience_months"`)

		form := url.Values{"campaign": {strconv.FormatInt(camp.ID, 10)}, "offer": {"one_year/apprenticeship"},
			"option": {"RNCP38478BC05"}, "level": {"4"}, "ects": {"0"}, "experience_months": {"14"}}
		wantIn(t, "an option not open", c.post("/app/applications", form, http.StatusBadRequest).Body.String(),
			"blocs optionnels ouverts par cette campagne", `href="#f-option-0"`)
		form.Set("option", "RNCP38478BC04")
		id := appIDOf(t, c.post("/app/applications", form, http.StatusSeeOther).Header().Get("Location"))
		wantIn(t, "a second application", c.post("/app/applications", form, http.StatusBadRequest).Body.String(),
			"déjà une candidature")
		path := "/app/applications/" + strconv.FormatInt(id, 10)
		wantIn(t, "the draft", c.get(path+"?done=created", http.StatusOK).Body.String(), "Brouillon",
			`enctype="multipart/form-data"`, path+"/recap")

		pdf, err := os.ReadFile("../../testdata/documents/cv.pdf")
		if err != nil {
			t.Fatal(err)
		}
		png, err := os.ReadFile("../../testdata/documents/diploma.png")
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []struct{ name, says string }{
			{"cv.pdf", "ni un PDF ni une image"},
			{"diplome.pdf", "pas ce que son nom annonce"},
			{"gros.pdf", "le fichier dépasse 10 Mo"},
		} {
			data := []byte("Bonjour, ceci est un texte.")
			switch bad.name {
			case "diplome.pdf":
				data = png
			case "gros.pdf":
				data = append([]byte("%PDF-1.7\n"), make([]byte, certibloc.MaxDocumentSize)...)
			}
			page := c.upload(path+"/documents", "cv", bad.name, data, http.StatusBadRequest).Body.String()
			wantIn(t, bad.name, page, bad.says, `id="f-file-error"`)
		}
		c.upload(path+"/documents", "cv", `C:\Users\lea\CV Léa.pdf`, pdf, http.StatusSeeOther)
		docs, err := db.Documents(ctx, id)
		if err != nil || len(docs) != 1 || docs[0].Filename != "CV Léa.pdf" {
			t.Fatalf("documents: %v %+v", err, docs)
		}
		dl := c.get(path+"/documents/"+strconv.FormatInt(docs[0].ID, 10), http.StatusOK)
		if dl.Header().Get("Content-Type") != "application/pdf" || !bytes.Equal(dl.Body.Bytes(), pdf) ||
			!strings.HasPrefix(dl.Header().Get("Content-Disposition"), "attachment;") {
			t.Errorf("download: %v", dl.Header())
		}

		c.post(path+"/submit", confirmed, http.StatusSeeOther)
		page := c.get(path+"?done=submitted", http.StatusOK).Body.String()
		wantIn(t, "the verdict", page, "Votre candidature est déposée", "Éligible",
			"dossier soumis à l&#39;étude de la commission d&#39;admission", "Règle « Niveau 4 validé avec expérience")
		// Documents may still be added until the admissibility commission.
		if !strings.Contains(page, `enctype="multipart/form-data"`) || strings.Contains(page, path+"/recap") {
			t.Error("a submitted application offers to submit again, or no longer to add a document")
		}
		english := c.get(path+"?lang=en", http.StatusOK).Body.String()
		wantIn(t, "the verdict in English", english, "Eligible", "subject to the admission committee", "Rule “Niveau 4 validé avec expérience")
		if strings.Contains(english, "Règle") {
			t.Error("the English page gives the reasons of the verdict in French")
		}

		// Nobody else's: another candidate, staff of another school.
		_, other := admCandidate(t, h, db, "MOREAU", 5, 0, 0)
		other.get(path, http.StatusForbidden)
		other.get(path+"/documents/"+strconv.FormatInt(docs[0].ID, 10), http.StatusForbidden)
		other.post(path+"/submit", confirmed, http.StatusForbidden)
		estia := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{otherSchool}})
		estia.get(path, http.StatusForbidden)
	})
}

// admDraft makes, through the candidate's form, a draft to the campaign
// for the one-year track in initial training, and returns its page.
func admDraft(t *testing.T, c *admClient, camp *certibloc.Campaign) (int64, string) {
	t.Helper()
	form := url.Values{"campaign": {strconv.FormatInt(camp.ID, 10)}, "offer": {"one_year/initial"},
		"level": {"4"}, "ects": {"0"}, "experience_months": {"14"}}
	id := appIDOf(t, c.post("/app/applications", form, http.StatusSeeOther).Header().Get("Location"))
	return id, "/app/applications/" + strconv.FormatInt(id, 10)
}

func TestCandidateChangesTheChoiceOfTheirDraft(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		camp := admCampaign(t, db, "Admissions L3")
		_, c := admCandidate(t, h, db, "DURAND", 4, 0, 14)
		id, path := admDraft(t, c, camp)
		wantIn(t, "the draft", c.get(path, http.StatusOK).Body.String(), `action="`+path+`/choice"`,
			"Modifier mon choix", `value="one_year/apprenticeship"`, `value="one_year/initial" type="radio" checked`)

		for _, bad := range []struct {
			offer, option, field, says string
		}{
			{"three_year/initial", "", "offer", "choisissez l&#39;un des cursus proposés"},
			{"", "", "offer", "choisissez l&#39;un des cursus proposés"},
			{"one_year/initial", "RNCP38478BC05", "option", "blocs optionnels ouverts par cette campagne"},
		} {
			page := c.post(path+"/choice", url.Values{"offer": {bad.offer}, "option": {bad.option}},
				http.StatusBadRequest).Body.String()
			wantIn(t, "the choice "+bad.offer+" "+bad.option, page, bad.says, `id="f-`+bad.field+`-error"`,
				`href="#f-`+bad.field+`-0"`, `aria-invalid="true"`)
		}
		if a, err := db.Application(ctx, id); err != nil || a.Track != certibloc.OneYear || a.Mode != certibloc.Initial || a.Option != "" {
			t.Fatalf("a refused choice changed the application: %v %+v", err, a)
		}

		c.post(path+"/choice", url.Values{"offer": {"one_year/apprenticeship"}, "option": {"RNCP38478BC04"}}, http.StatusSeeOther)
		a, err := db.Application(ctx, id)
		if err != nil || a.Mode != certibloc.Apprenticeship || a.Option != "RNCP38478BC04" || a.State != certibloc.Draft {
			t.Fatalf("the choice is not saved: %v %+v", err, a)
		}
		wantIn(t, "the changed draft", c.get(path+"?done=changed", http.StatusOK).Body.String(),
			"Votre choix est enregistré", `value="one_year/apprenticeship" type="radio" checked`)
		wantIn(t, "the changed draft in English", c.get(path+"?done=changed&lang=en", http.StatusOK).Body.String(),
			"Your choice is saved", "Change my choice")

		// Submitted, the choice is the one it was judged on.
		c.post(path+"/submit", confirmed, http.StatusSeeOther)
		page := c.get(path+"?lang=fr", http.StatusOK).Body.String()
		if strings.Contains(page, path+"/choice") {
			t.Error("a submitted application still offers to change its choice")
		}
		page = c.post(path+"/choice", url.Values{"offer": {"one_year/initial"}, "option": {""}}, http.StatusConflict).Body.String()
		wantIn(t, "a change after submission", page, "n&#39;est plus un brouillon", "Déposé")
		if a, err := db.Application(ctx, id); err != nil || a.Mode != certibloc.Apprenticeship || a.State != certibloc.Submitted {
			t.Errorf("a submitted application was changed: %v %+v", err, a)
		}

		// Nobody else's.
		_, other := admCandidate(t, h, db, "MOREAU", 5, 0, 0)
		other.post(path+"/choice", url.Values{"offer": {"one_year/initial"}}, http.StatusForbidden)
	})
}

func TestCandidateWithdrawsTheirApplication(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		camp := admCampaign(t, db, "Admissions L3")
		durand, c := admCandidate(t, h, db, "DURAND", 4, 0, 14)
		id, path := admDraft(t, c, camp)
		c.post(path+"/submit", confirmed, http.StatusSeeOther)
		_, other := admCandidate(t, h, db, "MOREAU", 5, 0, 0)
		otherID, otherPath := admDraft(t, other, camp)

		wantIn(t, "the submitted application", c.get(path, http.StatusOK).Body.String(),
			"Retirer ma candidature", `action="`+path+`/withdraw"`, `name="confirm" value="yes"`)
		page := c.post(path+"/withdraw", url.Values{}, http.StatusBadRequest).Body.String()
		wantIn(t, "a withdrawal not confirmed", page, "cochez la case", `id="f-confirm-error"`, `href="#f-confirm-0"`)

		// Someone else's: refused, and left as it was.
		c.post(otherPath+"/withdraw", url.Values{"confirm": {"yes"}}, http.StatusForbidden)
		if a, err := db.Application(ctx, otherID); err != nil || a.State != certibloc.Draft {
			t.Fatalf("someone else's application: %v %+v", err, a)
		}

		c.post(path+"/withdraw", url.Values{"confirm": {"yes"}}, http.StatusSeeOther)
		a, err := db.Application(ctx, id)
		if err != nil || a.State != certibloc.Withdrawn {
			t.Fatalf("not withdrawn: %v %+v", err, a)
		}
		decisions, err := db.Decisions(ctx, id)
		if err != nil || len(decisions) != 1 || decisions[0].Kind != certibloc.Withdraw || decisions[0].From != certibloc.Submitted {
			t.Fatalf("decisions: %v %+v", err, decisions)
		}
		page = c.get(path+"?done=withdrawn", http.StatusOK).Body.String()
		wantIn(t, "the withdrawn application", page, "Votre candidature est retirée", "Désistement")
		if strings.Contains(page, path+"/withdraw") {
			t.Error("a withdrawn application still offers to withdraw it")
		}
		mails, err := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if err != nil || len(mails) == 0 || mails[0].To != durand.Email || !strings.Contains(mails[0].Subject, "retirée") {
			t.Errorf("no e-mail of the withdrawal: %v %+v", err, mails)
		}

		// Twice: refused in words.
		page = c.post(path+"/withdraw", url.Values{"confirm": {"yes"}}, http.StatusConflict).Body.String()
		wantIn(t, "a second withdrawal", page, "ne peut plus être retirée", "Désistement")
		if list, _ := db.Decisions(ctx, id); len(list) != 1 {
			t.Errorf("%d decisions after a second withdrawal, want 1", len(list))
		}

		// Staff see it in the pipeline.
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		pipe := staff.get("/app/campaigns/"+strconv.FormatInt(camp.ID, 10)+"?state=withdrawn", http.StatusOK).Body.String()
		wantIn(t, "the pipeline of withdrawals", pipe, "DURAND", "Désistement")
		if strings.Contains(pipe, "MOREAU") {
			t.Error("the pipeline of withdrawals lists a draft")
		}

		// The store lets a candidate withdraw their own application, and
		// take no other decision.
		as := certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Candidate, PersonID: durand.ID})
		if _, err := db.Decide(as, []int64{otherID}, certibloc.AdmissionDecision{Kind: certibloc.Withdraw}); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Errorf("withdrawing someone else's application in the store: %v", err)
		}
		own := &certibloc.Application{CampaignID: admCampaign(t, db, "Autre").ID, PersonID: durand.ID,
			Track: certibloc.OneYear, Mode: certibloc.Initial}
		if err := db.CreateApplication(certibloc.WithPrincipal(ctx, admStaff(t)), own); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitApplication(ctx, own.ID, db.Today()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Decide(as, []int64{own.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible,
			Members: []string{"Michel GIRARD"}}); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Errorf("a candidate takes an admissibility decision in the store: %v", err)
		}
	})
}
