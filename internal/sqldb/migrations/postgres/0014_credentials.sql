-- Open Badges 3.0 credentials (internal/openbadge): one per title awarded
-- and per block validated by a closed jury, signed with the certifier's
-- key, kept as issued. They are the holder's proof as the documents are:
-- kept when the person asks for erasure, only revoked (through the
-- Bitstring Status List, whose index is the credential's id).
--
-- credential_keys are the Ed25519 keys of certibloc's did:web: the newest
-- one not retired signs; every key stays published in the DID document so
-- that what it signed still verifies. private_key is the key's seed as a
-- multikey, sealed with the secret key (internal/secret), never stored
-- or logged in clear.

CREATE TABLE credential_keys (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_key  TEXT NOT NULL UNIQUE,
	private_key TEXT NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL,
	retired_at  TIMESTAMPTZ
);

CREATE TABLE credentials (
	id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id             TEXT NOT NULL UNIQUE,
	person_id             BIGINT NOT NULL REFERENCES people (id),
	certification_code    TEXT NOT NULL,
	certification_version INTEGER NOT NULL,
	block_code            TEXT NOT NULL DEFAULT '',
	jury_id               BIGINT NOT NULL REFERENCES juries (id),
	key_id                BIGINT NOT NULL REFERENCES credential_keys (id),
	document              TEXT NOT NULL,
	issued_at             TIMESTAMPTZ NOT NULL,
	revoked_at            TIMESTAMPTZ,
	UNIQUE (person_id, certification_code, block_code, jury_id)
);
CREATE INDEX credentials_jury ON credentials (jury_id);
CREATE INDEX credentials_revoked ON credentials (revoked_at);
