package server_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// The candidate's side of issue 11: the checklist and the recap before
// submission, the acknowledgement, documents after submission, the
// progress tracker, the home, contact details and accommodations.

// checklistCampaign makes a campaign of ownSchool open today offering
// both tracks in initial training, which requires a CV and a diploma.
func checklistCampaign(t *testing.T, db *sqldb.DB) *certibloc.Campaign {
	t.Helper()
	prog, err := seed.Programme()
	if err != nil {
		t.Fatal(err)
	}
	c := &certibloc.Campaign{School: ownSchool, Programme: prog.Slug, Year: time.Now().Year(), Title: "Admissions 2026",
		OpensOn: daysFromNow(-30), ClosesOn: daysFromNow(60),
		Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 20},
			{Track: certibloc.ThreeYear, Mode: certibloc.Initial, Places: 20}},
		RequiredDocuments: []string{certibloc.DocCV, certibloc.DocDiploma}}
	if err := db.CreateCampaign(certibloc.WithPrincipal(t.Context(), admStaff(t)), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// testFile reads a document of testdata/documents.
func testFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/documents/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replace sends the upload form that replaces document doc.
func (c *admClient) replace(path, kind string, doc int64, filename string, data []byte, want int) {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf", c.csrf)
	w.WriteField("kind", kind)
	w.WriteField("replaces", strconv.FormatInt(doc, 10))
	f, _ := w.CreateFormFile("file", filename)
	f.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	c.do(req, want)
}

func TestRecapChecksDocumentsAndEligibilityBeforeSubmitting(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		camp := checklistCampaign(t, db)
		// Level 4 without experience nor ECTS: not eligible to the
		// one-year track, eligible to the three-year one.
		person, c := admCandidate(t, h, db, "DURAND", 4, 0, 0)
		form := url.Values{"campaign": {strconv.FormatInt(camp.ID, 10)}, "offer": {"one_year/initial"},
			"level": {"4"}, "ects": {"0"}, "experience_months": {"0"}}
		id := appIDOf(t, c.post("/app/applications", form, http.StatusSeeOther).Header().Get("Location"))
		path := "/app/applications/" + strconv.FormatInt(id, 10)
		wantIn(t, "the draft", c.get(path+"?lang=fr", http.StatusOK).Body.String(),
			"Pièces demandées par la campagne", "Manquante", path+"/recap", "Pièces encore manquantes : CV ; Diplôme")

		recap := c.get(path+"/recap", http.StatusOK).Body.String()
		wantIn(t, "the recap", recap, "Cursus de formation en 1 an", "Non éligible",
			"Vous remplissez les conditions d&#39;accès d&#39;un autre cursus", "3 ans",
			"il manque CV ; Diplôme")
		if strings.Contains(recap, path+"/submit") {
			t.Error("the recap offers to submit with documents missing")
		}
		page := c.post(path+"/submit", confirmed, http.StatusBadRequest).Body.String()
		wantIn(t, "a submission with documents missing", page, "ne peut pas être déposée : il manque CV ; Diplôme")
		english := c.get(path+"/recap?lang=en", http.StatusOK).Body.String()
		wantIn(t, "the recap in English", english, "Not eligible", "You meet the entry rules of another track",
			"cannot be submitted: CV; Diploma is missing")
		c.get(path+"?lang=fr", http.StatusOK)
		if a, _ := db.Application(ctx, id); a.State != certibloc.Draft {
			t.Fatalf("submitted with documents missing: %s", a.State)
		}

		c.upload(path+"/documents", "cv", "cv.pdf", testFile(t, "cv.pdf"), http.StatusSeeOther)
		c.upload(path+"/documents", "diploma", "diplome.png", testFile(t, "diploma.png"), http.StatusSeeOther)
		recap = c.get(path+"/recap", http.StatusOK).Body.String()
		wantIn(t, "the complete recap", recap, "Jointe", "cv.pdf", "diplome.png", `action="`+path+`/submit"`, `name="confirm" value="yes"`)
		page = c.post(path+"/submit", url.Values{}, http.StatusBadRequest).Body.String()
		wantIn(t, "a submission not confirmed", page, "cochez la case pour confirmer le dépôt", `id="f-confirm-error"`)
		mails := len(outbox(t, db))
		c.post(path+"/submit", confirmed, http.StatusSeeOther)
		got := outbox(t, db)
		if len(got) != mails+1 || got[0].To != person.Email || !strings.Contains(got[0].Subject, "candidature est bien reçue") ||
			!strings.Contains(got[0].Body, "/app/applications/"+strconv.FormatInt(id, 10)) {
			t.Fatalf("the acknowledgement: %+v", got[0])
		}
		if school, _ := db.School(ctx, ownSchool); !strings.Contains(got[0].Subject, school.Name) {
			t.Errorf("the acknowledgement does not name the school: %q", got[0].Subject)
		}

		// After submission: the progress tracker, and documents added or
		// replaced until the admissibility commission.
		page = c.get(path, http.StatusOK).Body.String()
		wantIn(t, "the submitted application", page, `<ol class="progress"`, `aria-current="step"`, "Admissibilité",
			"Dépôt</strong> – étape franchie", `enctype="multipart/form-data"`, `name="replaces"`)
		docs, _ := db.Documents(ctx, id)
		c.replace(path+"/documents", "cv", docs[0].ID, "cv-2026.pdf", testFile(t, "cv.pdf"), http.StatusSeeOther)
		wantIn(t, "the replaced document", c.get(path+"?done=replaced", http.StatusOK).Body.String(), "La pièce est remplacée", "cv-2026.pdf")
		if docs, _ := db.Documents(ctx, id); len(docs) != 2 || docs[0].Filename != "diplome.png" || docs[1].Filename != "cv-2026.pdf" {
			t.Errorf("documents after the replacement: %+v", docs)
		}

		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		staff.post(path+"/decisions", url.Values{"kind": {"admissible"}, "members": {"Michel GIRARD"},
			"override": {"yes"}, "reason": {"Expérience à l'étude"}}, http.StatusSeeOther)
		page = c.upload(path+"/documents", "transcript", "releve.jpg", testFile(t, "transcript.jpg"), http.StatusBadRequest).Body.String()
		wantIn(t, "a document after the commission", page, "ne peuvent plus être ajoutées ni remplacées", "Admissible")
		if strings.Contains(c.get(path, http.StatusOK).Body.String(), `enctype="multipart/form-data"`) {
			t.Error("the upload form is offered after the commission")
		}

		// Staff ask for a document: the candidate is told and may send it.
		wantIn(t, "the staff's page", staff.get(path, http.StatusOK).Body.String(), `action="`+path+`/document-requests"`)
		staff.post(path+"/document-requests", url.Values{"kind": {"transcript"}, "message": {"Le relevé de L2, s'il vous plaît"}}, http.StatusSeeOther)
		got = outbox(t, db)
		if got[0].To != person.Email || !strings.Contains(got[0].Body, "relevé de notes") || !strings.Contains(got[0].Body, "Le relevé de L2") {
			t.Errorf("the request's e-mail: %+v", got[0])
		}
		page = c.get(path, http.StatusOK).Body.String()
		wantIn(t, "the request on the candidate's page", page, "Pièces demandées par le service des admissions", "en attente",
			`enctype="multipart/form-data"`)
		wantIn(t, "the home says what to do", c.get("/app", http.StatusOK).Body.String(), "À faire :",
			"le service des admissions vous demande une pièce : Relevé de notes")
		c.upload(path+"/documents", "transcript", "releve.jpg", testFile(t, "transcript.jpg"), http.StatusSeeOther)
		if strings.Contains(c.get(path, http.StatusOK).Body.String(), `enctype="multipart/form-data"`) {
			t.Error("the upload form is still offered once the document asked for is sent")
		}
		// A candidate does not ask themselves for documents.
		c.post(path+"/document-requests", url.Values{"kind": {"cv"}}, http.StatusForbidden)
	})
}

