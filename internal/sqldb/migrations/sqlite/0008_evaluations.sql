-- Evaluations: the grids of each evaluation, the sessions where learners
-- sit them, the results the evaluators record, and the accommodations the
-- disability referent grants.

-- A grid is how one evaluation of one certification version is graded: a
-- block's evaluation (block_code, evaluation_number) or a complementary
-- evaluation (complementary_code). Editing a grid adds a revision; results
-- name the grid they were graded on through their session. criteria is a
-- JSON list of certibloc.Criterion; min_total is in hundredths.
CREATE TABLE grids (
	id                    INTEGER PRIMARY KEY,
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	block_code            TEXT NOT NULL DEFAULT '',
	evaluation_number     INTEGER NOT NULL DEFAULT 0,
	complementary_code    TEXT NOT NULL DEFAULT '',
	revision              INTEGER NOT NULL CHECK (revision > 0),
	title                 TEXT NOT NULL,
	criteria              TEXT NOT NULL,
	pass_rule             TEXT NOT NULL CHECK (pass_rule IN ('mandatory', 'total')),
	min_total             INTEGER NOT NULL DEFAULT 0,
	created_at            TIMESTAMP NOT NULL,
	UNIQUE (certification_code, certification_version, block_code, evaluation_number, complementary_code, revision)
);

-- One sitting of one evaluation by learners of one school, on the
-- referential version they are enrolled on, graded on grid_id.
CREATE TABLE eval_sessions (
	id                    INTEGER PRIMARY KEY,
	school_code           TEXT NOT NULL REFERENCES schools (code),
	certification_code    TEXT NOT NULL REFERENCES certifications (code),
	certification_version INTEGER NOT NULL,
	block_code            TEXT NOT NULL DEFAULT '',
	evaluation_number     INTEGER NOT NULL DEFAULT 0,
	complementary_code    TEXT NOT NULL DEFAULT '',
	form                  TEXT NOT NULL CHECK (form IN ('individual', 'team')),
	grid_id               INTEGER NOT NULL REFERENCES grids (id),
	cohort_id             INTEGER REFERENCES cohorts (id),
	title                 TEXT NOT NULL,
	held_on               DATE NOT NULL,
	place                 TEXT NOT NULL DEFAULT '',
	double_marking        BOOLEAN NOT NULL DEFAULT FALSE,
	created_at            TIMESTAMP NOT NULL
);
CREATE INDEX eval_sessions_school ON eval_sessions (school_code, held_on);
CREATE INDEX eval_sessions_cohort ON eval_sessions (cohort_id);

-- The evaluators assigned to a session: they alone, beside the school's
-- staff, see it and grade it.
CREATE TABLE eval_session_evaluators (
	session_id INTEGER NOT NULL REFERENCES eval_sessions (id),
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	PRIMARY KEY (session_id, account_id)
);
CREATE INDEX eval_session_evaluators_account ON eval_session_evaluators (account_id);

-- The learners of a session, their team on a team evaluation, and the
-- accommodations (JSON list of certibloc.Accommodation, without the
-- condition behind them) that apply to them at this session.
CREATE TABLE eval_session_learners (
	session_id     INTEGER NOT NULL REFERENCES eval_sessions (id),
	person_id      INTEGER NOT NULL REFERENCES people (id),
	team           TEXT NOT NULL DEFAULT '',
	accommodations TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (session_id, person_id)
);
CREATE INDEX eval_session_learners_person ON eval_session_learners (person_id);

-- One marker's grading of one learner at one session: round 1, or 2 for
-- the second marker of a double marking. marks is a JSON list of
-- certibloc.Mark (values in hundredths); total and max_total are in
-- hundredths. A draft may change; a submitted result is locked; a
-- correction keeps the row it replaces as superseded and points to it
-- (supersedes), with its reason. Among the rows that are not superseded a
-- learner has one result per session and round.
CREATE TABLE results (
	id                INTEGER PRIMARY KEY,
	session_id        INTEGER NOT NULL REFERENCES eval_sessions (id),
	person_id         INTEGER NOT NULL REFERENCES people (id),
	round             INTEGER NOT NULL CHECK (round IN (1, 2)),
	marker_account_id INTEGER REFERENCES accounts (id),
	team              TEXT NOT NULL DEFAULT '',
	marks             TEXT NOT NULL,
	total             INTEGER NOT NULL,
	max_total         INTEGER NOT NULL,
	passed            BOOLEAN NOT NULL,
	state             TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'superseded')),
	accommodations    TEXT NOT NULL DEFAULT '[]',
	supersedes        INTEGER REFERENCES results (id),
	reason            TEXT NOT NULL DEFAULT '',
	submitted_at      TIMESTAMP,
	created_at        TIMESTAMP NOT NULL,
	updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX results_current ON results (session_id, person_id, round) WHERE state <> 'superseded';
CREATE INDEX results_person ON results (person_id, state);

-- Accommodations granted by the disability referent, one row per kind
-- (extra_time, separate_room, assistant, adapted_format) with its detail.
CREATE TABLE accommodations (
	person_id  INTEGER NOT NULL REFERENCES people (id),
	kind       TEXT NOT NULL,
	detail     TEXT NOT NULL DEFAULT '',
	updated_at TIMESTAMP NOT NULL,
	PRIMARY KEY (person_id, kind)
);
