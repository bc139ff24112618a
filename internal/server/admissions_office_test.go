package server_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// The admissions office's side of issue 11 (items 7 to 10), through the
// pages as staff use them.

// withDocuments gives a draft the documents every campaign requires (a
// CV and a diploma).
func withDocuments(t *testing.T, db *sqldb.DB, id int64) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	if _, err := db.AddDocument(ctx, id, certibloc.DocCV, "cv.pdf", testDocument(t, "cv.pdf")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddDocument(ctx, id, certibloc.DocDiploma, "diploma.png", testDocument(t, "diploma.png")); err != nil {
		t.Fatal(err)
	}
}

func appPath(id int64) string { return "/app/applications/" + strconv.FormatInt(id, 10) }

// TestAdmissibleWithDocumentsMissingAsksConfirmation: declaring admissible
// an application that lacks a required document asks for a confirmation
// and a reason, one by one and for a list; a complete one asks for
// neither. The pipeline says which documents are missing.
func TestAdmissibleWithDocumentsMissingAsksConfirmation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		p := newPipeline(t, db) // its submitted applications are complete
		ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
		bare := func(name string) *certibloc.Application {
			person := &certibloc.Person{School: ownSchool, BirthName: name, FirstNames: "Sacha", Email: strings.ToLower(name) + "@example.org", Level: 5}
			if err := db.CreatePerson(ctx, person); err != nil {
				t.Fatal(err)
			}
			a := &certibloc.Application{CampaignID: p.campaign.ID, PersonID: person.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
			if err := db.CreateApplication(ctx, a); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
				t.Fatal(err)
			}
			return a
		}
		missing, other := bare("MARCHAND"), bare("ROLLAND")
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		base := "/app/campaigns/" + strconv.FormatInt(p.campaign.ID, 10)
		wantIn(t, "the pipeline", staff.get(base+"?lang=fr", http.StatusOK).Body.String(),
			"<th scope=\"col\">Pièces</th>", "Manque : CV, Diplôme", "Complet", "0 admis sur 100 places")

		path := appPath(missing.ID)
		page := staff.get(path, http.StatusOK).Body.String()
		wantIn(t, "an application without documents", page, "Pièces obligatoires manquantes : CV, Diplôme", `name="override"`,
			"Je confirme le déclarer admissible malgré les pièces manquantes")
		form := url.Values{"kind": {"admissible"}, "members": {"Michel GIRARD"}}
		page = staff.post(path+"/decisions", form, http.StatusBadRequest).Body.String()
		wantIn(t, "admissible without confirmation", page, `id="d-admissible-override-error"`, `id="d-admissible-reason-error"`,
			"des pièces obligatoires manquent au dossier")
		if a, _ := db.Application(t.Context(), missing.ID); a.State != certibloc.Submitted {
			t.Fatalf("an unconfirmed decision was taken: %s", a.State)
		}
		form.Set("override", "yes")
		form.Set("reason", "Diplôme promis pour la rentrée.")
		staff.post(path+"/decisions", form, http.StatusSeeOther)

		complete := appPath(p.second.ID)
		wantOut(t, "a complete application", staff.get(complete, http.StatusOK).Body.String(), `name="override"`)

		// For a list: the names and what is missing, then the confirmation.
		bulk := url.Values{"id": {strconv.FormatInt(other.ID, 10), strconv.FormatInt(p.second.ID, 10)},
			"kind": {"admissible"}, "members": {"Michel GIRARD"}}
		page = staff.post(base+"/decisions", bulk, http.StatusBadRequest).Body.String()
		wantIn(t, "a list with documents missing", page, `id="bulk-override-error"`, "Sacha ROLLAND (Manque : CV, Diplôme)",
			`id="bulk-reason-error"`)
		wantOut(t, "a list with documents missing", page, "Sacha FAURE (")
		bulk.Set("override", "yes")
		bulk.Set("reason", "Pièces attendues")
		staff.post(base+"/decisions", bulk, http.StatusSeeOther)
		for _, a := range []*certibloc.Application{other, p.second} {
			if got, _ := db.Application(t.Context(), a.ID); got.State != certibloc.Admissible {
				t.Errorf("application %d is %s", a.ID, got.State)
			}
		}
	})
}

