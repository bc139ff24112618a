package web

import "testing"

// TestErrorPageSpeaksThePageLanguage: a French error page never shows the
// English words of the domain or the store; the page's own interface
// strings, formats included, stay as they are.
func TestErrorPageSpeaksThePageLanguage(t *testing.T) {
	fr, en := newPage("fr"), newPage("en")
	for _, tc := range []struct {
		pg      *page
		status  int
		message string
		want    string
	}{
		{fr, 404, "no application 999999", fr.T("err_404")},
		{fr, 403, "the role candidate may not manage admission", fr.T("err_403")},
		{fr, 418, "whatever", fr.T("err_400")},
		{fr, 500, "", fr.T("err_500")},
		{fr, 403, "the role staff may not read disability", fr.T("err_403")},
		{fr, 409, fr.Tf("app_e_not_draft_f", "Déposé"), fr.Tf("app_e_not_draft_f", "Déposé")},
		{fr, 403, fr.T("auth_csrf"), fr.T("auth_csrf")},
		{en, 404, "no application 999999", "no application 999999"},
		// A sentence of the domain already in French stays.
		{fr, 400, "le symbole de contrôle du numéro ne correspond pas", "le symbole de contrôle du numéro ne correspond pas"},
		{en, 404, "", en.T("err_404")},
	} {
		if got := pageMessage(tc.pg, tc.status, tc.message); got != tc.want {
			t.Errorf("%s %d %q: %q, want %q", tc.pg.Lang, tc.status, tc.message, got, tc.want)
		}
	}
}
