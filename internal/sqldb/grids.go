package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// Grids: how each evaluation of a certification version is graded. Every
// stored version has a grid per evaluation from the start (DefaultGrids,
// written with the version, or by Migrate for versions stored before
// grids existed); editing one adds a revision.

const gridColumns = `id, certification_code, certification_version, block_code, evaluation_number, complementary_code,
	revision, title, criteria, pass_rule, min_total`

func scanGrid(row interface{ Scan(...any) error }) (*certibloc.Grid, error) {
	var g certibloc.Grid
	var criteria string
	if err := row.Scan(&g.ID, &g.Certification, &g.Version, &g.Block, &g.Evaluation, &g.Complementary,
		&g.Revision, &g.Title, &criteria, &g.Pass.Rule, &g.Pass.MinTotal); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(criteria), &g.Criteria); err != nil {
		return nil, fmt.Errorf("criteria of grid %d: %w", g.ID, err)
	}
	return &g, nil
}

// Grids returns the latest revision of the grid of each evaluation of a
// certification version (0: the current version), the blocks' evaluations
// first, by block and number, then the complementary evaluations.
func (db *DB) Grids(ctx context.Context, code string, version int) ([]certibloc.Grid, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+gridColumns+` FROM grids g
		WHERE certification_code = $1
			AND certification_version = CASE WHEN $2 = 0
				THEN (SELECT current_version FROM certifications WHERE code = $1) ELSE $2 END
			AND revision = (SELECT max(h.revision) FROM grids h WHERE h.certification_code = g.certification_code
				AND h.certification_version = g.certification_version AND h.block_code = g.block_code
				AND h.evaluation_number = g.evaluation_number AND h.complementary_code = g.complementary_code)
		ORDER BY complementary_code <> '', block_code, evaluation_number, complementary_code`, code, version)
	if err != nil {
		return nil, fmt.Errorf("grids of %s: %w", code, err)
	}
	defer rows.Close()
	list := []certibloc.Grid{}
	for rows.Next() {
		g, err := scanGrid(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, *g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		if _, err := findCertification(ctx, db.read, code, version); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// Grid returns a grid by its id, whatever its revision.
func (db *DB) Grid(ctx context.Context, id int64) (*certibloc.Grid, error) {
	return findGrid(ctx, db.read, id)
}

func findGrid(ctx context.Context, q querier, id int64) (*certibloc.Grid, error) {
	g, err := scanGrid(q.QueryRowContext(ctx, `SELECT `+gridColumns+` FROM grids WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no grid with id %d", id)
	}
	return g, err
}

// latestGrid returns the latest revision of the grid of one evaluation.
func latestGrid(ctx context.Context, q querier, code string, version int, block string, evaluation int, complementary string) (*certibloc.Grid, error) {
	g, err := scanGrid(q.QueryRowContext(ctx, `SELECT `+gridColumns+` FROM grids
		WHERE certification_code = $1 AND certification_version = $2 AND block_code = $3 AND evaluation_number = $4
			AND complementary_code = $5
		ORDER BY revision DESC LIMIT 1`, code, version, block, evaluation, complementary))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "%s version %d has no grid for %s", code, version, evaluationName(block, evaluation, complementary))
	}
	return g, err
}

func evaluationName(block string, evaluation int, complementary string) string {
	if complementary != "" {
		return "complementary evaluation " + complementary
	}
	return fmt.Sprintf("evaluation %d of block %s", evaluation, block)
}

// SaveGrid stores g as a new revision of the grid of its evaluation, after
// checking that it can grade and that it fits its certification version.
// Only staff and the admin edit grids (ManageEvaluations). g gets its id
// and revision. Sessions created before keep the revision they grade with.
func (db *DB) SaveGrid(ctx context.Context, p *certibloc.Principal, g *certibloc.Grid) error {
	if err := p.Authorize(certibloc.ManageEvaluations, ""); err != nil {
		return err
	}
	ctx = certibloc.WithPrincipal(ctx, p)
	if err := g.Validate(); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		c, err := findCertification(ctx, tx, g.Certification, g.Version)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "%s", certibloc.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		g.Version = c.Version
		if err := g.CheckFor(c); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(revision), 0) + 1 FROM grids
			WHERE certification_code = $1 AND certification_version = $2 AND block_code = $3 AND evaluation_number = $4
				AND complementary_code = $5`,
			g.Certification, g.Version, g.Block, g.Evaluation, g.Complementary).Scan(&g.Revision); err != nil {
			return err
		}
		if err := insertGrid(ctx, tx, g, db.now()); err != nil {
			return conflictOnDuplicate(err, "the grid was edited at the same time: try again")
		}
		return db.audit(ctx, tx, "grid.save", "grid", fmt.Sprint(g.ID), "", map[string]any{
			"certification": g.Certification, "version": g.Version, "evaluation": evaluationName(g.Block, g.Evaluation, g.Complementary),
			"revision": g.Revision, "criteria": len(g.Criteria), "pass": g.Pass.Rule})
	})
	if err != nil {
		return fmt.Errorf("save grid: %w", err)
	}
	return nil
}

// gridExec is what inserting grids needs: a transaction, or the
// connection that migrates.
type gridExec interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func insertGrid(ctx context.Context, tx gridExec, g *certibloc.Grid, now time.Time) error {
	criteria, err := json.Marshal(g.Criteria)
	if err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `INSERT INTO grids (certification_code, certification_version, block_code,
			evaluation_number, complementary_code, revision, title, criteria, pass_rule, min_total, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		g.Certification, g.Version, g.Block, g.Evaluation, g.Complementary, g.Revision, g.Title, string(criteria),
		g.Pass.Rule, g.Pass.MinTotal, now.UTC().Truncate(time.Microsecond)).Scan(&g.ID)
}

// insertDefaultGrids stores the default grids of version version of c.
func insertDefaultGrids(ctx context.Context, tx gridExec, c *certibloc.Certification, version int, now time.Time) error {
	cc := *c
	cc.Version = version
	for _, g := range certibloc.DefaultGrids(&cc) {
		if err := insertGrid(ctx, tx, &g, now); err != nil {
			return fmt.Errorf("default grid of %s: %w", evaluationName(g.Block, g.Evaluation, g.Complementary), err)
		}
	}
	return nil
}

// backfillGrids gives the certification versions stored before grids
// existed (migration 0008) their default grids, in one transaction. It
// runs after the migrations, where they run; a version that has grids
// already is left alone.
func (db *DB) backfillGrids(ctx context.Context, conn migrator) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT v.code, v.version FROM certification_versions v
		WHERE NOT EXISTS (SELECT 1 FROM grids g WHERE g.certification_code = v.code AND g.certification_version = v.version)
		ORDER BY v.code, v.version`)
	if err != nil {
		return err
	}
	type version struct {
		code string
		n    int
	}
	var missing []version
	for rows.Next() {
		var v version
		if err := rows.Scan(&v.code, &v.n); err != nil {
			rows.Close()
			return err
		}
		missing = append(missing, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(missing) == 0 {
		return err
	}
	for _, v := range missing {
		c, err := findCertification(ctx, tx, v.code, v.n)
		if err != nil {
			return err
		}
		if err := insertDefaultGrids(ctx, tx, c, v.n, db.now()); err != nil {
			return fmt.Errorf("%s version %d: %w", v.code, v.n, err)
		}
	}
	return tx.Commit()
}