// TestCorrectedDecisionPage: staff correct the last decision with a reason
// and a confirmation; the old one stays in the history, on staff's page
// and the candidate's, and the candidate is told by e-mail.
func TestCorrectedDecisionPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		camp := admCampaign(t, db, "Admissions corrigées")
		_, cand := admCandidate(t, h, db, "VIDAL", 5, 0, 0)
		id, path := admDraft(t, cand, camp)
		withDocuments(t, db, id)
		cand.post(path+"/submit", url.Values{}, http.StatusSeeOther)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		staff.post(path+"/decisions?lang=fr", url.Values{"kind": {"not_admissible"}, "members": {"Michel GIRARD\nJeanne MARTIN"},
			"reason": {"Niveau insuffisant"}}, http.StatusSeeOther)
		ds, _ := db.Decisions(t.Context(), id)
		last := strconv.FormatInt(ds[len(ds)-1].ID, 10)
		page := staff.get(path, http.StatusOK).Body.String()
		wantIn(t, "the corrections form", page, "Corriger la dernière décision", `action="`+path+`/corrections"`,
			`value="admissible"`, "Michel GIRARD\nJeanne MARTIN</textarea>")

		form := url.Values{"decision": {last}, "kind": {"admissible"}}
		page = staff.post(path+"/corrections", form, http.StatusBadRequest).Body.String()
		wantIn(t, "a correction without reason", page, `id="corr-reason-error"`, `id="corr-confirm-error"`)
		form.Set("reason", "Diplôme de niveau 5 reconnu après vérification.")
		form.Set("confirm", "yes")
		staff.post(path+"/corrections", form, http.StatusSeeOther)
		if a, _ := db.Application(t.Context(), id); a.State != certibloc.Admissible {
			t.Fatalf("the corrected application is %s", a.State)
		}
		// A stale form (the decision corrected already) is refused.
		staff.post(path+"/corrections", form, http.StatusConflict)

		for who, c := range map[string]*admClient{"staff": staff, "the candidate": cand} {
			page := c.get(path+"?lang=fr", http.StatusOK).Body.String()
			wantIn(t, who+"'s history", page, "Non admissible (commission d&#39;admissibilité)", "Niveau insuffisant",
				`<span class="flag">correction</span>`, "Diplôme de niveau 5 reconnu après vérification.")
		}
		mails, _ := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
		told := false
		for _, m := range mails {
			told = told || strings.Contains(m.Subject, "Correction de la décision") && strings.Contains(m.Body, "vous êtes désormais admissible")
		}
		if !told {
			t.Error("the candidate was not told of the correction")
		}
	})
}

