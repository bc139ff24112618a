-- Durable jobs (certibloc.Job): long tasks kept here so that any instance
-- may run them and none is lost when a process dies. A worker claims a job
-- for a lease (lease_until) and renews it (heartbeat_at) while it works; a
-- running job whose lease ended is claimed again. A failed attempt waits
-- until run_after, each time twice as long; after max_attempts the job is
-- dead. done out of total is its progress. One job at most is active per
-- kind and key (a jury's batch of documents is "jury:12").
CREATE TABLE jobs (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL,
	job_key      TEXT NOT NULL,
	payload      TEXT NOT NULL,
	state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'failed', 'done', 'dead')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	max_attempts INTEGER NOT NULL,
	run_after    TIMESTAMP NOT NULL,
	lease_until  TIMESTAMP,
	heartbeat_at TIMESTAMP,
	worker       TEXT NOT NULL DEFAULT '',
	done         INTEGER NOT NULL DEFAULT 0,
	total        INTEGER NOT NULL DEFAULT 0,
	error        TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	started_at   TIMESTAMP,
	finished_at  TIMESTAMP
);
CREATE INDEX jobs_due ON jobs (state, run_after);
CREATE UNIQUE INDEX jobs_active ON jobs (kind, job_key) WHERE state IN ('queued', 'running', 'failed');

-- Issued documents reference the jury whose decision they record (SQLite
-- adds a foreign key only by building the table again), and a jury issues
-- each document once: its certificate, transcript and attestation of a
-- block to a person, whatever batch or worker writes it.
CREATE TABLE issued_documents_new (
	id                    INTEGER PRIMARY KEY,
	number                TEXT NOT NULL UNIQUE,
	kind                  TEXT NOT NULL CHECK (kind IN ('certificate', 'attestation', 'transcript')),
	person_id             INTEGER NOT NULL REFERENCES people (id),
	school_code           TEXT NOT NULL REFERENCES schools (code),
	certification_code    TEXT NOT NULL,
	certification_version INTEGER NOT NULL,
	block_code            TEXT NOT NULL DEFAULT '',
	jury_id               INTEGER REFERENCES juries (id),
	jury_date             DATE NOT NULL,
	content               TEXT NOT NULL,
	digest                TEXT NOT NULL,
	pdf                   BLOB NOT NULL,
	issued_at             TIMESTAMP NOT NULL,
	revoked_at            TIMESTAMP,
	revoke_reason         TEXT NOT NULL DEFAULT '',
	FOREIGN KEY (certification_code, certification_version) REFERENCES certification_versions (code, version)
);
INSERT INTO issued_documents_new SELECT * FROM issued_documents;
DROP TABLE issued_documents;
ALTER TABLE issued_documents_new RENAME TO issued_documents;
CREATE INDEX issued_documents_person ON issued_documents (person_id);
CREATE INDEX issued_documents_jury ON issued_documents (jury_id);
CREATE UNIQUE INDEX issued_documents_once ON issued_documents (jury_id, person_id, kind, block_code) WHERE jury_id IS NOT NULL;
