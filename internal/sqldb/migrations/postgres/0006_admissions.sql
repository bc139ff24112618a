-- Admissions: campaigns, applications and their documents, the decisions
-- of the commissions, cohorts and the enrolments of learners.

-- A school's campaign for a certification version and a year. offers is a
-- JSON list of {track, mode, places}; options the optional block codes open.
CREATE TABLE campaigns (
	id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	school_code           TEXT NOT NULL REFERENCES schools (code),
	programme             TEXT NOT NULL DEFAULT '',
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	year                  INTEGER NOT NULL,
	title                 TEXT NOT NULL,
	opens_on              DATE NOT NULL,
	closes_on             DATE NOT NULL,
	offers                JSONB NOT NULL,
	options               JSONB NOT NULL,
	created_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX campaigns_school ON campaigns (school_code, year);

-- One application per person and campaign. eligible, committee_review and
-- eligibility (the verdict of the entry rules, JSON, with its reasons) are
-- set when the application is submitted; school_code is the campaign's,
-- copied so that lists are scoped without a join.
CREATE TABLE applications (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id      BIGINT NOT NULL REFERENCES campaigns (id),
	person_id        BIGINT NOT NULL REFERENCES people (id),
	school_code      TEXT NOT NULL,
	track            TEXT NOT NULL,
	mode             TEXT NOT NULL CHECK (mode IN ('initial', 'apprenticeship')),
	option_block     TEXT NOT NULL DEFAULT '',
	state            TEXT NOT NULL,
	eligible         BOOLEAN,
	committee_review BOOLEAN NOT NULL DEFAULT FALSE,
	eligibility      JSONB,
	submitted_at     TIMESTAMPTZ,
	created_at       TIMESTAMPTZ NOT NULL,
	updated_at       TIMESTAMPTZ NOT NULL,
	UNIQUE (campaign_id, person_id)
);
-- The pipeline of a campaign is listed by state, track and mode; names are
-- searched in people.search_name through the person.
CREATE INDEX applications_pipeline ON applications (campaign_id, state, track, mode);
CREATE INDEX applications_school ON applications (school_code, state);
CREATE INDEX applications_person ON applications (person_id);

-- Files attached to an application, in the database (never under the web
-- root), with their SHA-256 and size.
CREATE TABLE application_documents (
	id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id BIGINT NOT NULL REFERENCES applications (id),
	kind           TEXT NOT NULL,
	filename       TEXT NOT NULL,
	content_type   TEXT NOT NULL,
	size           BIGINT NOT NULL,
	sha256         TEXT NOT NULL,
	data           BYTEA NOT NULL,
	created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX application_documents_application ON application_documents (application_id);

-- Every step taken on an application: by whom, when, with which commission
-- (members, a JSON list of names), why, and for interviews when, where and
-- the scores out of 20.
CREATE TABLE admission_decisions (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	application_id  BIGINT NOT NULL REFERENCES applications (id),
	kind            TEXT NOT NULL,
	from_state      TEXT NOT NULL,
	to_state        TEXT NOT NULL,
	reason          TEXT NOT NULL DEFAULT '',
	members         JSONB NOT NULL,
	interview_at    TIMESTAMPTZ,
	place           TEXT NOT NULL DEFAULT '',
	interview_score DOUBLE PRECISION,
	test_score      DOUBLE PRECISION,
	decided_by      TEXT NOT NULL,
	decided_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX admission_decisions_application ON admission_decisions (application_id, id);

-- A promotion of learners of a school on a track of a certification version.
CREATE TABLE cohorts (
	id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	school_code           TEXT NOT NULL REFERENCES schools (code),
	campaign_id           BIGINT REFERENCES campaigns (id),
	name                  TEXT NOT NULL,
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	track                 TEXT NOT NULL,
	starts_on             DATE NOT NULL,
	ends_on               DATE NOT NULL,
	planned_hours         INTEGER NOT NULL,
	weekly_hours          INTEGER NOT NULL,
	created_at            TIMESTAMPTZ NOT NULL,
	UNIQUE (school_code, name)
);

-- A learner in a cohort, with the track, mode and option of their
-- application and the referential version of its campaign; apprentices
-- with their employer, contract and tutor.
CREATE TABLE enrolments (
	id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	cohort_id             BIGINT NOT NULL REFERENCES cohorts (id),
	person_id             BIGINT NOT NULL REFERENCES people (id),
	application_id        BIGINT UNIQUE REFERENCES applications (id),
	school_code           TEXT NOT NULL,
	track                 TEXT NOT NULL,
	mode                  TEXT NOT NULL CHECK (mode IN ('initial', 'apprenticeship')),
	option_block          TEXT NOT NULL DEFAULT '',
	certification_version INTEGER NOT NULL,
	internship_months     INTEGER NOT NULL DEFAULT 0,
	employer              TEXT NOT NULL DEFAULT '',
	employer_siret        TEXT NOT NULL DEFAULT '',
	contract_start        DATE,
	contract_end          DATE,
	tutor                 TEXT NOT NULL DEFAULT '',
	tutor_email           TEXT NOT NULL DEFAULT '',
	created_at            TIMESTAMPTZ NOT NULL,
	UNIQUE (cohort_id, person_id)
);
CREATE INDEX enrolments_person ON enrolments (person_id);
