package server_test

import (
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// The admissions office's pages of issue 11 in the authorization matrix
// (webMatrix): staff of the school and the admin, never a candidate.
func init() {
	for pattern, rt := range officeMatrix {
		webMatrix[pattern] = rt
	}
}

// slot makes a free interview slot of a new campaign, in a week, and an
// admissible application of that campaign.
func (m *matrix) slot() (campaign, slot, application int64) {
	m.t.Helper()
	ctx := certibloc.WithPrincipal(m.t.Context(), m.staffCtx())
	c := m.campaign()
	slots := []certibloc.InterviewSlot{{StartsAt: time.Now().Add(7*24*time.Hour + time.Duration(m.unique())*time.Hour).Truncate(time.Minute),
		Minutes: 30, Place: "Salle 12"}}
	if err := m.db.CreateSlots(ctx, c.ID, slots); err != nil {
		m.t.Fatal(err)
	}
	a := &certibloc.Application{CampaignID: c.ID, PersonID: m.newPerson(ownSchool), Track: certibloc.OneYear, Mode: certibloc.Initial}
	if err := m.db.CreateApplication(ctx, a); err != nil {
		m.t.Fatal(err)
	}
	if _, err := m.db.SubmitApplication(ctx, a.ID, m.db.Today()); err != nil {
		m.t.Fatal(err)
	}
	if _, err := m.db.Decide(ctx, []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible,
		Members: []string{"Michel GIRARD"}}); err != nil {
		m.t.Fatal(err)
	}
	return c.ID, slots[0].ID, a.ID
}

var officeMatrix = map[string]matrixRoute{
	"POST /app/applications/{id}/notes": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool), submitOnly)
			return fmt.Sprintf("/app/applications/%d/notes", a.ID), "body=Appeler+le+candidat"
		}},
	"POST /app/applications/{id}/corrections": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool), certibloc.DecideAdmissible)
			ds, err := m.db.Decisions(m.t.Context(), a.ID)
			if err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/app/applications/%d/corrections", a.ID),
				fmt.Sprintf("decision=%d&kind=not_admissible&reason=Erreur+de+saisie&confirm=yes", ds[len(ds)-1].ID)
		}},
	"GET /app/campaigns/{id}/agenda": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) { return fmt.Sprintf("/app/campaigns/%d/agenda", m.campaign().ID), "" }},
	"POST /app/campaigns/{id}/agenda": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			day := time.Now().AddDate(0, 0, 10+m.unique()%200).Format("2006-01-02")
			return fmt.Sprintf("/app/campaigns/%d/agenda", m.campaign().ID),
				"date=" + day + "&time=09:00&minutes=30&count=2&place=Salle+12"
		}},
	"POST /app/campaigns/{id}/agenda/{slot}/assign": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			c, slot, a := m.slot()
			return fmt.Sprintf("/app/campaigns/%d/agenda/%d/assign", c, slot), fmt.Sprintf("application=%d", a)
		}},
	"POST /app/campaigns/{id}/agenda/{slot}/delete": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			c, slot, _ := m.slot()
			return fmt.Sprintf("/app/campaigns/%d/agenda/%d/delete", c, slot), ""
		}},
	"GET /app/campaigns/{id}/commissions": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/campaigns/%d/commissions", m.campaign().ID), ""
		}},
	"POST /app/cohorts/{id}/enrolments/bulk": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool), certibloc.DecideAdmissible, certibloc.ScheduleInterview,
				certibloc.RecordInterview, certibloc.DecideAdmitted)
			c, err := m.db.Campaign(m.t.Context(), a.CampaignID)
			if err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/app/cohorts/%d/enrolments/bulk", m.cohort(c)),
				fmt.Sprintf("application=%d&internship_months=6&confirm=yes", a.ID)
		}},
}
