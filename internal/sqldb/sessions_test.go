package sqldb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestSessionLifetimes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		authSchools(t, db)
		clock := newAuthClock(db)
		a := mustAccount(t, db, certibloc.Account{Email: "staff@example.org", Role: certibloc.Staff, Schools: []string{"DIIAGE"}})
		secret, err := db.CreateSession(ctx, a.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		s, err := db.Session(ctx, secret)
		if err != nil || s.Account.ID != a.ID || !s.MFADone || s.Account.Schools[0] != "DIIAGE" {
			t.Fatalf("session = %+v, %v", s, err)
		}
		if _, err := db.Session(ctx, secret+"x"); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("unknown secret: %v", err)
		}
		// Used every 11 hours, the session lives its 7 days and no more.
		for range 15 {
			clock.advance(11 * time.Hour)
			if _, err := db.Session(ctx, secret); err != nil {
				t.Fatalf("after %s of use: %v", clock.t.Sub(s.CreatedAt), err)
			}
		}
		clock.advance(8 * time.Hour) // 7 days and 1 hour after it began
		if _, err := db.Session(ctx, secret); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("session older than 7 days: %v", err)
		}

		idle, _ := db.CreateSession(ctx, a.ID, true)
		clock.advance(sqldb.SessionIdle)
		if _, err := db.Session(ctx, idle); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("session idle for 12 hours: %v", err)
		}
	})
}

func TestMFAStepRotatesTheSession(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		authSchools(t, db)
		clock := newAuthClock(db)
		a := mustAccount(t, db, certibloc.Account{Email: "staff@example.org", Role: certibloc.Staff, Schools: []string{"DIIAGE"}})

		pending, _ := db.CreateSession(ctx, a.ID, false)
		full, err := db.CompleteMFA(ctx, pending, 500, "JBSWY3DPEHPK3PXP")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, pending); err == nil {
			t.Error("the pending session outlived its second factor")
		}
		if s, err := db.Session(ctx, full); err != nil || !s.MFADone || !s.Account.TOTPEnabled || s.Account.TOTPLastStep != 500 {
			t.Errorf("full session = %+v, %v", s, err)
		}
		if _, err := db.CompleteMFA(ctx, full, 501, ""); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("completing a full session: %v", err)
		}

		// A code of a step already used is refused, and the session stays pending.
		pending, _ = db.CreateSession(ctx, a.ID, false)
		if _, err := db.CompleteMFA(ctx, pending, 500, ""); certibloc.ErrorCode(err) != certibloc.EINVALID ||
			!strings.Contains(err.Error(), "used already") {
			t.Errorf("replayed step: %v", err)
		}
		if s, err := db.Session(ctx, pending); err != nil || s.MFADone {
			t.Errorf("after a replayed code: %+v %v", s, err)
		}
		if _, err := db.CompleteMFA(ctx, pending, 501, ""); err != nil {
			t.Errorf("next step: %v", err)
		}

		// A pending session lasts ten minutes.
		pending, _ = db.CreateSession(ctx, a.ID, false)
		clock.advance(sqldb.MFAWindow)
		if _, err := db.CompleteMFA(ctx, pending, 502, ""); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("pending session after 10 minutes: %v", err)
		}
	})
}

func TestSignOutEverywhere(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		authSchools(t, db)
		a := mustAccount(t, db, certibloc.Account{Email: "admin@example.org", Role: certibloc.Admin})
		b := mustAccount(t, db, certibloc.Account{Email: "other@example.org", Role: certibloc.Admin})
		one, _ := db.CreateSession(ctx, a.ID, true)
		two, _ := db.CreateSession(ctx, a.ID, true)
		three, _ := db.CreateSession(ctx, a.ID, true)
		others, _ := db.CreateSession(ctx, b.ID, true)
		if n, err := db.RevokeSessions(ctx, a.ID, one); n != 2 || err != nil {
			t.Errorf("revoke all but one = %d, %v", n, err)
		}
		for name, tt := range map[string]struct {
			secret string
			alive  bool
		}{"kept": {one, true}, "two": {two, false}, "three": {three, false}, "another account's": {others, true}} {
			if _, err := db.Session(ctx, tt.secret); (err == nil) != tt.alive {
				t.Errorf("%s session: %v, want alive=%v", name, err, tt.alive)
			}
		}
		if err := db.DeleteSession(ctx, one); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Session(ctx, one); err == nil {
			t.Error("signed out, the session lives on")
		}
		if err := db.DeleteSession(ctx, one); err != nil {
			t.Errorf("signing out twice: %v", err)
		}
		trail, _ := db.AuditTrail(ctx, "account", "1")
		if last := trail[len(trail)-1]; last.Action != "session.delete" || trail[len(trail)-2].Action != "session.revoke_all" {
			t.Errorf("trail ends with %s", last.Action)
		}
	})
}

func TestSignInFailures(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		clock := newAuthClock(db)
		start := clock.t
		for range 3 {
			if err := db.RecordSignInFailure(ctx, "email:ada@example.org", "ip:192.0.2.1"); err != nil {
				t.Fatal(err)
			}
			clock.advance(5 * time.Minute)
		}
		count := func(subject string, since time.Time) int {
			n, err := db.SignInFailures(ctx, subject, since)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("email:ada@example.org", start.Add(-time.Second)); n != 3 {
			t.Errorf("3 failures counted %d", n)
		}
		if n := count("ip:192.0.2.1", start.Add(time.Minute)); n != 2 {
			t.Errorf("failures in the last 14 minutes: %d, want 2", n)
		}
		if err := db.ClearSignInFailures(ctx, "email:ada@example.org"); err != nil {
			t.Fatal(err)
		}
		if count("email:ada@example.org", start.Add(-time.Hour)) != 0 || count("ip:192.0.2.1", start.Add(-time.Hour)) != 3 {
			t.Error("clearing one subject cleared another, or nothing")
		}
		// A day later the next failure sweeps the old ones away.
		clock.advance(25 * time.Hour)
		db.RecordSignInFailure(ctx, "ip:198.51.100.7")
		if n := count("ip:192.0.2.1", start.Add(-time.Hour)); n != 0 {
			t.Errorf("failures older than a day are kept: %d", n)
		}
	})
}
