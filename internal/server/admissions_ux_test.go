package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestDraftDeletedSubmittedWithdrawnThenAppliedAgain is item 2 of issue
// 11: a draft is deleted with its documents (not withdrawn); a submitted
// application is withdrawn with an optional reason, kept in its history;
// and its candidate may apply again to the same campaign while it is open.
func TestDraftDeletedSubmittedWithdrawnThenAppliedAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		camp := admCampaign(t, db, "Admissions L3")
		person, c := admCandidate(t, h, db, "DURAND", 4, 0, 14)

		// A draft offers deletion, not withdrawal; unconfirmed, nothing goes.
		id, path := admDraft(t, c, camp)
		c.upload(path+"/documents", "cv", "cv.pdf", testDocument(t, "cv.pdf"), http.StatusSeeOther)
		page := c.get(path+"?lang=fr", http.StatusOK).Body.String()
		wantIn(t, "the draft", page, `action="`+path+`/delete"`, "Supprimer le brouillon", `class="danger"`)
		wantOut(t, "the draft", page, path+"/withdraw")
		c.post(path+"/withdraw", url.Values{"confirm": {"yes"}}, http.StatusConflict)
		wantIn(t, "a deletion unconfirmed", c.post(path+"/delete", url.Values{}, http.StatusBadRequest).Body.String(),
			`id="f-confirm-delete-error"`)
		loc := c.post(path+"/delete", url.Values{"confirm": {"yes"}}, http.StatusSeeOther).Header().Get("Location")
		if loc != "/app/applications?done=deleted" {
			t.Fatalf("deleting the draft led to %s", loc)
		}
		wantIn(t, "the list after deleting", c.get(loc, http.StatusOK).Body.String(), "Le brouillon et ses pièces sont supprimés")
		if _, err := db.Application(ctx, id); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Fatalf("the deleted draft is still there: %v", err)
		}
		c.get(path, http.StatusNotFound)

		// Submitted, it is withdrawn with a reason, which the history keeps.
		id, path = admDraft(t, c, camp)
		c.post(path+"/submit", confirmed, http.StatusSeeOther)
		page = c.get(path+"?lang=fr", http.StatusOK).Body.String()
		wantIn(t, "the submitted application", page, `action="`+path+`/withdraw"`, "Motif du retrait (facultatif)")
		wantOut(t, "the submitted application", page, path+"/delete")
		c.post(path+"/delete", url.Values{"confirm": {"yes"}}, http.StatusConflict)
		c.post(path+"/withdraw", url.Values{"confirm": {"yes"}, "reason": {"J'ai choisi une autre école."}}, http.StatusSeeOther)
		decisions, err := db.Decisions(ctx, id)
		if err != nil || len(decisions) == 0 {
			t.Fatalf("decisions %v, %v", decisions, err)
		}
		if last := decisions[len(decisions)-1]; last.Kind != certibloc.Withdraw || last.Reason != "J'ai choisi une autre école." {
			t.Errorf("the withdrawal recorded is %+v", last)
		}

		// The campaign is open again to its candidate.
		wantIn(t, "the list after withdrawing", c.get("/app/applications", http.StatusOK).Body.String(),
			"/app/applications/new?campaign="+strconv.FormatInt(camp.ID, 10))
		again, _ := admDraft(t, c, camp)
		if again == id {
			t.Fatal("applying again reused the withdrawn application")
		}
		if a, err := db.Application(ctx, id); err != nil || a.State != certibloc.Withdrawn || a.PersonID != person.ID {
			t.Errorf("the withdrawn application: %+v, %v", a, err)
		}
		// But not twice while one is live.
		form := url.Values{"campaign": {strconv.FormatInt(camp.ID, 10)}, "offer": {"one_year/initial"},
			"level": {"4"}, "ects": {"0"}, "experience_months": {"14"}}
		c.post("/app/applications", form, http.StatusBadRequest)
	})
}

// wantOut fails when a page says any of texts.
func wantOut(t *testing.T, what, page string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(page, s) {
			t.Errorf("%s says %q, and should not", what, s)
		}
	}
}

// TestInterviewInThePastRefused is part of item 7 of issue 11: a
// convocation to a past date is refused, field by field, and nothing is
// recorded.
func TestInterviewInThePastRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		p := newPipeline(t, db)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		path := "/app/applications/" + strconv.FormatInt(p.review.ID, 10)
		staff.post(path+"/decisions", url.Values{"kind": {"admissible"}, "members": {"Michel GIRARD"}}, http.StatusSeeOther)
		page := staff.post(path+"/decisions?lang=fr", url.Values{"kind": {"schedule_interview"}, "interview_at": {"2020-05-12T14:00"},
			"place": {"Salle 12"}}, http.StatusBadRequest).Body.String()
		wantIn(t, "a past interview", page, "ne peut avoir lieu dans le passé", `id="d-schedule_interview-interview_at-error"`)
		if a, err := db.Application(t.Context(), p.review.ID); err != nil || a.State != certibloc.Admissible {
			t.Errorf("the application after a refused convocation: %+v, %v", a, err)
		}
	})
}

// TestAdmissibleDespiteIneligibleAsksConfirmationAndReason is part of
// item 7 of issue 11: declaring admissible a candidate the entry rules
// found ineligible asks for a confirmation and a reason, kept with the
// decision; an eligible one asks for neither.
func TestAdmissibleDespiteIneligibleAsksConfirmationAndReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		p := newPipeline(t, db)
		ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
		person := &certibloc.Person{School: ownSchool, BirthName: "PETIT", FirstNames: "Alex", Email: "petit@example.org", Level: 3}
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
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		path := "/app/applications/" + strconv.FormatInt(a.ID, 10)
		wantIn(t, "an ineligible application", staff.get(path+"?lang=fr", http.StatusOK).Body.String(),
			"Candidat non éligible selon les conditions d&#39;accès", `name="override"`)
		form := url.Values{"kind": {"admissible"}, "members": {"Michel GIRARD"}}
		page := staff.post(path+"/decisions", form, http.StatusBadRequest).Body.String()
		wantIn(t, "admissible without confirmation", page, `id="d-admissible-override-error"`, `id="d-admissible-reason-error"`)
		form.Set("override", "yes")
		form.Set("reason", "Expérience jugée équivalente par la commission.")
		staff.post(path+"/decisions", form, http.StatusSeeOther)
		ds, err := db.Decisions(t.Context(), a.ID)
		if err != nil || len(ds) == 0 || ds[len(ds)-1].Kind != certibloc.DecideAdmissible ||
			ds[len(ds)-1].Reason != "Expérience jugée équivalente par la commission." {
			t.Fatalf("the decision kept: %+v, %v", ds, err)
		}
		// An eligible one, complete: no confirmation asked.
		eligible := "/app/applications/" + strconv.FormatInt(p.submitted.ID, 10)
		wantOut(t, "an eligible application", staff.get(eligible, http.StatusOK).Body.String(), `name="override"`)
		staff.post(eligible+"/decisions", url.Values{"kind": {"admissible"}, "members": {"Michel GIRARD"}}, http.StatusSeeOther)
	})
}