// TestOfficeNotesNeighboursMembersExports: internal notes are staff's
// only and audited; the page links the files before and after; the
// commission's members are remembered for the visit; the exports carry
// e-mail, phone and scores; the commissions' record lists each sitting.
func TestOfficeNotesNeighboursMembersExports(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		camp := admCampaign(t, db, "Admissions notées")
		_, cand := admCandidate(t, h, db, "NOTE", 5, 0, 0)
		id, path := admDraft(t, cand, camp)
		withDocuments(t, db, id)
		cand.post(path+"/submit", url.Values{}, http.StatusSeeOther)
		ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
		var others []int64
		for _, name := range []string{"AUBERT", "ZELLER"} { // around NOTE in the order of names
			person := &certibloc.Person{School: ownSchool, BirthName: name, FirstNames: "Sacha", Email: strings.ToLower(name) + "@example.org",
				Phone: "06 11 22 33 44", Level: 5}
			if err := db.CreatePerson(ctx, person); err != nil {
				t.Fatal(err)
			}
			a := &certibloc.Application{CampaignID: camp.ID, PersonID: person.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
			if err := db.CreateApplication(ctx, a); err != nil {
				t.Fatal(err)
			}
			withDocuments(t, db, a.ID)
			if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
				t.Fatal(err)
			}
			others = append(others, a.ID)
		}
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		page := staff.get(path+"?lang=fr", http.StatusOK).Body.String()
		wantIn(t, "the neighbours", page, `href="`+appPath(others[0])+`" rel="prev"`, `href="`+appPath(others[1])+`" rel="next"`)

		staff.post(path+"/notes", url.Values{"body": {""}}, http.StatusBadRequest)
		staff.post(path+"/notes", url.Values{"body": {"Candidat à rappeler : pièce d'identité floue."}}, http.StatusSeeOther)
		wantIn(t, "staff's page", staff.get(path, http.StatusOK).Body.String(), "Candidat à rappeler : pièce d&#39;identité floue.")
		wantOut(t, "the candidate's page", cand.get(path, http.StatusOK).Body.String(), "rappeler", "Notes internes")
		cand.post(path+"/notes", url.Values{"body": {"moi"}}, http.StatusForbidden)
		trail, err := db.AuditTrail(t.Context(), "application", strconv.FormatInt(id, 10))
		if err != nil {
			t.Fatal(err)
		}
		noted := false
		for _, e := range trail {
			noted = noted || e.Action == "application.note" && !strings.Contains(string(e.Data), "rappeler")
		}
		if !noted {
			t.Error("the note is not in the audit trail, or its text is")
		}

		// The members given once fill the next commission's form.
		staff.post(path+"/decisions", url.Values{"kind": {"admissible"}, "members": {"Michel GIRARD\r\nJeanne MARTIN"}}, http.StatusSeeOther)
		wantIn(t, "the next application", staff.get(appPath(others[0]), http.StatusOK).Body.String(),
			">Michel GIRARD\nJeanne MARTIN</textarea>")
		wantIn(t, "the pipeline", staff.get("/app/campaigns/"+strconv.FormatInt(camp.ID, 10), http.StatusOK).Body.String(),
			">Michel GIRARD\nJeanne MARTIN</textarea>")

		// Scores in the exports.
		at := time.Now().Add(72 * time.Hour)
		score, tests := 14.5, 12.0
		for _, d := range []certibloc.AdmissionDecision{{Kind: certibloc.ScheduleInterview, InterviewAt: &at, Place: "Salle 12"},
			{Kind: certibloc.RecordInterview, Score: &score, TestScore: &tests},
			{Kind: certibloc.DecideAdmitted, Members: []string{"Michel GIRARD"}}} {
			if _, err := db.Decide(ctx, []int64{id}, d); err != nil {
				t.Fatal(err)
			}
		}
		base := "/app/campaigns/" + strconv.FormatInt(camp.ID, 10)
		csv := staff.get(base+"/export.csv", http.StatusOK).Body.String()
		wantIn(t, "the CSV export", csv, ";Courriel;Téléphone;", "Note d'entretien (/20);Note des tests techniques (/20)",
			"aubert@example.org;06 11 22 33 44", ";14,5;12;")
		xlsx := staff.get(base+"/export.xlsx", http.StatusOK).Body.Bytes()
		z, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range z.File {
			if f.Name == "xl/worksheets/sheet1.xml" {
				r, _ := f.Open()
				sheet, _ := io.ReadAll(r)
				wantIn(t, "the XLSX sheet", string(sheet), "<v>14.5</v>", "zeller@example.org", `<autoFilter ref="A1:O4"/>`)
			}
		}
		wantIn(t, "the pipeline", staff.get(base+"?lang=fr", http.StatusOK).Body.String(), "1 admis sur 100 places")

		// The commissions' record, to print.
		page = staff.get(base+"/commissions?lang=fr", http.StatusOK).Body.String()
		wantIn(t, "the record", page, "Commission d&#39;admissibilité du ", "Commission d&#39;admission du ",
			"Michel GIRARD, Jeanne MARTIN", "Entretien : 14,5/20", `class="record"`)
		css, err := os.ReadFile("../web/static/style.css")
		if err != nil {
			t.Fatal(err)
		}
		wantIn(t, "the print stylesheet", string(css), ".record section + section { break-before: page; }",
			"body > header, body > footer, .noprint")
		staff.get(base+"/commissions?lang=en", http.StatusOK)
	})
}

