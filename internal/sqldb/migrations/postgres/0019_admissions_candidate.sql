-- Admissions as candidates live them (issue 11, the candidate's side).
--
-- campaigns.required_documents is the checklist of the documents an
-- application to the campaign must carry before it is submitted: a JSON
-- list of document kinds (cv, diploma, transcript, other).

ALTER TABLE campaigns ADD COLUMN required_documents TEXT NOT NULL DEFAULT '[]';

-- A staff member asks the candidate for a document: the application takes
-- documents again, whatever its state, until the candidate sends one of
-- that kind (fulfilled_at).
CREATE TABLE document_requests (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	kind           TEXT NOT NULL,
	message        TEXT NOT NULL DEFAULT '',
	requested_by   TEXT NOT NULL,
	requested_at   TIMESTAMPTZ NOT NULL,
	fulfilled_at   TIMESTAMPTZ
);
CREATE INDEX document_requests_application ON document_requests (application_id, id);

-- A candidate's request for an accommodation (aménagement), read by the
-- disability referent of their school only.
CREATE TABLE accommodation_requests (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id   BIGINT NOT NULL REFERENCES people (id),
	school_code TEXT NOT NULL,
	message     TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX accommodation_requests_person ON accommodation_requests (person_id, id);

-- A candidate's new e-mail address waits for its confirmation: a link
-- sent to it (only the token's hash is kept) changes the address of the
-- account and of the person when it is opened within its time.
CREATE TABLE email_changes (
	hash       TEXT PRIMARY KEY,
	account_id BIGINT NOT NULL REFERENCES accounts (id),
	email      TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at    TIMESTAMPTZ
);
CREATE INDEX email_changes_account ON email_changes (account_id);
