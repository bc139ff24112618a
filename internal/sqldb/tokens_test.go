package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestTokenScopes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, role, school string
			code               string // of the error; "" for none
			scope              []string
		}{
			{name: "admin", role: "admin", scope: nil},
			{name: "admin of a school", role: "admin", school: "DIIAGE", code: certibloc.EINVALID},
			{name: "staff", role: "staff", school: "DIIAGE", scope: []string{"DIIAGE"}},
			{name: "staff, code in lower case", role: "staff", school: "diiage", scope: []string{"DIIAGE"}},
			{name: "staff without a school", role: "staff", code: certibloc.EINVALID},
			{name: "staff of an unknown school", role: "staff", school: "NOWHERE", code: certibloc.EINVALID},
			{name: "evaluator", role: "evaluator", school: "DIIAGE", scope: []string{"DIIAGE"}},
			{name: "jury", role: "jury", school: "DIIAGE", scope: []string{"DIIAGE"}},
			{name: "referent", role: "referent", school: "DIIAGE", scope: []string{"DIIAGE"}},
			{name: "candidate", role: "candidate", school: "DIIAGE", scope: []string{"DIIAGE"}},
			{name: "unknown role", role: "root", code: certibloc.EINVALID},
		} {
			secret, tok, err := db.CreateToken(ctx, tc.name, tc.role, tc.school)
			if tc.code != "" {
				if certibloc.ErrorCode(err) != tc.code {
					t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
				continue
			}
			got, err := db.Authenticate(ctx, secret)
			if err != nil || got.ID != tok.ID {
				t.Errorf("%s: authenticate = %+v, %v", tc.name, got, err)
				continue
			}
			p := got.Principal()
			if p.Role != certibloc.Role(tc.role) || !slices.Equal(p.Schools, tc.scope) || p.TokenID != tok.ID {
				t.Errorf("%s: principal %+v, want role %s scoped to %v", tc.name, p, tc.role, tc.scope)
			}
		}
		if _, _, err := db.CreateToken(ctx, " ", "admin", ""); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a token without a name: %v", err)
		}
	})
}

// TestTokenLastUsed: last_used_at is written on first use, then at most
// once a minute, so that authenticating stays a read.
func TestTokenLastUsed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		db.SetClockForAuditTest(func() time.Time { return now })
		secret, tok, err := db.CreateToken(ctx, "ci", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		lastUsed := func() *time.Time {
			t.Helper()
			got, err := db.Token(ctx, tok.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.LastUsedAt
		}
		if lastUsed() != nil {
			t.Fatal("a token never used has a last use")
		}
		for _, step := range []struct {
			after time.Duration
			want  time.Time
		}{
			{0, now},
			{30 * time.Second, now},
			{59 * time.Second, now},
			{61 * time.Second, now.Add(61 * time.Second)},
			{90 * time.Second, now.Add(61 * time.Second)},
		} {
			db.SetClockForAuditTest(func() time.Time { return now.Add(step.after) })
			if _, err := db.Authenticate(ctx, secret); err != nil {
				t.Fatal(err)
			}
			if got := lastUsed(); got == nil || !got.Equal(step.want) {
				t.Errorf("used at +%v: last_used_at = %v, want %v", step.after, got, step.want)
			}
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, secret); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("a revoked token authenticates: %v", err)
		}
		if err := db.RevokeToken(ctx, tok.ID); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("revoking twice: %v", err)
		}
		got, err := db.Token(ctx, tok.ID)
		if err != nil || got.RevokedAt == nil {
			t.Errorf("revoked token = %+v, %v", got, err)
		}
		if _, err := db.Token(ctx, 999); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown token: %v", err)
		}
	})
}
