-- Signing in: what 0002 lacked.
--
-- totp_last_step is the last 30-second step whose code was accepted, so
-- that a code seen over someone's shoulder cannot be used a second time.
-- outbox.school is the school a message concerns ('' for none): staff read
-- the messages of their own schools only.

ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN school TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_school ON outbox (school, id);
CREATE INDEX password_resets_account ON password_resets (account_id);
