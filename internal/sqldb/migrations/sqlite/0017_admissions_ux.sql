-- Admissions as candidates and staff live them (issue 11).
--
-- accounts.lang is the language the person chose on the site ('' until
-- they choose): the pages of every later visit speak it.

ALTER TABLE accounts ADD COLUMN lang TEXT NOT NULL DEFAULT '';

-- A withdrawn application no longer stops its candidate from applying
-- again to the same campaign: one live application (any state but
-- withdrawn) per person and campaign. SQLite cannot drop a UNIQUE
-- constraint: the table is built again, the foreign keys that point at it
-- checked at commit.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE applications_new (
	id               INTEGER PRIMARY KEY,
	campaign_id      INTEGER NOT NULL REFERENCES campaigns (id),
	person_id        INTEGER NOT NULL REFERENCES people (id),
	school_code      TEXT NOT NULL,
	track            TEXT NOT NULL,
	mode             TEXT NOT NULL CHECK (mode IN ('initial', 'apprenticeship')),
	option_block     TEXT NOT NULL DEFAULT '',
	state            TEXT NOT NULL,
	eligible         BOOLEAN,
	committee_review BOOLEAN NOT NULL DEFAULT FALSE,
	eligibility      TEXT,
	submitted_at     TIMESTAMP,
	created_at       TIMESTAMP NOT NULL,
	updated_at       TIMESTAMP NOT NULL
);
INSERT INTO applications_new SELECT * FROM applications;
DROP TABLE applications;
ALTER TABLE applications_new RENAME TO applications;
CREATE UNIQUE INDEX applications_live ON applications (campaign_id, person_id) WHERE state <> 'withdrawn';
CREATE INDEX applications_pipeline ON applications (campaign_id, state, track, mode);
CREATE INDEX applications_school ON applications (school_code, state);
CREATE INDEX applications_person ON applications (person_id);
