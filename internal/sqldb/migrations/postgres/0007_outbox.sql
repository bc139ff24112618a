-- The outbox becomes a transactional outbox: a message is written in the
-- transaction of what it announces, and a delivery worker takes it from
-- here, retrying with exponential back-off.
--
-- state: pending (waiting for next_attempt_at), sending (claimed by a
-- worker until claimed_until; a worker that died loses its claim when the
-- lease ends), sent, dead (given up after too many attempts, refused for
-- good or too old). attempts counts the deliveries tried, last_error says
-- why the last one failed. person_id is the person a message is about
-- (a decision notice), so that erasure finds it even when the person's
-- address has changed since.

ALTER TABLE outbox RENAME COLUMN error TO last_error;
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN person_id BIGINT REFERENCES people (id);
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;
UPDATE outbox SET state = 'sent' WHERE sent_at IS NOT NULL;
UPDATE outbox SET attempts = 1 WHERE last_error <> '';
UPDATE outbox SET next_attempt_at = created_at WHERE state = 'pending';
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_person ON outbox (person_id);
