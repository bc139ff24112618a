package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// kindRE finds a decision offered: a form's hidden kind, or a choice.
var kindRE = regexp.MustCompile(`name="kind" value="([a-z_]+)"`)

// correctionRE finds the form correcting the last decision.
var correctionRE = regexp.MustCompile(`(?s)<form[^>]*/corrections".*?</form>`)

// decisionForms finds the decisions an application's page offers.
func decisionForms(page string) []string {
	page = correctionRE.ReplaceAllString(page, "") // a correction's kinds are not the next decisions
	var kinds []string
	for _, m := range kindRE.FindAllStringSubmatch(page, -1) {
		kinds = append(kinds, m[1])
	}
	return kinds
}

func TestApplicationPageOffersTheNextDecisionsOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		p := newPipeline(t, db)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		path := "/app/applications/" + strconv.FormatInt(p.review.ID, 10)
		decide := func(form url.Values, want int) string {
			t.Helper()
			return staff.post(path+"/decisions", form, want).Body.String()
		}
		steps := []struct {
			offered string
			refused url.Values // a decision the page must refuse, and what it says
			says    string
			take    url.Values
		}{
			{"admissible not_admissible withdraw",
				url.Values{"kind": {"schedule_interview"}, "interview_at": {"2031-05-12T14:00"}, "place": {"Salle 12"}},
				"une étape manquerait",
				url.Values{"kind": {"admissible"}, "members": {"Michel GIRARD\nJeanne MARTIN"}}},
			{"schedule_interview withdraw",
				url.Values{"kind": {"schedule_interview"}, "interview_at": {"demain"}, "place": {""}},
				`id="d-schedule_interview-interview_at-error"`,
				url.Values{"kind": {"schedule_interview"}, "interview_at": {"2031-05-12T14:00"}, "place": {"Salle 12, Dijon"}}},
			{"schedule_interview interview withdraw",
				url.Values{"kind": {"interview"}, "score": {"14,5"}, "test_score": {"21"}},
				"saisissez une note entre 0 et 20",
				url.Values{"kind": {"interview"}, "score": {"14,5"}, "test_score": {"12"}}},
			{"admitted waiting_list refused withdraw",
				url.Values{"kind": {"refused"}, "members": {"Michel GIRARD"}},
				"donnez le motif de cet avis défavorable",
				url.Values{"kind": {"admitted"}, "members": {"Michel GIRARD"}}},
		}
		for i, st := range steps {
			page := staff.get(path, http.StatusOK).Body.String()
			if got := strings.Join(decisionForms(page), " "); got != st.offered {
				t.Errorf("step %d: the page offers %q, want %q", i, got, st.offered)
			}
			wantIn(t, "a refused decision", decide(st.refused, http.StatusBadRequest), st.says, "Le formulaire comporte des erreurs")
			decide(st.take, http.StatusSeeOther)
		}
		page := staff.get(path+"?done=decided", http.StatusOK).Body.String()
		wantIn(t, "the history", page, "La décision est enregistrée", "Admis (commission d&#39;admission)",
			"Michel GIRARD, Jeanne MARTIN", "Entretien le 12/05/2031 14:00 – Salle 12, Dijon",
			"Entretien : 14,5/20 ; tests techniques : 12/20", "par staff.", "@adm.example", "/app/cohorts")
		if got := decisionForms(page); strings.Join(got, " ") != "withdraw" {
			t.Errorf("an admitted application offers %v", got)
		}
		if a, _ := db.Application(ctx, p.review.ID); a.State != certibloc.Admitted {
			t.Errorf("state %s, want admitted", a.State)
		}

		// The candidate reads the decisions and their reasons, not who sat.
		cand := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Candidate, PersonID: p.review.PersonID})
		page = cand.get(path, http.StatusOK).Body.String()
		wantIn(t, "the candidate's page", page, "Admis (commission d&#39;admission)", "Entretien le 12/05/2031 14:00")
		if strings.Contains(page, "Jeanne MARTIN") || strings.Contains(page, "@adm.example") || len(decisionForms(page)) > 0 {
			t.Errorf("the candidate sees the commission or decision forms:\n%s", page)
		}
		cand.post(path+"/decisions", url.Values{"kind": {"withdraw"}}, http.StatusForbidden)
	})
}

