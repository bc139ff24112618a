-- The audit trail made append-only, and anchored.
--
-- audit_log rows may be inserted, never updated or deleted: triggers refuse
-- it, so that only someone who can drop triggers (anyone who can write the
-- database file) can tamper with the trail, and certibloc audit verify
-- still finds what they did. Nothing in certibloc updates or deletes audit
-- rows: GDPR erasure leaves audit_log alone, since it holds no personal
-- values (only which fields changed, never their values).
--
-- audit_head is the anchor of the chain: one row, updated in the same
-- transaction as each insert, holding how many entries there are and the
-- hash of the last one. A plain hash chain cannot tell that its last entries
-- were deleted; the head can, and it may only move forward by one entry.

CREATE TABLE audit_head (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	entries INTEGER NOT NULL,
	last_id INTEGER NOT NULL,
	hash    TEXT NOT NULL
);

INSERT INTO audit_head (id, entries, last_id, hash)
SELECT 1, count(*), coalesce(max(id), 0),
	coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1),
		'0000000000000000000000000000000000000000000000000000000000000000')
FROM audit_log;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE on audit_log refused');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE on audit_log refused');
END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE on audit_head refused');
END;

CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
	WHEN NEW.entries <> OLD.entries + 1 OR NEW.last_id <= OLD.last_id
BEGIN
	SELECT RAISE(ABORT, 'the audit head only moves forward by one entry');
END;
