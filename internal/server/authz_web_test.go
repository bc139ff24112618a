package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
)

// runWeb opens every page as nobody, then as every role of the record's
// school and of another, signed in through the real session mechanism.
// Every browser, signed in or not, sends the form token it was given, so
// that a refusal is the role's and not a forgotten token's.
func (m *matrix) runWeb(t *testing.T) {
	patterns := webPatterns(t)
	for _, role := range matrixRoles {
		for _, school := range []string{ownSchool, otherSchool} {
			if school == otherSchool && role == anonymous {
				continue
			}
			for _, pattern := range patterns {
				rt, ok := webMatrix[pattern]
				if !ok || (school == otherSchool && !rt.scoped) {
					continue
				}
				b := m.browser(t, role, school, rt.fresh)
				m.visit(t, pattern, rt, role, school, b)
			}
		}
	}
}

// visit calls a page as a browser and checks the status, and that nobody
// is sent anywhere but to sign-in.
func (m *matrix) visit(t *testing.T, pattern string, rt matrixRoute, role, school string, b browser) {
	t.Helper()
	method, _, _ := strings.Cut(pattern, " ")
	p, body := rt.call(m)
	header := b.header.Clone()
	if method == http.MethodPost {
		form, _ := url.ParseQuery(body)
		form.Set("csrf", b.csrf)
		body = form.Encode()
		header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	denied := http.StatusSeeOther // to the sign-in page
	if method != http.MethodGet {
		denied = http.StatusUnauthorized
	}
	want := rt.expect(role, school == otherSchool, denied)
	status, location, answer := m.serve(method, p, body, header)
	if status != want {
		t.Errorf("%s as %s of %s: %d, want %d\n%.300s", pattern, role, school, status, want, answer)
	}
	if role == anonymous && status == http.StatusSeeOther && rt.ok != http.StatusSeeOther &&
		!strings.HasPrefix(location, "/signin?next=") {
		t.Errorf("%s as nobody: sent to %q, want the sign-in page", pattern, location)
	}
}

// browser is what a browser sends: its cookies, and the form token of the
// pages it was given.
type browser struct {
	header http.Header
	csrf   string
}

// csrfRE finds the form token in a page.
var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser returns a browser of a role of a school. A signed-in one has an
// account and a session whose second factor is done, made by the store as
// sign-in makes them, and its cookie; nobody's has the double-submit
// cookie that the sign-in page sets. Both read their form token from a
// page. Browsers are made once, except fresh ones, for calls that end
// their session (or all of the account's).
func (m *matrix) browser(t *testing.T, role, school string, fresh bool) browser {
	t.Helper()
	if role == string(certibloc.Admin) || role == anonymous {
		school = ""
	}
	key := role + "@" + school
	if b, ok := m.browsers[key]; ok && !fresh {
		return b
	}
	page := "/signin"
	b := browser{header: http.Header{}}
	if role == anonymous {
		req := m.request("GET", page, "", nil)
		for _, c := range req.Result().Cookies() {
			b.header.Add("Cookie", c.Name+"="+c.Value)
		}
	} else {
		a := certibloc.Account{Email: fmt.Sprintf("%s.%d@example.org", role, m.unique()), Role: certibloc.Role(role)}
		switch role {
		case string(certibloc.Admin):
		case string(certibloc.Candidate):
			a.PersonID = m.newPerson(school)
		default:
			a.Schools = []string{school}
		}
		a, err := m.db.CreateAccount(t.Context(), a)
		if err != nil {
			t.Fatalf("account of %s: %v", key, err)
		}
		cookie, err := m.db.CreateSession(t.Context(), a.ID, true)
		if err != nil {
			t.Fatalf("session of %s: %v", key, err)
		}
		b.header.Set("Cookie", "certibloc_session="+cookie)
		page = "/app/account" // its forms carry the session's token
	}
	found := csrfRE.FindStringSubmatch(m.request("GET", page, "", b.header).Body.String())
	if found == nil || found[1] == "" {
		t.Fatalf("%s as %s has no form token: are the cookies still certibloc_session and certibloc_csrf?", page, key)
	}
	b.csrf = found[1]
	if !fresh {
		m.browsers[key] = b
	}
	return b
}

// personForm is the form of a person of ownSchool.
const personForm = "school=DIIAGE&birth_name=MARTIN&first_names=L%C3%A9a&level=5&ects=0&experience_months=0"

// webMatrix says, for each page, who may open it and what they get.
var webMatrix = map[string]matrixRoute{
	"GET /{$}": {call: path("/"), ok: 302, own: everyone},
	"GET /programmes/{slug}": {ok: 200, own: everyone, call: func(*matrix) (string, string) {
		p, _ := seed.Programme()
		return "/programmes/" + p.Slug, ""
	}},

	// Signing in: open to all; whoever is signed in already is sent on.
	"GET /signin":          {call: path("/signin"), ok: 200, own: anonymous, deny: 303},
	"POST /signin":         {call: path("/signin"), ok: 400, own: everyone}, // no address: the form again
	"GET /signin/totp":     {call: path("/signin/totp"), ok: 303, own: everyone},
	"POST /signin/totp":    {call: path("/signin/totp"), ok: 303, own: everyone}, // no session waits for a code
	"POST /signout":        {call: path("/signout"), ok: 303, own: everyone, fresh: true},
	"GET /password/forgot": {call: path("/password/forgot"), ok: 200, own: everyone},
	"POST /password/forgot": {ok: 200, own: everyone,
		call: func(*matrix) (string, string) { return "/password/forgot", "email=nobody@example.org" }},
	"GET /password/reset":  {call: path("/password/reset"), ok: 400, own: everyone}, // no link
	"POST /password/reset": {call: path("/password/reset"), ok: 400, own: everyone},
	"GET /app":             {call: path("/app"), ok: 200, own: signedIn},
	"GET /app/account":     {call: path("/app/account"), ok: 200, own: signedIn},
	"POST /app/account": {ok: 303, own: signedIn, fresh: true,
		call: func(*matrix) (string, string) { return "/app/account", "action=signout_all" }},
	"GET /app/outbox": {call: path("/app/outbox"), ok: 200, own: "admin staff"},

	// People of a school, their disability record, the schools.
	"GET /app/people":     {call: path("/app/people"), ok: 200, own: schoolly},
	"GET /app/people/new": {call: path("/app/people/new"), ok: 200, own: "admin staff"},
	"POST /app/people": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(*matrix) (string, string) { return "/app/people", personForm }},
	"GET /app/people/{id}": {call: personPath("/app/people/%d"), ok: 200, own: schoolly, other: "admin",
		scoped: true},
	"POST /app/people/{id}": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) { return fmt.Sprint("/app/people/", m.person), personForm }},
	"GET /app/people/{id}/disability": {call: personPath("/app/people/%d/disability"), ok: 200,
		own: "referent", other: nobody, scoped: true},
	"POST /app/people/{id}/disability": {ok: 303, own: "referent", other: nobody, scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/people/%d/disability", m.person), "needs=Tiers-temps&accommodations=Salle+adaptée"
		}},
	"GET /app/schools": {call: path("/app/schools"), ok: 200, own: "admin"},
	"POST /app/schools": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
		return "/app/schools", fmt.Sprintf("code=SCHOOL%d&name=École&certifier=SUP+DE+VINCI", m.unique())
	}},
	// One's own record: a candidate is sent to it (deny: 303); an account
	// without a person is told so, and has nothing to export (deny: 404).
	"GET /app/me":        {call: path("/app/me"), ok: 200, own: "admin staff evaluator jury referent", deny: 303},
	"GET /app/me/export": {call: path("/app/me/export"), ok: 200, own: "candidate", deny: 404},

	// The history of a record, and the API tokens.
	"GET /app/audit/{entity}/{id}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: personPath("/app/audit/person/%d")},

	// Admissions. A visitor signs up (a form without its fields: 400); a
	// signed-in one is sent on. A candidate acts on their own application
	// only (the upload is sent without a file: 400); staff see and decide
	// on their school's. Every call makes its own records (admissions_matrix_test.go).
	"GET /signup":           {call: path("/signup"), ok: 200, own: anonymous, deny: 303},
	"POST /signup":          {call: path("/signup"), ok: 400, own: everyone},
	"GET /app/applications": {call: path("/app/applications"), ok: 200, own: "candidate"},
	"GET /app/applications/new": {ok: 200, own: "candidate", call: func(m *matrix) (string, string) {
		return fmt.Sprintf("/app/applications/new?campaign=%d", m.campaign().ID), ""
	}},
	"POST /app/applications": {ok: 303, own: "candidate", call: func(m *matrix) (string, string) {
		return "/app/applications", fmt.Sprintf("campaign=%d&offer=one_year/initial&level=5&ects=0&experience_months=0",
			m.campaign().ID)
	}},
	"GET /app/applications/{id}": {ok: 200, own: "admin staff candidate", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			app, _ := m.ownDraft()
			return fmt.Sprintf("/app/applications/%d", app), ""
		}},
	"POST /app/applications/{id}/documents": {ok: 400, own: "candidate", call: func(m *matrix) (string, string) {
		app, _ := m.ownDraft()
		return fmt.Sprintf("/app/applications/%d/documents", app), "kind=cv"
	}},
	"GET /app/applications/{id}/documents/{doc}": {ok: 200, own: "admin staff candidate", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			app, doc := m.ownDraft()
			return fmt.Sprintf("/app/applications/%d/documents/%d", app, doc), ""
		}},
	"POST /app/applications/{id}/submit": {ok: 303, own: "candidate", call: func(m *matrix) (string, string) {
		app, _ := m.ownDraft()
		return fmt.Sprintf("/app/applications/%d/submit", app), "confirm=yes"
	}},
	"POST /app/applications/{id}/choice": {ok: 303, own: "candidate", call: func(m *matrix) (string, string) {
		app, _ := m.ownDraft()
		return fmt.Sprintf("/app/applications/%d/choice", app), "offer=one_year/apprenticeship&option=RNCP38478BC04"
	}},
	"POST /app/applications/{id}/withdraw": {ok: 303, own: "candidate", call: func(m *matrix) (string, string) {
		a := m.application(m.candidatePerson(), submitOnly) // a draft is deleted, not withdrawn
		return fmt.Sprintf("/app/applications/%d/withdraw", a.ID), "confirm=yes&reason=Autre+choix"
	}},
	"POST /app/applications/{id}/delete": {ok: 303, own: "candidate", call: func(m *matrix) (string, string) {
		app, _ := m.ownDraft()
		return fmt.Sprintf("/app/applications/%d/delete", app), "confirm=yes"
	}},
	"POST /app/applications/{id}/decisions": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool), submitOnly)
			return fmt.Sprintf("/app/applications/%d/decisions", a.ID), "kind=admissible&members=Michel+GIRARD&override=yes&reason=Pi%C3%A8ces+attendues"
		}},
	"GET /app/campaigns": {call: path("/app/campaigns"), ok: 200, own: "admin staff"},
	"POST /app/campaigns": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			p, _ := seed.Programme()
			return "/app/campaigns", "programme=" + p.Slug + "&year=2031&opens_on=2031-01-02&places_one_year_initial=20"
		}},
	"GET /app/campaigns/{id}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) { return fmt.Sprintf("/app/campaigns/%d", m.campaign().ID), "" }},
	"POST /app/campaigns/{id}/decisions": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool), submitOnly)
			return fmt.Sprintf("/app/campaigns/%d/decisions", a.CampaignID),
				fmt.Sprintf("kind=admissible&members=Michel+GIRARD&override=yes&reason=Pi%%C3%%A8ces+attendues&id=%d", a.ID)
		}},
	"GET /app/campaigns/{id}/export.csv": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/campaigns/%d/export.csv", m.campaign().ID), ""
		}},
	"GET /app/campaigns/{id}/export.xlsx": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/campaigns/%d/export.xlsx", m.campaign().ID), ""
		}},
	"GET /app/cohorts": {call: path("/app/cohorts"), ok: 200, own: "admin staff"},
	"POST /app/cohorts": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return "/app/cohorts", fmt.Sprintf("campaign=%d&name=L3+%d&track=one_year&starts_on=2031-09-01&ends_on=2032-06-30"+
				"&planned_hours=600&weekly_hours=35", m.campaign().ID, m.unique())
		}},
	"GET /app/cohorts/{id}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) { return fmt.Sprintf("/app/cohorts/%d", m.cohort(m.campaign())), "" }},
	"GET /app/cohorts/{id}/fairness.csv": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/cohorts/%d/fairness.csv", m.cohort(m.campaign())), ""
		}},
	"GET /app/evaluations/{id}/fairness": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/evaluations/%d/fairness", m.fairness().session), ""
		}},
	"GET /app/evaluations/{id}/fairness.csv": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/evaluations/%d/fairness.csv", m.fairness().session), ""
		}},
	"POST /app/cohorts/{id}/enrolments": {ok: 303, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			a := m.application(m.newPerson(ownSchool), certibloc.DecideAdmissible, certibloc.ScheduleInterview,
				certibloc.RecordInterview, certibloc.DecideAdmitted)
			c, err := m.db.Campaign(m.t.Context(), a.CampaignID)
			if err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/app/cohorts/%d/enrolments", m.cohort(c)),
				fmt.Sprintf("application=%d&internship_months=6", a.ID)
		}},
	"GET /app/tokens": {call: path("/app/tokens"), ok: 200, own: "admin"},
	"POST /app/tokens": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		return "/app/tokens", fmt.Sprintf("name=matrix+%d&role=jury&school=DIIAGE", m.unique())
	}},
	"POST /app/tokens/{id}/revoke": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
		_, tok, err := m.db.CreateToken(m.t.Context(), "to revoke", "jury", ownSchool)
		if err != nil {
			m.t.Fatal(err)
		}
		return fmt.Sprintf("/app/tokens/%d/revoke", tok.ID), ""
	}},
}
