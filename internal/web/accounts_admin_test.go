package web_test

import (
	"bytes"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAccountsPages: the admin makes an account on the web, whose owner
// is e-mailed the link that sets its password; disables it after a page
// that asks, behind a red button; enables it again; clears its lost
// second factor. Every change is in the account's trail, and every
// mistake of the form is named at once.
func TestAccountsPages(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db)
	b := s.signedInAs(t, s.admin)

	code, _, body := b.submit("/app/accounts?lang=fr", "/app/accounts",
		url.Values{"email": {"pas-une-adresse"}, "role": {"staff"}})
	page := text(body)
	if code != http.StatusBadRequest || !strings.Contains(page, "« pas-une-adresse » n'est pas une adresse électronique") ||
		!strings.Contains(page, "Cochez au moins une école") {
		t.Fatalf("a wrong form (%d) does not name both mistakes:\n%s", code, page)
	}
	code, _, body = b.submit("/app/accounts", "/app/accounts", url.Values{"email": {"Staff@Example.org"}, "role": {"staff"},
		"school": {"DIIAGE"}})
	if code != http.StatusBadRequest || !strings.Contains(text(body), "Un compte existe déjà avec l'adresse staff@example.org") {
		t.Fatalf("a known address (%d):\n%s", code, text(body))
	}
	code, to, _ := b.submit("/app/accounts", "/app/accounts", url.Values{"email": {"jean.dupont@example.org"}, "role": {"evaluator"},
		"school": {"DIIAGE", "ESTIA"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create: %d", code)
	}
	_, _, body = b.get(to)
	if page = text(body); !strings.Contains(page, "Compte jean.dupont@example.org créé") || !strings.Contains(page, "Évaluateur") ||
		!strings.Contains(page, "DIIAGE, ESTIA") || !strings.Contains(page, "4 comptes") || strings.Contains(page, "ada@example.org") {
		t.Errorf("the list after creating (staff accounts only):\n%s", page)
	}
	if _, _, body = b.get("/app/accounts?q=ADA@"); !strings.Contains(text(body), "ada@example.org") || !strings.Contains(text(body), "1 compte ") {
		t.Errorf("a candidate's account searched for:\n%s", text(body))
	}
	a, err := db.AccountByEmail(t.Context(), "jean.dupont@example.org")
	if err != nil || a.Role != certibloc.Evaluator || strings.Join(a.Schools, ",") != "DIIAGE,ESTIA" {
		t.Fatalf("account made: %+v %v", a, err)
	}
	mails, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true, Search: "jean.dupont"})
	if err != nil || len(mails) != 1 || !strings.Contains(mails[0].Body, "/password/reset?token=") ||
		!strings.Contains(mails[0].Body, "dans les 24 heures") || !strings.Contains(mails[0].Body, "within 24 hours") ||
		!strings.HasSuffix(mails[0].Body, certibloc.SignatureMark+"École DIIAGE\nhttp://localhost:8080/app\n") {
		t.Fatalf("the set-up e-mail: %+v %v", mails, err)
	}

	// The account signs in elsewhere; disabling it asks first.
	token, err := db.CreateSession(t.Context(), a.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	path := "/app/accounts/" + strconv.FormatInt(a.ID, 10)
	_, _, body = b.get(path)
	if !strings.Contains(body, `<form method="get" action="`+path+`/disable">`) || !strings.Contains(body, `class="danger"`) {
		t.Fatalf("the account page has no red button that asks:\n%s", body)
	}
	code, _, body = b.get(path + "/disable")
	if page = text(body); code != 200 || !strings.Contains(page, "Désactiver le compte jean.dupont@example.org ?") ||
		!strings.Contains(body, `<button type="submit" class="danger">Oui, désactiver le compte</button>`) {
		t.Fatalf("the confirmation page (%d):\n%s", code, page)
	}
	if got, _ := db.Account(t.Context(), a.ID); got.DisabledAt != nil {
		t.Fatal("the confirmation page disabled the account")
	}
	code, to, _ = b.submit(path+"/disable", path+"/disable", url.Values{})
	if code != http.StatusSeeOther {
		t.Fatalf("disable: %d", code)
	}
	if _, _, body = b.get(to); !strings.Contains(text(body), "Le compte est désactivé") {
		t.Errorf("after disabling:\n%s", text(body))
	}
	if got, _ := db.Account(t.Context(), a.ID); got.DisabledAt == nil {
		t.Error("the account is not disabled")
	}
	if _, err := db.Session(t.Context(), token); err == nil {
		t.Error("the disabled account's session lives on")
	}
	code, to, _ = b.submit(path, path+"/enable", url.Values{})
	if got, _ := db.Account(t.Context(), a.ID); code != http.StatusSeeOther || got.DisabledAt != nil {
		t.Fatalf("enable: %d, %+v", code, got.DisabledAt)
	}
	if _, _, body = b.get(to); !strings.Contains(text(body), "Le compte est réactivé") {
		t.Errorf("after enabling:\n%s", text(body))
	}

	// A lost second factor.
	if err := db.EnableTOTP(t.Context(), a.ID, secret.NewTOTPSecret(), 1); err != nil {
		t.Fatal(err)
	}
	if code, _, body = b.get(path + "/reset-totp"); code != 200 || !strings.Contains(text(body), "Effacer la double authentification du compte") {
		t.Fatalf("the confirmation of a reset (%d):\n%s", code, text(body))
	}
	if code, _, _ = b.submit(path+"/reset-totp", path+"/reset-totp", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("reset: %d", code)
	}
	if got, _ := db.Account(t.Context(), a.ID); got.TOTPEnabled || got.TOTPSecret != "" {
		t.Errorf("the second factor stays: %+v", got)
	}

	// The trail tells it all, in words.
	_, _, body = b.get("/app/audit/account/" + strconv.FormatInt(a.ID, 10) + "?lang=fr")
	for _, want := range []string{"Création du compte", "Désactivation du compte", "Réactivation du compte", "Double authentification"} {
		if !strings.Contains(text(body), want) {
			t.Errorf("the account's trail lacks %q:\n%s", want, text(body))
		}
	}

	// The admin's own account cannot be disabled from here, and staff
	// may not open the pages at all.
	self := "/app/accounts/" + strconv.FormatInt(s.admin.ID, 10)
	if _, _, body = b.get(self); strings.Contains(body, "/disable") || !strings.Contains(text(body), "C'est votre propre compte") {
		t.Errorf("own account page:\n%s", text(body))
	}
	if code, _, body = b.get(self + "/disable"); code != http.StatusBadRequest || !strings.Contains(text(body), "propre compte") {
		t.Errorf("disabling oneself: %d\n%s", code, text(body))
	}
	if code, _, _ = s.signedInAs(t, s.staff).get("/app/accounts"); code != http.StatusForbidden {
		t.Errorf("staff open the accounts: %d", code)
	}
}

// TestTOTPSetUpShowsQRCode: the second factor's set-up shows a QR code
// beside the secret, drawn in the page.
func TestTOTPSetUpShowsQRCode(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db)
	_, _, body := s.signedInAs(t, s.cand).get("/app/account?lang=fr")
	if !strings.Contains(body, `<figure class="qr"><svg class="qr"`) || !strings.Contains(body, `aria-label="Code QR de la double authentification`) ||
		!strings.Contains(body, `<code class="secret">`) {
		t.Errorf("the account page has no QR code beside the secret:\n%s", body)
	}
}

