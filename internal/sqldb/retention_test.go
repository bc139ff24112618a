package sqldb_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestRetentionMonths(t *testing.T) {
	for _, tt := range []struct {
		env  string
		want int
		ok   bool
	}{{"", 24, true}, {"36", 36, true}, {" 6 ", 6, true}, {"0", 0, false}, {"two", 0, false}, {"-3", 0, false}} {
		got, err := sqldb.RetentionMonths(func(string) string { return tt.env })
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("RetentionMonths(%q) = %d, %v", tt.env, got, err)
		}
	}
}

// TestRetentionErasesWhatLedNowhere lets 30 months pass over people in
// every situation and checks that the policy erases only those whose
// record led nowhere.
func TestRetentionErasesWhatLedNowhere(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		now := time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC)
		db.SetClockForGDPRTest(func() time.Time { return now })
		withSchools(t, db)
		person := func(name string) *certibloc.Person { return mustCreate(t, db, samplePerson("DIIAGE", name, "Test")) }
		account := func(p *certibloc.Person, role certibloc.Role) certibloc.Account {
			a := certibloc.Account{PersonID: p.ID, Email: p.Email, Role: role}
			if role != certibloc.Candidate {
				a.Schools = []string{"DIIAGE"}
			}
			a, err := db.CreateAccount(ctx, a)
			must(t, err)
			return a
		}

		// Long ago (30 months before the purge).
		idle := person("Oubli")
		idleAccount := person("Compte")
		a := account(idleAccount, certibloc.Candidate)
		_, err := db.CreateSession(ctx, a.ID, true)
		must(t, err)
		staff := person("Personnel")
		account(staff, certibloc.Evaluator)
		erased := person("Efface")
		must(t, db.ErasePerson(ctx, erased.ID, "request"))
		active := person("Actif")
		activeAccount := account(active, certibloc.Candidate)
		referred := person("Amenage")
		kept := []*certibloc.Person{staff, active, referred}

		// 29 months later: some activity.
		now = now.AddDate(0, 29, 0)
		_, err = db.CreateSession(ctx, activeAccount.ID, true)
		must(t, err)
		must(t, db.SetDisability(ctx, &certibloc.Disability{PersonID: referred.ID, Needs: "x", Accommodations: "y"}))
		edited := person("Recent")
		kept = append(kept, edited)

		now = now.AddDate(0, 1, 0)
		dry, err := db.PurgeRetention(ctx, 24, true)
		must(t, err)
		want := []int64{idle.ID, idleAccount.ID}
		if !slices.Equal(dry.IDs, want) || dry.Erased != 2 || !dry.DryRun || !dry.Before.Equal(now.AddDate(-2, 0, 0)) {
			t.Errorf("dry run = %+v, want ids %v", dry, want)
		}
		if p, _ := db.Person(ctx, idle.ID); p.ErasedAt != nil {
			t.Fatal("a dry run erased someone")
		}
		res, err := db.PurgeRetention(ctx, 24, false)
		must(t, err)
		if !slices.Equal(res.IDs, want) || res.Erased != 2 {
			t.Errorf("purge = %+v, want ids %v", res, want)
		}
		for _, p := range []*certibloc.Person{idle, idleAccount} {
			if got, _ := db.Person(ctx, p.ID); got.ErasedAt == nil {
				t.Errorf("%s was not erased", p.BirthName)
			}
		}
		for _, p := range kept {
			if got, _ := db.Person(ctx, p.ID); got.ErasedAt != nil {
				t.Errorf("%s was erased, though their record led somewhere", p.BirthName)
			}
		}
		trail, _ := db.AuditTrail(ctx, "person", fmt.Sprint(idle.ID))
		if last := trail[len(trail)-1]; last.Action != "person.erase" || string(last.Data) != `{"reason":"retention","tables":["people"]}` {
			t.Errorf("retention erasure recorded as %s %s", last.Action, last.Data)
		}
		if again, err := db.PurgeRetention(ctx, 24, false); err != nil || again.Erased != 0 {
			t.Errorf("second purge = %+v, %v", again, err)
		}
		if _, err := db.PurgeRetention(ctx, 0, true); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("0 months: %v", err)
		}
	})
}
