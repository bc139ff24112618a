package sqldbtest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// MailClaim is a message of the outbox claimed for sending, and the job
// (certibloc.SendMailJob) whose attempt holds it.
type MailClaim struct {
	certibloc.Mail
	Job *certibloc.Job
}

// ClaimMail claims up to limit messages due now for lease, as the mailer
// does (mail.Mailer.HandleJob): it claims their due jobs and begins an
// attempt at each (BeginMailAttempt). A job whose message needs no
// sending (sent or given up by an earlier attempt, erased, or held by
// another worker) ends as the mailer ends it, and counts for nothing.
// The claims are in the order of the messages.
func ClaimMail(ctx context.Context, db *sqldb.DB, limit int, lease time.Duration) ([]MailClaim, error) {
	var list []MailClaim
	for len(list) < limit {
		job, ok, err := db.ClaimJob(ctx, "test", lease, 0, certibloc.SendMailJob)
		if err != nil || !ok {
			return list, err
		}
		var p certibloc.SendMail
		if err := json.Unmarshal(job.Payload, &p); err != nil {
			return list, fmt.Errorf("payload of job %d: %w", job.ID, err)
		}
		msg, err := db.BeginMailAttempt(ctx, job.ID, job.Attempts, lease, p.Outbox)
		switch {
		case certibloc.ErrorCode(err) == certibloc.ENOTFOUND || err == nil && msg.State == certibloc.MailSent:
			err = db.FinishJob(ctx, job.ID, job.Attempts)
		case certibloc.ErrorCode(err) == certibloc.ECONFLICT:
			err = db.FailJobAfter(ctx, job.ID, job.Attempts, err.Error(), false, lease)
		case err == nil && msg.State == certibloc.MailDead:
			err = db.FailJob(ctx, job.ID, job.Attempts, "given up: "+msg.LastError, true)
		case err == nil:
			list = append(list, MailClaim{Mail: msg, Job: job})
		}
		if err != nil {
			return list, err
		}
	}
	slices.SortFunc(list, func(a, b MailClaim) int { return cmp.Compare(a.ID, b.ID) })
	return list, nil
}
