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
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// CertificationSummary is a line of the list of certifications.
type CertificationSummary struct {
	Code    string `json:"code"`
	Title   string `json:"title"`
	Level   int    `json:"level"`
	Active  bool   `json:"active"`
	Version int    `json:"version"`
	Blocks  int    `json:"blocks"`
}

// rulesDoc is the JSON document of the rules column.
type rulesDoc struct {
	EntryRules []certibloc.EntryRule     `json:"entry_rules"`
	BlockRules []certibloc.BlockRule     `json:"block_prerequisites"`
	Validation *certibloc.ValidationRule `json:"validation_rule"`
	// Added later, absent from older rows.
	Correspondences []certibloc.Correspondence `json:"correspondences,omitempty"`
	Jury            *certibloc.JuryRule        `json:"jury_rule,omitempty"`
}

// SaveCertification stores c as the current version of its certification:
// version 1 when the code is new, a new version when the referential
// differs from the current one (the changes are listed), nothing when it is
// the same. The version number of c is ignored: its correspondences are
// checked against the version it becomes. All or nothing.
func (db *DB) SaveCertification(ctx context.Context, c *certibloc.Certification) (certibloc.SaveResult, error) {
	stored := *c
	stored.Version = 0
	if err := stored.Validate(); err != nil {
		return certibloc.SaveResult{}, err
	}
	res := certibloc.SaveResult{Code: c.Code}
	hash := contentHash(c)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var current int
		var currentHash string
		err := tx.QueryRowContext(ctx, `
			SELECT v.version, v.content_hash
			FROM certifications c JOIN certification_versions v ON v.code = c.code AND v.version = c.current_version
			WHERE c.code = $1`, c.Code).Scan(&current, &currentHash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res.Status, res.Version = certibloc.Created, 1
			if _, err := tx.ExecContext(ctx, `INSERT INTO certifications (code, current_version, created_at) VALUES ($1, 1, $2)`,
				c.Code, db.now().UTC()); err != nil {
				return err
			}
		case err != nil:
			return err
		case currentHash == hash:
			res.Status, res.Version = certibloc.Unchanged, current
			return nil
		default:
			old, err := findCertification(ctx, tx, c.Code, current)
			if err != nil {
				return err
			}
			res.Status, res.Version, res.Changes = certibloc.Updated, current+1, certibloc.Changes(old, c)
			c = withEnglishOf(old, c)
			if _, err := tx.ExecContext(ctx, `UPDATE certifications SET current_version = $1 WHERE code = $2`,
				res.Version, c.Code); err != nil {
				return err
			}
		}
		if stored.Version = res.Version; len(c.Correspondences) > 0 {
			if err := stored.Validate(); err != nil {
				return err
			}
		}
		if err := insertVersion(ctx, tx, c, res.Version, hash, db.now); err != nil {
			return err
		}
		return db.audit(ctx, tx, "certification."+res.Status, "certification", c.Code, "",
			map[string]any{"version": res.Version, "source": c.Source, "changes": res.Changes})
	})
	if err != nil {
		return certibloc.SaveResult{}, fmt.Errorf("save certification %s: %w", c.Code, err)
	}
	return res, nil
}

// withEnglishOf returns c, imported from France Compétences (which
// publishes in French only), with the English translation of the version
// old where the French is unchanged: the title's when the title is the
// same, each block's whose title and competencies are the same. The
// content hash stays that of the import, so that importing it again
// changes nothing. Anything else is returned as it is.
func withEnglishOf(old, c *certibloc.Certification) *certibloc.Certification {
	if c.English != nil || old.English == nil || !strings.HasPrefix(c.Source, "rncp-") || old.Title != c.Title {
		return c
	}
	en := certibloc.Translation{Title: old.English.Title}
	for _, b := range c.Blocks {
		i := slices.IndexFunc(old.Blocks, func(o certibloc.Block) bool { return o.Code == b.Code })
		t, ok := old.EnglishBlock(b.Code)
		if i >= 0 && ok && old.Blocks[i].Title == b.Title && slices.Equal(old.Blocks[i].Competencies, b.Competencies) {
			en.Blocks = append(en.Blocks, t)
		}
	}
	cc := *c
	cc.English = &en
	return &cc
}

