package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// GDPR: everything held about a person, found through one list of tables
// (personalTables) that the export reads and erasure works through. A test
// holds the list to the schema: a table with a link to a person that is
// not listed here fails it.

// personalTable is a table that holds data about a person.
type personalTable struct {
	name string
	// export selects the rows about person $1 as the export shows them,
	// secrets (password and session hashes, TOTP secrets) left out. Empty
	// for people and disabilities, which the export shows as typed records.
	export string
	// erase anonymises or deletes the rows about person $1 ($2, when used,
	// is the time of erasure). Empty when the rows are kept: see keep.
	erase []string
	// keep says why erasure leaves the rows as they are.
	keep string
	// eraseFunc, when set, does what SQL alone cannot do the same way on
	// both engines (editing JSON documents), after erase; it returns the
	// rows it changed.
	eraseFunc func(ctx context.Context, tx *sql.Tx, id int64) (int64, error)
}

// personAccounts are the ids of the accounts of person $1.
const personAccounts = `SELECT id FROM accounts WHERE person_id = $1`

// personApplications are the ids of the applications of person $1.
const personApplications = `SELECT id FROM applications WHERE person_id = $1`

// personEmails are the e-mail addresses of person $1: their own and their
// accounts', in lower case.
const personEmails = `SELECT lower(email) AS email FROM people WHERE id = $1 AND email <> ''
	UNION SELECT lower(email) FROM accounts WHERE person_id = $1 AND email <> ''`

// addressOf is the condition that column holds an address of person $1:
// the bare address, or after a prefix and a colon ("email:…", a throttling
// subject), or between angle brackets ("Name <…>"). The address is escaped
// for LIKE, so that jean_dupont@ never matches jean.dupont@.
func addressOf(column string) string {
	esc := `replace(replace(replace(e.email, '\', '\\'), '%', '\%'), '_', '\_')`
	return `EXISTS (SELECT 1 FROM (` + personEmails + `) e WHERE lower(` + column + `) = e.email
		OR lower(` + column + `) LIKE '%:' || ` + esc + ` ESCAPE '\'
		OR lower(` + column + `) LIKE '%<' || ` + esc + ` || '>' ESCAPE '\')`
}

// personSQL is stmt, a statement of personalTables, for db's engine: its
// lower() compares addresses as written, with their accented capitals,
// which SQLite's lower() leaves as they are (« É »): there it becomes
// unicode_lower() (see (*DB).lower). PostgreSQL's SQL stays as written.
func (db *DB) personSQL(stmt string) string {
	if db.engine == SQLite {
		return strings.ReplaceAll(stmt, "lower(", "unicode_lower(")
	}
	return stmt
}

