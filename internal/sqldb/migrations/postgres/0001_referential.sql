-- The referential: certifications, their versions, blocks, competencies and
-- evaluations; programme sheets; API tokens; the log of imports.

CREATE TABLE certifications (
	code            TEXT PRIMARY KEY,
	current_version INTEGER NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL
);

-- One row per version of a certification. Descriptive lists (NSF codes,
-- certifiers, jobs…) are a JSON document in details; the rules the engine
-- reads (entry rules, block prerequisites, validation) a JSON document in rules.
CREATE TABLE certification_versions (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code          TEXT NOT NULL REFERENCES certifications (code),
	version       INTEGER NOT NULL,
	title         TEXT NOT NULL,
	level         INTEGER NOT NULL CHECK (level BETWEEN 0 AND 8),
	active        BOOLEAN NOT NULL,
	decision_date DATE,
	end_date      DATE,
	source        TEXT NOT NULL,
	content_hash  TEXT NOT NULL,
	details       JSONB NOT NULL,
	rules         JSONB NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL,
	UNIQUE (code, version)
);

CREATE TABLE blocks (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	version_id      BIGINT NOT NULL REFERENCES certification_versions (id),
	position        INTEGER NOT NULL,
	code            TEXT NOT NULL,
	title           TEXT NOT NULL,
	kind            TEXT NOT NULL CHECK (kind IN ('common', 'optional')),
	evaluation_text TEXT NOT NULL DEFAULT '',
	jobs            TEXT NOT NULL DEFAULT '[]',
	UNIQUE (version_id, code)
);

CREATE TABLE competencies (
	block_id BIGINT NOT NULL REFERENCES blocks (id),
	position INTEGER NOT NULL,
	text     TEXT NOT NULL,
	PRIMARY KEY (block_id, position)
);

CREATE TABLE evaluations (
	block_id    BIGINT NOT NULL REFERENCES blocks (id),
	number      INTEGER NOT NULL CHECK (number > 0),
	title       TEXT NOT NULL,
	form        TEXT NOT NULL CHECK (form IN ('individual', 'team')),
	description TEXT NOT NULL,
	PRIMARY KEY (block_id, number)
);

CREATE TABLE programmes (
	slug               TEXT PRIMARY KEY,
	school_code        TEXT NOT NULL,
	certification_code TEXT NOT NULL REFERENCES certifications (code),
	title              TEXT NOT NULL,
	document           JSONB NOT NULL,
	updated_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL,
	school_code  TEXT NOT NULL DEFAULT '',
	hash         TEXT NOT NULL UNIQUE,
	created_at   TIMESTAMPTZ NOT NULL,
	last_used_at TIMESTAMPTZ,
	revoked_at   TIMESTAMPTZ
);

CREATE TABLE imports (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	format      TEXT NOT NULL,
	filename    TEXT NOT NULL,
	started_at  TIMESTAMPTZ NOT NULL,
	finished_at TIMESTAMPTZ NOT NULL,
	created     INTEGER NOT NULL,
	updated     INTEGER NOT NULL,
	unchanged   INTEGER NOT NULL,
	rejected    INTEGER NOT NULL,
	report      JSONB NOT NULL
);