// contentHash identifies the referential itself, whatever its version
// number or where it came from.
func contentHash(c *certibloc.Certification) string {
	cc := *c
	cc.Version, cc.Source = 0, ""
	b, _ := json.Marshal(cc)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// details returns the descriptive fields of c as the JSON of the details
// column: the certification without what has columns or tables of its own.
func details(c *certibloc.Certification) ([]byte, error) {
	d := *c
	d.Code, d.Version, d.Title, d.Level, d.Active, d.Source = "", 0, "", 0, false, ""
	d.DecisionDate, d.EndDate = certibloc.Date{}, certibloc.Date{}
	d.Blocks, d.EntryRules, d.BlockRules, d.Validation, d.Correspondences, d.Jury = nil, nil, nil, nil, nil, nil
	return json.Marshal(d)
}

func insertVersion(ctx context.Context, tx *sql.Tx, c *certibloc.Certification, version int, hash string, now func() time.Time) error {
	det, err := details(c)
	if err != nil {
		return err
	}
	rules, err := json.Marshal(rulesDoc{c.EntryRules, c.BlockRules, c.Validation, c.Correspondences, c.Jury})
	if err != nil {
		return err
	}
	var versionID int64
	if err := tx.QueryRowContext(ctx, `
		INSERT INTO certification_versions
			(code, version, title, level, active, decision_date, end_date, source, content_hash, details, rules, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		RETURNING id`,
		c.Code, version, c.Title, c.Level, c.Active, c.DecisionDate, c.EndDate, c.Source, hash,
		string(det), string(rules), now().UTC()).Scan(&versionID); err != nil {
		return err
	}
	for i, b := range c.Blocks {
		jobs, _ := json.Marshal(nonNil(b.Jobs))
		var blockID int64
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO blocks (version_id, position, code, title, kind, evaluation_text, jobs)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			RETURNING id`,
			versionID, i+1, b.Code, b.Title, string(b.Kind), b.EvaluationText, string(jobs)).Scan(&blockID); err != nil {
			return err
		}
		for j, text := range b.Competencies {
			if _, err := tx.ExecContext(ctx, `INSERT INTO competencies (block_id, position, text) VALUES ($1, $2, $3)`,
				blockID, j+1, text); err != nil {
				return err
			}
		}
		for _, e := range b.Evaluations {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO evaluations (block_id, number, title, form, description) VALUES ($1, $2, $3, $4, $5)`,
				blockID, e.Number, e.Title, string(e.Form), e.Description); err != nil {
				return err
			}
		}
	}
	// Every version can be graded from the start: a grid per evaluation.
	return insertDefaultGrids(ctx, tx, c, version, now())
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// querier is what reads need: a *sql.DB, or a *sql.Tx when the read is
// part of a write.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Certification returns a version of a certification; version 0 means the
// current one.
func (db *DB) Certification(ctx context.Context, code string, version int) (*certibloc.Certification, error) {
	c, err := findCertification(ctx, db.read, code, version)
	if err != nil {
		return nil, fmt.Errorf("certification %s: %w", code, err)
	}
	return c, nil
}

func findCertification(ctx context.Context, q querier, code string, version int) (*certibloc.Certification, error) {
	var (
		c                   certibloc.Certification
		versionID           int64
		detailsJSON, rulesJ string
	)
	err := q.QueryRowContext(ctx, `
		SELECT v.id, v.code, v.version, v.title, v.level, v.active, v.decision_date, v.end_date, v.source, v.details, v.rules
		FROM certification_versions v JOIN certifications c ON c.code = v.code
		WHERE v.code = $1 AND v.version = CASE WHEN $2 = 0 THEN c.current_version ELSE $2 END`,
		code, version).Scan(&versionID, &c.Code, &c.Version, &c.Title, &c.Level, &c.Active,
		&c.DecisionDate, &c.EndDate, &c.Source, &detailsJSON, &rulesJ)
	if errors.Is(err, sql.ErrNoRows) {
		if version != 0 {
			return nil, certibloc.Errorf(certibloc.ENOTFOUND, "certification %s has no version %d", code, version)
		}
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no certification with code %s", code)
	}
	if err != nil {
		return nil, err
	}
	// The details hold the descriptive fields; the columns read above win.
	head := c
	if err := json.Unmarshal([]byte(detailsJSON), &c); err != nil {
		return nil, fmt.Errorf("details of %s v%d: %w", code, c.Version, err)
	}
	c.Code, c.Version, c.Title, c.Level, c.Active, c.Source = head.Code, head.Version, head.Title, head.Level, head.Active, head.Source
	c.DecisionDate, c.EndDate = head.DecisionDate, head.EndDate
	var rules rulesDoc
	if err := json.Unmarshal([]byte(rulesJ), &rules); err != nil {
		return nil, fmt.Errorf("rules of %s v%d: %w", code, c.Version, err)
	}
	c.EntryRules, c.BlockRules, c.Validation = rules.EntryRules, rules.BlockRules, rules.Validation
	c.Correspondences, c.Jury = rules.Correspondences, rules.Jury
	if c.Blocks, err = findBlocks(ctx, q, versionID); err != nil {
		return nil, err
	}
	return &c, nil
}

