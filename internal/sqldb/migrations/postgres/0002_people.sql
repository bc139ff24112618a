-- People, schools, accounts and their sessions, e-mails, the audit trail.

CREATE TABLE schools (
	code       TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	certifier  TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE people (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	school_code       TEXT NOT NULL REFERENCES schools (code),
	birth_name        TEXT NOT NULL,
	usage_name        TEXT NOT NULL DEFAULT '',
	first_names       TEXT NOT NULL,
	birth_date        DATE,
	sex               TEXT NOT NULL DEFAULT '',
	birth_place       TEXT NOT NULL DEFAULT '',
	birth_country     TEXT NOT NULL DEFAULT '',
	nationality       TEXT NOT NULL DEFAULT '',
	email             TEXT NOT NULL DEFAULT '',
	phone             TEXT NOT NULL DEFAULT '',
	address           TEXT NOT NULL DEFAULT '',
	level             INTEGER NOT NULL DEFAULT 0,
	ects              INTEGER NOT NULL DEFAULT 0,
	experience_months INTEGER NOT NULL DEFAULT 0,
	created_at        TIMESTAMPTZ NOT NULL,
	updated_at        TIMESTAMPTZ NOT NULL,
	erased_at         TIMESTAMPTZ
);
CREATE INDEX people_school ON people (school_code, birth_name);

-- Disability needs live apart from the identity: only the disability
-- referent and the person read them.
CREATE TABLE disabilities (
	person_id      BIGINT PRIMARY KEY REFERENCES people (id),
	needs          TEXT NOT NULL,
	accommodations TEXT NOT NULL,
	updated_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE accounts (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id     BIGINT REFERENCES people (id),
	email         TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	totp_secret   TEXT NOT NULL DEFAULT '',
	totp_enabled  BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    TIMESTAMPTZ NOT NULL,
	disabled_at   TIMESTAMPTZ
);

CREATE TABLE account_schools (
	account_id  BIGINT NOT NULL REFERENCES accounts (id),
	school_code TEXT NOT NULL REFERENCES schools (code),
	PRIMARY KEY (account_id, school_code)
);

-- A session is known by the hash of its cookie; mfa_done tells whether the
-- second factor was given.
CREATE TABLE sessions (
	hash         TEXT PRIMARY KEY,
	account_id   BIGINT NOT NULL REFERENCES accounts (id),
	mfa_done     BOOLEAN NOT NULL DEFAULT FALSE,
	created_at   TIMESTAMPTZ NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

-- Failed sign-ins, by account e-mail and by address, for throttling.
CREATE TABLE sign_in_failures (
	id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	subject TEXT NOT NULL,
	at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, at);

CREATE TABLE password_resets (
	hash       TEXT PRIMARY KEY,
	account_id BIGINT NOT NULL REFERENCES accounts (id),
	created_at TIMESTAMPTZ NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL,
	used_at    TIMESTAMPTZ
);

-- E-mails: sent by SMTP when configured, and kept here either way.
CREATE TABLE outbox (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	recipient  TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	sent_at    TIMESTAMPTZ,
	error      TEXT NOT NULL DEFAULT ''
);

-- The audit trail: append-only, each entry chained to the previous one by
-- its hash. Personal values are not copied here, only which fields changed,
-- so that erasing a person leaves the chain whole.
CREATE TABLE audit_log (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at         TIMESTAMPTZ NOT NULL,
	actor      TEXT NOT NULL,
	action     TEXT NOT NULL,
	entity     TEXT NOT NULL,
	entity_id  TEXT NOT NULL,
	school     TEXT NOT NULL DEFAULT '',
	data       TEXT NOT NULL,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
