package sqldb_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestDecisionNoticesAreTransactional: a bulk decision that commits
// leaves exactly one notice per candidate in the outbox, and one that
// fails after its decision rows are written leaves neither decisions nor
// notices.
func TestDecisionNoticesAreTransactional(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newAdmissions(t, db)
		var ids []int64
		for i := range 60 {
			ids = append(ids, w.submitted(t, fmt.Sprintf("Notice%02d", i)).ID)
		}
		before, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true, Limit: 1000})
		must(t, err)

		injected := errors.New("injected after the decision rows")
		sqldb.SetNoticeHookForTest(func() error { return injected })
		_, err = db.Decide(w.staff, ids, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible, Members: commission})
		sqldb.SetNoticeHookForTest(nil)
		if !errors.Is(err, injected) {
			t.Fatalf("decide with a failure injected: %v", err)
		}
		after, _ := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true, Limit: 1000})
		if len(after) != len(before) {
			t.Errorf("a rolled back decision left %d notices in the outbox", len(after)-len(before))
		}
		if list, _ := db.Decisions(t.Context(), ids[0]); len(list) != 0 || w.state(t, ids[0]) != certibloc.Submitted {
			t.Errorf("a rolled back decision left decisions %+v, state %s", list, w.state(t, ids[0]))
		}

		out, err := db.Decide(w.staff, ids, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible, Members: commission})
		must(t, err)
		after, _ = db.Outbox(t.Context(), sqldb.OutboxFilter{All: true, Limit: 1000})
		notices := after[:len(after)-len(before)]
		got := map[string]int{}
		for _, m := range notices {
			got[m.To]++
			if m.State != certibloc.MailPending || m.School != "DIIAGE" || !strings.Contains(m.Subject, "admissible") ||
				strings.Contains(m.Body, commission[0]) || strings.Contains(m.Body, "account 1") {
				t.Errorf("notice %+v", m)
			}
		}
		for i, d := range out {
			a, _ := db.Application(t.Context(), d.ApplicationID)
			p, _ := db.Person(t.Context(), a.PersonID)
			if got[p.Email] != 1 {
				t.Errorf("candidate %d (%s) got %d notices, want 1", i, p.Email, got[p.Email])
			}
		}
		if len(notices) != len(ids) {
			t.Errorf("%d notices for %d candidates", len(notices), len(ids))
		}

		// A candidate who changed their address since is still found by
		// erasure, through the person the notice is about.
		a, _ := db.Application(t.Context(), ids[0])
		p, _ := db.Person(t.Context(), a.PersonID)
		old := p.Email
		p.Email = "nouvelle.adresse@example.org"
		must(t, db.UpdatePerson(w.staff, p))
		must(t, db.ErasePerson(w.staff, p.ID, "request"))
		after, _ = db.Outbox(t.Context(), sqldb.OutboxFilter{All: true, Limit: 1000})
		for _, m := range after {
			if m.To == old || m.PersonID == p.ID {
				t.Errorf("after erasure, the outbox holds %+v", m)
			}
		}
	})
}

// TestClaimMail: a claim (a message's job and the attempt it begins, as
// the mailer claims) holds a message for its lease, a worker that
// died loses it when the lease ends, and two workers claiming at once
// never get the same message.
func TestClaimMail(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		now := time.Now().UTC()
		db.SetClockForAuditTest(func() time.Time { return now })
		m, err := db.Enqueue(ctx, certibloc.Mail{To: "lease@example.org", Subject: "Bail", Body: "x"})
		must(t, err)
		claimed, err := sqldbtest.ClaimMail(ctx, db, 5, time.Minute)
		if err != nil || len(claimed) != 1 || claimed[0].ID != m.ID {
			t.Fatalf("claim: %+v, %v", claimed, err)
		}
		now = now.Add(59 * time.Second)
		if again, _ := sqldbtest.ClaimMail(ctx, db, 5, time.Minute); len(again) != 0 {
			t.Errorf("claimed twice within the lease: %+v", again)
		}
		now = now.Add(2 * time.Second) // the first worker died
		again, err := sqldbtest.ClaimMail(ctx, db, 5, time.Minute)
		if err != nil || len(again) != 1 || again[0].Attempts != 2 {
			t.Fatalf("claim after the lease: %+v, %v", again, err)
		}
		must(t, db.MarkDead(ctx, m.ID, 2, "550 no such mailbox"))
		if got, _ := db.OutboxMail(ctx, m.ID); got.State != certibloc.MailDead || got.LastError != "550 no such mailbox" {
			t.Errorf("dead message: %+v", got)
		}

		var all []certibloc.Mail
		for i := range 120 {
			all = append(all, certibloc.Mail{To: fmt.Sprintf("c%03d@example.org", i), Subject: "S", Body: "B"})
		}
		for _, m := range all {
			_, err := db.Enqueue(ctx, m)
			must(t, err)
		}
		var mu sync.Mutex
		var got []int64
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					list, err := sqldbtest.ClaimMail(ctx, db, 7, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(list) == 0 {
						return
					}
					mu.Lock()
					for _, m := range list {
						got = append(got, m.ID)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		slices.Sort(got)
		if len(got) != len(all) || len(slices.Compact(got)) != len(all) {
			t.Errorf("%d claims for %d messages, %d distinct", len(got), len(all), len(slices.Compact(slices.Clone(got))))
		}
	})
}
