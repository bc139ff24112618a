package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/seed"
)

// path is a call without a body.
func path(p string) func(*matrix) (string, string) {
	return func(*matrix) (string, string) { return p, "" }
}

// personPath is a path about the matrix's person: "/api/v1/people/%d…".
func personPath(format string) func(*matrix) (string, string) {
	return func(m *matrix) (string, string) { return fmt.Sprintf(format, m.person), "" }
}

const personBody = `{"school":"DIIAGE","birth_name":"MARTIN","first_names":"Léa","email":"lea@example.org","level":5}`

// apiMatrix says, for each API route, who may call it and what they get.
var apiMatrix = map[string]matrixRoute{
	"GET /api/openapi.json":             {call: path("/api/openapi.json"), ok: 200, own: everyone},
	"GET /api/v1/certifications":        {call: path("/api/v1/certifications"), ok: 200, own: everyone},
	"GET /api/v1/certifications/{code}": {call: path("/api/v1/certifications/RNCP38478"), ok: 200, own: everyone},
	"GET /api/v1/certifications/{code}/versions": {call: path("/api/v1/certifications/RNCP38478/versions"), ok: 200,
		own: everyone},
	"POST /api/v1/certifications/{code}/simulate": {ok: 200, own: everyone, call: func(*matrix) (string, string) {
		return "/api/v1/certifications/RNCP38478/simulate", `{"track":"one_year"}`
	}},
	"POST /api/v1/certifications/{code}/eligibility": {ok: 200, own: everyone, call: func(*matrix) (string, string) {
		return "/api/v1/certifications/RNCP38478/eligibility", `{"track":"one_year","level":5}`
	}},
	"POST /api/v1/imports/rncp": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		return "/api/v1/imports/rncp", string(fixture(m.t, "export_fiches_RNCP_V4_1_excerpt_10fiches.xml"))
	}},
	"GET /api/v1/imports/rncp/{job}": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		return fmt.Sprint("/api/v1/imports/rncp/", doneRNCPJob(m.t, m.db)), ""
	}},
	"GET /api/v1/programmes": {call: path("/api/v1/programmes"), ok: 200, own: everyone},
	"GET /api/v1/programmes/{slug}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
		p, _ := seed.Programme()
		return "/api/v1/programmes/" + p.Slug, ""
	}},

	// The audit trail: staff read their schools' records, the admin all.
	"GET /api/v1/audit": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: personPath("/api/v1/audit?entity=person&id=%d")},

	// Tokens: the admin's alone.
	"GET /api/v1/tokens": {call: path("/api/v1/tokens"), ok: 200, own: "admin"},
	"POST /api/v1/tokens": {ok: 201, own: "admin", call: func(m *matrix) (string, string) {
		return "/api/v1/tokens", fmt.Sprintf(`{"name":"matrix %d","role":"staff","school":"DIIAGE"}`, m.unique())
	}},
	"DELETE /api/v1/tokens/{id}": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		_, tok, err := m.db.CreateToken(m.t.Context(), "to revoke", "jury", ownSchool)
		if err != nil {
			m.t.Fatal(err)
		}
		return fmt.Sprint("/api/v1/tokens/", tok.ID), ""
	}},

	// Schools: everyone signed in lists those they may see; a school's
	// record is for its staff roles; the admin creates schools.
	"GET /api/v1/schools": {call: path("/api/v1/schools"), ok: 200, own: signedIn},
	"POST /api/v1/schools": {ok: 201, own: "admin", call: func(m *matrix) (string, string) {
		return "/api/v1/schools", fmt.Sprintf(`{"code":"SCHOOL%d","name":"École"}`, m.unique())
	}},
	"GET /api/v1/schools/{code}": {call: path("/api/v1/schools/DIIAGE"), ok: 200, own: schoolly, other: "admin",
		scoped: true},

	// People of a school.
	"GET /api/v1/people": {call: path("/api/v1/people"), ok: 200, own: signedIn},
	"POST /api/v1/people": {ok: 201, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) { return "/api/v1/people", personBody }},
	"GET /api/v1/people/{id}": {call: personPath("/api/v1/people/%d"), ok: 200, own: schoolly, other: "admin",
		scoped: true},
	"PUT /api/v1/people/{id}": {ok: 200, own: "admin staff", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) { return fmt.Sprint("/api/v1/people/", m.person), personBody }},

	// The disability record: the referent of the person's school alone
	// (and the person, whom no token stands for).
	"GET /api/v1/people/{id}/disability": {call: personPath("/api/v1/people/%d/disability"), ok: 200,
		own: "referent", other: nobody, scoped: true},
	"PUT /api/v1/people/{id}/disability": {ok: 200, own: "referent", other: nobody, scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/api/v1/people/%d/disability", m.person), `{"needs":"Tiers-temps","accommodations":"Salle adaptée"}`
		}},

	// GDPR.
	"GET /api/v1/people/{id}/export": {call: personPath("/api/v1/people/%d/export"), ok: 200,
		own: "admin staff", other: "admin", scoped: true},
	"POST /api/v1/people/{id}/erase": {ok: 200, own: "admin", other: "admin", scoped: true,
		call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/api/v1/people/%d/erase", m.newPerson(ownSchool)), ""
		}},
	"POST /api/v1/gdpr/purge": {ok: 200, own: "admin",
		call: func(*matrix) (string, string) { return "/api/v1/gdpr/purge", `{"dry_run":true}` }},
}

// runAPI calls every API route with a bearer token of every role, of the
// record's school and of another.
func (m *matrix) runAPI(t *testing.T) {
	for _, pattern := range apiPatterns() {
		rt, ok := apiMatrix[pattern]
		if !ok {
			continue // TestAuthorizationMatrixCoversEveryRoute reports it
		}
		method, _, _ := strings.Cut(pattern, " ")
		for _, role := range matrixRoles {
			for _, other := range []bool{false, true} {
				if other && (!rt.scoped || role == anonymous) {
					continue
				}
				school := ownSchool
				if other {
					school = otherSchool
				}
				header := http.Header{}
				if tok := tokenFor(t, m.db, m.tokens, role, school); tok != "" {
					header.Set("Authorization", "Bearer "+tok)
				}
				p, body := rt.call(m)
				if body != "" && method != "GET" {
					header.Set("Content-Type", "application/json")
				}
				status, _, answer := m.serve(method, p, body, header)
				if want := rt.expect(role, other, http.StatusUnauthorized); status != want {
					t.Errorf("%s as %s of %s: %d, want %d\n%.300s", pattern, role, school, status, want, answer)
				}
			}
		}
	}
}
