package web_test

import (
	"strings"
	"testing"

	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestDisabledAccountCannotSignIn: disabling an account ends its session
// at once, and its right password then gets the same answer as a wrong one.
func TestDisabledAccountCannotSignIn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		b := s.browser(t)
		if code, loc, _ := b.signIn("ada@example.org", password("ada@example.org")); code != 303 || loc != "/app" {
			t.Fatalf("sign-in: %d %s", code, loc)
		}
		if err := db.DisableAccount(t.Context(), s.cand.ID); err != nil {
			t.Fatal(err)
		}
		if code, loc, _ := b.get("/app"); code != 303 || !strings.HasPrefix(loc, "/signin") {
			t.Errorf("GET /app after disable: %d %s", code, loc)
		}
		_, _, wrong := s.browser(t).signIn("ada@example.org", "guess")
		code, _, right := s.browser(t).signIn("ada@example.org", password("ada@example.org"))
		if code != 401 || text(right) != text(wrong) {
			t.Errorf("a disabled account signs in: %d\n%s", code, text(right))
		}
	})
}

// TestResetTOTPSetsItUpAgain: once its TOTP is reset, a member of staff
// is signed out and sets TOTP up again at the next sign-in.
func TestResetTOTPSetsItUpAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		if err := db.EnableTOTP(t.Context(), s.staff.ID, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 0); err != nil {
			t.Fatal(err)
		}
		b := s.browser(t)
		b.signIn("staff@example.org", password("staff@example.org"))
		if code, _, body := b.get("/signin/totp"); code != 200 || secretRE.MatchString(body) {
			t.Fatalf("TOTP on: %d, set-up shown %v", code, secretRE.MatchString(body))
		}
		if err := db.ResetTOTP(t.Context(), s.staff.ID); err != nil {
			t.Fatal(err)
		}
		if code, loc, _ := b.get("/signin/totp"); code != 303 || !strings.HasPrefix(loc, "/signin") {
			t.Errorf("the waiting session outlived the reset: %d %s", code, loc)
		}
		b = s.browser(t)
		if code, loc, _ := b.signIn("staff@example.org", password("staff@example.org")); code != 303 || !strings.HasPrefix(loc, "/signin/totp") {
			t.Fatalf("sign-in after reset: %d %s", code, loc)
		}
		if code, _, body := b.get("/signin/totp"); code != 200 || !secretRE.MatchString(body) {
			t.Errorf("no set-up after reset: %d", code)
		}
	})
}
