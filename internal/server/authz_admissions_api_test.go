package server_test

import (
	"fmt"
	"maps"
	"os"

	"github.com/certibloc/certibloc"
)

// The admission routes of the API in the authorisation matrix. The
// matrix calls them with API tokens: a candidate's token stands for no
// person, so it reaches no application (candidates use these routes
// signed in on the web: admissions_e2e_test.go). Records come from the
// matrix's admission helpers (admissions_matrix_test.go), of ownSchool.

func init() { maps.Copy(apiMatrix, admissionsAPIMatrix) }

const admissionStaff = "admin staff"

// applicationPath is a path about a new application of a new person of
// ownSchool taken through steps: "/api/v1/applications/%d…".
func applicationPath(format string, steps ...certibloc.DecisionKind) func(m *matrix) (string, string) {
	return func(m *matrix) (string, string) {
		return fmt.Sprintf(format, m.application(m.newPerson(ownSchool), steps...).ID), ""
	}
}

var interviewed = []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.RecordInterview}

var admissionsAPIMatrix = map[string]matrixRoute{
	// Campaigns are public; staff who manage admissions create them and
	// read their counts in their schools.
	"GET /api/v1/campaigns": {call: path("/api/v1/campaigns?open=true"), ok: 200, own: everyone},
	"GET /api/v1/campaigns/{id}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
		return fmt.Sprint("/api/v1/campaigns/", m.campaign().ID), ""
	}},
	"POST /api/v1/campaigns": {ok: 201, own: admissionStaff, other: "admin", scoped: true, call: func(m *matrix) (string, string) {
		return "/api/v1/campaigns", fmt.Sprintf(`{"school":"DIIAGE","certification_code":"RNCP38478","year":2031,"title":"Campagne %d",
			"opens_on":"2031-01-02","offers":[{"track":"one_year","mode":"initial","places":20}]}`, m.unique())
	}},
	"GET /api/v1/campaigns/{id}/counts": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/api/v1/campaigns/%d/counts", m.campaign().ID), ""
		}},

	// Applications: staff of the school and the admin; a candidate only
	// signed in on the web, so never with a token; other roles never.
	"GET /api/v1/applications": {call: path("/api/v1/applications?state=submitted"), ok: 200, own: admissionStaff},
	"POST /api/v1/applications": {ok: 201, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return "/api/v1/applications", fmt.Sprintf(`{"campaign_id":%d,"person_id":%d,"track":"one_year","mode":"initial"}`,
				m.campaign().ID, m.newPerson(ownSchool))
		}},
	"GET /api/v1/applications/{id}": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: applicationPath("/api/v1/applications/%d")},
	"PUT /api/v1/applications/{id}": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			p, _ := applicationPath("/api/v1/applications/%d")(m)
			return p, `{"track":"one_year","mode":"apprenticeship","option":"RNCP38478BC04"}`
		}},
	"POST /api/v1/applications/{id}/submit": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: applicationPath("/api/v1/applications/%d/submit")},
	"GET /api/v1/applications/{id}/documents": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: applicationPath("/api/v1/applications/%d/documents")},
	"POST /api/v1/applications/{id}/documents": {ok: 201, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			p, _ := applicationPath("/api/v1/applications/%d/documents?kind=cv&filename=cv.pdf")(m)
			return p, string(matrixDocument(m))
		}},
	"GET /api/v1/applications/{id}/documents/{doc}": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool))
			d, err := m.db.AddDocument(m.t.Context(), a.ID, certibloc.DocCV, "cv.pdf", matrixDocument(m))
			if err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/api/v1/applications/%d/documents/%d", a.ID, d.ID), ""
		}},
	"GET /api/v1/applications/{id}/decisions": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: applicationPath("/api/v1/applications/%d/decisions", certibloc.DecideAdmissible)},
	"POST /api/v1/applications/{id}/decisions": {ok: 201, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			p, _ := applicationPath("/api/v1/applications/%d/decisions", submitOnly)(m)
			return p, `{"kind":"admissible","members":["Michel GIRARD"]}`
		}},
	"POST /api/v1/decisions": {ok: 201, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a, b := m.application(m.newPerson(ownSchool), submitOnly), m.application(m.newPerson(ownSchool), submitOnly)
			return "/api/v1/decisions", fmt.Sprintf(`{"applications":[%d,%d],"decision":{"kind":"not_admissible",
				"members":["Michel GIRARD"],"reason":"Dossier incomplet"}}`, a.ID, b.ID)
		}},

	// Cohorts and enrolments: staff who manage admissions, in their schools.
	"GET /api/v1/cohorts": {call: path("/api/v1/cohorts"), ok: 200, own: admissionStaff},
	"POST /api/v1/cohorts": {ok: 201, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return "/api/v1/cohorts", fmt.Sprintf(`{"school":"DIIAGE","certification_code":"RNCP38478","name":"Promotion %d",
				"track":"one_year","starts_on":"2031-09-01","ends_on":"2032-08-31","planned_hours":600,"weekly_hours":35}`, m.unique())
		}},
	"GET /api/v1/cohorts/{id}": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) { return fmt.Sprint("/api/v1/cohorts/", m.cohort(m.campaign())), "" }},
	"GET /api/v1/enrolments": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprint("/api/v1/enrolments?cohort=", m.cohort(m.campaign())), ""
		}},
	"POST /api/v1/enrolments": {ok: 201, own: admissionStaff, other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool), append(interviewed, certibloc.DecideAdmitted)...)
			cohort := m.cohort(&certibloc.Campaign{ID: a.CampaignID})
			return "/api/v1/enrolments", fmt.Sprintf(`{"cohort_id":%d,"application_id":%d,"internship_months":6}`, cohort, a.ID)
		}},
}

// matrixDocument is a real PDF.
func matrixDocument(m *matrix) []byte {
	b, err := os.ReadFile("../../testdata/documents/cv.pdf")
	if err != nil {
		m.t.Fatal(err)
	}
	return b
}