// personalTables lists every table that holds data about a person, in the
// order erasure works through them: what is found by e-mail address comes
// before the addresses are replaced, and the person row comes last.
//
// Hook for the certification proof: the tables that hold acquired
// blocks, jury decisions and certificates (who was certified, which
// blocks, when, the certificate numbers) are added here with keep set
// and no erase (issued_documents is), so that erasure leaves the legal proof whole and the
// export still shows it; any other table with a person_id column must be
// added with its erase statements (the schema test fails until it is).
var personalTables = []personalTable{
	{name: "disabilities", erase: []string{`DELETE FROM disabilities WHERE person_id = $1`}},
	// Accommodations are shown with the disability record: to the person
	// and the referent (ExportPerson withholds them from anyone else).
	{
		name:   "accommodations",
		export: `SELECT kind, detail, updated_at FROM accommodations WHERE person_id = $1 ORDER BY kind`,
		erase:  []string{`DELETE FROM accommodations WHERE person_id = $1`},
	},
	// Evaluations: the sessions a learner sat and their results are the
	// proof behind the blocks they acquired, and stay with their marks;
	// erasure removes what the referent granted (the accommodations each
	// session and result recorded) and the evaluators' comments, which may
	// describe the person.
	{
		name: "eval_session_learners",
		export: `SELECT l.session_id, s.title AS session, s.held_on, s.certification_code, s.block_code,
				s.evaluation_number, s.complementary_code, l.team, l.accommodations
			FROM eval_session_learners l JOIN eval_sessions s ON s.id = l.session_id
			WHERE l.person_id = $1 ORDER BY s.held_on, l.session_id`,
		erase: []string{`UPDATE eval_session_learners SET accommodations = '[]' WHERE person_id = $1 AND accommodations <> '[]'`},
	},
	{
		name: "results",
		export: `SELECT r.id, r.session_id, r.round, r.team, r.marks, r.total, r.max_total, r.passed, r.state,
				r.accommodations, r.supersedes, r.reason, r.submitted_at, r.created_at, r.updated_at
			FROM results r WHERE r.person_id = $1 ORDER BY r.session_id, r.round, r.id`,
		erase:     []string{`UPDATE results SET accommodations = '[]' WHERE person_id = $1 AND accommodations <> '[]'`},
		eraseFunc: eraseResultComments,
	},
	{
		name: "eval_session_evaluators",
		export: `SELECT session_id, account_id FROM eval_session_evaluators
			WHERE account_id IN (` + personAccounts + `) ORDER BY session_id`,
		keep: "who was assigned to grade a session is part of the proof behind its results; the account is anonymised",
	},
	{
		name: "sessions",
		export: `SELECT account_id, mfa_done, created_at, expires_at, last_seen_at FROM sessions
			WHERE account_id IN (` + personAccounts + `) ORDER BY created_at`,
		erase: []string{`DELETE FROM sessions WHERE account_id IN (` + personAccounts + `)`},
	},
	{
		name: "password_resets",
		export: `SELECT account_id, created_at, expires_at, used_at FROM password_resets
			WHERE account_id IN (` + personAccounts + `) ORDER BY created_at`,
		erase: []string{`DELETE FROM password_resets WHERE account_id IN (` + personAccounts + `)`},
	},
	{
		name: "email_changes",
		export: `SELECT account_id, email, created_at, expires_at, used_at FROM email_changes
			WHERE account_id IN (` + personAccounts + `) ORDER BY created_at`,
		erase: []string{`DELETE FROM email_changes WHERE account_id IN (` + personAccounts + `)`},
	},
	{
		name:   "sign_in_failures",
		export: `SELECT subject, at FROM sign_in_failures WHERE ` + addressOf("subject") + ` ORDER BY at`,
		erase:  []string{`DELETE FROM sign_in_failures WHERE ` + addressOf("subject")},
	},
	// An e-mail's attachments (a convocation's .ics) go with it.
	{
		name: "outbox_attachments",
		export: `SELECT a.outbox_id, a.filename, a.content_type FROM outbox_attachments a WHERE a.outbox_id IN
			(SELECT id FROM outbox WHERE person_id = $1 OR ` + addressOf("recipient") + `) ORDER BY a.id`,
		erase: []string{`DELETE FROM outbox_attachments WHERE outbox_id IN
			(SELECT id FROM outbox WHERE person_id = $1 OR ` + addressOf("recipient") + `)`},
	},
	{
		name: "outbox",
		export: `SELECT id, recipient, subject, body, created_at, state, attempts, sent_at, last_error FROM outbox
			WHERE person_id = $1 OR ` + addressOf("recipient") + ` ORDER BY id`,
		erase: []string{`DELETE FROM outbox WHERE person_id = $1 OR ` + addressOf("recipient")},
	},
	{
		name: "account_schools",
		export: `SELECT account_id, school_code FROM account_schools
			WHERE account_id IN (` + personAccounts + `) ORDER BY account_id, school_code`,
		erase: []string{`DELETE FROM account_schools WHERE account_id IN (` + personAccounts + `)`},
	},
	{
		name: "accounts",
		export: `SELECT id, email, role, totp_enabled, created_at, disabled_at FROM accounts
			WHERE person_id = $1 ORDER BY id`,
		// The account stays, disabled, so that what it did keeps an author;
		// its address becomes one that cannot receive mail (RFC 2606).
		erase: []string{`UPDATE accounts SET email = 'account-' || CAST(id AS TEXT) || '@erased.invalid',
			password_hash = '', totp_secret = '', totp_enabled = FALSE, disabled_at = COALESCE(disabled_at, $2)
			WHERE person_id = $1`},
	},
	{
		name: "audit_log",
		export: `SELECT id, at, actor, action, entity, entity_id, school, data FROM audit_log
			WHERE (entity IN ('person', 'disability') AND entity_id IN (SELECT CAST(id AS TEXT) FROM people WHERE id = $1))
				OR (entity = 'account' AND entity_id IN (SELECT CAST(id AS TEXT) FROM accounts WHERE person_id = $1))
				OR (entity = 'application' AND entity_id IN (SELECT CAST(id AS TEXT) FROM applications WHERE person_id = $1))
				OR (entity = 'enrolment' AND entity_id IN (SELECT CAST(id AS TEXT) FROM enrolments WHERE person_id = $1))
				OR (entity = 'document' AND entity_id IN (SELECT number FROM issued_documents WHERE person_id = $1))
				OR (entity = 'result' AND entity_id IN (SELECT CAST(id AS TEXT) FROM results WHERE person_id = $1))
				OR (entity = 'outbox' AND entity_id IN (SELECT CAST(o.id AS TEXT) FROM outbox o
					WHERE o.person_id = $1 OR ` + addressOf("o.recipient") + `))
				OR actor IN (SELECT 'account ' || CAST(id AS TEXT) FROM accounts WHERE person_id = $1)
			ORDER BY id`,
		keep: "the trail is append-only and holds no personal values, only which fields changed",
	},
	// Admissions: the documents and decisions of a person's applications go
	// with the applications; an enrolment stays, since the cohort, track
	// and referential version a learner followed are part of their path to
	// the certification, but loses its tutor and its link to the
	// application. The export lists documents without their content.
	// Staff's internal notes are about the person: the export shows them,
	// erasure deletes them. An interview slot stays in the agenda, freed.
	{
		name: "application_notes",
		export: `SELECT n.id, n.application_id, n.body, n.author, n.created_at FROM application_notes n
			WHERE n.application_id IN (` + personApplications + `) ORDER BY n.id`,
		erase: []string{`DELETE FROM application_notes WHERE application_id IN (` + personApplications + `)`},
	},
	{
		name: "interview_slots",
		export: `SELECT s.id, s.application_id, s.starts_at, s.minutes, s.place, s.visio_url FROM interview_slots s
			WHERE s.application_id IN (` + personApplications + `) ORDER BY s.starts_at`,
		erase: []string{`UPDATE interview_slots SET application_id = NULL WHERE application_id IN (` + personApplications + `)`},
	},
	{
		name: "application_documents",
		export: `SELECT d.id, d.application_id, d.kind, d.filename, d.content_type, d.size, d.sha256, d.created_at
			FROM application_documents d WHERE d.application_id IN (` + personApplications + `) ORDER BY d.id`,
		erase: []string{`DELETE FROM application_documents WHERE application_id IN (` + personApplications + `)`},
	},
	{
		name: "document_requests",
		export: `SELECT r.id, r.application_id, r.kind, r.message, r.requested_by, r.requested_at, r.fulfilled_at
			FROM document_requests r WHERE r.application_id IN (` + personApplications + `) ORDER BY r.id`,
		erase: []string{`DELETE FROM document_requests WHERE application_id IN (` + personApplications + `)`},
	},
	{
		name:   "accommodation_requests",
		export: `SELECT id, school_code, message, created_at FROM accommodation_requests WHERE person_id = $1 ORDER BY id`,
		erase:  []string{`DELETE FROM accommodation_requests WHERE person_id = $1`},
	},
	{
		name: "admission_decisions",
		export: `SELECT d.id, d.application_id, d.kind, d.from_state, d.to_state, d.reason, d.members, d.interview_at,
				d.place, d.interview_score, d.test_score, d.decided_by, d.decided_at
			FROM admission_decisions d WHERE d.application_id IN (` + personApplications + `) ORDER BY d.id`,
		erase: []string{`DELETE FROM admission_decisions WHERE application_id IN (` + personApplications + `)`},
	},
	{
		name: "enrolments",
		export: `SELECT id, cohort_id, application_id, school_code, track, mode, option_block, certification_version,
				internship_months, employer, employer_siret, contract_start, contract_end, tutor, tutor_email, created_at
			FROM enrolments WHERE person_id = $1 ORDER BY id`,
		erase: []string{`UPDATE enrolments SET application_id = NULL, tutor = '', tutor_email = '' WHERE person_id = $1`},
	},
	// The files of the campaign exports made as jobs (job_files, kept
	// JobFilesKeepDays) list the applicants with their contacts: the
	// exports of the campaigns the person applied to are deleted, and one
	// under way is started again (eraseExportFiles). Before applications,
	// which tell the campaigns.
	{name: "job_files", eraseFunc: eraseExportFiles},
	{
		name: "applications",
		export: `SELECT id, campaign_id, school_code, track, mode, option_block, state, eligible, committee_review,
				eligibility, submitted_at, created_at, updated_at FROM applications WHERE person_id = $1 ORDER BY id`,
		erase: []string{`DELETE FROM applications WHERE person_id = $1`},
	},
	// VAE: the proofs and what the candidate wrote go; the candidacy's
	// course (blocks aimed at, states, the feasibility decisions without
	// their wording) stays, since a jury's decision refers to it.
	{
		name: "vae_proofs",
		export: `SELECT p.id, p.candidacy_id, p.filename, p.content_type, p.size, p.sha256, p.created_at FROM vae_proofs p
			WHERE p.candidacy_id IN (SELECT id FROM vae_candidacies WHERE person_id = $1) ORDER BY p.id`,
		erase: []string{`DELETE FROM vae_proofs WHERE candidacy_id IN (SELECT id FROM vae_candidacies WHERE person_id = $1)`},
	},
	{
		name: "vae_feasibility",
		export: `SELECT f.candidacy_id, f.outcome, f.reason, f.missing, f.decided_by, f.decided_at FROM vae_feasibility f
			WHERE f.candidacy_id IN (SELECT id FROM vae_candidacies WHERE person_id = $1) ORDER BY f.id`,
		erase: []string{`UPDATE vae_feasibility SET reason = '', missing = '[]' WHERE candidacy_id IN (SELECT id FROM vae_candidacies WHERE person_id = $1)`},
	},
	{
		name: "vae_candidacies",
		export: `SELECT id, school_code, certification_code, certification_version, blocks, experience, dossier, state,
				accompanist_id, oral_at, oral_place, jury_id, created_at, updated_at FROM vae_candidacies WHERE person_id = $1 ORDER BY id`,
		erase: []string{`UPDATE vae_candidacies SET experience = '[]', dossier = '[]', oral_place = '' WHERE person_id = $1`},
	},
	// The proof of certification: juries a person sat as a candidate or a
	// member, the decisions, the ledger of acquired blocks and the titles
	// awarded. The certifier must keep them (the candidate's right to
	// their title outlives their other data): erasure leaves them whole,
	// and the person row they point to keeps its id.
	{
		name: "jury_members",
		export: `SELECT jury_id, position, name, role, present FROM jury_members
			WHERE account_id IN (` + personAccounts + `) ORDER BY jury_id, position`,
		// The seat stays (a jury's composition is part of the proof of its
		// decisions, and a closed jury's minutes keep the name as signed);
		// the name on the live record goes.
		erase: []string{`UPDATE jury_members SET name = '` + ErasedName + `' WHERE account_id IN (` + personAccounts + `)`},
	},
	{
		name:   "jury_candidates",
		export: `SELECT jury_id FROM jury_candidates WHERE person_id = $1 ORDER BY jury_id`,
		keep:   "the candidates of a jury are part of its minutes",
	},
	{
		name: "conflict_declarations",
		export: `SELECT jury_id, account_id, person_id, conflict, declared_at FROM conflict_declarations
			WHERE person_id = $1 OR account_id IN (` + personAccounts + `) ORDER BY jury_id, declared_at`,
		keep: "declarations of conflict of interest are part of the proof that a jury decided lawfully",
	},
	{
		name: "jury_decisions",
		export: `SELECT id, jury_id, blocks, proposed_title, certified, reason, supersedes, superseded, decided_at
			FROM jury_decisions WHERE person_id = $1 ORDER BY id`,
		keep: "a jury's decisions are the legal proof of certification",
	},
	{
		name: "ledger",
		export: `SELECT id, certification_code, certification_version, block_code, route, validated_on, jury_id, recorded_at
			FROM ledger WHERE person_id = $1 ORDER BY id`,
		keep: "blocks once validated are acquired for good: the ledger is the legal proof of certification",
	},
	{
		name: "titles_awarded",
		export: `SELECT certification_code, certification_version, awarded_on, jury_id, recorded_at
			FROM titles_awarded WHERE person_id = $1 ORDER BY awarded_on`,
		keep: "a title awarded is the legal proof of certification",
	},
	// The declaration of a title to the Caisse des Dépôts (its status and
	// the Caisse's answer) goes with the title: it names no one, only the
	// person's id, and a new declaration of an erased person is never made.
	{
		name: "cdc_passages",
		export: `SELECT id_technique, certification_code, status, id_flux, message, sent_at, answered_at
			FROM cdc_passages WHERE person_id = $1 ORDER BY id_technique`,
		keep: "the declaration of a title to the Caisse des Dépôts is part of the proof of certification",
	},
	// The files declared to the Caisse are kept as they were sent
	// (cdc_file_contents, gzip): like the documents issued below, they are
	// the proof of a declaration made, and name the holders they declared.
	// Insertion surveys are the holder's answers: erasure deletes them (the
	// figures then count them no more); the export leaves out the hash of
	// the link's token.
	{
		name: "insertion_surveys",
		export: `SELECT certification_code, awarded_on, route, wave, sent_at, closes_on, answered_at, situation, job_title, contract
			FROM insertion_surveys WHERE person_id = $1 ORDER BY id`,
		erase: []string{`DELETE FROM insertion_surveys WHERE person_id = $1`},
	},
	// The documents issued (certificates, attestations, transcripts) are
	// the proof of certification the certifier must keep: erasure leaves
	// them whole, with the name and birth date they print, and the public
	// verification still answers for them. The export lists them without
	// their PDF, which the person downloads apart.
	{
		name: "issued_documents",
		export: `SELECT number, kind, certification_code, certification_version, block_code, jury_id, jury_date, content,
				digest, issued_at, revoked_at, revoke_reason FROM issued_documents WHERE person_id = $1 ORDER BY id`,
		keep: "the documents issued are the legal proof of certification, which the certifier keeps",
	},
	// Open Badges credentials name their holder by a salted hash of an
	// e-mail address only; like the documents, they are the holder's proof
	// and stay verifiable (badges.go).
	{
		name: "credentials",
		export: `SELECT public_id, certification_code, certification_version, block_code, jury_id, document, issued_at, revoked_at
			FROM credentials WHERE person_id = $1 ORDER BY id`,
		keep: "the credentials issued are the holder's proof of certification, as the documents are; they hold a salted hash of the e-mail address, not the address",
	},
	{name: "people", erase: []string{`UPDATE people SET birth_name = '` + ErasedName + `', usage_name = '',
		first_names = '` + ErasedName + `', birth_date = NULL, sex = '', birth_place = '', birth_country = '',
		nationality = '', email = '', phone = '', address = '', level = 0, ects = 0, experience_months = 0,
		search_name = '', erased_at = $2, updated_at = $2
		WHERE id = $1`}},
}

