package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/certibloc/certibloc"
)

// Juries: a session of one certification version, its members and
// candidates, each member's declarations of conflict of interest, the
// decisions, and closing, which writes the ledger and the titles awarded
// (ledger.go) and records the digest of the minutes.

// CreateJury stores a jury session, open, on the current version of its
// certification when j names none. j gets its id.
func (db *DB) CreateJury(ctx context.Context, j *certibloc.JurySession) error {
	if err := j.Check(); err != nil {
		return err
	}
	j.State, j.CreatedAt = certibloc.JuryOpen, db.now().UTC().Truncate(time.Microsecond)
	return db.tx(ctx, func(tx *sql.Tx) error {
		c, err := findCertification(ctx, tx, j.Certification, j.Version)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "%s", certibloc.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		j.Version = c.Version
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO juries (certification_code, certification_version, held_on, place, state, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			j.Certification, j.Version, j.Date, j.Place, j.State, j.CreatedAt).Scan(&j.ID); err != nil {
			return err
		}
		for i, m := range j.Members {
			if m.AccountID != 0 {
				var role string
				err := tx.QueryRowContext(ctx, `SELECT role FROM accounts WHERE id = $1 AND disabled_at IS NULL`, m.AccountID).Scan(&role)
				if errors.Is(err, sql.ErrNoRows) {
					return certibloc.Errorf(certibloc.EINVALID, "member %d: account %d does not exist or is disabled", i+1, m.AccountID)
				} else if err != nil {
					return err
				}
				if role != string(certibloc.Jury) && role != string(certibloc.Admin) {
					return certibloc.Errorf(certibloc.EINVALID, "member %d: account %d has the role %s, not jury", i+1, m.AccountID, role)
				}
			}
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO jury_members (jury_id, position, account_id, name, role, present) VALUES ($1, $2, $3, $4, $5, $6)`,
				j.ID, i+1, nullID(m.AccountID), m.Name, m.Role, m.Present); err != nil {
				return err
			}
		}
		if err := addCandidates(ctx, tx, j.ID, j.Candidates); err != nil {
			return err
		}
		return db.audit(ctx, tx, "jury.create", "jury", strconv.FormatInt(j.ID, 10), "",
			map[string]any{"certification": j.Certification, "version": j.Version, "date": j.Date, "members": len(j.Members), "candidates": len(j.Candidates)})
	})
}

// nullID is id, or NULL for 0.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func addCandidates(ctx context.Context, tx *sql.Tx, juryID int64, people []int64) error {
	for _, p := range people {
		var erased sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT erased_at FROM people WHERE id = $1`, p).Scan(&erased)
		if errors.Is(err, sql.ErrNoRows) || erased.Valid {
			return certibloc.Errorf(certibloc.EINVALID, "candidate %d does not exist", p)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO jury_candidates (jury_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, juryID, p); err != nil {
			return err
		}
	}
	return nil
}

// AddJuryCandidates adds candidates to an open jury.
func (db *DB) AddJuryCandidates(ctx context.Context, juryID int64, people []int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := openJury(ctx, tx, juryID); err != nil {
			return err
		}
		if err := addCandidates(ctx, tx, juryID, people); err != nil {
			return err
		}
		return db.audit(ctx, tx, "jury.candidates", "jury", strconv.FormatInt(juryID, 10), "", map[string]any{"added": len(people)})
	})
}

// Jury returns a jury session with its members and candidates.
func (db *DB) Jury(ctx context.Context, id int64) (*certibloc.JurySession, error) {
	return findJury(ctx, db.read, id)
}

func findJury(ctx context.Context, q querier, id int64) (*certibloc.JurySession, error) {
	j := &certibloc.JurySession{ID: id}
	var closed sql.NullTime
	err := q.QueryRowContext(ctx, `
		SELECT certification_code, certification_version, held_on, place, state, closed_at, minutes_digest, created_at
		FROM juries WHERE id = $1`, id).Scan(&j.Certification, &j.Version, &j.Date, &j.Place, &j.State, &closed, &j.MinutesDigest, &j.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no jury %d", id)
	} else if err != nil {
		return nil, err
	}
	if closed.Valid {
		t := closed.Time.UTC()
		j.ClosedAt = &t
	}
	rows, err := q.QueryContext(ctx, `SELECT COALESCE(account_id, 0), name, role, present FROM jury_members WHERE jury_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m certibloc.JuryMember
		if err := rows.Scan(&m.AccountID, &m.Name, &m.Role, &m.Present); err != nil {
			rows.Close()
			return nil, err
		}
		j.Members = append(j.Members, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT person_id FROM jury_candidates WHERE jury_id = $1 ORDER BY person_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		j.Candidates = append(j.Candidates, p)
	}
	return j, rows.Err()
}

// Juries lists the jury sessions, the latest first, with their members
// and candidates.
func (db *DB) Juries(ctx context.Context) ([]certibloc.JurySession, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM juries ORDER BY held_on DESC, id DESC LIMIT 500`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]certibloc.JurySession, 0, len(ids))
	for _, id := range ids {
		j, err := findJury(ctx, db.read, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *j)
	}
	return out, nil
}

