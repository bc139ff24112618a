-- The Bitstring Status List credentials, signed once per change rather
-- than at every request. A revocation bumps the version of its list in the
-- transaction that revokes; the list is signed again at the next request
-- that finds its document older than its version, by whichever instance
-- serves it, and stored with the version it was made from (only if that is
-- still the list's version). A list with no row was never revoked (version 0).
-- base_url is the address the document names, which a differently
-- configured instance does not serve as it is.

CREATE TABLE status_lists (
	list           BIGINT PRIMARY KEY,
	version        BIGINT NOT NULL DEFAULT 0,
	signed_version BIGINT NOT NULL DEFAULT 0,
	base_url       TEXT NOT NULL DEFAULT '',
	document       TEXT NOT NULL DEFAULT '',
	signed_at      TIMESTAMPTZ
);
