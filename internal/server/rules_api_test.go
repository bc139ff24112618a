package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// post sends body to path with an Accept-Language header (if any) and
// decodes the JSON answer.
func post(t *testing.T, h http.Handler, path, lang, body string) (map[string]any, http.Header) {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	return out, rec.Header()
}

// words joins the strings of an answer's list field, and the reasons of
// its missing list.
func words(answer map[string]any, field string) string {
	var out []string
	for _, v := range answer[field].([]any) {
		if m, ok := v.(map[string]any); ok {
			out = append(out, m["reason"].(string))
		} else {
			out = append(out, v.(string))
		}
	}
	return strings.Join(out, "\n")
}

const simulateBody = `{"track":"one_year","evaluations":[{"block":"RNCP38478BC02","number":1,"passed":true,"date":"2026-03-10"},{"block":"RNCP38478BC02","number":2,"passed":true,"date":"2026-03-24"}],"vae_blocks":[{"block":"RNCP38478BC01","validated":true,"date":"2025-11-02"}],"complementary":{"oral_defence":true,"technical_thesis":false}}`

func TestSimulateFollowsTheLanguage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		const path = "/api/v1/certifications/RNCP38478/simulate"
		for _, tc := range []struct {
			name, query, header string
			want, notWant       string
			lang                string
		}{
			{"French by default", "", "", "validé par la VAE le 2 novembre 2025", "validated", "fr"},
			{"English by Accept-Language", "", "en-GB,en;q=0.9,fr;q=0.5", "validated by VAE on 2 November 2025", "validé", "en"},
			{"French by Accept-Language", "", "fr-FR", "il manque", "missing", "fr"},
			{"?lang= before the header", "?lang=en", "fr", "Certification RNCP38478 not obtained: missing", "validé", "en"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, header := post(t, h, path+tc.query, tc.header, simulateBody)
				text := words(got, "explanation") + "\n" + words(got, "missing")
				if !strings.Contains(text, tc.want) || strings.Contains(text, tc.notWant) {
					t.Errorf("explanation lacks %q or has %q:\n%s", tc.want, tc.notWant, text)
				}
				if lang := header.Get("Content-Language"); lang != tc.lang {
					t.Errorf("Content-Language %q, want %q", lang, tc.lang)
				}
			})
		}
		got, _ := post(t, h, "/api/v1/certifications/RNCP38478/eligibility", "en",
			`{"track":"one_year","level":4,"experience_months":14,"ects":60}`)
		if text := words(got, "reasons"); !strings.Contains(text, "Eligible for the one-year track by rule “Niveau 4 validé avec expérience") {
			t.Errorf("eligibility in English:\n%s", text)
		}
	})
}

// TestSimulateUsesTheNewVersion imports a new version of RNCP38478 between
// two simulations: the second explains with the new version's words, the
// rules compiled for the first not being reused.
func TestSimulateUsesTheNewVersion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		const path = "/api/v1/certifications/RNCP38478/simulate"
		before, _ := post(t, h, path, "", simulateBody)
		if !strings.Contains(words(before, "explanation"), "« Piloter un projet informatique »") {
			t.Fatalf("before: %s", words(before, "explanation"))
		}
		c, err := db.Certification(t.Context(), "RNCP38478", 0)
		if err != nil {
			t.Fatal(err)
		}
		c.Blocks[0].Title = "Piloter des projets numériques"
		if res, err := db.SaveCertification(t.Context(), c); err != nil || res.Version != 2 {
			t.Fatalf("save: %+v, %v", res, err)
		}
		after, _ := post(t, h, path, "", simulateBody)
		if !strings.Contains(words(after, "explanation"), "« Piloter des projets numériques »") {
			t.Errorf("after a new version: %s", words(after, "explanation"))
		}
		old, _ := post(t, h, path+"?version=1", "", simulateBody)
		if !strings.Contains(words(old, "explanation"), "« Piloter un projet informatique »") {
			t.Errorf("version 1: %s", words(old, "explanation"))
		}
	})
}
