package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAdmissionsEndToEnd runs a campaign of 50 applicants through the API
// on every path of the workflow, on SQLite and PostgreSQL: eligible, for
// the committee's review, not eligible, refused at admissibility and at
// admission, on the waiting list then admitted or refused, withdrawn,
// admitted and enrolled on each track in each mode; with documents, bad
// input refused and left without effect, decisions on lists, the
// candidates' e-mails and the counts per state.
func TestAdmissionsEndToEnd(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newE2E(t, db)
		campaign := e.campaign()
		people := e2eApplicants()
		for _, a := range people {
			e.apply(campaign, a)
		}
		e.badApplications(campaign, people)
		for _, a := range people {
			if a.fate != fDraft {
				e.submit(a)
			}
		}
		e.badDecisions(people)
		e.runCommissions(people)
		e.enrolAll(campaign, people)
		e.checkOutcome(campaign, people)
	})
}

func newE2E(t *testing.T, db *sqldb.DB) *e2e {
	t.Helper()
	e := &e2e{t: t, db: db, h: newSite(t, db), o: loadOpenAPI(t), today: db.Today()}
	for role, who := range map[string]*auth{"staff": &e.staff, "admin": &e.admin} {
		school := "DIIAGE"
		if role == "admin" {
			school = ""
		}
		secret, _, err := db.CreateToken(t.Context(), "e2e "+role, role, school)
		if err != nil {
			t.Fatal(err)
		}
		who.token = secret
	}
	return e
}

// campaign opens a campaign of DIIAGE, from a month ago to two months
// ahead, through the API.
func (e *e2e) campaign() *certibloc.Campaign {
	var c certibloc.Campaign
	e.json(e.staff, "POST", "/api/v1/campaigns", "/api/v1/campaigns", map[string]any{
		"school": "DIIAGE", "programme": defaultSlug(e.t), "year": e.today.Year(), "title": "Admissions e2e",
		"opens_on": e.days(-30), "closes_on": e.days(60), "options": []string{"RNCP38478BC04", "RNCP38478BC05"},
		"offers": []map[string]any{{"track": "one_year", "mode": "initial", "places": 10},
			{"track": "one_year", "mode": "apprenticeship", "places": 30},
			{"track": "three_year", "mode": "initial", "places": 30}, {"track": "three_year", "mode": "apprenticeship", "places": 30}},
	}, 201, &c)
	if c.Version != 1 || c.CertificationCode != "RNCP38478" || c.ClosesOn.String() != e.days(60) {
		e.t.Fatalf("campaign = %+v", c)
	}
	var list struct{ Campaigns []certibloc.Campaign }
	e.json(auth{}, "GET", "/api/v1/campaigns?open=true", "/api/v1/campaigns", nil, 200, &list)
	if len(list.Campaigns) != 1 || list.Campaigns[0].ID != c.ID {
		e.t.Fatalf("open campaigns = %+v", list.Campaigns)
	}
	return &c
}

// apply makes the applicant's person (staff, through the API), their
// application (themselves signed in on the web, or staff for them) and
// their documents.
func (e *e2e) apply(c *certibloc.Campaign, a *applicant) {
	var p certibloc.Person
	e.json(e.staff, "POST", "/api/v1/people", "/api/v1/people", map[string]any{"school": "DIIAGE",
		"birth_name": a.last, "first_names": a.first, "email": a.email, "level": a.level, "ects": a.ects,
		"experience_months": a.months}, 201, &p)
	a.person = p.ID
	in := map[string]any{"campaign_id": c.ID, "track": a.track, "mode": a.mode, "option": a.option}
	a.who = e.staff
	if a.self {
		a.who = e.candidateSession(p.ID, a.email)
	} else {
		in["person_id"] = p.ID
	}
	var app certibloc.Application
	e.json(a.who, "POST", "/api/v1/applications", "/api/v1/applications", in, 201, &app)
	if app.State != certibloc.Draft || app.PersonID != p.ID || app.School != "DIIAGE" || app.Name == "" {
		e.t.Fatalf("application of %s = %+v", a.last, app)
	}
	a.app = app.ID
	if a.self {
		e.upload(a.who, a.app, certibloc.DocCV, "CV "+a.first+".pdf", testDocument(e.t, "cv.pdf"), false, 201)
		e.upload(a.who, a.app, certibloc.DocDiploma, "diplome.png", testDocument(e.t, "diploma.png"), true, 201)
	} else {
		e.upload(a.who, a.app, certibloc.DocTranscript, "releve.jpg", testDocument(e.t, "transcript.jpg"), false, 201)
	}
}