// ErasedName replaces the names of an erased person.
const ErasedName = "[effacé]"

// ErasePerson anonymises a person everywhere: names, birth, contacts and
// qualifications in their record, their disability record, their
// sessions, e-mails and sign-in failures deleted, their accounts disabled
// with their address replaced. The person row stays, with its id, its
// school and erased_at, and so do the audit trail and (see personalTables)
// the proof of certification. reason goes to the audit trail.
//
// On SQLite nothing of the person is left on disk either: deleted content
// is zeroed (secure_delete, set on every connection) and the write-ahead
// log, which holds the pages as they were, is checkpointed and truncated
// once the erasure commits (scrub). On PostgreSQL the old row versions
// stay in the table files until VACUUM, and in the WAL and backups: see
// README.md, "Erasure".
func (db *DB) ErasePerson(ctx context.Context, id int64, reason string) error {
	err := db.tx(ctx, func(tx *sql.Tx) error { return db.erase(ctx, tx, id, reason) })
	if err != nil {
		return fmt.Errorf("erase person %d: %w", id, err)
	}
	if err := db.scrub(ctx); err != nil {
		return fmt.Errorf("person %d is erased, but not yet from the disk: %w", id, err)
	}
	return nil
}

func (db *DB) erase(ctx context.Context, tx *sql.Tx, id int64, reason string) error {
	p, err := findPerson(ctx, tx, id)
	if err != nil {
		return err
	}
	if p.ErasedAt != nil {
		return certibloc.Errorf(certibloc.ECONFLICT, "person %d was erased already, on %s", id, p.ErasedAt.Format(time.DateOnly))
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	var touched []string
	for _, t := range personalTables {
		n := int64(0)
		for _, stmt := range t.erase {
			args := []any{id}
			if strings.Contains(stmt, "$2") {
				args = append(args, now)
			}
			res, err := tx.ExecContext(ctx, db.personSQL(stmt), args...)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			affected, _ := res.RowsAffected()
			n += affected
		}
		if t.eraseFunc != nil {
			affected, err := t.eraseFunc(ctx, tx, id)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			n += affected
		}
		// The person's trail is read by staff: it must not tell that a
		// disability record existed.
		if n > 0 && t.name != "disabilities" && t.name != "accommodations" {
			touched = append(touched, t.name)
		}
	}
	return db.audit(ctx, tx, "person.erase", "person", fmt.Sprint(id), p.School,
		map[string]any{"reason": reason, "tables": touched})
}

// eraseResultComments removes the comments from the marks of a person's
// results, keeping the grades.
func eraseResultComments(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, marks FROM results WHERE person_id = $1`, id)
	if err != nil {
		return 0, err
	}
	changed := map[int64]string{}
	for rows.Next() {
		var rid int64
		var raw string
		if err := rows.Scan(&rid, &raw); err != nil {
			rows.Close()
			return 0, err
		}
		var marks []certibloc.Mark
		if err := json.Unmarshal([]byte(raw), &marks); err != nil {
			rows.Close()
			return 0, fmt.Errorf("marks of result %d: %w", rid, err)
		}
		had := false
		for i := range marks {
			had = had || marks[i].Comment != ""
			marks[i].Comment = ""
		}
		if had {
			b, _ := json.Marshal(marks)
			changed[rid] = string(b)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for rid, marks := range changed {
		if _, err := tx.ExecContext(ctx, `UPDATE results SET marks = $1 WHERE id = $2`, marks, rid); err != nil {
			return 0, err
		}
	}
	return int64(len(changed)), nil
}

// eraseExportFiles deletes the files of the campaign exports (jobs
// certibloc.ExportApplicationsJob) of the campaigns person id applied to:
// they list the applicants with their names, e-mails and phones. The job
// stays, done, with no file to download. An export that is queued, or
// failed and waiting, reads the applications when it runs, after the
// erasure: it is left alone. One running may have read them before: it is
// queued again, with one more attempt allowed, so that its worker's
// attempt no longer holds it (whatever it writes is refused, ownJob) and
// the next one reads the applications as the erasure left them. It
// returns the files deleted and the jobs queued again.
func eraseExportFiles(ctx context.Context, tx *sql.Tx, id int64) (int64, error) {
	campaigns := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT campaign_id FROM applications WHERE person_id = $1`, id)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return 0, err
		}
		campaigns[c] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(campaigns) == 0 {
		return 0, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT j.id, j.payload, j.state FROM jobs j WHERE j.kind = $1
		AND (j.state = 'running' OR EXISTS (SELECT 1 FROM job_files f WHERE f.job_id = j.id))`, certibloc.ExportApplicationsJob)
	if err != nil {
		return 0, err
	}
	type found struct {
		id      int64
		running bool
	}
	var holding []found
	for rows.Next() {
		var job int64
		var payload, state string
		if err := rows.Scan(&job, &payload, &state); err != nil {
			rows.Close()
			return 0, err
		}
		// A payload that names no campaign cannot tell whom its file
		// lists: it goes too (its job failed for good, and made none).
		var e certibloc.ExportApplications
		if json.Unmarshal([]byte(payload), &e) != nil || campaigns[e.Campaign] {
			holding = append(holding, found{job, state == string(certibloc.JobRunning)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := int64(0)
	for _, j := range holding {
		res, err := tx.ExecContext(ctx, `DELETE FROM job_files WHERE job_id = $1`, j.id)
		if err != nil {
			return 0, err
		}
		deleted, _ := res.RowsAffected()
		n += deleted
		if j.running {
			res, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'queued', lease_until = NULL, max_attempts = max_attempts + 1
				WHERE id = $1 AND state = 'running'`, j.id)
			if err != nil {
				return 0, err
			}
			requeued, _ := res.RowsAffected()
			n += requeued
		}
	}
	return n, nil
}
