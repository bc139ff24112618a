-- Durable jobs (certibloc.Job): long tasks kept here so that any instance
-- may run them and none is lost when a process dies. A worker claims a job
-- for a lease (lease_until) and renews it (heartbeat_at) while it works; a
-- running job whose lease ended is claimed again. A failed attempt waits
-- until run_after, each time twice as long; after max_attempts the job is
-- dead. done out of total is its progress. One job at most is active per
-- kind and key (a jury's batch of documents is "jury:12").
CREATE TABLE jobs (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind         TEXT NOT NULL,
	job_key      TEXT NOT NULL,
	payload      TEXT NOT NULL,
	state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'failed', 'done', 'dead')),
	attempts     INTEGER NOT NULL DEFAULT 0,
	max_attempts INTEGER NOT NULL,
	run_after    TIMESTAMPTZ NOT NULL,
	lease_until  TIMESTAMPTZ,
	heartbeat_at TIMESTAMPTZ,
	worker       TEXT NOT NULL DEFAULT '',
	done         INTEGER NOT NULL DEFAULT 0,
	total        INTEGER NOT NULL DEFAULT 0,
	error        TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMPTZ NOT NULL,
	started_at   TIMESTAMPTZ,
	finished_at  TIMESTAMPTZ
);
CREATE INDEX jobs_due ON jobs (state, run_after);
CREATE UNIQUE INDEX jobs_active ON jobs (kind, job_key) WHERE state IN ('queued', 'running', 'failed');

-- Issued documents reference the jury whose decision they record, and a
-- jury issues each document once: its certificate, transcript and
-- attestation of a block to a person, whatever batch or worker writes it.
ALTER TABLE issued_documents ADD FOREIGN KEY (jury_id) REFERENCES juries (id);
CREATE UNIQUE INDEX issued_documents_once ON issued_documents (jury_id, person_id, kind, block_code) WHERE jury_id IS NOT NULL;
