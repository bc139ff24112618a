package web

import "github.com/certibloc/certibloc"

// officeRoutes are the admissions office's pages of issue 11: notes and
// corrections on an application, the interview agenda, the commissions'
// record and the enrolment in bulk.
func (s *Site) officeRoutes() []Route {
	return []Route{
		{"POST /app/applications/{id}/notes", certibloc.ManageAdmission, s.addNote},
		{"POST /app/applications/{id}/corrections", certibloc.ManageAdmission, s.correctDecision},
		{"GET /app/campaigns/{id}/agenda", certibloc.ManageAdmission, s.agendaPage},
		{"POST /app/campaigns/{id}/agenda", certibloc.ManageAdmission, s.createSlots},
		{"POST /app/campaigns/{id}/agenda/{slot}/assign", certibloc.ManageAdmission, s.assignSlot},
		{"POST /app/campaigns/{id}/agenda/{slot}/delete", certibloc.ManageAdmission, s.deleteSlot},
		{"GET /app/campaigns/{id}/commissions", certibloc.ManageAdmission, s.commissionsPage},
		{"POST /app/cohorts/{id}/enrolments/bulk", certibloc.ManageAdmission, s.enrolBulk},
	}
}