// findBlocks reads the blocks of a version with their competencies and
// evaluations: three queries, whatever the number of blocks.
func findBlocks(ctx context.Context, q querier, versionID int64) ([]certibloc.Block, error) {
	blocks := []certibloc.Block{}
	index := map[int64]int{}
	rows, err := q.QueryContext(ctx, `
		SELECT id, code, title, kind, evaluation_text, jobs FROM blocks
		WHERE version_id = $1 ORDER BY position`, versionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int64
			b    certibloc.Block
			jobs string
		)
		if err := rows.Scan(&id, &b.Code, &b.Title, &b.Kind, &b.EvaluationText, &jobs); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(jobs), &b.Jobs); err != nil {
			return nil, err
		}
		b.Competencies, b.Evaluations = []string{}, []certibloc.Evaluation{}
		index[id] = len(blocks)
		blocks = append(blocks, b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `
		SELECT k.block_id, k.text FROM competencies k JOIN blocks b ON b.id = k.block_id
		WHERE b.version_id = $1 ORDER BY k.block_id, k.position`, versionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		b := &blocks[index[id]]
		b.Competencies = append(b.Competencies, text)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, `
		SELECT e.block_id, e.number, e.title, e.form, e.description FROM evaluations e JOIN blocks b ON b.id = e.block_id
		WHERE b.version_id = $1 ORDER BY e.block_id, e.number`, versionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var e certibloc.Evaluation
		if err := rows.Scan(&id, &e.Number, &e.Title, &e.Form, &e.Description); err != nil {
			return nil, err
		}
		b := &blocks[index[id]]
		b.Evaluations = append(b.Evaluations, e)
	}
	return blocks, rows.Err()
}

// Certifications lists the current version of every certification, by code.
func (db *DB) Certifications(ctx context.Context) ([]CertificationSummary, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT v.code, v.title, v.level, v.active, v.version,
			(SELECT count(*) FROM blocks b WHERE b.version_id = v.id)
		FROM certifications c JOIN certification_versions v ON v.code = c.code AND v.version = c.current_version
		ORDER BY v.code`)
	if err != nil {
		return nil, fmt.Errorf("list certifications: %w", err)
	}
	defer rows.Close()
	list := []CertificationSummary{}
	for rows.Next() {
		var s CertificationSummary
		if err := rows.Scan(&s.Code, &s.Title, &s.Level, &s.Active, &s.Version, &s.Blocks); err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, rows.Err()
}

// CertificationVersion is a line of a certification's history.
type CertificationVersion struct {
	Version   int       `json:"version"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
	Current   bool      `json:"current"`
}

// CertificationVersions lists the versions of a certification, oldest first.
func (db *DB) CertificationVersions(ctx context.Context, code string) ([]CertificationVersion, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT v.version, v.title, v.source, v.created_at, v.version = c.current_version
		FROM certification_versions v JOIN certifications c ON c.code = v.code
		WHERE v.code = $1 ORDER BY v.version`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []CertificationVersion{}
	for rows.Next() {
		var v CertificationVersion
		if err := rows.Scan(&v.Version, &v.Title, &v.Source, &v.CreatedAt, &v.Current); err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no certification with code %s", code)
	}
	return list, nil
}
