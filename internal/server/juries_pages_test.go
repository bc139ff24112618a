package server_test

import (
	"fmt"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The jury pages in the authorisation matrix and in the browser walk.
// Juries belong to the certifier, not to a school: the admin sees them
// all; a jury account sees the juries it sits on (in the matrix, every
// jury account sits, as a professional: only the chair or the admin
// decides and closes); any other role is refused by permission.

// plainMinutes renders minutes as a few bytes, for the tests' sites.
func plainMinutes(m *certibloc.Minutes) ([]byte, error) {
	return fmt.Appendf(nil, "%%PDF-1.4 PV %s %d", m.Jury.Place, len(m.Candidates)), nil
}

func init() {
	walkDownloads["GET /app/juries/{id}/minutes"] = "application/pdf"
	for pattern, rt := range map[string]matrixRoute{
		"GET /app/juries":     {call: path("/app/juries"), ok: 200, own: "admin jury"},
		"GET /app/juries/new": {call: path("/app/juries/new"), ok: 200, own: "admin"},
		"POST /app/juries": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			return "/app/juries", fmt.Sprintf("certification=RNCP38478@1&date=2031-07-01&place=Dijon&m1_name=Pr%%C3%%A9sidente"+
				"&m1_role=chair&m1_present=yes&others=%d", m.person)
		}},
		"GET /app/juries/{id}": {ok: 200, own: "admin jury", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/juries/%d", m.webJury(false, false)), ""
		}},
		"POST /app/juries/{id}/declarations": {ok: 303, own: "jury", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/juries/%d/declarations", m.webJury(false, false)), fmt.Sprintf("c%d=no", m.person)
		}},
		"GET /app/juries/{id}/candidates/{person}": {ok: 200, own: "admin jury", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/juries/%d/candidates/%d", m.webJury(false, false), m.person), ""
		}},
		"POST /app/juries/{id}/candidates/{person}": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/juries/%d/candidates/%d", m.webJury(true, false), m.person), "title=no"
		}},
		"POST /app/juries/{id}/candidates/{person}/correction": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/juries/%d/candidates/%d/correction", m.webJury(true, true), m.person),
				"title=no&correction_reason=Erreur+mat%C3%A9rielle+au+proc%C3%A8s-verbal"
		}},
		"GET /app/juries/{id}/close": {ok: 200, own: "admin jury", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/juries/%d/close", m.webJury(true, false)), ""
		}},
		"POST /app/juries/{id}/close": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			id := m.webJury(true, false)
			if err := m.db.DecideCandidate(m.t.Context(), id, &certibloc.JuryDecision{PersonID: m.person}); err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/app/juries/%d/close", id), "confirm=yes"
		}},
		"GET /app/juries/{id}/minutes": {ok: 200, own: "admin jury", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/juries/%d/minutes", m.webJury(true, true)), ""
		}},
		"GET /app/people/{id}/path": {call: personPath("/app/people/%d/path"), ok: 200, own: schoolly, other: "admin",
			scoped: true},
	} {
		webMatrix[pattern] = rt
	}
}

// webJury convenes a jury on the matrix's person where every jury account
// made so far sits as a professional, with a chair and two professionals
// without accounts; declared: every member has declared no conflict of
// interest; closed: the person decided and the jury closed.
func (m *matrix) webJury(declared, closed bool) int64 {
	m.t.Helper()
	return convene(m.t, m.db, nil, m.person, declared, closed)
}

// convene makes a jury on a person, with the accounts given (else every
// jury account) as members.
func convene(t *testing.T, db *sqldb.DB, accounts []int64, person int64, declared, closed bool) int64 {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test", Role: certibloc.Admin})
	if accounts == nil {
		all, err := db.Accounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			if a.Role == certibloc.Jury && a.DisabledAt == nil {
				accounts = append(accounts, a.ID)
			}
		}
	}
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2031, 7, 1), Place: "Dijon",
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Professionnel", Role: certibloc.JuryProfessional, Present: true},
			{Name: "Professionnelle", Role: certibloc.JuryProfessional, Present: true}},
		Candidates: []int64{person}}
	for i, a := range accounts {
		j.Members = append(j.Members, certibloc.JuryMember{AccountID: a, Name: fmt.Sprintf("Membre %d", i+1),
			Role: certibloc.JuryProfessional, Present: true})
	}
	if err := db.CreateJury(ctx, j); err != nil {
		t.Fatal(err)
	}
	if declared || closed {
		for _, a := range accounts {
			as := certibloc.WithPrincipal(ctx, &certibloc.Principal{AccountID: a, Role: certibloc.Jury, Label: "jury"})
			if err := db.DeclareConflict(as, j.ID, person, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	if closed {
		if err := db.DecideCandidate(ctx, j.ID, &certibloc.JuryDecision{PersonID: person}); err != nil {
			t.Fatal(err)
		}
		if err := db.CloseJury(ctx, j.ID, plainMinutes); err != nil {
			t.Fatal(err)
		}
	}
	return j.ID
}

// walkJuries are the addresses of the jury pages in the browser walk: an
// open jury and a closed one, the walk's jury account sitting on both;
// and the path of both people.
func walkJuries(t *testing.T, db *sqldb.DB, juryAccount, person, candidate int64) map[string][]string {
	open := convene(t, db, []int64{juryAccount}, person, false, false)
	closed := convene(t, db, []int64{juryAccount}, candidate, true, true)
	return map[string][]string{
		"GET /app/juries/{id}": {fmt.Sprintf("/app/juries/%d", open), fmt.Sprintf("/app/juries/%d", closed)},
		"GET /app/juries/{id}/candidates/{person}": {fmt.Sprintf("/app/juries/%d/candidates/%d", open, person),
			fmt.Sprintf("/app/juries/%d/candidates/%d", closed, candidate)},
		"GET /app/juries/{id}/close":   {fmt.Sprintf("/app/juries/%d/close", open)},
		"GET /app/juries/{id}/minutes": {fmt.Sprintf("/app/juries/%d/minutes", closed)},
		"GET /app/people/{id}/path":    {fmt.Sprintf("/app/people/%d/path", person), fmt.Sprintf("/app/people/%d/path", candidate)},
	}
}
