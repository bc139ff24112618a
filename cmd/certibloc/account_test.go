package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

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