// submit submits the applicant's draft and checks the verdict.
func (e *e2e) submit(a *applicant) {
	var app certibloc.Application
	url := fmt.Sprintf("/api/v1/applications/%d/submit", a.app)
	e.json(a.who, "POST", url, "/api/v1/applications/{id}/submit", nil, 200, &app)
	el := app.Eligibility
	if app.State != certibloc.Submitted || el == nil || el.Eligible != a.eligible() || el.CommitteeReview != a.committee() {
		e.t.Fatalf("%s submitted: %+v, verdict %+v; want eligible %v, committee %v", a.last, app, el, a.eligible(), a.committee())
	}
}

// decide takes one decision on a list of applicants (POST /api/v1/decisions),
// or on one (POST /api/v1/applications/{id}/decisions).
func (e *e2e) decide(who auth, d map[string]any, list ...*applicant) []certibloc.AdmissionDecision {
	e.t.Helper()
	if len(list) == 1 {
		var out certibloc.AdmissionDecision
		e.json(who, "POST", fmt.Sprintf("/api/v1/applications/%d/decisions", list[0].app), "/api/v1/applications/{id}/decisions", d, 201, &out)
		return []certibloc.AdmissionDecision{out}
	}
	var out struct{ Decisions []certibloc.AdmissionDecision }
	e.json(who, "POST", "/api/v1/decisions", "/api/v1/decisions", map[string]any{"applications": ids(list), "decision": d}, 201, &out)
	if len(out.Decisions) != len(list) {
		e.t.Fatalf("%d decisions for %d applications", len(out.Decisions), len(list))
	}
	return out.Decisions
}

var members = []string{"Michel GIRARD", "Claire MOREAU", "Emmanuel RUFFAT"}

// runCommissions takes every applicant as far as their fate says, by the
// workflow's steps, on lists where a commission decides on many.
func (e *e2e) runCommissions(people []*applicant) {
	past := func(fates ...fate) []*applicant { return with(people, fates...) }
	for _, a := range past(fWithdrawnSelf) {
		if d := e.decide(a.who, map[string]any{"kind": "withdraw"}, a); d[0].To != certibloc.Withdrawn {
			e.t.Fatalf("withdrawal = %+v", d[0])
		}
	}
	e.decide(e.staff, map[string]any{"kind": "not_admissible", "members": members,
		"reason": "Les conditions d'accès ne sont pas remplies"}, past(fNotAdmissible)...)
	e.decide(e.staff, map[string]any{"kind": "admissible", "members": members}, past(fWithdrawnStaff, fScheduled, fInterviewed,
		fRefused, fWaiting, fWaitAdmitted, fWaitRefused, fAdmitted, fEnrolled)...)
	e.decide(e.staff, map[string]any{"kind": "withdraw"}, past(fWithdrawnStaff)...)
	interviews := past(fScheduled, fInterviewed, fRefused, fWaiting, fWaitAdmitted, fWaitRefused, fAdmitted, fEnrolled)
	at := time.Now().Add(10 * 24 * time.Hour).Truncate(time.Hour)
	out := e.decide(e.staff, map[string]any{"kind": "schedule_interview", "interview_at": at, "place": "DIIAGE, Dijon, salle B12"}, interviews...)
	if out[0].InterviewAt == nil || !out[0].InterviewAt.Equal(at) || out[0].To != certibloc.InterviewScheduled {
		e.t.Fatalf("interview = %+v", out[0])
	}
	for i, a := range past(fInterviewed, fRefused, fWaiting, fWaitAdmitted, fWaitRefused, fAdmitted, fEnrolled) {
		score := 8 + float64(i%12)
		e.decide(e.staff, map[string]any{"kind": "interview", "interview_score": score, "test_score": score - 0.5}, a)
	}
	e.decide(e.staff, map[string]any{"kind": "admitted", "members": members}, past(fAdmitted, fEnrolled)...)
	e.decide(e.staff, map[string]any{"kind": "waiting_list", "members": members}, past(fWaiting, fWaitAdmitted, fWaitRefused)...)
	e.decide(e.staff, map[string]any{"kind": "refused", "members": members, "reason": "Tests techniques insuffisants"}, past(fRefused)...)
	e.decide(e.staff, map[string]any{"kind": "admitted", "members": members}, past(fWaitAdmitted)...)
	e.decide(e.staff, map[string]any{"kind": "refused", "members": members, "reason": "Plus de place disponible"}, past(fWaitRefused)...)
}

