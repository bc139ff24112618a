-- Admissions as staff live them (issue 11, items 7 to 10).
--
-- A decision corrected keeps its place in the history: the correcting
-- decision names the one it corrects (corrects), with its reason.
ALTER TABLE admission_decisions ADD COLUMN corrects BIGINT REFERENCES admission_decisions (id);

-- Staff's internal notes on an application: never shown to the candidate
-- (the GDPR export shows them to the person, as the law wants).
CREATE TABLE application_notes (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	body           TEXT NOT NULL,
	author         TEXT NOT NULL,
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX application_notes_application ON application_notes (application_id, id);

-- The interview agenda of a campaign: slots with their start, length and
-- place or video link; a slot holds at most one application, and an
-- application one slot (both UNIQUE: no double booking).
CREATE TABLE interview_slots (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id    BIGINT NOT NULL REFERENCES campaigns (id),
	school_code    TEXT NOT NULL,
	starts_at      TIMESTAMPTZ NOT NULL,
	minutes        INTEGER NOT NULL,
	place          TEXT NOT NULL DEFAULT '',
	visio_url      TEXT NOT NULL DEFAULT '',
	application_id BIGINT UNIQUE REFERENCES applications (id),
	created_by     TEXT NOT NULL,
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX interview_slots_day ON interview_slots (campaign_id, starts_at);

-- Files attached to an e-mail of the outbox (an interview's .ics), gone
-- with their message.
CREATE TABLE outbox_attachments (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	outbox_id    BIGINT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data         BYTEA NOT NULL
);
CREATE INDEX outbox_attachments_mail ON outbox_attachments (outbox_id);
