package sqldb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// authClock is a settable time for the store.
type authClock struct{ t time.Time }

func (c *authClock) now() time.Time          { return c.t }
func (c *authClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newAuthClock(db *sqldb.DB) *authClock {
	c := &authClock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.SetClockForAuthTest(c.now)
	return c
}
func authCtx(t *testing.T) context.Context {
	return certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test"})
}

// authSchools makes the schools DIIAGE and OTHER and a person of the DIIAGE,
// whose id it returns.
func authSchools(t *testing.T, db *sqldb.DB) int64 {
	t.Helper()
	ctx := authCtx(t)
	for _, code := range []string{"DIIAGE", "OTHER"} {
		if err := db.CreateSchool(ctx, &certibloc.School{Code: code, Name: "École " + code}); err != nil {
			t.Fatal(err)
		}
	}
	p := &certibloc.Person{School: "DIIAGE", BirthName: "Lovelace", FirstNames: "Ada"}
	if err := db.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func mustAccount(t *testing.T, db *sqldb.DB, a certibloc.Account) certibloc.Account {
	t.Helper()
	got, err := db.CreateAccount(authCtx(t), a)
	if err != nil {
		t.Fatalf("create %+v: %v", a, err)
	}
	return got
}

func TestCreateAccountRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		person := authSchools(t, db)
		admin := mustAccount(t, db, certibloc.Account{Email: " Admin@Example.ORG ", Role: certibloc.Admin})
		staff := mustAccount(t, db, certibloc.Account{Email: "staff@example.org", Role: certibloc.Staff, Schools: []string{"OTHER", "DIIAGE", "DIIAGE"}})
		cand := mustAccount(t, db, certibloc.Account{Email: "ada@example.org", Role: certibloc.Candidate, PersonID: person})
		if admin.Email != "admin@example.org" || !slices.Equal(staff.Schools, []string{"DIIAGE", "OTHER"}) || cand.PersonSchool != "DIIAGE" {
			t.Errorf("created %+v %+v %+v", admin, staff, cand)
		}
		for name, tt := range map[string]struct {
			a    certibloc.Account
			code string
			msg  string
		}{
			"duplicate address, other case": {certibloc.Account{Email: "ADMIN@example.org", Role: certibloc.Admin}, certibloc.ECONFLICT, "already exists"},
			"not an address":                {certibloc.Account{Email: "admin", Role: certibloc.Admin}, certibloc.EINVALID, "not an e-mail address"},
			"unknown role":                  {certibloc.Account{Email: "x@example.org", Role: "root"}, certibloc.EINVALID, `role "root"`},
			"staff without school":          {certibloc.Account{Email: "x@example.org", Role: certibloc.Jury}, certibloc.EINVALID, "at least one school"},
			"admin with a school":           {certibloc.Account{Email: "x@example.org", Role: certibloc.Admin, Schools: []string{"DIIAGE"}}, certibloc.EINVALID, "give it none"},
			"unknown school":                {certibloc.Account{Email: "x@example.org", Role: certibloc.Staff, Schools: []string{"NOPE"}}, certibloc.EINVALID, `"NOPE"`},
			"candidate without person":      {certibloc.Account{Email: "x@example.org", Role: certibloc.Candidate}, certibloc.EINVALID, "needs the person"},
			"candidate with a school":       {certibloc.Account{Email: "x@example.org", Role: certibloc.Candidate, PersonID: person, Schools: []string{"DIIAGE"}}, certibloc.EINVALID, "no school"},
			"unknown person":                {certibloc.Account{Email: "x@example.org", Role: certibloc.Candidate, PersonID: 999}, certibloc.EINVALID, "no person"},
		} {
			if _, err := db.CreateAccount(ctx, tt.a); certibloc.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("%s: %v, want %s containing %q", name, err, tt.code, tt.msg)
			}
		}
		list, err := db.Accounts(ctx)
		if err != nil || len(list) != 3 {
			t.Fatalf("accounts = %v, %v; the refused ones must not be stored", list, err)
		}
		got, err := db.AccountByEmail(ctx, "STAFF@example.org ")
		if err != nil || got.ID != staff.ID || !slices.Equal(got.Schools, staff.Schools) || got.PasswordHash != "" {
			t.Errorf("by e-mail = %+v, %v", got, err)
		}
		if _, err := db.AccountByEmail(ctx, "nobody@example.org"); certibloc.ErrorCode(err) != certibloc.ENOTFOUND ||
			strings.Contains(err.Error(), "nobody") {
			t.Errorf("unknown address: %v; want not found, without the address", err)
		}
		p := staff.Principal()
		if p.AccountID != staff.ID || p.Role != certibloc.Staff || p.Label != "account 2" || !p.InSchool("OTHER") {
			t.Errorf("principal %+v", p)
		}
		if !staff.NeedsTOTP() || !admin.NeedsTOTP() || cand.NeedsTOTP() {
			t.Error("every staff role needs TOTP, a candidate only when enabled")
		}
	})
}

// TestAccountChangesAreAuditedWithoutSecrets walks the changes of an
// account and reads the trail: every change is there, no address and no
// secret is.
func TestAccountChangesAreAuditedWithoutSecrets(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		person := authSchools(t, db)
		a := mustAccount(t, db, certibloc.Account{Email: "ada@example.org", Role: certibloc.Candidate, PersonID: person})
		const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
		if err := db.SetPassword(ctx, a.ID, hash, ""); err != nil {
			t.Fatal(err)
		}
		const totp = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
		if err := db.EnableTOTP(ctx, a.ID, totp, 100); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Account(ctx, a.ID)
		if got.PasswordHash != hash || !got.TOTPEnabled || got.TOTPSecret != totp || got.TOTPLastStep != 100 {
			t.Errorf("after changes: %+v", got)
		}
		if err := db.DisableTOTP(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ = db.Account(ctx, a.ID); got.TOTPEnabled || got.TOTPSecret != "" {
			t.Errorf("TOTP still on: %+v", got)
		}
		token, err := db.CreatePasswordReset(ctx, a.ID, sqldb.ResetTTL)
		if err != nil {
			t.Fatal(err)
		}
		trail, err := db.AuditTrail(ctx, "account", fmt.Sprint(a.ID))
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range trail {
			actions = append(actions, e.Action)
			raw, _ := json.Marshal(e)
			for _, secret := range []string{"ada@", hash, totp, token, "Lovelace"} {
				if strings.Contains(string(raw), secret) {
					t.Errorf("audit entry %s holds %q: %s", e.Action, secret, raw)
				}
			}
			if e.School != "DIIAGE" {
				t.Errorf("%s filed under school %q, want the candidate's DIIAGE", e.Action, e.School)
			}
		}
		want := []string{"account.create", "account.password", "account.totp", "account.totp", "password_reset.request"}
		if !slices.Equal(actions, want) {
			t.Errorf("trail %v, want %v", actions, want)
		}
	})
}

func TestStaffMustKeepTOTP(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		authSchools(t, db)
		a := mustAccount(t, db, certibloc.Account{Email: "jury@example.org", Role: certibloc.Jury, Schools: []string{"DIIAGE"}})
		if err := db.EnableTOTP(authCtx(t), a.ID, "JBSWY3DPEHPK3PXP", 1); err != nil {
			t.Fatal(err)
		}
		if err := db.DisableTOTP(authCtx(t), a.ID); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Errorf("a jury member turned TOTP off: %v", err)
		}
	})
}
