-- The RNCP import becomes a durable job (import.rncp). The national export
-- is a few hundred MB: its upload is kept with the job as chunks of 1 MiB
-- (job_chunks), written in the transaction that queues the job, and read
-- back one chunk at a time, so that neither the server nor one database
-- value holds it whole. The chunks are deleted when the job writes its
-- report (its output) or ends, done or dead, and by the purge for a job
-- found dead when its last lease ended.
CREATE TABLE job_chunks (
	job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
	seq    INTEGER NOT NULL,
	data   BLOB NOT NULL,
	PRIMARY KEY (job_id, seq)
);
