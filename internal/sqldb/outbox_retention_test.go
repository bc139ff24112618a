package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestRetentionDeletesOldMail: the purge deletes the e-mails sent or given
// up more than OutboxKeepDays ago (their bodies hold names, decisions and
// password links), and keeps those still to deliver and the recent ones.
func TestRetentionDeletesOldMail(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		db.SetClockForGDPRTest(func() time.Time { return now })
		enqueue := func(to string) int64 {
			m, err := db.Enqueue(ctx, certibloc.Mail{To: to, Subject: "Décision", Body: "Bonjour"})
			must(t, err)
			return m.ID
		}
		sent, dead, pending := enqueue("sent@example.org"), enqueue("dead@example.org"), enqueue("pending@example.org")
		claimed, err := db.ClaimMail(ctx, 3, time.Minute)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claim: %+v, %v", claimed, err)
		}
		must(t, db.MarkSent(ctx, sent, 1))
		must(t, db.MarkDead(ctx, dead, 1, "550 no such mailbox"))
		must(t, db.RetryMail(ctx, pending, 1, "421 busy", now.AddDate(1, 0, 0)))

		now = now.AddDate(0, 0, sqldb.OutboxKeepDays+1)
		recent := enqueue("recent@example.org")
		claimed, err = db.ClaimMail(ctx, 3, time.Minute)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %+v, %v", claimed, err)
		}
		must(t, db.MarkSent(ctx, recent, 1))

		dry, err := db.PurgeRetention(ctx, 24, true)
		if err != nil || dry.Mails != 2 {
			t.Fatalf("dry run: %+v, %v; want 2 e-mails", dry, err)
		}
		res, err := db.PurgeRetention(ctx, 24, false)
		if err != nil || res.Mails != 2 {
			t.Fatalf("purge: %+v, %v; want 2 e-mails", res, err)
		}
		left, err := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		must(t, err)
		var ids []int64
		for _, m := range left {
			ids = append(ids, m.ID)
		}
		slices.Sort(ids)
		if want := []int64{pending, recent}; !slices.Equal(ids, want) {
			t.Errorf("left in the outbox %v, want %v (the pending and the recent one)", ids, want)
		}
	})
}
