-- Juries, their decisions and the ledger of acquired blocks.
--
-- A jury session deliberates on candidates of one certification version.
-- Each decision keeps the engine's proposal beside the jury's verdict; a
-- correction after closing is a new row that supersedes the old one, which
-- stays. The ledger is written when the jury closes, once per block and
-- person: a block once validated is acquired for good. Titles awarded are
-- kept likewise.

CREATE TABLE juries (
	id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	held_on               DATE NOT NULL,
	place                 TEXT NOT NULL,
	state                 TEXT NOT NULL CHECK (state IN ('open', 'closed')),
	closed_at             TIMESTAMPTZ,
	minutes_digest        TEXT NOT NULL DEFAULT '',
	minutes               BYTEA,
	created_at            TIMESTAMPTZ NOT NULL
);

CREATE TABLE jury_members (
	jury_id    BIGINT NOT NULL REFERENCES juries (id),
	position   INTEGER NOT NULL,
	account_id BIGINT REFERENCES accounts (id),
	name       TEXT NOT NULL,
	role       TEXT NOT NULL CHECK (role IN ('chair', 'professional', 'teaching')),
	present    BOOLEAN NOT NULL,
	PRIMARY KEY (jury_id, position)
);
CREATE INDEX jury_members_account ON jury_members (account_id);

CREATE TABLE jury_candidates (
	jury_id   BIGINT NOT NULL REFERENCES juries (id),
	person_id BIGINT NOT NULL REFERENCES people (id),
	PRIMARY KEY (jury_id, person_id)
);
CREATE INDEX jury_candidates_person ON jury_candidates (person_id);

CREATE TABLE conflict_declarations (
	jury_id     BIGINT NOT NULL REFERENCES juries (id),
	account_id  BIGINT NOT NULL REFERENCES accounts (id),
	person_id   BIGINT NOT NULL REFERENCES people (id),
	conflict    BOOLEAN NOT NULL,
	declared_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (jury_id, account_id, person_id)
);

CREATE TABLE jury_decisions (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	jury_id        BIGINT NOT NULL REFERENCES juries (id),
	person_id      BIGINT NOT NULL REFERENCES people (id),
	blocks         TEXT NOT NULL,
	proposed_title BOOLEAN NOT NULL,
	certified      BOOLEAN NOT NULL,
	reason         TEXT NOT NULL DEFAULT '',
	supersedes     BIGINT REFERENCES jury_decisions (id),
	superseded     BOOLEAN NOT NULL DEFAULT FALSE,
	decided_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX jury_decisions_current ON jury_decisions (jury_id, person_id) WHERE NOT superseded;
CREATE INDEX jury_decisions_person ON jury_decisions (person_id);

CREATE TABLE ledger (
	id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id             BIGINT NOT NULL REFERENCES people (id),
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	block_code            TEXT NOT NULL,
	route                 TEXT NOT NULL CHECK (route IN ('training', 'vae', 'mixed')),
	validated_on          DATE NOT NULL,
	jury_id               BIGINT NOT NULL REFERENCES juries (id),
	decision_id           BIGINT NOT NULL REFERENCES jury_decisions (id),
	recorded_at           TIMESTAMPTZ NOT NULL,
	UNIQUE (person_id, certification_code, certification_version, block_code)
);

CREATE TABLE titles_awarded (
	person_id             BIGINT NOT NULL REFERENCES people (id),
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	awarded_on            DATE NOT NULL,
	jury_id               BIGINT NOT NULL REFERENCES juries (id),
	decision_id           BIGINT NOT NULL REFERENCES jury_decisions (id),
	recorded_at           TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (person_id, certification_code)
);