// TestAgendaPages: staff create slots (a past time refused), see them by
// day, give one to an admissible candidate, who is convened with an .ics,
// and cannot give it twice.
func TestAgendaPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		p := newPipeline(t, db)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		agenda := "/app/campaigns/" + strconv.FormatInt(p.campaign.ID, 10) + "/agenda"
		past := url.Values{"date": {"2020-05-12"}, "time": {"09:00"}, "minutes": {"30"}, "count": {"2"}, "place": {"Salle 12"}}
		wantIn(t, "a slot in the past", staff.post(agenda+"?lang=fr", past, http.StatusBadRequest).Body.String(),
			`id="slot-time-error"`, "un entretien ne peut avoir lieu dans le passé")
		day := time.Now().AddDate(0, 0, 10).Format("2006-01-02")
		form := url.Values{"date": {day}, "time": {"09:00"}, "minutes": {"30"}, "count": {"3"}, "place": {"Salle 12"},
			"visio_url": {"http://insecure.example"}}
		wantIn(t, "an http link", staff.post(agenda, form, http.StatusBadRequest).Body.String(), `id="slot-visio_url-error"`)
		form.Set("visio_url", "https://visio.example.org/b12")
		loc := staff.post(agenda, form, http.StatusSeeOther).Header().Get("Location")
		page := staff.get(loc, http.StatusOK).Body.String()
		wantIn(t, "the day", page, "<th scope=\"row\">09:00</th>", "<th scope=\"row\">09:30</th>", "<th scope=\"row\">10:00</th>",
			"créneaux : 3 ; libres : 3", "Sacha GIRAUD – Admissible", `class="scroll" role="region"`)
		slots, err := db.Slots(t.Context(), p.campaign.ID, time.Time{}, time.Time{})
		if err != nil || len(slots) != 3 {
			t.Fatalf("slots %+v, %v", slots, err)
		}
		assign := fmt.Sprintf("%s/%d/assign", agenda, slots[0].ID)
		staff.post(assign, url.Values{"application": {strconv.FormatInt(p.admissible.ID, 10)}}, http.StatusSeeOther)
		page = staff.get(agenda+"?day="+day, http.StatusOK).Body.String()
		wantIn(t, "the day after", page, `<a href="`+appPath(p.admissible.ID)+`">Sacha GIRAUD</a>`, "créneaux : 3 ; libres : 2")
		if a, _ := db.Application(t.Context(), p.admissible.ID); a.State != certibloc.InterviewScheduled {
			t.Errorf("the convened application is %s", a.State)
		}
		mails, _ := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
		var convocation certibloc.Mail
		for _, m := range mails {
			if m.To == "giraud@example.org" && strings.Contains(m.Subject, "Convocation") {
				convocation, _ = db.OutboxMail(t.Context(), m.ID)
				break
			}
		}
		if len(convocation.Attachments) != 1 || !strings.Contains(string(convocation.Attachments[0].Data), "LOCATION:Salle 12 – https://visio.example.org/b12") {
			t.Errorf("the convocation: %+v", convocation)
		}
		// The slot is taken; a submitted candidate is not admissible yet.
		staff.post(assign, url.Values{"application": {strconv.FormatInt(p.second.ID, 10)}}, http.StatusConflict)
		other := fmt.Sprintf("%s/%d/assign", agenda, slots[1].ID)
		staff.post(other, url.Values{"application": {strconv.FormatInt(p.second.ID, 10)}}, http.StatusConflict)
		staff.post(fmt.Sprintf("%s/%d/delete", agenda, slots[2].ID), url.Values{}, http.StatusSeeOther)
		staff.post(fmt.Sprintf("%s/%d/delete", agenda, slots[0].ID), url.Values{}, http.StatusConflict)
		staff.get(agenda+"?lang=en", http.StatusOK)
	})
}

