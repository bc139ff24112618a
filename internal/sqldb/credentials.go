package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
)

// Password link lifetimes: a forgotten-password link is good for an hour;
// the link that sets the first password of a new account for a day, since
// it is handed over by someone else.
const (
	ResetTTL = time.Hour
	SetupTTL = 24 * time.Hour
)

// errBadResetLink is the one answer for a link that is unknown, expired or
// already used: which of them does not matter to the person and is nobody
// else's business.
var errBadResetLink = certibloc.Errorf(certibloc.EINVALID,
	"this password link is unknown, expired or already used")

// SetPassword stores a new password hash and signs the account out of
// every session but keep (the secret of the session that made the change,
// or "" for none).
func (db *DB) SetPassword(ctx context.Context, id int64, hash, keep string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, hash, id); err != nil {
			return err
		}
		n, err := db.revokeSessions(ctx, tx, id, keep)
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "account.password", "account", fmt.Sprint(id), a.School(),
			map[string]any{"via": "account", "sessions_revoked": n})
	})
}

// EnableTOTP turns two-factor sign-in on with a new secret, whose first
// code was accepted at step.
func (db *DB) EnableTOTP(ctx context.Context, id int64, totpSecret string, step int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error { return db.enableTOTP(ctx, tx, id, totpSecret, step) })
}

func (db *DB) enableTOTP(ctx context.Context, tx *sql.Tx, id int64, totpSecret string, step int64) error {
	a, err := db.findAccount(ctx, tx, `a.id = $1`, id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = $1, totp_enabled = TRUE, totp_last_step = $2
		WHERE id = $3`, db.key.sealer().Seal(totpSecret, totpContext(id)), step, id); err != nil {
		return err
	}
	return db.audit(ctx, tx, "account.totp", "account", fmt.Sprint(id), a.School(),
		map[string]any{"enabled": true, "replaced": a.TOTPEnabled})
}

// DisableTOTP turns two-factor sign-in off, which only a candidate may do:
// every staff role must keep it.
func (db *DB) DisableTOTP(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, id)
		if err != nil {
			return err
		}
		if a.Role != certibloc.Candidate {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "the %s role must keep two-factor authentication", a.Role)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = '', totp_enabled = FALSE WHERE id = $1`, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, "account.totp", "account", fmt.Sprint(id), a.School(), map[string]any{"enabled": false})
	})
}

// ResetTOTP forgets the account's TOTP secret, as when its owner lost
// the device, and ends every session of the account: staff set TOTP up
// again at their next sign-in; a candidate signs in without it until they
// turn it back on. The trail records the reset, never the secret.
func (db *DB) ResetTOTP(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = '', totp_enabled = FALSE WHERE id = $1`, id); err != nil {
			return err
		}
		// The wrong codes of the lost device no longer lock the new one.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE subject = $1`, "totp:"+a.Email); err != nil {
			return err
		}
		n, err := db.revokeSessions(ctx, tx, id, "")
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "account.totp", "account", fmt.Sprint(id), a.School(),
			map[string]any{"enabled": false, "reset": true, "was_enabled": a.TOTPEnabled, "sessions_revoked": n})
	})
}

// CreatePasswordReset makes a single-use password link for the account,
// good for ttl, and returns its token: only the token's hash is stored.
func (db *DB) CreatePasswordReset(ctx context.Context, accountID int64, ttl time.Duration) (string, error) {
	token := secret.NewToken()
	now := db.now().UTC()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, accountID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (hash, account_id, created_at, expires_at)
			VALUES ($1, $2, $3, $4)`, secret.HashToken(token), accountID, now, now.Add(ttl)); err != nil {
			return err
		}
		return db.audit(ctx, tx, "password_reset.request", "account", fmt.Sprint(accountID), a.School(),
			map[string]any{"valid_minutes": int(ttl / time.Minute)})
	})
	if err != nil {
		return "", fmt.Errorf("create password link: %w", err)
	}
	return token, nil
}

// PasswordResetsSince counts the password links made for the account
// since t, so that nobody can flood someone's mailbox with them.
func (db *DB) PasswordResetsSince(ctx context.Context, accountID int64, t time.Time) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM password_resets WHERE account_id = $1 AND created_at > $2`,
		accountID, t.UTC()).Scan(&n)
	return n, err
}

