package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestRequestTextIsChecked sends control characters, invalid UTF-8, huge
// text and out-of-range numbers in every place a request carries them —
// path, query, form field, JSON field, the sign-in e-mail — through the
// whole site: each is a 400 that names the field, never a 500 (which
// PostgreSQL gave, refusing NUL bytes and 32-bit overflows).
func TestRequestTextIsChecked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		staff := tokenFor(t, db, map[string]string{}, "staff", "DIIAGE")
		browser := admSignedIn(t, h, db, certibloc.Account{Role: "staff", Schools: []string{"DIIAGE"}})
		visitor := admAnonymous(t, h)
		visitor.get("/signin", http.StatusOK)

		person := func(field string, value any) string {
			p := map[string]any{"school": "DIIAGE", "birth_name": "Durand", "first_names": "Léa"}
			p[field] = value
			b, _ := json.Marshal(p)
			return string(b)
		}
		// raw puts a JSON number as written, which json.Marshal cannot.
		raw := func(field, number string) string {
			return fmt.Sprintf(`{"school":"DIIAGE","birth_name":"Durand","first_names":"Léa",%q:%s}`, field, number)
		}
		personForm := func(field, value string) url.Values {
			f := url.Values{"school": {"DIIAGE"}, "birth_name": {"Durand"}, "first_names": {"Léa"},
				"level": {"5"}, "ects": {"0"}, "experience_months": {"0"}}
			f.Set(field, value)
			return f
		}
		huge := strings.Repeat("a", 1_000_000)

		api := func(method, target, token, body string) *httptest.ResponseRecorder {
			req := httptest.NewRequest(method, target, strings.NewReader(body))
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec
		}
		for _, c := range []struct {
			name, names string
			send        func() *httptest.ResponseRecorder
		}{
			{"NUL in a page's path", "path", func() *httptest.ResponseRecorder {
				return api("GET", "/programmes/a%00b", "", "")
			}},
			{"NUL in an API path", "path", func() *httptest.ResponseRecorder {
				return api("GET", "/api/v1/programmes/a%00b", "", "")
			}},
			{"invalid UTF-8 in a path", "path", func() *httptest.ResponseRecorder {
				return api("GET", "/programmes/a%FFb", "", "")
			}},
			{"NUL in an API query", "q", func() *httptest.ResponseRecorder {
				return api("GET", "/api/v1/people?q=a%00b", staff, "")
			}},
			{"C1 control in a page's query", "q", func() *httptest.ResponseRecorder {
				return browser.do(httptest.NewRequest("GET", "/app/people?q=a%C2%85b", nil), http.StatusBadRequest)
			}},
			{"NUL in a form field", "birth_name", func() *httptest.ResponseRecorder {
				return browser.post("/app/people", personForm("birth_name", "Du\x00rand"), http.StatusBadRequest)
			}},
			{"DEL in a form field", "first_names", func() *httptest.ResponseRecorder {
				return browser.post("/app/people", personForm("first_names", "L\x7fa"), http.StatusBadRequest)
			}},
			{"NUL in the sign-in e-mail", "email", func() *httptest.ResponseRecorder {
				return visitor.post("/signin", url.Values{"email": {"a\x00b@example.org"}, "password": {"secret"}}, http.StatusBadRequest)
			}},
			{"NUL in a JSON field", "birth_name", func() *httptest.ResponseRecorder {
				return api("POST", "/api/v1/people", staff, person("birth_name", "Du\x00rand"))
			}},
			{"invalid UTF-8 in a JSON body", "UTF-8", func() *httptest.ResponseRecorder {
				return api("POST", "/api/v1/people", staff, `{"school":"DIIAGE","birth_name":"Du`+"\xff"+`","first_names":"L"}`)
			}},
			{"2^31 in a JSON number", "ects", func() *httptest.ResponseRecorder {
				return api("POST", "/api/v1/people", staff, raw("ects", "2147483648"))
			}},
			{"1e309 in a JSON number", "experience_months", func() *httptest.ResponseRecorder {
				return api("POST", "/api/v1/people", staff, raw("experience_months", "1e309"))
			}},
			{"-1 in a JSON number", "ects", func() *httptest.ResponseRecorder {
				return api("POST", "/api/v1/people", staff, raw("ects", "-1"))
			}},
			{"2^31 in a form number", "ects", func() *httptest.ResponseRecorder {
				return browser.post("/app/people", personForm("ects", "2147483648"), http.StatusBadRequest)
			}},
			{"-1 in a form number", "experience_months", func() *httptest.ResponseRecorder {
				return browser.post("/app/people", personForm("experience_months", "-1"), http.StatusBadRequest)
			}},
			{"a 1 MB name in JSON", "birth_name", func() *httptest.ResponseRecorder {
				return api("POST", "/api/v1/people", staff, person("birth_name", huge))
			}},
			{"a 1 MB name in a form", "birth_name", func() *httptest.ResponseRecorder {
				return browser.post("/app/people", personForm("birth_name", huge), http.StatusBadRequest)
			}},
			{"a name over 200 characters", "birth_name", func() *httptest.ResponseRecorder {
				return api("POST", "/api/v1/people", staff, person("birth_name", strings.Repeat("é", 201)))
			}},
		} {
			t.Run(c.name, func(t *testing.T) {
				browser.t, visitor.t = t, t // a wrong status fails this case only
				rec := c.send()
				body := rec.Body.String()
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("status %d, want 400\n%.500s", rec.Code, body)
				}
				if !strings.Contains(body, c.names) {
					t.Errorf("the answer does not name %q:\n%.1500s", c.names, body)
				}
			})
		}
		// Nothing of the above was stored.
		if page, err := db.People(t.Context(), sqldb.PeopleFilter{}); err != nil || page.Total != 0 {
			t.Errorf("people stored: %d, %v", page.Total, err)
		}
		// Tabs and line breaks pass in a text area.
		if rec := api("POST", "/api/v1/people", staff, person("address", "1 rue de la Paix\r\n\t75002 Paris")); rec.Code != http.StatusCreated {
			t.Errorf("an address on two lines: %d %s", rec.Code, rec.Body)
		}
	})
}
