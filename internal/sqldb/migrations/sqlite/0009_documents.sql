-- The documents the certifier issues: the certificate of the title, the
-- attestation of one block, the transcript of the blocks acquired. They
-- are the legal proof of certification: never deleted, kept when the
-- person asks for erasure (gdpr.go), only revoked with a date and a reason.
--
-- number is the printed, unguessable number (certibloc.NewDocumentNumber);
-- content is what the document says, as a JSON document fixed when it is
-- issued (the holder's name and birth date as printed, the certification's
-- title, level and certifier, the blocks with their dates and routes, the
-- jury's date), so that a later change to the person or the referential
-- leaves it as handed out; pdf is the file as issued and digest its
-- SHA-256 (hex). jury_id will reference the jury sessions once they exist.

CREATE TABLE issued_documents (
	id                    INTEGER PRIMARY KEY,
	number                TEXT NOT NULL UNIQUE,
	kind                  TEXT NOT NULL CHECK (kind IN ('certificate', 'attestation', 'transcript')),
	person_id             INTEGER NOT NULL REFERENCES people (id),
	school_code           TEXT NOT NULL REFERENCES schools (code),
	certification_code    TEXT NOT NULL,
	certification_version INTEGER NOT NULL,
	block_code            TEXT NOT NULL DEFAULT '',
	jury_id               INTEGER,
	jury_date             DATE NOT NULL,
	content               TEXT NOT NULL,
	digest                TEXT NOT NULL,
	pdf                   BLOB NOT NULL,
	issued_at             TIMESTAMP NOT NULL,
	revoked_at            TIMESTAMP,
	revoke_reason         TEXT NOT NULL DEFAULT '',
	FOREIGN KEY (certification_code, certification_version) REFERENCES certification_versions (code, version)
);
CREATE INDEX issued_documents_person ON issued_documents (person_id);
CREATE INDEX issued_documents_jury ON issued_documents (jury_id);