func TestCandidateHomeShowsApplicationsAndCohort(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
		camp := admCampaign(t, db, "Admissions L3")
		person, c := admCandidate(t, h, db, "DURAND", 5, 0, 0)
		_, path := admDraft(t, c, camp)
		home := c.get("/app", http.StatusOK).Body.String()
		wantIn(t, "the home of a draft", home, "Bonjour Camille DURAND", "Admissions L3", "Brouillon",
			"vérifiez et déposez votre candidature avant le", path)
		if strings.Contains(home, "Numéro de compte") {
			t.Error("the candidate's home shows an account number")
		}
		id := appIDOf(t, path)
		c.post(path+"/submit", confirmed, http.StatusSeeOther)
		at := time.Now().Add(72 * time.Hour).Truncate(time.Minute)
		twelve := 12.0
		for _, d := range []certibloc.AdmissionDecision{{Kind: certibloc.DecideAdmissible}, {Kind: certibloc.ScheduleInterview, InterviewAt: &at, Place: "Dijon, salle B12"}} {
			d.Members = []string{"Michel GIRARD"}
			if _, err := db.Decide(ctx, []int64{id}, d); err != nil {
				t.Fatal(err)
			}
		}
		wantIn(t, "the home of a convocation", c.get("/app", http.StatusOK).Body.String(), "présentez-vous à l&#39;entretien le", "Dijon, salle B12")
		wantIn(t, "the tracker of a convocation", c.get(path, http.StatusOK).Body.String(), "Convocation : le", "Dijon, salle B12")
		for _, d := range []certibloc.AdmissionDecision{{Kind: certibloc.RecordInterview, Score: &twelve, TestScore: &twelve}, {Kind: certibloc.DecideAdmitted}} {
			d.Members = []string{"Michel GIRARD"}
			if _, err := db.Decide(ctx, []int64{id}, d); err != nil {
				t.Fatal(err)
			}
		}
		cohort := &certibloc.Cohort{School: ownSchool, CampaignID: camp.ID, Name: "Promotion L3 2027", Track: certibloc.OneYear,
			StartsOn: certibloc.DateOf(2027, 9, 6), EndsOn: certibloc.DateOf(2028, 7, 7), PlannedHours: 600, WeeklyHours: 35}
		if err := db.CreateCohort(ctx, cohort); err != nil {
			t.Fatal(err)
		}
		if err := db.Enrol(ctx, &certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: id, InternshipMonths: 6}); err != nil {
			t.Fatal(err)
		}
		home = c.get("/app", http.StatusOK).Body.String()
		wantIn(t, "the home of a learner", home, "Ma promotion", "Promotion L3 2027", "du 06/09/2027 au 07/07/2028",
			"600 heures de formation, 35 heures par semaine", "Formation initiale")
		wantIn(t, "the home in English", c.get("/app?lang=en", http.StatusOK).Body.String(), "My cohort", "600 hours of training, 35 hours a week")
		wantIn(t, "the tracker of a learner", c.get(path+"?lang=fr", http.StatusOK).Body.String(), "Inscription</strong> – étape franchie")
		_ = person
	})
}

