-- The audit trail in lanes, anchored in seals.
--
-- One chain with one head made every audited write wait for the one
-- before it, in every instance: the head was a single row that each
-- transaction held until it committed. The trail is now sixteen chains,
-- its lanes: an entry goes to the lane of its record (a hash of entity and
-- id; on PostgreSQL, a transaction keeps the first lane it wrote to), and
-- each lane has its own head, which moves forward by one entry at a time
-- as audit_head did. Writers on different lanes no longer wait for each
-- other.
--
-- A seal records every lane's head at one moment, chained to the seal
-- before it: one hash (certibloc audit verify prints it) stands for the
-- whole trail, as the hash of the last entry did. The running server seals
-- once a minute when the trail has moved.
--
-- The existing chain becomes lane 0, unchanged.

ALTER TABLE audit_log ADD COLUMN lane INTEGER NOT NULL DEFAULT 0;
CREATE INDEX audit_log_lane ON audit_log (lane, id);

CREATE TABLE audit_lanes (
	lane    INTEGER PRIMARY KEY CHECK (lane >= 0 AND lane < 16),
	entries INTEGER NOT NULL,
	last_id INTEGER NOT NULL,
	hash    TEXT NOT NULL
);

INSERT INTO audit_lanes (lane, entries, last_id, hash)
SELECT 0, entries, last_id, hash FROM audit_head;
WITH RECURSIVE n(lane) AS (SELECT 1 UNION ALL SELECT lane + 1 FROM n WHERE lane < 15)
INSERT INTO audit_lanes (lane, entries, last_id, hash)
SELECT lane, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000' FROM n;

DROP TABLE audit_head;

CREATE TRIGGER audit_lanes_no_delete BEFORE DELETE ON audit_lanes
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE on audit_lanes refused');
END;

CREATE TRIGGER audit_lanes_forward BEFORE UPDATE ON audit_lanes
	WHEN NEW.lane <> OLD.lane OR NEW.entries <> OLD.entries + 1 OR NEW.last_id <= OLD.last_id
BEGIN
	SELECT RAISE(ABORT, 'the audit head of a lane only moves forward by one entry');
END;

CREATE TABLE audit_seals (
	id        INTEGER PRIMARY KEY,
	at        TIMESTAMP NOT NULL,
	heads     TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL UNIQUE
);

CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE on audit_seals refused');
END;

CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
BEGIN
	SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE on audit_seals refused');
END;
