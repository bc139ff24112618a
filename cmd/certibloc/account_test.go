package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// TestAccountCreateMakesTheFirstAdmin: on a fresh data directory, account
// create makes an admin and prints a link that leads to a live password
// link for it; account list shows it without a password yet.
func TestAccountCreateMakesTheFirstAdmin(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir(), "CERTIBLOC_BASE_URL": "https://certibloc.example.org/"}
	out, _, err := cli(t, env, "account", "create", "--email", "Admin@Example.org", "--role", "admin")
	if err != nil {
		t.Fatalf("account create: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^https://certibloc\.example\.org/password/reset\?token=([A-Za-z0-9_-]{43})$`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "account 1 (admin@example.org, role admin) created") {
		t.Fatalf("output:\n%s", out)
	}
	db, err := sqldb.Open(context.Background(), "", env["CERTIBLOC_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if a, err := db.PasswordReset(t.Context(), m[1]); err != nil || a.Email != "admin@example.org" {
		t.Errorf("the printed link: %+v, %v", a, err)
	}
	trail, _ := db.AuditTrail(t.Context(), "account", "1")
	if len(trail) != 2 || trail[0].Actor != "cli" || trail[1].Action != "password_reset.request" {
		t.Errorf("trail %+v", trail)
	}

	out, _, err = cli(t, env, "account", "list")
	if err != nil || !regexp.MustCompile(`1\s+admin@example\.org\s+admin\s+no\s+no`).MatchString(out) {
		t.Errorf("account list: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"account", "create", "--email", "admin@example.org", "--role", "admin"},
		{"account", "create", "--email", "staff@example.org", "--role", "staff"},
		{"account", "create", "--email", "staff@example.org", "--role", "staff", "--school", "nowhere"},
		{"account", "create", "--role", "admin"},
		{"account", "frobnicate"},
	} {
		if _, _, err := cli(t, env, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
	if _, stderr, err := cli(t, nil, "account", "create", "--help"); err != nil || !strings.Contains(stderr, "Usage: certibloc account") {
		t.Errorf("help: %v %q", err, stderr)
	}
}

// TestAccountResetTOTPAndDisable: reset-totp clears the second factor of
// a member of staff, who must set it up again, and signs them out; disable
// closes the account and signs it out; both are audited by the command
// line, without the secret.
func TestAccountResetTOTPAndDisable(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	if _, _, err := cli(t, env, "migrate"); err != nil {
		t.Fatal(err)
	}
	const key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	db, err := sqldb.Open(context.Background(), "", env["CERTIBLOC_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test"})
	if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "École DIIAGE"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cli(t, env, "account", "create", "--email", "staff@example.org", "--role", "staff", "--school", "DIIAGE"); err != nil {
		t.Fatal(err)
	}
	staff, err := db.AccountByEmail(ctx, "staff@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnableTOTP(ctx, staff.ID, key, 1); err != nil {
		t.Fatal(err)
	}
	session := func() string {
		t.Helper()
		token, err := db.CreateSession(ctx, staff.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	lastEntry := func() certibloc.AuditEntry {
		t.Helper()
		trail, err := db.AuditTrail(ctx, "account", "1")
		if err != nil || len(trail) == 0 {
			t.Fatalf("trail: %v", err)
		}
		return trail[len(trail)-1]
	}

	token := session()
	out, _, err := cli(t, env, "account", "reset-totp", "--email", " Staff@Example.org")
	if err != nil || !strings.Contains(out, "account 1 (staff@example.org): TOTP cleared") {
		t.Fatalf("reset-totp: %v\n%s", err, out)
	}
	a, _ := db.Account(ctx, staff.ID)
	if a.TOTPEnabled || a.TOTPSecret != "" || !a.NeedsTOTP() || a.DisabledAt != nil {
		t.Errorf("after reset-totp: %+v", a)
	}
	if _, err := db.Session(ctx, token); err == nil {
		t.Error("a session outlived reset-totp")
	}
	if e := lastEntry(); e.Action != "account.totp" || e.Actor != "cli" || strings.Contains(string(e.Data), key) ||
		!strings.Contains(string(e.Data), `"reset":true`) || !strings.Contains(string(e.Data), `"sessions_revoked":1`) {
		t.Errorf("reset-totp entry %+v %s", e, e.Data)
	}

	token = session()
	out, _, err = cli(t, env, "account", "disable", "--email", "staff@example.org")
	if err != nil || !strings.Contains(out, "account 1 (staff@example.org) disabled") {
		t.Fatalf("disable: %v\n%s", err, out)
	}
	if a, _ := db.Account(ctx, staff.ID); a.DisabledAt == nil {
		t.Error("disable left disabled_at empty")
	}
	if _, err := db.Session(ctx, token); err == nil {
		t.Error("a session outlived disable")
	}
	if e := lastEntry(); e.Action != "account.disable" || e.Actor != "cli" || !strings.Contains(string(e.Data), `"sessions_revoked":1`) {
		t.Errorf("disable entry %+v %s", e, e.Data)
	}
	// A disabled account gets no new password link to work, nor a session.
	link, err := db.CreatePasswordReset(ctx, staff.ID, sqldb.ResetTTL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PasswordReset(ctx, link); err == nil {
		t.Error("a password link works for a disabled account")
	}
	if _, err := db.Session(ctx, session()); err == nil {
		t.Error("a disabled account has a live session")
	}
	out, _, err = cli(t, env, "account", "list")
	if err != nil || !regexp.MustCompile(`1\s+staff@example\.org\s+staff\s+DIIAGE\s+no\s+no\s+\S+ \S+\s+\d{4}-`).MatchString(out) {
		t.Errorf("account list: %v\n%s", err, out)
	}

	for _, args := range [][]string{
		{"account", "disable", "--email", "staff@example.org"},
		{"account", "disable", "--email", "nobody@example.org"},
		{"account", "reset-totp", "--email", "nobody@example.org"},
		{"account", "disable"},
		{"account", "reset-totp"},
	} {
		if _, _, err := cli(t, env, args...); err == nil {
			t.Errorf("%v succeeded", args)
		}
	}
}

// TestServeRefusesSMTPWithoutSender: a half-configured SMTP stops serve at
// once, saying what is missing without printing the password.
func TestServeRefusesSMTPWithoutSender(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir(), "CERTIBLOC_ADDR": "127.0.0.1:0",
		"CERTIBLOC_SMTP_URL": "smtp://mailer:s3cret@mail.example.org:587"}
	_, stderr, err := cli(t, env, "serve")
	if err == nil || !strings.Contains(err.Error(), "CERTIBLOC_MAIL_FROM") || strings.Contains(err.Error()+stderr, "s3cret") {
		t.Errorf("serve with SMTP and no sender: %v", err)
	}
}
