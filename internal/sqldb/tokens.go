package sqldb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// tokenPrefix marks certibloc tokens, so that a leaked one is recognisable.
const tokenPrefix = "cb_"

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a token for a role and returns its secret, which is
// shown once and never stored. Every role but the admin is scoped to a
// school, which must exist; the admin's token belongs to no school.
func (db *DB) CreateToken(ctx context.Context, name, role, school string) (string, certibloc.Token, error) {
	name, school = strings.TrimSpace(name), strings.ToUpper(strings.TrimSpace(school))
	switch {
	case !certibloc.ValidRole(certibloc.Role(role)):
		return "", certibloc.Token{}, certibloc.Errorf(certibloc.EINVALID, "role %q is not one of %v", role, certibloc.Roles)
	case name == "":
		return "", certibloc.Token{}, certibloc.Errorf(certibloc.EINVALID, "a token needs a name saying what it is for")
	case len(name) > 200:
		return "", certibloc.Token{}, certibloc.Errorf(certibloc.EINVALID, "the name of a token is longer than 200 characters")
	case role == string(certibloc.Admin) && school != "":
		return "", certibloc.Token{}, certibloc.Errorf(certibloc.EINVALID,
			"an admin token sees every school: give no school (not %q)", school)
	case role != string(certibloc.Admin) && school == "":
		return "", certibloc.Token{}, certibloc.Errorf(certibloc.EINVALID, "a %s token is scoped to a school: give its code", role)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t := certibloc.Token{Name: name, Role: role, School: school, CreatedAt: db.now().UTC().Truncate(time.Microsecond)}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if school != "" {
			if err := schoolExists(ctx, tx, school); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO api_tokens (name, role, school_code, hash, created_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, name, role, school, hashToken(secret), t.CreatedAt).Scan(&t.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "token.create", "token", fmt.Sprint(t.ID), school,
			map[string]any{"name": name, "role": role})
	})
	if err != nil {
		return "", certibloc.Token{}, fmt.Errorf("create token: %w", err)
	}
	return secret, t, nil
}

// lastUsedEvery is how stale a token's last_used_at may get: it is written
// at most once per token in that time, so that authenticating stays a read.
const lastUsedEvery = time.Minute

// Authenticate returns the live token whose secret is given. A token read
// less than TokenCacheTTL ago is not read again (see tokencache.go).
func (db *DB) Authenticate(ctx context.Context, secret string) (certibloc.Token, error) {
	hash := hashToken(secret)
	now := db.now().UTC()
	t, ok := db.tokens.get(hash, now)
	if !ok {
		gen := db.tokens.generation()
		var err error
		if t, err = db.findToken(ctx, hash); err != nil {
			return certibloc.Token{}, err
		}
		db.tokens.put(hash, t, now, gen)
	}
	if db.tokens.claimTouch(hash, &t, now) {
		db.touchToken(ctx, &t, now)
	}
	return t, nil
}

// findTokenSQL reads a token by the hash of its secret.
const findTokenSQL = `SELECT ` + tokenColumns + ` FROM api_tokens WHERE hash = $1`

// findToken reads the live token of a secret's hash.
func (db *DB) findToken(ctx context.Context, hash string) (certibloc.Token, error) {
	stmt, err := db.prepared(ctx, findTokenSQL)
	if err != nil {
		return certibloc.Token{}, fmt.Errorf("authenticate: %w", err)
	}
	rows, err := stmt.QueryContext(ctx, hash)
	if err != nil {
		return certibloc.Token{}, fmt.Errorf("authenticate: %w", err)
	}
	list, err := scanTokens(rows)
	if err != nil {
		return certibloc.Token{}, fmt.Errorf("authenticate: %w", err)
	}
	if len(list) == 0 || list[0].RevokedAt != nil {
		return certibloc.Token{}, certibloc.Errorf(certibloc.EUNAUTHORIZED, "the bearer token is unknown or revoked")
	}
	return list[0], nil
}

// touchToken records that t is used now. The condition makes concurrent
// requests write once; a failure is not the request's concern, and only
// leaves last_used_at older than it should be.
func (db *DB) touchToken(ctx context.Context, t *certibloc.Token, now time.Time) {
	_, err := db.write.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1
		WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)`, now, t.ID, now.Add(-lastUsedEvery))
	if err == nil {
		t.LastUsedAt = &now
	}
}

// tokenColumns are the columns scanTokens reads, in its order.
const tokenColumns = `id, name, role, school_code, created_at, last_used_at, revoked_at`

// Tokens lists the tokens, newest first.
func (db *DB) Tokens(ctx context.Context) ([]certibloc.Token, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return scanTokens(rows)
}

// Token returns the token with the given id, revoked or not.
func (db *DB) Token(ctx context.Context, id int64) (certibloc.Token, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id)
	if err != nil {
		return certibloc.Token{}, fmt.Errorf("token %d: %w", id, err)
	}
	list, err := scanTokens(rows)
	if err != nil {
		return certibloc.Token{}, fmt.Errorf("token %d: %w", id, err)
	}
	if len(list) == 0 {
		return certibloc.Token{}, certibloc.Errorf(certibloc.ENOTFOUND, "no token with id %d", id)
	}
	return list[0], nil
}

func scanTokens(rows *sql.Rows) ([]certibloc.Token, error) {
	defer rows.Close()
	list := []certibloc.Token{}
	for rows.Next() {
		var t certibloc.Token
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &t.School, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
		if used.Valid {
			u := used.Time.UTC()
			t.LastUsedAt = &u
		}
		if revoked.Valid {
			r := revoked.Time.UTC()
			t.RevokedAt = &r
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

// RevokeToken revokes a token for good. This process forgets it at once;
// other processes sharing the database (a server, while the CLI revokes)
// within TokenCacheTTL.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var school string
		err := tx.QueryRowContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL
			RETURNING school_code`, db.now().UTC(), id).Scan(&school)
		if errors.Is(err, sql.ErrNoRows) {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no live token with id %d", id)
		}
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "token.revoke", "token", fmt.Sprint(id), school, nil)
	})
	// Evicted whatever the outcome: a failed commit leaves the token to be
	// read again, which is never wrong.
	db.tokens.evict(id)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}
