package sqldb_test

import (
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestTOTPSecretEncryptedAtRest: the database never holds a TOTP secret in
// the clear; secrets stored plain before are read, then encrypted when the
// key is set; another key opens nothing.
func TestTOTPSecretEncryptedAtRest(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		const plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
		a, err := db.CreateAccount(ctx, certibloc.Account{Email: "admin@example.org", Role: certibloc.Admin})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.EnableTOTP(ctx, a.ID, plain, 1); err != nil {
			t.Fatal(err)
		}
		raw, err := db.RawTOTPSecretForTest(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToUpper(raw), plain[:16]) || !strings.HasPrefix(raw, "v1:") {
			t.Errorf("stored TOTP secret: %q", raw)
		}
		if got, _ := db.Account(ctx, a.ID); got.TOTPSecret != plain {
			t.Errorf("read back %q", got.TOTPSecret)
		}

		// A secret from before encryption is read as it is, and sealed
		// when the key is set.
		if err := db.SetRawTOTPSecretForTest(a.ID, plain); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Account(ctx, a.ID); got.TOTPSecret != plain {
			t.Errorf("plain secret read as %q", got.TOTPSecret)
		}
		key := []byte("0123456789abcdef0123456789abcdef")
		if n, err := db.SetSecretKey(ctx, key); err != nil || n != 1 {
			t.Fatalf("set key: %d %v", n, err)
		}
		if raw, _ := db.RawTOTPSecretForTest(a.ID); !strings.HasPrefix(raw, "v1:") || strings.Contains(raw, plain[:16]) {
			t.Errorf("after the key was set: %q", raw)
		}
		if got, _ := db.Account(ctx, a.ID); got.TOTPSecret != plain {
			t.Errorf("migrated secret read as %q", got.TOTPSecret)
		}
		// Another key (a lost one) opens nothing: the second factor fails closed.
		if _, err := db.SetSecretKey(ctx, []byte("another key, 32 bytes long......")); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Account(ctx, a.ID); got.TOTPSecret != "" {
			t.Errorf("a wrong key opened %q", got.TOTPSecret)
		}
		// What serve warns of: another instance, or a lost key.
		if n, err := db.TOTPSecretsNotOpening(ctx); n != 1 || err != nil {
			t.Errorf("secrets the wrong key does not open: %d %v", n, err)
		}
		if _, err := db.SetSecretKey(ctx, key); err != nil {
			t.Fatal(err)
		}
		if n, err := db.TOTPSecretsNotOpening(ctx); n != 0 || err != nil {
			t.Errorf("secrets the right key does not open: %d %v", n, err)
		}
	})
}
