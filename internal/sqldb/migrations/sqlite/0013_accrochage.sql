-- Declarations of holders to the Caisse des Dépôts (accrochage).
--
-- Each certification has its account at the Caisse (the emitter of the
-- files, the certifier's client number and contract). Each file sent is
-- kept with the Caisse's processing report once imported. Each passage
-- (a title awarded, by its stable technical id) keeps its last sending:
-- the file, the digest of what was declared, the Caisse's answer. A title
-- with no row here, or whose digest differs from what was sent, is to send.

CREATE TABLE cdc_accounts (
	certification_code TEXT PRIMARY KEY REFERENCES certifications (code),
	emitter            TEXT NOT NULL,
	client             TEXT NOT NULL,
	contract           TEXT NOT NULL,
	updated_at         TIMESTAMP NOT NULL
);

CREATE TABLE cdc_files (
	id_flux       TEXT PRIMARY KEY,
	client        TEXT NOT NULL,
	contract      TEXT NOT NULL,
	passages      INTEGER NOT NULL,
	bytes         INTEGER NOT NULL,
	created_at    TIMESTAMP NOT NULL,
	processing_id TEXT NOT NULL DEFAULT '',
	reported_at   TIMESTAMP,
	accepted      INTEGER NOT NULL DEFAULT 0,
	rejected      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE cdc_passages (
	id_technique       TEXT PRIMARY KEY,
	person_id          INTEGER NOT NULL REFERENCES people (id),
	certification_code TEXT NOT NULL REFERENCES certifications (code),
	status             TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'rejected')),
	digest             TEXT NOT NULL,
	id_flux            TEXT NOT NULL REFERENCES cdc_files (id_flux),
	message            TEXT NOT NULL DEFAULT '',
	sent_at            TIMESTAMP NOT NULL,
	answered_at        TIMESTAMP
);
-- Found by id_technique only ('certibloc-' || code || '-' || person): an
-- export writes a row per holder, and each index more is a tree more to
-- write for each.