// enrolAll makes a cohort per track and enrols the admitted who are to be
// learners: initial training with its internship, apprentices with their
// employer, contract and tutor.
func (e *e2e) enrolAll(c *certibloc.Campaign, people []*applicant) {
	cohorts := map[string]int64{}
	for track, years := range map[string]int{"one_year": 1, "three_year": 3} {
		var co certibloc.Cohort
		e.json(e.staff, "POST", "/api/v1/cohorts", "/api/v1/cohorts", map[string]any{"school": "DIIAGE", "campaign_id": c.ID,
			"name": "DIIAGE " + track, "track": track, "starts_on": e.days(90), "ends_on": e.days(90 + 365*years - 1),
			"planned_hours": 600 * years, "weekly_hours": 35}, 201, &co)
		cohorts[track] = co.ID
	}
	for i, a := range with(people, fEnrolled) {
		in := map[string]any{"cohort_id": cohorts[a.track], "application_id": a.app}
		if a.mode == "initial" {
			in["internship_months"] = 6
		} else {
			in["employer"], in["employer_siret"], in["tutor"] = fmt.Sprint("Entreprise ", i), "73282932000074", "Paul DURAND"
			in["tutor_email"], in["contract_start"], in["contract_end"] = "p.durand@example.com", e.days(85), e.days(85+364)
		}
		var en certibloc.Enrolment
		e.json(e.staff, "POST", "/api/v1/enrolments", "/api/v1/enrolments", in, 201, &en)
		if string(en.Track) != a.track || string(en.Mode) != a.mode || en.Option != a.option || en.Version != 1 || en.PersonID != a.person {
			e.t.Errorf("enrolment of %s = %+v", a.last, en)
		}
	}
	for track, want := range map[string]int{"one_year": 12, "three_year": 6} {
		var list struct {
			Cohort     certibloc.Cohort
			Enrolments []certibloc.Enrolment
		}
		e.json(e.staff, "GET", fmt.Sprint("/api/v1/enrolments?cohort=", cohorts[track]), "/api/v1/enrolments", nil, 200, &list)
		if len(list.Enrolments) != want || list.Cohort.Learners != want || list.Enrolments[0].Name == "" {
			e.t.Errorf("cohort %s: %d learners (%d counted), want %d", track, len(list.Enrolments), list.Cohort.Learners, want)
		}
	}
}

// ids are the applications of applicants.
func ids(list []*applicant) []int64 {
	out := make([]int64, len(list))
	for i, a := range list {
		out[i] = a.app
	}
	return out
}

// mentions reports whether text holds every one of words.
func mentions(text string, words ...string) bool {
	for _, w := range words {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}