// openJury reads a jury that may still change.
func openJury(ctx context.Context, q querier, id int64) (*certibloc.JurySession, error) {
	j, err := findJury(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if j.State != certibloc.JuryOpen {
		return nil, certibloc.Errorf(certibloc.ECONFLICT, "jury %d is closed: its decisions are read-only; a correction opens a new decision with a reason", id)
	}
	return j, nil
}

// DeclareConflict records a member's declaration about a candidate: no
// conflict of interest, or one. The member is the account of ctx's
// principal, who must sit on the jury.
func (db *DB) DeclareConflict(ctx context.Context, juryID, personID int64, conflict bool) error {
	p := certibloc.PrincipalFrom(ctx)
	return db.tx(ctx, func(tx *sql.Tx) error {
		j, err := openJury(ctx, tx, juryID)
		if err != nil {
			return err
		}
		if !memberOf(j, p.AccountID) {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "only a member of jury %d declares conflicts of interest for it", juryID)
		}
		if !slices.Contains(j.Candidates, personID) {
			return certibloc.Errorf(certibloc.EINVALID, "person %d is not a candidate of jury %d", personID, juryID)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO conflict_declarations (jury_id, account_id, person_id, conflict, declared_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (jury_id, account_id, person_id) DO UPDATE SET conflict = excluded.conflict, declared_at = excluded.declared_at`,
			juryID, p.AccountID, personID, conflict, db.now().UTC().Truncate(time.Microsecond)); err != nil {
			return err
		}
		return db.audit(ctx, tx, "jury.declare", "jury", strconv.FormatInt(juryID, 10), "", map[string]any{"person": personID, "conflict": conflict})
	})
}

func memberOf(j *certibloc.JurySession, account int64) bool {
	for _, m := range j.Members {
		if account != 0 && m.AccountID == account {
			return true
		}
	}
	return false
}

func declarations(ctx context.Context, q querier, juryID int64) ([]certibloc.ConflictDeclaration, error) {
	rows, err := q.QueryContext(ctx, `SELECT account_id, person_id, conflict FROM conflict_declarations WHERE jury_id = $1`, juryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []certibloc.ConflictDeclaration
	for rows.Next() {
		var d certibloc.ConflictDeclaration
		if err := rows.Scan(&d.AccountID, &d.PersonID, &d.Conflict); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Proposal is what the jury sees of a candidate: the engine's decision
// and the jury's decision so far (the proposal itself while undecided).
type Proposal struct {
	PersonID int64
	Engine   certibloc.Decision
	Decision certibloc.JuryDecision
}

// JuryProposals decides every candidate of a jury from the database: their
// blocks in the ledger (carried over from older versions through the
// correspondence table) and their results, read in a few queries whatever
// the number of candidates; each with the jury's current decision when it
// has one.
func (db *DB) JuryProposals(ctx context.Context, juryID int64) ([]Proposal, error) {
	j, err := findJury(ctx, db.read, juryID)
	if err != nil {
		return nil, err
	}
	c, err := findCertification(ctx, db.read, j.Certification, j.Version)
	if err != nil {
		return nil, err
	}
	recs, err := db.candidateRecords(ctx, db.read, c, juryID)
	if err != nil {
		return nil, err
	}
	current, err := juryDecisions(ctx, db.read, juryID)
	if err != nil {
		return nil, err
	}
	rules := db.CompiledRules(c)
	out := make([]Proposal, 0, len(j.Candidates))
	for _, p := range j.Candidates {
		d, err := rules.Decide(recs[p])
		if err != nil {
			return nil, fmt.Errorf("candidate %d: %w", p, err)
		}
		pr := Proposal{PersonID: p, Engine: d, Decision: certibloc.Propose(p, &d)}
		if jd, ok := current[p]; ok {
			pr.Decision = jd
		}
		pr.Decision.JuryID = juryID
		out = append(out, pr)
	}
	return out, nil
}

// candidateRecords reads the records of a jury's candidates: the track of
// their latest enrolment on the certification (else its first track), their
// official results at evaluation sessions of the jury's version, and the
// blocks of the ledger.
func (db *DB) candidateRecords(ctx context.Context, q querier, c *certibloc.Certification, juryID int64) (map[int64]certibloc.Record, error) {
	recs := map[int64]certibloc.Record{}
	first := certibloc.Track("")
	if len(c.EntryRules) > 0 {
		first = c.EntryRules[0].Track
	}
	rows, err := q.QueryContext(ctx, `
		SELECT jc.person_id, COALESCE((SELECT e.track FROM enrolments e JOIN cohorts co ON co.id = e.cohort_id
			WHERE e.person_id = jc.person_id AND co.certification_code = $2 ORDER BY e.id DESC LIMIT 1), '')
		FROM jury_candidates jc WHERE jc.jury_id = $1`, juryID, c.Code)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p int64
		var track string
		if err := rows.Scan(&p, &track); err != nil {
			rows.Close()
			return nil, err
		}
		recs[p] = certibloc.Record{Track: certibloc.Track(track)}
		if track == "" {
			recs[p] = certibloc.Record{Track: first}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	outcomes, err := db.officialOutcomes(ctx, q, `r.person_id IN (SELECT person_id FROM jury_candidates WHERE jury_id = $1)`, juryID)
	if err != nil {
		return nil, err
	}
	for _, o := range outcomes {
		r, ok := recs[o.PersonID]
		if !ok || o.Session.Certification != c.Code || o.Session.Version != c.Version {
			continue
		}
		r.AddAttempts([]certibloc.Attempt{{Block: o.Session.Block, Evaluation: o.Session.Evaluation,
			Complementary: o.Session.Complementary, Passed: o.Passed, Date: o.Session.Date}})
		recs[o.PersonID] = r
	}
	entries, err := ledgerOf(ctx, q, `l.person_id IN (SELECT person_id FROM jury_candidates WHERE jury_id = $1)`, juryID)
	if err != nil {
		return nil, err
	}
	byPerson := map[int64][]certibloc.LedgerEntry{}
	for _, e := range entries {
		byPerson[e.PersonID] = append(byPerson[e.PersonID], e)
	}
	for p, es := range byPerson {
		r := recs[p]
		r.Acquired, _ = c.Carried(es)
		recs[p] = r
	}
	return recs, nil
}

// juryDecisions returns the current decision on each candidate of a jury.
func juryDecisions(ctx context.Context, q querier, juryID int64) (map[int64]certibloc.JuryDecision, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, person_id, blocks, proposed_title, certified, reason, COALESCE(supersedes, 0), decided_at
		FROM jury_decisions WHERE jury_id = $1 AND NOT superseded`, juryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]certibloc.JuryDecision{}
	for rows.Next() {
		jd := certibloc.JuryDecision{JuryID: juryID, Decided: true}
		var blocks string
		var at time.Time
		if err := rows.Scan(&jd.ID, &jd.PersonID, &blocks, &jd.Proposed, &jd.Certified, &jd.Reason, &jd.Supersedes, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(blocks), &jd.Blocks); err != nil {
			return nil, fmt.Errorf("decision %d: %w", jd.ID, err)
		}
		at = at.UTC()
		jd.DecidedAt = &at
		out[jd.PersonID] = jd
	}
	return out, rows.Err()
}

// DecideCandidate records the jury's decision on one candidate of an open
// jury, replacing the one it had: the proposal is the engine's, read again
// here, so an override is judged against it and needs a reason; members
// present must have declared no conflict of interest about the candidate.
func (db *DB) DecideCandidate(ctx context.Context, juryID int64, jd *certibloc.JuryDecision) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		j, err := openJury(ctx, tx, juryID)
		if err != nil {
			return err
		}
		if !slices.Contains(j.Candidates, jd.PersonID) {
			return certibloc.Errorf(certibloc.EINVALID, "person %d is not a candidate of jury %d", jd.PersonID, juryID)
		}
		c, err := findCertification(ctx, tx, j.Certification, j.Version)
		if err != nil {
			return err
		}
		decls, err := declarations(ctx, tx, juryID)
		if err != nil {
			return err
		}
		if ps := c.JuryRule().CheckDecide(j.Members, jd.PersonID, decls); ps != nil {
			return ps
		}
		if err := db.settleProposal(ctx, tx, c, j, jd); err != nil {
			return err
		}
		// A VAE candidate: the jury rules on the blocks aimed at, by VAE.
		if cd, err := vaeOfJury(ctx, tx, juryID, jd.PersonID); err != nil {
			return err
		} else if cd != nil {
			if ps := cd.CheckVAEDecision(jd); ps != nil {
				return ps
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM jury_decisions WHERE jury_id = $1 AND person_id = $2`, juryID, jd.PersonID); err != nil {
			return err
		}
		return db.insertDecision(ctx, tx, juryID, jd, "jury.decide")
	})
}

// settleProposal sets what the engine proposes on jd, block by block, and
// checks the jury's departures from it.
func (db *DB) settleProposal(ctx context.Context, tx *sql.Tx, c *certibloc.Certification, j *certibloc.JurySession, jd *certibloc.JuryDecision) error {
	recs, err := db.candidateRecords(ctx, tx, c, j.ID)
	if err != nil {
		return err
	}
	d, err := db.CompiledRules(c).Decide(recs[jd.PersonID])
	if err != nil {
		return err
	}
	proposal := certibloc.Propose(jd.PersonID, &d)
	for i := range jd.Blocks {
		b := &jd.Blocks[i]
		if c.Block(b.Block) == nil {
			return certibloc.Problems{{Row: i + 1, Code: "block_unknown", Value: certibloc.Cut(b.Block)}}
		}
		b.Proposed = false
		for _, p := range proposal.Blocks {
			if p.Block == b.Block {
				b.Proposed = true
				if b.Validated && b.Date.IsZero() {
					b.Route, b.Date = p.Route, p.Date
				}
			}
		}
		if b.Validated && b.Date.IsZero() {
			b.Date = j.Date // validated by the jury itself, on its date
		}
	}
	// A block the engine validates and the jury does not mention is
	// confirmed: partial decisions list only what they change.
	for _, p := range proposal.Blocks {
		found := false
		for _, b := range jd.Blocks {
			found = found || b.Block == p.Block
		}
		if !found {
			jd.Blocks = append(jd.Blocks, p)
		}
	}
	// The title follows from the blocks the jury validates: the engine
	// decides again with them acquired, and a title awarded or refused
	// against that needs a reason.
	rec := recs[jd.PersonID]
	for i, b := range jd.Blocks {
		if b.Validated && b.Route != certibloc.Training && b.Route != certibloc.VAE && b.Route != certibloc.Mixed {
			return certibloc.Problems{{Row: i + 1, Code: "block_route", Value: b.Block}}
		}
		if b.Validated && !b.Proposed {
			route := b.Route
			if route == certibloc.Mixed {
				route = certibloc.Training
			}
			rec.Acquired = append(rec.Acquired, certibloc.AcquiredBlock{Block: b.Block, Route: route, Date: b.Date})
		}
	}
	if !slices.Equal(rec.Acquired, recs[jd.PersonID].Acquired) {
		if d, err = db.CompiledRules(c).Decide(rec); err != nil {
			return err
		}
	}
	jd.Proposed = d.Certified
	if ps := jd.Check(); ps != nil {
		return ps
	}
	return nil
}

func (db *DB) insertDecision(ctx context.Context, tx *sql.Tx, juryID int64, jd *certibloc.JuryDecision, action string) error {
	blocks, err := json.Marshal(jd.Blocks)
	if err != nil {
		return err
	}
	at := db.now().UTC().Truncate(time.Microsecond)
	jd.JuryID, jd.Decided, jd.DecidedAt = juryID, true, &at
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO jury_decisions (jury_id, person_id, blocks, proposed_title, certified, reason, supersedes, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		juryID, jd.PersonID, string(blocks), jd.Proposed, jd.Certified, jd.Reason, nullID(jd.Supersedes), at).Scan(&jd.ID); err != nil {
		return err
	}
	return db.audit(ctx, tx, action, "jury", strconv.FormatInt(juryID, 10), "",
		map[string]any{"person": jd.PersonID, "decision": jd.ID, "certified": jd.Certified, "proposed": jd.Proposed, "overridden": jd.Overridden(), "supersedes": jd.Supersedes})
}

// Minutes renders the minutes of a jury being closed (a PDF, by the pdf
// package): the session with its members and every candidate's decision.
type Minutes func(m *certibloc.Minutes) ([]byte, error)

// CloseJury closes an open jury: its composition must meet the
// certification's rule and every candidate must be decided. The minutes
// are rendered and stored with their SHA-256 digest, which the audit trail
// records too; every block validated goes to the ledger and every title
// awarded is recorded. All of it, or nothing.
func (db *DB) CloseJury(ctx context.Context, juryID int64, render Minutes) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		j, err := openJury(ctx, tx, juryID)
		if err != nil {
			return err
		}
		c, err := findCertification(ctx, tx, j.Certification, j.Version)
		if err != nil {
			return err
		}
		current, err := juryDecisions(ctx, tx, juryID)
		if err != nil {
			return err
		}
		decisions := make([]certibloc.JuryDecision, 0, len(j.Candidates))
		for _, p := range j.Candidates {
			jd, ok := current[p]
			if !ok {
				jd = certibloc.JuryDecision{PersonID: p}
			}
			decisions = append(decisions, jd)
		}
		if ps := c.JuryRule().CheckClose(j.Members, decisions); ps != nil {
			return ps
		}
		at := db.now().UTC().Truncate(time.Microsecond)
		j.State, j.ClosedAt = certibloc.JuryClosed, &at
		m := &certibloc.Minutes{Jury: j, Certification: c}
		for _, d := range decisions {
			p, err := findPerson(ctx, tx, d.PersonID)
			if err != nil {
				return err
			}
			m.Candidates = append(m.Candidates, certibloc.MinutesCandidate{PersonID: p.ID, Name: p.DisplayName(), BirthDate: p.BirthDate, Decision: d})
		}
		pdf, err := render(m)
		if err != nil {
			return fmt.Errorf("minutes of jury %d: %w", juryID, err)
		}
		sum := sha256.Sum256(pdf)
		j.MinutesDigest = hex.EncodeToString(sum[:])
		for i := range decisions {
			if err := db.writeLedger(ctx, tx, c, j, &decisions[i], at); err != nil {
				return err
			}
		}
		for i := range decisions {
			cd, err := vaeOfJury(ctx, tx, juryID, decisions[i].PersonID)
			if err != nil {
				return err
			}
			if cd != nil {
				if err := db.move(ctx, tx, cd, certibloc.VAEDecided, map[string]any{"jury": juryID}); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE juries SET state = $1, closed_at = $2, minutes_digest = $3, minutes = $4 WHERE id = $5`,
			j.State, at, j.MinutesDigest, pdf, juryID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "jury.close", "jury", strconv.FormatInt(juryID, 10), "",
			map[string]any{"minutes_sha256": j.MinutesDigest, "candidates": len(decisions)})
	})
}

// JuryMinutes returns the minutes of a closed jury.
func (db *DB) JuryMinutes(ctx context.Context, juryID int64) ([]byte, error) {
	var pdf []byte
	err := db.read.QueryRowContext(ctx, `SELECT minutes FROM juries WHERE id = $1 AND state = 'closed'`, juryID).Scan(&pdf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "jury %d has no minutes: it does not exist or is not closed", juryID)
	}
	return pdf, err
}

