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
	"time"

	"github.com/certibloc/certibloc"
)

// tokenPrefix marks certibloc tokens, so that a leaked one is recognisable.
const tokenPrefix = "cb_"

// Token is an API token as stored: never the secret, only its hash.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	School     string     `json:"school,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes a token for a role (and a school for school roles) and
// returns its secret, which is shown once and never stored.
func (db *DB) CreateToken(ctx context.Context, name, role, school string) (string, Token, error) {
	if !certibloc.ValidRole(certibloc.Role(role)) {
		return "", Token{}, certibloc.Errorf(certibloc.EINVALID, "role %q is not one of %v", role, certibloc.Roles)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t := Token{Name: name, Role: role, School: school, CreatedAt: db.now().UTC()}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO api_tokens (name, role, school_code, hash, created_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, name, role, school, hashToken(secret), t.CreatedAt).Scan(&t.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "token.create", "token", fmt.Sprint(t.ID), school,
			map[string]any{"name": name, "role": role})
	})
	if err != nil {
		return "", Token{}, fmt.Errorf("create token: %w", err)
	}
	return secret, t, nil
}

// Authenticate returns the live token whose secret is given.
func (db *DB) Authenticate(ctx context.Context, secret string) (Token, error) {
	var t Token
	var revoked sql.NullTime
	err := db.read.QueryRowContext(ctx, `
		SELECT id, name, role, school_code, created_at, revoked_at FROM api_tokens WHERE hash = $1`,
		hashToken(secret)).Scan(&t.ID, &t.Name, &t.Role, &t.School, &t.CreatedAt, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && revoked.Valid) {
		return Token{}, certibloc.Errorf(certibloc.EUNAUTHORIZED, "the bearer token is unknown or revoked")
	}
	if err != nil {
		return Token{}, fmt.Errorf("authenticate: %w", err)
	}
	return t, nil
}

// Tokens lists the tokens, newest first.
func (db *DB) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT id, name, role, school_code, created_at, last_used_at, revoked_at FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	list := []Token{}
	for rows.Next() {
		var t Token
		var used, revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.Name, &t.Role, &t.School, &t.CreatedAt, &used, &revoked); err != nil {
			return nil, err
		}
		if used.Valid {
			t.LastUsedAt = &used.Time
		}
		if revoked.Valid {
			t.RevokedAt = &revoked.Time
		}
		list = append(list, t)
	}
	return list, rows.Err()
}

// RevokeToken revokes a token for good.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`,
			db.now().UTC(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no live token with id %d", id)
		}
		return db.audit(ctx, tx, "token.revoke", "token", fmt.Sprint(id), "", nil)
	})
}

// Principal is who acts with this token: its role, scoped to its school.
func (t Token) Principal() *certibloc.Principal {
	p := &certibloc.Principal{TokenID: t.ID, Role: certibloc.Role(t.Role), Label: fmt.Sprintf("token %d", t.ID)}
	if t.School != "" {
		p.Schools = []string{t.School}
	}
	return p
}