func TestSignUpReportsEveryErrorAndImplausibleAges(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		c := admAnonymous(t, h)
		young := time.Now().AddDate(-14, 0, 0).Format("2006-01-02")
		form := url.Values{"birth_name": {"Petit"}, "birth_date": {young}, "email": {"pas-une-adresse"}, "level": {"neuf"},
			"ects": {"0"}, "experience_months": {"0"}}
		page := c.post("/signup", form, http.StatusBadRequest).Body.String()
		wantIn(t, "every error at once", page, `id="f-first_names-error"`, `id="f-email-error"`, `id="f-level-error"`,
			`id="f-birth_date-error"`, "un candidat a entre 15 et 100 ans")
		form.Set("birth_date", time.Now().AddDate(-101, 0, 0).Format("2006-01-02"))
		wantIn(t, "over 100", c.post("/signup", form, http.StatusBadRequest).Body.String(), "un candidat a entre 15 et 100 ans")

		// The link of a new account lasts a day, and says so.
		c.post("/signup", signupForm("lea.petit@example.org"), http.StatusOK)
		mails := outbox(t, db)
		if !strings.Contains(mails[0].Body, "dans les 24 heures") {
			t.Errorf("the sign-up link: %q", mails[0].Body)
		}
	})
}

func TestCandidateCorrectsContactDetails(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		person, c := admCandidate(t, h, db, "DURAND", 5, 0, 0)
		wantIn(t, "the form", c.get("/app/me/contact", http.StatusOK).Body.String(), `name="phone"`, `name="address"`,
			`value="`+person.Email+`"`)
		page := c.post("/app/me/contact", url.Values{"phone": {"appelez-moi"}, "address": {"1 rue"}, "email": {"non"}},
			http.StatusBadRequest).Body.String()
		wantIn(t, "wrong details", page, `id="f-phone-error"`, `id="f-email-error"`)
		c.post("/app/me/contact", url.Values{"phone": {"+33 6 12 34 56 78"}, "address": {"3 rue Berbisey, 21000 Dijon"},
			"email": {person.Email}}, http.StatusSeeOther)
		if p, _ := db.Person(ctx, person.ID); p.Phone != "+33 6 12 34 56 78" || p.Address != "3 rue Berbisey, 21000 Dijon" {
			t.Errorf("details saved: %+v", p)
		}
		// Another account's address: said so.
		taken := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}, Email: "pris@example.org"})
		_ = taken
		wantIn(t, "a taken address", c.post("/app/me/contact", url.Values{"email": {"pris@example.org"}}, http.StatusConflict).Body.String(),
			"déjà celle d&#39;un autre compte")
		// A new address, confirmed by its link.
		c.post("/app/me/contact", url.Values{"phone": {"+33 6 12 34 56 78"}, "address": {"3 rue Berbisey, 21000 Dijon"},
			"email": {"Camille.Durand@Nouveau.example"}}, http.StatusSeeOther)
		mails := outbox(t, db)
		link := regexp.MustCompile(`/app/me/email\?token=([A-Za-z0-9_-]+)`).FindStringSubmatch(mails[0].Body)
		if mails[0].To != "camille.durand@nouveau.example" || link == nil {
			t.Fatalf("the confirmation e-mail: %+v", mails[0])
		}
		if p, _ := db.Person(ctx, person.ID); p.Email != person.Email {
			t.Error("the address changed before its confirmation")
		}
		if _, err := db.AccountByEmail(ctx, "camille.durand@nouveau.example"); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("an account has the new address before its confirmation: %v", err)
		}
		wantIn(t, "the link's page", c.get(link[0], http.StatusOK).Body.String(), `action="/app/me/email"`, link[1])
		c.post("/app/me/email", url.Values{"token": {link[1]}}, http.StatusSeeOther)
		if acct, err := db.AccountByEmail(ctx, "camille.durand@nouveau.example"); err != nil || acct.PersonID != person.ID {
			t.Errorf("the account's address after the confirmation: %v %+v", err, acct)
		}
		if p, _ := db.Person(ctx, person.ID); p.Email != "camille.durand@nouveau.example" {
			t.Errorf("the person's address after the confirmation: %s", p.Email)
		}
		wantIn(t, "a link used twice", c.post("/app/me/email", url.Values{"token": {link[1]}}, http.StatusBadRequest).Body.String(),
			"Ce lien ne confirme aucune adresse")
	})
}

func TestAccommodationRequestReachesTheReferentOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		person, c := admCandidate(t, h, db, "DURAND", 5, 0, 0)
		disability := fmt.Sprintf("/app/people/%d/disability", person.ID)
		wantIn(t, "the candidate's page", c.get(disability, http.StatusOK).Body.String(), `action="/app/me/accommodation-requests"`)
		wantIn(t, "an empty request", c.post("/app/me/accommodation-requests", url.Values{"message": {" "}}, http.StatusBadRequest).Body.String(),
			"décrivez l&#39;aménagement")
		c.post("/app/me/accommodation-requests", url.Values{"message": {"Un tiers-temps pour les écrits"}}, http.StatusSeeOther)
		wantIn(t, "the candidate reads it again", c.get(disability+"?done=requested", http.StatusOK).Body.String(),
			"Votre demande est transmise", "Un tiers-temps pour les écrits")

		referent := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Referent, Schools: []string{ownSchool}})
		wantIn(t, "the referent's list", referent.get("/app/accommodation-requests", http.StatusOK).Body.String(),
			"Un tiers-temps pour les écrits", "DURAND", disability)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		staff.get("/app/accommodation-requests", http.StatusForbidden)
		staff.get(disability, http.StatusForbidden)
		_, other := admCandidate(t, h, db, "MOREAU", 5, 0, 0)
		other.get(disability, http.StatusForbidden)
		for _, m := range outbox(t, db) {
			if strings.Contains(m.Body, "tiers-temps") {
				t.Errorf("the request's text is in the outbox, which staff read: %+v", m)
			}
		}
	})
}

