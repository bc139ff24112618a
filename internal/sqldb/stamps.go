package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/certibloc/certibloc"
)

// The referential and the programme sheets change only on import or when
// a sheet is saved, and are read all the time: the API prepares their
// answers once and, per request, reads only what says whether its copy is
// still the right one. These are those reads: one indexed row each, on a
// prepared statement. They read the database, not a flag of this process,
// so that an import by the CLI while a server runs shows at once.

const currentVersionSQL = `SELECT current_version FROM certifications WHERE code = $1`

// CurrentVersion returns the number of the current version of a
// certification. A version, once saved, never changes: the code and this
// number name its content.
func (db *DB) CurrentVersion(ctx context.Context, code string) (int, error) {
	stmt, err := db.prepared(ctx, currentVersionSQL)
	if err != nil {
		return 0, fmt.Errorf("certification %s: %w", code, err)
	}
	var v int
	err = stmt.QueryRowContext(ctx, code).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, certibloc.Errorf(certibloc.ENOTFOUND, "no certification with code %s", code)
	}
	if err != nil {
		return 0, fmt.Errorf("certification %s: %w", code, err)
	}
	return v, nil
}

const programmeStampSQL = `
	SELECT p.updated_at, COALESCE(c.current_version, 0),
		(SELECT COUNT(*) FROM jury_decisions d JOIN juries j ON j.id = d.jury_id
			WHERE j.certification_code = p.certification_code AND j.state = 'closed')
	FROM programmes p LEFT JOIN certifications c ON c.code = p.certification_code
	WHERE p.slug = $1`

// ProgrammeStamp names what a programme's page shows: when its sheet was
// last saved, the current version of its certification, and the decisions
// of its closed juries (the pass rate it publishes). A new stamp means a
// new page.
func (db *DB) ProgrammeStamp(ctx context.Context, slug string) (string, error) {
	stmt, err := db.prepared(ctx, programmeStampSQL)
	if err != nil {
		return "", fmt.Errorf("programme %s: %w", slug, err)
	}
	var at time.Time
	var version, decisions int
	err = stmt.QueryRowContext(ctx, slug).Scan(&at, &version, &decisions)
	if errors.Is(err, sql.ErrNoRows) {
		return "", certibloc.Errorf(certibloc.ENOTFOUND, "no programme %q", slug)
	}
	if err != nil {
		return "", fmt.Errorf("programme %s: %w", slug, err)
	}
	return at.UTC().Format(time.RFC3339Nano) + " v" + strconv.Itoa(version) + " d" + strconv.Itoa(decisions), nil
}
