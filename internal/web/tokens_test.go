package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

func TestTokensPage(t *testing.T) {
	s, db := adminSite(t)
	post := func(path string, form url.Values) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if id, ok := strings.CutPrefix(path, "/app/tokens/"); ok {
			req.SetPathValue("id", strings.TrimSuffix(id, "/revoke"))
			return call(s, s.revokeToken, adminP, req)
		}
		return call(s, s.createToken, adminP, req)
	}
	get := func(url string) *httptest.ResponseRecorder {
		return call(s, s.tokens, adminP, httptest.NewRequest("GET", url, nil))
	}

	for _, lang := range []string{"fr", "en"} {
		rec := get("/app/tokens?lang=" + lang)
		if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d %v", lang, rec.Code, rec.Header())
		}
		d := parseHTML(t, rec.Body.Bytes())
		checkAccessible(t, d, lang)
		if !strings.Contains(d.allText(), map[string]string{"fr": "Aucun jeton", "en": "No token yet"}[lang]) {
			t.Errorf("%s: an empty list does not say so", lang)
		}
	}

	rec := post("/app/tokens", url.Values{"name": {"Import nocturne"}, "role": {"staff"}, "school": {"DIIAGE"}})
	if rec.Code != 200 {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	d := parseHTML(t, rec.Body.Bytes())
	checkAccessible(t, d, "fr")
	secret := ""
	for _, w := range strings.Fields(d.allText()) {
		if strings.HasPrefix(w, "cb_") {
			secret = w
		}
	}
	tok, err := db.Authenticate(t.Context(), secret)
	if err != nil || tok.Name != "Import nocturne" || tok.School != "DIIAGE" {
		t.Fatalf("the secret shown (%q) does not authenticate the new token: %+v, %v", secret, tok, err)
	}
	if rec := get("/app/tokens"); strings.Contains(rec.Body.String(), secret) || !strings.Contains(rec.Body.String(), "Import nocturne") {
		t.Error("the list shows the secret again, or not the token")
	}

	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"name": {"x"}, "role": {"admin"}, "school": {"DIIAGE"}}, "Un jeton administrateur voit toutes les écoles"},
		{url.Values{"name": {"x"}, "role": {"staff"}}, "Ce rôle est limité à une école"},
		{url.Values{"name": {"x"}, "role": {"jury"}, "school": {"NOWHERE"}}, "L&#39;école « NOWHERE » n&#39;existe pas."},
		{url.Values{"name": {""}, "role": {"staff"}, "school": {"DIIAGE"}}, "Donnez au jeton un nom"},
	} {
		rec := post("/app/tokens", tc.form)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), tc.want) || !strings.Contains(rec.Body.String(), `role="alert"`) {
			t.Errorf("%v: %d, want 400 saying %q", tc.form, rec.Code, tc.want)
		}
	}
	list, _ := db.Tokens(t.Context())
	if len(list) != 1 {
		t.Errorf("%d tokens after refused forms, want 1", len(list))
	}

	// The list's red button asks first, on a page of its own.
	if rec := get("/app/tokens"); !strings.Contains(rec.Body.String(), `<form method="get" action="/app/tokens/1/revoke"><button type="submit" class="danger"`) {
		t.Errorf("the revoke button does not ask first:\n%s", rec.Body)
	}
	ask := httptest.NewRequest("GET", "/app/tokens/1/revoke", nil)
	ask.SetPathValue("id", "1")
	if rec := call(s, s.confirmRevokeToken, adminP, ask); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Révoquer le jeton 1 (Import nocturne) ?") ||
		!strings.Contains(rec.Body.String(), `<button type="submit" class="danger">Oui, révoquer le jeton</button>`) {
		t.Errorf("the confirmation of a revocation: %d\n%s", rec.Code, rec.Body)
	}
	if _, err := db.Authenticate(t.Context(), secret); err != nil {
		t.Errorf("asking revoked the token: %v", err)
	}
	rec = post("/app/tokens/1/revoke", url.Values{})
	if rec.Code != 303 || rec.Header().Get("Location") != "/app/tokens?revoked=1" {
		t.Fatalf("revoke: %d %v", rec.Code, rec.Header())
	}
	if _, err := db.Authenticate(t.Context(), secret); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
		t.Errorf("the revoked token still works: %v", err)
	}
	if rec := get("/app/tokens?revoked=1"); !strings.Contains(rec.Body.String(), "Le jeton 1 (Import nocturne) est révoqué") {
		t.Errorf("the list does not say the token was revoked:\n%s", rec.Body)
	}
	for _, path := range []string{"/app/tokens/1/revoke", "/app/tokens/99/revoke", "/app/tokens/x/revoke"} {
		if rec := post(path, url.Values{}); rec.Code != 404 {
			t.Errorf("%s: %d, want 404", path, rec.Code)
		}
	}
}