// TestBulkEnrolmentPage: the admitted ticked are enrolled at once after a
// confirmation, and the page reports who was and who was not, and why.
func TestBulkEnrolmentPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		camp := admCampaign(t, db, "Admissions en bloc")
		ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
		var ids []int64
		for i, name := range []string{"ANDRE", "BLANC", "CARON"} {
			person := &certibloc.Person{School: ownSchool, BirthName: name, FirstNames: "Lou", Email: strings.ToLower(name) + "@example.org", Level: 5}
			if err := db.CreatePerson(ctx, person); err != nil {
				t.Fatal(err)
			}
			mode := certibloc.Initial
			if i == 2 {
				mode = certibloc.Apprenticeship
			}
			a := &certibloc.Application{CampaignID: camp.ID, PersonID: person.ID, Track: certibloc.OneYear, Mode: mode}
			if err := db.CreateApplication(ctx, a); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
				t.Fatal(err)
			}
			at := time.Now().Add(72 * time.Hour)
			twelve := 12.0
			for _, d := range []certibloc.AdmissionDecision{{Kind: certibloc.DecideAdmissible, Members: []string{"M"}},
				{Kind: certibloc.ScheduleInterview, InterviewAt: &at, Place: "Salle"},
				{Kind: certibloc.RecordInterview, Score: &twelve, TestScore: &twelve},
				{Kind: certibloc.DecideAdmitted, Members: []string{"M"}}} {
				if _, err := db.Decide(ctx, []int64{a.ID}, d); err != nil {
					t.Fatal(err)
				}
			}
			ids = append(ids, a.ID)
		}
		cohort := &certibloc.Cohort{School: ownSchool, CampaignID: camp.ID, Name: "Promotion en bloc", Track: certibloc.OneYear,
			StartsOn: daysFromNow(90), EndsOn: daysFromNow(455), PlannedHours: 600, WeeklyHours: 35}
		if err := db.CreateCohort(ctx, cohort); err != nil {
			t.Fatal(err)
		}
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		path := "/app/cohorts/" + strconv.FormatInt(cohort.ID, 10)
		wantIn(t, "the cohort", staff.get(path+"?lang=fr", http.StatusOK).Body.String(), "Inscrire plusieurs candidats admis",
			"Lou CARON – Cursus de formation en 1 an – Apprentissage (apprentissage : à inscrire seul)")
		form := url.Values{"application": {strconv.FormatInt(ids[0], 10), strconv.FormatInt(ids[1], 10), strconv.FormatInt(ids[2], 10)},
			"internship_months": {"6"}}
		wantIn(t, "unconfirmed", staff.post(path+"/enrolments/bulk", form, http.StatusBadRequest).Body.String(), `id="bulk-confirm-error"`)
		if a, _ := db.Application(t.Context(), ids[0]); a.State != certibloc.Admitted {
			t.Fatalf("an unconfirmed enrolment enrolled: %s", a.State)
		}
		form.Set("confirm", "yes")
		page := staff.post(path+"/enrolments/bulk", form, http.StatusOK).Body.String()
		wantIn(t, "the report", page, "Compte rendu des inscriptions", "Inscrits : 2", "<li>Lou ANDRE</li>", "<li>Lou BLANC</li>",
			"Non inscrits : 1", "Lou CARON : apprenti : à inscrire seul")
		for i, want := range []certibloc.State{certibloc.Enrolled, certibloc.Enrolled, certibloc.Admitted} {
			if a, _ := db.Application(t.Context(), ids[i]); a.State != want {
				t.Errorf("application %d is %s, want %s", ids[i], a.State, want)
			}
		}
	})
}
