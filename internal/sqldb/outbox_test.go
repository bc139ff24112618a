package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestPasswordLinks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		authSchools(t, db)
		clock := newAuthClock(db)
		a := mustAccount(t, db, certibloc.Account{Email: "staff@example.org", Role: certibloc.Staff, Schools: []string{"DIIAGE"}})
		session, _ := db.CreateSession(ctx, a.ID, true)
		first, _ := db.CreatePasswordReset(ctx, a.ID, sqldb.ResetTTL)
		second, err := db.CreatePasswordReset(ctx, a.ID, sqldb.ResetTTL)
		if err != nil || first == second || len(first) < 40 {
			t.Fatalf("tokens %q %q, %v", first, second, err)
		}
		if n, _ := db.PasswordResetsSince(ctx, a.ID, clock.t.Add(-time.Hour)); n != 2 {
			t.Errorf("%d links in the last hour, want 2", n)
		}
		if got, err := db.PasswordReset(ctx, first); err != nil || got.ID != a.ID {
			t.Errorf("live link: %+v %v", got, err)
		}
		bad := func(name, token string) {
			t.Helper()
			if _, err := db.PasswordReset(ctx, token); certibloc.ErrorCode(err) != certibloc.EINVALID {
				t.Errorf("%s link checks: %v", name, err)
			}
			if _, err := db.ResetPassword(ctx, token, "new-hash"); certibloc.ErrorCode(err) != certibloc.EINVALID ||
				!strings.Contains(err.Error(), "unknown, expired or already used") {
				t.Errorf("%s link resets: %v", name, err)
			}
		}
		bad("unknown", "not-a-token")

		if _, err := db.ResetPassword(ctx, second, "hash-2"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Account(ctx, a.ID)
		if got.PasswordHash != "hash-2" {
			t.Errorf("hash = %q", got.PasswordHash)
		}
		if _, err := db.Session(ctx, session); err == nil {
			t.Error("a password reset left a session alive")
		}
		bad("reused", second)
		bad("older link of the same account", first)

		expiring, _ := db.CreatePasswordReset(ctx, a.ID, sqldb.ResetTTL)
		clock.advance(sqldb.ResetTTL + time.Second)
		bad("expired", expiring)
		if got, _ := db.Account(ctx, a.ID); got.PasswordHash != "hash-2" {
			t.Errorf("a refused link changed the password: %q", got.PasswordHash)
		}
	})
}

func TestOutbox(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		var ids []int64
		for _, m := range []certibloc.Mail{
			{To: "admin@example.org", Subject: "Admin", Body: "one"},
			{To: "staff@example.org", Subject: "Staff", Body: "two\nlines", School: "DIIAGE"},
			{To: "other@example.org", Subject: "Other", Body: "three", School: "OTHER"},
		} {
			got, err := db.Enqueue(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, got.ID)
		}
		for _, m := range []certibloc.Mail{{Subject: "no one"}, {To: "x@example.org", Subject: "two\r\nBcc: y@example.org"}} {
			if _, err := db.Enqueue(ctx, m); certibloc.ErrorCode(err) != certibloc.EINVALID {
				t.Errorf("enqueue %+v: %v", m, err)
			}
		}
		subjects := func(f sqldb.OutboxFilter) string {
			list, err := db.Outbox(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, m := range list {
				s = append(s, m.Subject)
			}
			return strings.Join(s, " ")
		}
		for _, tt := range []struct {
			f    sqldb.OutboxFilter
			want string
		}{
			{sqldb.OutboxFilter{All: true}, "Other Staff Admin"},
			{sqldb.OutboxFilter{All: true, Limit: 1}, "Other"},
			{sqldb.OutboxFilter{Schools: []string{"DIIAGE"}}, "Staff"},
			{sqldb.OutboxFilter{Schools: []string{"DIIAGE", "OTHER"}}, "Other Staff"},
			{sqldb.OutboxFilter{}, ""},
		} {
			if got := subjects(tt.f); got != tt.want {
				t.Errorf("%+v: %q, want %q", tt.f, got, tt.want)
			}
		}
		// All three are claimed; ids[1] fails and is due again, the others stay
		// claimed until their lease ends.
		claimed, err := sqldbtest.ClaimMail(ctx, db, 10, time.Minute)
		if err != nil || len(claimed) != 3 || claimed[1].ID != ids[1] || claimed[1].State != certibloc.MailSending || claimed[1].Attempts != 1 {
			t.Fatalf("claimed %+v, %v", claimed, err)
		}
		if err := db.RetryMail(ctx, ids[1], 1, "451 try later", time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		// Its job is tried again then, as the mailer asks.
		must(t, db.FailJobAfter(ctx, claimed[1].Job.ID, claimed[1].Job.Attempts, "451 try later", false, -time.Second))
		m, _ := db.OutboxMail(ctx, ids[1])
		if m.SentAt != nil || m.State != certibloc.MailPending || m.LastError != "451 try later" || !strings.HasPrefix(m.Body, "two\nlines\n"+certibloc.SignatureMark) || m.NextTry == nil {
			t.Errorf("failed message = %+v", m)
		}
		if claimed, err = sqldbtest.ClaimMail(ctx, db, 10, time.Minute); err != nil || len(claimed) != 1 || claimed[0].Attempts != 2 {
			t.Fatalf("claimed again %+v, %v", claimed, err)
		}
		if err := db.MarkSent(ctx, ids[1], 1); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("an attempt whose claim ended marked the message sent: %v", err)
		}
		if err := db.MarkSent(ctx, ids[1], 2); err != nil {
			t.Fatal(err)
		}
		if m, _ = db.OutboxMail(ctx, ids[1]); m.SentAt == nil || m.LastError != "" || m.State != certibloc.MailSent {
			t.Errorf("sent message = %+v", m)
		}
		if err := db.MarkSent(ctx, 999, 1); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("mark an unknown message: %v", err)
		}
		trail, _ := db.AuditTrail(ctx, "outbox", "2")
		if len(trail) != 3 || trail[1].Action != "outbox.failed" || strings.Contains(string(trail[1].Data), "451") {
			t.Errorf("trail of message 2: %+v", trail)
		}
	})
}