// PasswordReset returns the account of a live password link, without
// using the link up.
func (db *DB) PasswordReset(ctx context.Context, token string) (certibloc.Account, error) {
	a, err := db.findAccount(ctx, db.read, `a.disabled_at IS NULL AND a.id = (SELECT account_id FROM password_resets
		WHERE hash = $1 AND used_at IS NULL AND expires_at > $2)`, secret.HashToken(token), db.now().UTC())
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return certibloc.Account{}, errBadResetLink
	}
	return a, err
}

// ResetPassword uses up a password link: in one transaction it marks the
// link (and every other link of the account) used, stores the new hash and
// ends every session of the account. A link used, expired or unknown
// changes nothing.
func (db *DB) ResetPassword(ctx context.Context, token, hash string) (certibloc.Account, error) {
	var a certibloc.Account
	err := db.tx(ctx, func(tx *sql.Tx) error {
		now := db.now().UTC()
		var id int64
		// The update is the check: two requests racing with one link cannot
		// both see it unused.
		err := tx.QueryRowContext(ctx, `UPDATE password_resets SET used_at = $1
			WHERE hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING account_id`,
			now, secret.HashToken(token)).Scan(&id)
		if err == sql.ErrNoRows {
			return errBadResetLink
		} else if err != nil {
			return err
		}
		if a, err = db.findAccount(ctx, tx, `a.id = $1`, id); err != nil {
			return err
		}
		if a.DisabledAt != nil {
			return errBadResetLink
		}
		if _, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL`,
			now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, hash, id); err != nil {
			return err
		}
		n, err := db.revokeSessions(ctx, tx, id, "")
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "account.password", "account", fmt.Sprint(id), a.School(),
			map[string]any{"via": "password_link", "sessions_revoked": n})
	})
	if err != nil {
		return certibloc.Account{}, fmt.Errorf("reset password: %w", err)
	}
	return a, nil
}

// totpKey holds the sealer of TOTP secrets. The secrets are stored
// encrypted (AES-256-GCM, bound to their account) under the secret key,
// which lives outside the database (secret.LoadKey): a copy of the
// database alone gives no second factor away. A store that was given no
// key (tests, commands that never read the secrets) makes a random one of
// its own, which dies with it.
type totpKey struct{ p atomic.Pointer[secret.Sealer] }

func (k *totpKey) sealer() *secret.Sealer {
	if s := k.p.Load(); s != nil {
		return s
	}
	s, _ := secret.NewSealer(secret.NewKey())
	k.p.CompareAndSwap(nil, s)
	return k.p.Load()
}

// totpContext binds a sealed TOTP secret to its account.
func totpContext(id int64) string { return fmt.Sprintf("certibloc account %d totp", id) }

// openTOTP is the TOTP secret of account id as stored: decrypted, or as
// it is when it was stored before encryption. A secret that does not
// open (the key changed) reads as none, so the second factor fails closed.
func (db *DB) openTOTP(id int64, stored string) string {
	plain, err := db.key.sealer().Open(stored, totpContext(id))
	if err != nil {
		return ""
	}
	return plain
}

// TOTPSecretsNotOpening counts the sealed TOTP secrets that the key set
// by SetSecretKey does not open: not 0 when another instance of the
// database runs with another key (each would fail the second factors the
// other set up), or when the key was lost.
func (db *DB) TOTPSecretsNotOpening(ctx context.Context) (int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, totp_secret FROM accounts WHERE totp_secret LIKE 'v1:%'`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return 0, err
		}
		if db.openTOTP(id, v) == "" {
			n++
		}
	}
	return n, rows.Err()
}

// SetSecretKey sets the key that TOTP secrets are encrypted with, and
// encrypts the secrets still stored plain (from before encryption). serve
// calls it before anything reads an account. It returns how many secrets
// it encrypted.
func (db *DB) SetSecretKey(ctx context.Context, key []byte) (int, error) {
	s, err := secret.NewSealer(key)
	if err != nil {
		return 0, err
	}
	db.key.p.Store(s)
	n := 0
	err = db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, totp_secret FROM accounts WHERE totp_secret <> '' AND totp_secret NOT LIKE 'v1:%'`)
		if err != nil {
			return err
		}
		plain := map[int64]string{}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			plain[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for id, v := range plain {
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = $1 WHERE id = $2`,
				s.Seal(v, totpContext(id)), id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("encrypt TOTP secrets: %w", err)
	}
	return n, nil
}
