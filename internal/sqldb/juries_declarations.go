package sqldb

import (
	"context"

	"github.com/certibloc/certibloc"
)

// JuryDeclarations returns the declarations of conflict of interest that
// the members of a jury made about its candidates, for its page.
func (db *DB) JuryDeclarations(ctx context.Context, juryID int64) ([]certibloc.ConflictDeclaration, error) {
	return declarations(ctx, db.read, juryID)
}
