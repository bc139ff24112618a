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
	entries BIGINT NOT NULL,
	last_id BIGINT NOT NULL,
	hash    TEXT NOT NULL
);

INSERT INTO audit_lanes (lane, entries, last_id, hash)
SELECT 0, entries, last_id, hash FROM audit_head;
INSERT INTO audit_lanes (lane, entries, last_id, hash)
SELECT lane, 0, 0, '0000000000000000000000000000000000000000000000000000000000000000'
FROM generate_series(1, 15) AS lane;

DROP TABLE audit_head;

CREATE TRIGGER audit_lanes_no_delete BEFORE DELETE ON audit_lanes
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_lanes_no_truncate BEFORE TRUNCATE ON audit_lanes
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE FUNCTION audit_lane_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.lane <> OLD.lane OR NEW.entries <> OLD.entries + 1 OR NEW.last_id <= OLD.last_id THEN
		RAISE EXCEPTION 'the audit head of a lane only moves forward by one entry'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER audit_lanes_forward BEFORE UPDATE ON audit_lanes
	FOR EACH ROW EXECUTE FUNCTION audit_lane_forward();

DROP FUNCTION audit_head_forward();

CREATE TABLE audit_seals (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at        TIMESTAMPTZ NOT NULL,
	heads     TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL UNIQUE
);

CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
