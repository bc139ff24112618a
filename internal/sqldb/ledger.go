package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/certibloc/certibloc"
)

// The ledger of acquired blocks and the titles awarded: written when a
// jury closes (or a decision of a closed jury is corrected), once per
// person and block; never changed nor erased, as the certifier's proof.

// writeLedger records the blocks a decision validates and the title it
// awards, with the route it was awarded by (VAE when every block of the
// certification came by VAE). A block already in the ledger keeps its first entry: blocks once
// validated are acquired for good, at the date they were first validated;
// so is a block carried over from an older version of c (the jury's) by
// its correspondence table, which the jury confirms but does not validate
// again.
func (db *DB) writeLedger(ctx context.Context, tx *sql.Tx, c *certibloc.Certification, j *certibloc.JurySession, jd *certibloc.JuryDecision, at time.Time) error {
	carried := map[string]bool{}
	if len(c.Correspondences) > 0 {
		entries, err := ledgerOf(ctx, tx, `l.person_id = $1`, jd.PersonID)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Version != c.Version {
				if acq, _ := c.Carried([]certibloc.LedgerEntry{e}); len(acq) == 1 {
					carried[acq[0].Block] = true
				}
			}
		}
	}
	for _, b := range jd.Blocks {
		if !b.Validated || carried[b.Block] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO ledger (person_id, certification_code, certification_version, block_code, route, validated_on, jury_id, decision_id, recorded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (person_id, certification_code, certification_version, block_code) DO NOTHING`,
			jd.PersonID, j.Certification, j.Version, b.Block, b.Route, b.Date, j.ID, jd.ID, at); err != nil {
			return err
		}
	}
	if jd.Certified {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO titles_awarded (person_id, certification_code, certification_version, awarded_on, jury_id, decision_id, recorded_at, route)
			VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN NOT EXISTS (SELECT 1 FROM ledger l
				WHERE l.person_id = $1 AND l.certification_code = $2 AND l.route <> 'vae') AND EXISTS (SELECT 1 FROM ledger l
				WHERE l.person_id = $1 AND l.certification_code = $2) THEN 'vae' ELSE 'training' END)
			ON CONFLICT (person_id, certification_code) DO NOTHING`,
			jd.PersonID, j.Certification, j.Version, j.Date, j.ID, jd.ID, at); err != nil {
			return err
		}
	}
	return nil
}

// Ledger returns a person's acquired blocks, by certification and date.
func (db *DB) Ledger(ctx context.Context, personID int64) ([]certibloc.LedgerEntry, error) {
	return ledgerOf(ctx, db.read, `l.person_id = $1`, personID)
}

func ledgerOf(ctx context.Context, q querier, where string, arg any) ([]certibloc.LedgerEntry, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT l.id, l.person_id, l.certification_code, l.certification_version, l.block_code, l.route, l.validated_on, l.jury_id, l.recorded_at
		FROM ledger l WHERE `+where+` ORDER BY l.person_id, l.certification_code, l.validated_on, l.id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []certibloc.LedgerEntry
	for rows.Next() {
		var e certibloc.LedgerEntry
		if err := rows.Scan(&e.ID, &e.PersonID, &e.Certification, &e.Version, &e.Block, &e.Route, &e.Date, &e.JuryID, &e.RecordedAt); err != nil {
			return nil, err
		}
		e.RecordedAt = e.RecordedAt.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// TitleAwarded is a title a jury awarded to a person.
type TitleAwarded struct {
	Certification string
	Version       int
	Date          certibloc.Date
	JuryID        int64
}

// TitlesAwarded returns the titles awarded to a person.
func (db *DB) TitlesAwarded(ctx context.Context, personID int64) ([]TitleAwarded, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT certification_code, certification_version, awarded_on, jury_id FROM titles_awarded
		WHERE person_id = $1 ORDER BY awarded_on`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TitleAwarded
	for rows.Next() {
		var t TitleAwarded
		if err := rows.Scan(&t.Certification, &t.Version, &t.Date, &t.JuryID); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Path is what a person's ledger gives on the current version of a
// certification: the engine's decision from the blocks acquired, and the
// entries that carry over to nothing on this version.
func (db *DB) Path(ctx context.Context, personID int64, code string) (certibloc.Decision, []certibloc.LedgerEntry, error) {
	c, err := findCertification(ctx, db.read, code, 0)
	if err != nil {
		return certibloc.Decision{}, nil, err
	}
	entries, err := ledgerOf(ctx, db.read, `l.person_id = $1`, personID)
	if err != nil {
		return certibloc.Decision{}, nil, err
	}
	rec := certibloc.Record{}
	if len(c.EntryRules) > 0 {
		rec.Track = c.EntryRules[0].Track
	}
	var track string
	err = db.read.QueryRowContext(ctx, `
		SELECT e.track FROM enrolments e JOIN cohorts co ON co.id = e.cohort_id
		WHERE e.person_id = $1 AND co.certification_code = $2 ORDER BY e.id DESC LIMIT 1`, personID, code).Scan(&track)
	if err == nil {
		rec.Track = certibloc.Track(track)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return certibloc.Decision{}, nil, err
	}
	var left []certibloc.LedgerEntry
	rec.Acquired, left = c.Carried(entries)
	// The complementary evaluations are no blocks and have no place in the
	// ledger: their official results on the current version count as they
	// are, so that a title awarded on a mixed route shows as reached.
	outcomes, err := db.officialOutcomes(ctx, db.read, `r.person_id = $1`, personID)
	if err != nil {
		return certibloc.Decision{}, nil, err
	}
	for _, o := range outcomes {
		if o.Session.Complementary != "" && o.Session.Certification == c.Code && o.Session.Version == c.Version {
			rec.AddAttempts([]certibloc.Attempt{{Complementary: o.Session.Complementary, Passed: o.Passed, Date: o.Session.Date}})
		}
	}
	d, err := db.CompiledRules(c).Decide(rec)
	return d, left, err
}
