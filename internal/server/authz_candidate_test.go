package server_test

import (
	"fmt"
	"maps"
)

// The routes of the candidate's side of admissions (issue 11) in the
// authorisation matrix: the recap before submission, the staff's request
// for a document and checklist of a campaign, the candidate's contact
// details and requests for an accommodation, the referent's list of them.
func init() {
	maps.Copy(webMatrix, map[string]matrixRoute{
		"GET /app/applications/{id}/recap": {ok: 200, own: "candidate", call: func(m *matrix) (string, string) {
			app, _ := m.ownDraft()
			return fmt.Sprintf("/app/applications/%d/recap", app), ""
		}},
		"POST /app/applications/{id}/document-requests": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				a := m.application(m.newPerson(ownSchool), submitOnly)
				return fmt.Sprintf("/app/applications/%d/document-requests", a.ID), "kind=transcript&message=Le+relev%C3%A9+de+L3"
			}},
		"POST /app/campaigns/{id}/documents": {ok: 303, own: "admin staff", other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				return fmt.Sprintf("/app/campaigns/%d/documents", m.campaign().ID), "required_documents=cv&required_documents=diploma"
			}},
		"GET /app/me/contact": {call: path("/app/me/contact"), ok: 200, own: "candidate"},
		"POST /app/me/contact": {ok: 303, own: "candidate", call: func(m *matrix) (string, string) {
			return "/app/me/contact", fmt.Sprintf("phone=06+12+34+56+78&address=1+rue+de+la+Paix&email=nouvelle%d@example.org", m.unique())
		}},
		"GET /app/me/email": {call: path("/app/me/email?token=inconnu"), ok: 200, own: "admin staff evaluator jury referent candidate"},
		// A link that confirms nothing: the page says so.
		"POST /app/me/email": {ok: 400, own: "admin staff evaluator jury referent candidate", call: func(*matrix) (string, string) {
			return "/app/me/email", "token=inconnu"
		}},
		"POST /app/me/accommodation-requests": {ok: 303, own: "candidate", call: func(*matrix) (string, string) {
			return "/app/me/accommodation-requests", "message=Un+tiers-temps+pour+les+%C3%A9crits"
		}},
		"GET /app/accommodation-requests": {call: path("/app/accommodation-requests"), ok: 200, own: "referent"},
	})
	maps.Copy(apiMatrix, map[string]matrixRoute{
		"PATCH /api/v1/campaigns/{id}": {ok: 200, own: admissionStaff, other: "admin", scoped: true,
			call: func(m *matrix) (string, string) {
				return fmt.Sprintf("/api/v1/campaigns/%d", m.campaign().ID), `{"required_documents":["cv","diploma"]}`
			}},
	})
}
