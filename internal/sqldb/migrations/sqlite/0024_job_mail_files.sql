-- E-mails, exports and imports become durable jobs.
--
-- Each message of the outbox is delivered by a job of its own
-- (mail.send, key outbox:ID), queued in the transaction that writes the
-- message; the messages still to send when this migration runs get theirs
-- here. The outbox row keeps the message's own state, written before the
-- SMTP conversation (sending) and after it (sent, pending again, dead):
-- the job's retries and dead state, the message's attempts and last error.
--
-- job_files holds a job's files: the upload an import job reads (role
-- 'input') and what an export or an import writes (role 'output': the
-- export, the import's report of errors), kept for download until the job
-- is purged with the outbox's retention.
INSERT INTO jobs (kind, job_key, payload, state, max_attempts, run_after, created_at)
	SELECT 'mail.send', 'outbox:' || id, '{"outbox":' || id || '}', 'queued', 11, COALESCE(next_attempt_at, created_at), created_at
	FROM outbox WHERE state IN ('pending', 'sending');

CREATE TABLE job_files (
	job_id       INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	role         TEXT NOT NULL CHECK (role IN ('input', 'output')),
	name         TEXT NOT NULL,
	content_type TEXT NOT NULL,
	content      BLOB NOT NULL,
	created_at   TIMESTAMP NOT NULL,
	PRIMARY KEY (job_id, role)
);