func TestCampaignCohortAndEnrolmentForms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		page := staff.get("/app/campaigns", http.StatusOK).Body.String()
		wantIn(t, "the campaign form", page, `-07-01"`, `name="places_one_year_initial"`, `name="options" value="RNCP38478BC04"`)
		form := url.Values{"programme": {defaultSlug(t)}, "year": {"2031"}, "opens_on": {"2030-11-02"}}
		wantIn(t, "a campaign without places", staff.post("/app/campaigns", form, http.StatusBadRequest).Body.String(),
			"offrez des places sur au moins un cursus")
		form.Set("places_one_year_apprenticeship", "24")
		form["options"] = []string{"RNCP38478BC05", "RNCP38478BC06"}
		loc := staff.post("/app/campaigns", form, http.StatusSeeOther).Header().Get("Location")
		id, _ := strconv.ParseInt(strings.TrimPrefix(strings.TrimSuffix(loc, "?done=created"), "/app/campaigns/"), 10, 64)
		c, err := db.Campaign(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.ClosesOn.String() != "2031-07-01" || len(c.Offers) != 1 || c.Offers[0].Places != 24 ||
			strings.Join(c.Options, " ") != "RNCP38478BC05 RNCP38478BC06" || !strings.Contains(c.Title, "2031") {
			t.Errorf("campaign %+v", c)
		}

		// A cohort of an open campaign, and an apprentice enrolled in it.
		p := newPipeline(t, db)
		cform := url.Values{"campaign": {strconv.FormatInt(p.campaign.ID, 10)}, "name": {"DIIAGE L3 2027"},
			"track": {"one_year"}, "starts_on": {"2027-09-01"}, "ends_on": {"2027-06-30"}, "planned_hours": {"600"},
			"weekly_hours": {"35"}}
		wantIn(t, "a cohort that ends before it starts", staff.post("/app/cohorts", cform, http.StatusBadRequest).Body.String(),
			"la fin ne peut précéder le début", `id="f-ends_on-error"`)
		cform.Set("ends_on", "2028-06-30")
		loc = staff.post("/app/cohorts", cform, http.StatusSeeOther).Header().Get("Location")
		cohort := strings.TrimSuffix(loc, "?done=created")
		wantIn(t, "the cohort", staff.get(cohort, http.StatusOK).Body.String(), "600 h", "35 h",
			"Aucun candidat admis sur ce cursus")

		sctx := certibloc.WithPrincipal(ctx, admStaff(t))
		if err := db.UpdateApplication(sctx, &certibloc.Application{ID: p.draft.ID, Track: certibloc.OneYear,
			Mode: certibloc.Apprenticeship}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitApplication(sctx, p.draft.ID, db.Today()); err != nil {
			t.Fatal(err)
		}
		twelve, at := 12.0, time.Now().Add(time.Hour)
		for _, d := range []certibloc.AdmissionDecision{
			{Kind: certibloc.DecideAdmissible, Members: []string{"M. GIRARD"}},
			{Kind: certibloc.ScheduleInterview, InterviewAt: &at, Place: "Dijon"},
			{Kind: certibloc.RecordInterview, Score: &twelve, TestScore: &twelve},
			{Kind: certibloc.DecideAdmitted, Members: []string{"M. GIRARD"}},
		} {
			if _, err := db.Decide(sctx, []int64{p.draft.ID}, d); err != nil {
				t.Fatal(err)
			}
		}
		eform := url.Values{"application": {strconv.FormatInt(p.draft.ID, 10)}, "employer": {""},
			"employer_siret": {"123"}, "contract_start": {"2027-09-01"}, "contract_end": {"2027-08-31"}}
		page = staff.post(cohort+"/enrolments", eform, http.StatusBadRequest).Body.String()
		wantIn(t, "an apprenticeship without its fields", page, `id="f-employer-error"`, `id="f-tutor-error"`,
			"le SIRET compte 14 chiffres", "la fin du contrat ne peut précéder son début")
		eform = url.Values{"application": {strconv.FormatInt(p.draft.ID, 10)}, "employer": {"Acme SAS"},
			"employer_siret": {"732 829 320 00074"}, "contract_start": {"2027-09-01"}, "contract_end": {"2028-08-31"},
			"tutor": {"Jean Dupont"}, "tutor_email": {"jean.dupont@acme.example"}}
		staff.post(cohort+"/enrolments", eform, http.StatusSeeOther)
		wantIn(t, "the learners", staff.get(cohort+"?done=enrolled", http.StatusOK).Body.String(), "Sacha BLANC",
			"Acme SAS, contrat du 01/09/2027 au 31/08/2028, maître d&#39;apprentissage : Jean Dupont", "Apprentissage")
		if got, _ := db.Application(ctx, p.draft.ID); got.State != certibloc.Enrolled {
			t.Errorf("the application is %s, want enrolled", got.State)
		}
		if mails, _ := db.Outbox(ctx, sqldb.OutboxFilter{All: true, Limit: 1}); len(mails) != 1 ||
			mails[0].To != "blanc@example.org" || !strings.Contains(mails[0].Subject, "inscription est confirmée") {
			t.Errorf("the learner is not told of their enrolment: %+v", mails)
		}
	})
}
