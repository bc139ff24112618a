-- Reporting to the State, what issue 13 left.
--
-- Exports kept: each accrochage export (its scope, passages, files and
-- size) and the contents of its files, gzip-compressed, so that a file
-- handed to the Caisse can be downloaded again as it was.
--
-- Insertion surveys: six months and two years after the jury, each holder
-- of a title gets a link to a short questionnaire (their situation, job
-- title, contract). The link's token is only stored hashed; the answer can
-- be corrected until closes_on. The rates of the figures count them.

CREATE TABLE cdc_exports (
	id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	created_at         TIMESTAMP NOT NULL,
	jury_id            BIGINT,
	from_on            DATE,
	to_on              DATE,
	certification_code TEXT NOT NULL DEFAULT '',
	passages           INTEGER NOT NULL,
	files              INTEGER NOT NULL,
	bytes              BIGINT NOT NULL
);

ALTER TABLE cdc_files ADD COLUMN export_id BIGINT REFERENCES cdc_exports (id);
CREATE INDEX cdc_files_export ON cdc_files (export_id);

CREATE TABLE cdc_file_contents (
	id_flux TEXT PRIMARY KEY REFERENCES cdc_files (id_flux),
	gzip    BYTEA NOT NULL
);

CREATE TABLE insertion_surveys (
	id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id          BIGINT NOT NULL REFERENCES people (id),
	certification_code TEXT NOT NULL REFERENCES certifications (code),
	awarded_on         DATE NOT NULL,
	route              TEXT NOT NULL CHECK (route IN ('training', 'vae')),
	wave               INTEGER NOT NULL CHECK (wave IN (6, 24)),
	token_hash         TEXT NOT NULL UNIQUE,
	sent_at            TIMESTAMP NOT NULL,
	closes_on          DATE NOT NULL,
	answered_at        TIMESTAMP,
	situation          TEXT NOT NULL DEFAULT '' CHECK (situation IN ('', 'employed_field', 'employed_other', 'studying', 'seeking', 'other')),
	job_title          TEXT NOT NULL DEFAULT '',
	contract           TEXT NOT NULL DEFAULT '' CHECK (contract IN ('', 'permanent', 'fixed_term', 'apprenticeship', 'self_employed', 'other')),
	UNIQUE (person_id, certification_code, wave)
);