// TestUploadTooLarge: a file over the limit of the whole form is said to
// be too large, in the page's language, not taken for an expired form,
// whether the form is multipart (a file picker) or not.
func TestUploadTooLarge(t *testing.T) {
	db := sqldbtest.SQLite(t)
	s := newAuthSite(t, db)
	b := s.signedInAs(t, s.cand)
	_, _, body := b.get("/app/account")
	token := csrfRE.FindStringSubmatch(body)[1]
	big := strings.Repeat("x", 2*certibloc.MaxDocumentSize+2<<20)
	for lang, want := range map[string]string{"fr": "Le fichier envoyé est trop volumineux (plus de 21 Mo)",
		"en": "The file sent is too large (over 21 MB)"} {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", token)
		mw.WriteField("kind", "cv")
		fw, _ := mw.CreateFormFile("file", "cv.pdf")
		fw.Write([]byte("%PDF-" + big))
		mw.Close()
		req := httptest.NewRequestWithContext(t.Context(), "POST", "http://certibloc.test/app/applications/1/documents?lang="+lang, &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		for _, c := range b.jar.Cookies(siteURL) {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		s.h.ServeHTTP(rec, req)
		if page := text(rec.Body.String()); rec.Code != http.StatusBadRequest || !strings.Contains(page, want) || strings.Contains(page, "expir") {
			t.Errorf("multipart, %s: %d\n%.600s", lang, rec.Code, page)
		}
		code, _, body := b.do("POST", "/app/applications/1/documents?lang="+lang, url.Values{"csrf": {token}, "kind": {"cv"}, "file": {big}})
		if page := text(body); code != http.StatusBadRequest || !strings.Contains(page, want) || strings.Contains(page, "expir") {
			t.Errorf("url-encoded, %s: %d\n%.600s", lang, code, page)
		}
	}
}

// TestDocumentPickersFilterTypes: the file fields of documents offer the
// types the server takes, and no other.
func TestDocumentPickersFilterTypes(t *testing.T) {
	for _, name := range []string{"documents.go", "vae_candidacy.go", "vae_dossier.go"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if n, m := strings.Count(string(src), `Type: "file"`), strings.Count(string(src), "Accept: documentAccept"); n == 0 || n != m {
			t.Errorf("%s: %d file fields, %d filtering the types", name, n, m)
		}
	}
	err := filepath.WalkDir("templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		for _, tag := range regexp.MustCompile(`<input[^>]*type="file"[^>]*>`).FindAllString(string(src), -1) {
			if !strings.Contains(tag, "accept=") {
				t.Errorf("%s: a file picker that filters nothing: %s", path, tag)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
