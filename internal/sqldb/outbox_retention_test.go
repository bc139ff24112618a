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
		claimed, err := sqldbtest.ClaimMail(ctx, db, 3, time.Minute)
		if err != nil || len(claimed) != 3 {
			t.Fatalf("claim: %+v, %v", claimed, err)
		}
		must(t, db.MarkSent(ctx, sent, 1))
		must(t, db.MarkDead(ctx, dead, 1, "550 no such mailbox"))
		must(t, db.RetryMail(ctx, pending, 1, "421 busy", now.AddDate(1, 0, 0)))
		// The jobs end as the mailer ends them: the pending message's is
		// tried again when the message is due.
		must(t, db.FinishJob(ctx, claimed[0].Job.ID, claimed[0].Job.Attempts))
		must(t, db.FailJob(ctx, claimed[1].Job.ID, claimed[1].Job.Attempts, "550 no such mailbox", true))
		must(t, db.FailJobAfter(ctx, claimed[2].Job.ID, claimed[2].Job.Attempts, "421 busy", false, now.AddDate(1, 0, 0).Sub(now)))

		now = now.AddDate(0, 0, sqldb.OutboxKeepDays+1)
		recent := enqueue("recent@example.org")
		claimed, err = sqldbtest.ClaimMail(ctx, db, 3, time.Minute)
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

// TestRetentionDeletesOldJobs: the purge deletes the jobs that delivered
// e-mails with the e-mails, and the files of export and import jobs
// JobFilesKeepDays after their job ended; the export's job stays, and so
// do the files of a job still running.
func TestRetentionDeletesOldJobs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
		db.SetClockForGDPRTest(func() time.Time { return now })
		_, err := db.Enqueue(ctx, certibloc.Mail{To: "sent@example.org", Subject: "Décision", Body: "Bonjour"})
		must(t, err)
		finish := func(kind string, file bool) *certibloc.Job {
			t.Helper()
			job, ok, err := db.ClaimJob(ctx, "test", time.Minute, 0, kind)
			if err != nil || !ok {
				t.Fatalf("claim %s: %v %v", kind, ok, err)
			}
			if file {
				must(t, db.SaveJobOutput(ctx, job.ID, job.Attempts, time.Minute, certibloc.JobFile{Name: "x.csv", ContentType: "text/csv", Content: []byte("x")}, 1, 1))
			}
			must(t, db.FinishJob(ctx, job.ID, job.Attempts))
			return job
		}
		mailJob := finish(certibloc.SendMailJob, false)
		_, _, err = db.EnqueueJob(ctx, certibloc.ExportApplicationsJob, "campaign:1:csv:fr:", map[string]int{"campaign": 1}, 3)
		must(t, err)
		export := finish(certibloc.ExportApplicationsJob, true)
		running, _, err := db.EnqueueJob(ctx, certibloc.ExportApplicationsJob, "campaign:2:csv:fr:", map[string]int{"campaign": 2}, 3)
		must(t, err)
		claimed, _, err := db.ClaimJob(ctx, "test", 365*24*time.Hour, running.ID)
		must(t, err)
		must(t, db.SaveJobOutput(ctx, running.ID, claimed.Attempts, 365*24*time.Hour, certibloc.JobFile{Name: "y.csv", ContentType: "text/csv", Content: []byte("y")}, 1, 1))

		now = now.AddDate(0, 0, sqldb.JobFilesKeepDays+1)
		_, err = db.PurgeRetention(ctx, 24, false)
		must(t, err)
		if _, err := db.Job(ctx, mailJob.ID); err != nil {
			t.Errorf("a mail job purged before its e-mail: %v", err)
		}
		if _, err := db.JobFile(ctx, export.ID, certibloc.JobOutput); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("an export's file %d days after its job: %v", sqldb.JobFilesKeepDays+1, err)
		}
		if _, err := db.JobFile(ctx, running.ID, certibloc.JobOutput); err != nil {
			t.Errorf("the file of a job still running: %v", err)
		}

		now = now.AddDate(0, 0, sqldb.OutboxKeepDays)
		_, err = db.PurgeRetention(ctx, 24, false)
		must(t, err)
		if _, err := db.Job(ctx, mailJob.ID); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("the job of a purged e-mail: %v", err)
		}
		if _, err := db.Job(ctx, export.ID); err != nil {
			t.Errorf("an export's job purged: %v", err)
		}
	})
}