// outbox lists every e-mail, newest first.
func outbox(t *testing.T, db *sqldb.DB) []certibloc.Mail {
	t.Helper()
	list, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestCampaignChecklistThroughTheAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newE2E(t, db)
		camp := admCampaign(t, db, "Admissions API")
		url := fmt.Sprintf("/api/v1/campaigns/%d", camp.ID)
		var got certibloc.Campaign
		e.json(e.staff, "PATCH", url, "/api/v1/campaigns/{id}", `{"required_documents":["cv","transcript"]}`, 200, &got)
		if strings.Join(got.RequiredDocuments, ",") != "cv,transcript" {
			t.Errorf("checklist after PATCH: %v", got.RequiredDocuments)
		}
		body := e.json(e.staff, "PATCH", url, "/api/v1/campaigns/{id}", `{"required_documents":["passport"]}`, 400, nil)
		if !strings.Contains(string(body), `\"passport\" is not one of cv, diploma, transcript, other`) {
			t.Errorf("an unknown kind: %s", body)
		}
		e.json(e.staff, "GET", url, "/api/v1/campaigns/{id}", nil, 200, &got)
		if strings.Join(got.RequiredDocuments, ",") != "cv,transcript" {
			t.Errorf("the checklist read back: %v", got.RequiredDocuments)
		}
		// Staff see what an application lacks; the API refuses to submit it.
		person := &certibloc.Person{School: ownSchool, BirthName: "API", FirstNames: "Camille", Level: 5}
		ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
		if err := db.CreatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		a := &certibloc.Application{CampaignID: camp.ID, PersonID: person.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		if err := db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		var app certibloc.Application
		app0 := fmt.Sprintf("/api/v1/applications/%d", a.ID)
		e.json(e.staff, "GET", app0, "/api/v1/applications/{id}", nil, 200, &app)
		if strings.Join(app.MissingDocuments, ",") != "cv,transcript" {
			t.Errorf("missing_documents: %v", app.MissingDocuments)
		}
		body = e.json(e.staff, "POST", app0+"/submit", "/api/v1/applications/{id}/submit", nil, 400, nil)
		if !strings.Contains(string(body), "missing: cv, transcript") {
			t.Errorf("a submission through the API without the documents: %s", body)
		}
	})
}
