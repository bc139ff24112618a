-- VAE candidacies: the blocks aimed at, the experience described and the
-- validation dossier (one answer per competency, with the accompanist's
-- comments) as JSON documents the candidate saves as they type; the
-- feasibility decisions kept one row each; the proofs uploaded.

CREATE TABLE vae_candidacies (
	id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id             BIGINT NOT NULL REFERENCES people (id),
	school_code           TEXT NOT NULL REFERENCES schools (code),
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	blocks                TEXT NOT NULL DEFAULT '[]',
	experience            TEXT NOT NULL DEFAULT '[]',
	dossier               TEXT NOT NULL DEFAULT '[]',
	state                 TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'incomplete', 'not_admissible', 'admissible',
		'dossier_submitted', 'oral_scheduled', 'decided', 'withdrawn')),
	accompanist_id        BIGINT REFERENCES accounts (id),
	oral_at               TIMESTAMPTZ,
	oral_place            TEXT NOT NULL DEFAULT '',
	jury_id               BIGINT REFERENCES juries (id),
	created_at            TIMESTAMPTZ NOT NULL,
	updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX vae_candidacies_person ON vae_candidacies (person_id);
CREATE INDEX vae_candidacies_state ON vae_candidacies (school_code, state);

CREATE TABLE vae_feasibility (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	candidacy_id BIGINT NOT NULL REFERENCES vae_candidacies (id),
	outcome      TEXT NOT NULL CHECK (outcome IN ('admissible', 'incomplete', 'not_admissible')),
	reason       TEXT NOT NULL DEFAULT '',
	missing      TEXT NOT NULL DEFAULT '[]',
	decided_by   TEXT NOT NULL,
	decided_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX vae_feasibility_candidacy ON vae_feasibility (candidacy_id, id);

CREATE TABLE vae_proofs (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	candidacy_id BIGINT NOT NULL REFERENCES vae_candidacies (id),
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	sha256       TEXT NOT NULL,
	data         BYTEA NOT NULL,
	created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX vae_proofs_candidacy ON vae_proofs (candidacy_id);
