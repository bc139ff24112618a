package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestDisabilityAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newPeopleSite(t, db)
		const doc = "/api/v1/people/{id}/disability"
		url := fmt.Sprintf("/api/v1/people/%d/disability", s.alice)
		referent := s.tok("referent", "DIIAGE")
		record := `{"needs":"Malvoyance","accommodations":"Sujets en gros caractères"}`
		for _, c := range []call{
			{method: "GET", url: url, doc: doc, token: referent, status: 404},
			{method: "PUT", url: url, doc: doc, token: referent, status: 200, body: record, check: wantText("Malvoyance")},
			{method: "GET", url: url, doc: doc, token: referent, status: 200, check: wantText("gros caractères")},
			{method: "GET", url: url, doc: doc, token: s.tok("admin", ""), status: 403},
			{method: "GET", url: url, doc: doc, token: s.tok("staff", "DIIAGE"), status: 403},
			{method: "GET", url: url, doc: doc, token: s.tok("referent", "ESTIA"), status: 403},
			{method: "PUT", url: url, doc: doc, token: s.tok("admin", ""), status: 403, body: record},
			{method: "PUT", url: url, doc: doc, token: referent, status: 400, body: `{"needs":"x","notes":"y"}`, check: wantText("notes")},
			{method: "PUT", url: url, doc: doc, token: referent, status: 400,
				body: `{"needs":"` + strings.Repeat("x", 10001) + `"}`, check: wantText("needs")},
			{method: "GET", url: url, doc: doc, token: referent, status: 200, check: wantText("Malvoyance")},
		} {
			s.h(t, c)
		}
	})
}

func TestExportAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newPeopleSite(t, db)
		s.h(t, call{method: "PUT", url: fmt.Sprintf("/api/v1/people/%d/disability", s.alice), doc: "/api/v1/people/{id}/disability",
			token: s.tok("referent", "DIIAGE"), status: 200, body: `{"needs":"Malvoyance","accommodations":"A3"}`})
		const doc = "/api/v1/people/{id}/export"
		url := fmt.Sprintf("/api/v1/people/%d/export", s.alice)
		for _, token := range []string{s.tok("staff", "DIIAGE"), s.tok("admin", "")} {
			s.h(t, call{method: "GET", url: url, doc: doc, token: token, status: 200, check: func(t *testing.T, body []byte) {
				var x sqldb.Export
				if err := json.Unmarshal(body, &x); err != nil {
					t.Fatal(err)
				}
				if x.Person.ID != s.alice || x.Disability != nil || !x.DisabilityWithheld || strings.Contains(string(body), "Malvoyance") {
					t.Errorf("staff export: %s", body)
				}
				if len(x.Tables["audit_log"]) == 0 {
					t.Errorf("no audit entries in %s", body)
				}
			}})
		}
		s.h(t, call{method: "GET", url: url, doc: doc, token: s.tok("staff", "ESTIA"), status: 403})
		s.h(t, call{method: "GET", url: url, doc: doc, token: s.tok("referent", "DIIAGE"), status: 403})
		s.h(t, call{method: "GET", url: "/api/v1/people/0/export", doc: doc, token: s.tok("admin", ""), status: 400})
	})
}

func TestEraseAndPurgeAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newPeopleSite(t, db)
		admin := s.tok("admin", "")
		const doc = "/api/v1/people/{id}/erase"
		url := fmt.Sprintf("/api/v1/people/%d/erase", s.alice)
		s.h(t, call{method: "POST", url: url, doc: doc, token: s.tok("staff", "DIIAGE"), status: 403})
		s.h(t, call{method: "POST", url: url, doc: doc, token: admin, status: 200, check: func(t *testing.T, body []byte) {
			if !strings.Contains(string(body), `"erased_at"`) || strings.Contains(string(body), "Durand") ||
				strings.Contains(string(body), "example.org") || !strings.Contains(string(body), `"school":"DIIAGE"`) {
				t.Errorf("erased person: %s", body)
			}
		}})
		s.h(t, call{method: "POST", url: url, doc: doc, token: admin, status: 409})
		s.h(t, call{method: "POST", url: "/api/v1/people/99999/erase", doc: doc, token: admin, status: 404})
		s.h(t, call{method: "GET", url: "/api/v1/people", doc: "/api/v1/people", token: admin, status: 200, check: wantIDs(s.bruno)})
		s.h(t, call{method: "GET", url: "/api/v1/people?erased=true", doc: "/api/v1/people", token: admin, status: 200,
			check: wantIDs(s.alice, s.bruno)})

		const purge = "/api/v1/gdpr/purge"
		for _, c := range []call{
			{method: "POST", url: purge, doc: purge, token: admin, status: 200, check: wantText(`"months":24`, `"erased":0`)},
			{method: "POST", url: purge, doc: purge, token: admin, status: 200, body: `{"months":6,"dry_run":true}`,
				check: wantText(`"months":6`, `"dry_run":true`)},
			{method: "POST", url: purge, doc: purge, token: admin, status: 400, body: `{"months":0}`, check: wantText("months")},
			{method: "POST", url: purge, doc: purge, token: admin, status: 400, body: `{"weeks":3}`, check: wantText("weeks")},
			{method: "POST", url: purge, doc: purge, token: s.tok("staff", "DIIAGE"), status: 403},
			{method: "POST", url: purge, doc: purge, status: 401},
		} {
			s.h(t, c)
		}
		if _, err := db.VerifyAudit(t.Context()); err != nil {
			t.Errorf("audit trail after erasure and purges: %v", err)
		}
	})
}