// CorrectJuryDecision corrects a decision of a closed jury: a new decision
// supersedes the old one, which stays, with a reason; blocks it validates
// go to the ledger. A block once in the ledger stays acquired: a
// correction cannot take it back.
func (db *DB) CorrectJuryDecision(ctx context.Context, juryID int64, jd *certibloc.JuryDecision, reason string) error {
	if len(reason) < 10 || certibloc.CheckText("reason", reason, 2000, true) != nil {
		return certibloc.Errorf(certibloc.EINVALID, "a correction needs a reason of 10 to 2000 characters")
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		j, err := findJury(ctx, tx, juryID)
		if err != nil {
			return err
		}
		if j.State != certibloc.JuryClosed {
			return certibloc.Errorf(certibloc.ECONFLICT, "jury %d is still open: change the decision itself", juryID)
		}
		current, err := juryDecisions(ctx, tx, juryID)
		if err != nil {
			return err
		}
		old, ok := current[jd.PersonID]
		if !ok {
			return certibloc.Errorf(certibloc.ENOTFOUND, "jury %d has no decision on person %d", juryID, jd.PersonID)
		}
		for _, ob := range old.Blocks {
			for _, nb := range jd.Blocks {
				if ob.Block == nb.Block && ob.Validated && !nb.Validated {
					return certibloc.Errorf(certibloc.ECONFLICT, "block %s is in the ledger: a block once validated stays acquired", ob.Block)
				}
			}
		}
		c, err := findCertification(ctx, tx, j.Certification, j.Version)
		if err != nil {
			return err
		}
		jd.Supersedes, jd.Reason = old.ID, reason
		if err := db.settleProposal(ctx, tx, c, j, jd); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jury_decisions SET superseded = TRUE WHERE id = $1`, old.ID); err != nil {
			return err
		}
		if err := db.insertDecision(ctx, tx, juryID, jd, "jury.correct"); err != nil {
			return err
		}
		return db.writeLedger(ctx, tx, c, j, jd, db.now().UTC().Truncate(time.Microsecond))
	})
}
