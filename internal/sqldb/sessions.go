package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
)

// Session lifetimes. A session ends after SessionIdle without a request,
// and SessionMax after it began whatever happens: a working day of
// inactivity, a week at most. A session waiting for its second factor
// lives MFAWindow only.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 7 * 24 * time.Hour
	MFAWindow   = 10 * time.Minute
	// touchEvery is how stale last_seen_at may get before a request
	// rewrites it: most page views stay reads.
	touchEvery = 5 * time.Minute
)

// errNoSession is the one answer for a cookie that is unknown, expired or
// of a disabled account.
var errNoSession = certibloc.Errorf(certibloc.EUNAUTHORIZED, "your session has ended: sign in again")

// CreateSession starts a session for the account and returns the secret
// for its cookie. A session without mfaDone reaches the second-factor step
// only, for MFAWindow.
func (db *DB) CreateSession(ctx context.Context, accountID int64, mfaDone bool) (string, error) {
	token := secret.NewToken()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, accountID)
		if err != nil {
			return err
		}
		return db.createSession(ctx, tx, a, token, mfaDone, "session.create")
	})
	if err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	return token, nil
}

func (db *DB) createSession(ctx context.Context, tx *sql.Tx, a certibloc.Account, token string, mfaDone bool, action string) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	expires := now.Add(SessionMax)
	if !mfaDone {
		expires = now.Add(MFAWindow)
	}
	// Sessions that have ended go when a new one begins, so the table keeps
	// only live ones.
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND (expires_at <= $2 OR last_seen_at <= $3)`,
		a.ID, now, now.Add(-SessionIdle)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, account_id, mfa_done, created_at, expires_at, last_seen_at)
		VALUES ($1, $2, $3, $4, $5, $4)`, secret.HashToken(token), a.ID, mfaDone, now, expires); err != nil {
		return err
	}
	return db.audit(ctx, tx, action, "account", fmt.Sprint(a.ID), a.School(), map[string]any{"mfa_done": mfaDone})
}

// Session returns the live session of a cookie secret and its account.
// It refreshes the session's last use when that is a few minutes old.
func (db *DB) Session(ctx context.Context, token string) (certibloc.Session, error) {
	s, err := db.findSession(ctx, db.read, secret.HashToken(token))
	if err != nil {
		return certibloc.Session{}, err
	}
	now := db.now().UTC()
	if now.Sub(s.LastSeenAt) > touchEvery {
		// Not audited: it records a visit, not a change to anything.
		if _, err := db.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE hash = $2`,
			now.Truncate(time.Microsecond), secret.HashToken(token)); err != nil {
			return certibloc.Session{}, err
		}
		s.LastSeenAt = now
	}
	return s, nil
}

func (db *DB) findSession(ctx context.Context, q querier, hash string) (certibloc.Session, error) {
	var s certibloc.Session
	var id int64
	err := q.QueryRowContext(ctx, `SELECT account_id, mfa_done, created_at, expires_at, last_seen_at
		FROM sessions WHERE hash = $1`, hash).Scan(&id, &s.MFADone, &s.CreatedAt, &s.ExpiresAt, &s.LastSeenAt)
	if errors.Is(err, sql.ErrNoRows) {
		return certibloc.Session{}, errNoSession
	} else if err != nil {
		return certibloc.Session{}, fmt.Errorf("session: %w", err)
	}
	now := db.now().UTC()
	if !now.Before(s.ExpiresAt) || now.Sub(s.LastSeenAt) >= SessionIdle {
		return certibloc.Session{}, errNoSession
	}
	if s.Account, err = db.findAccount(ctx, q, `a.id = $1`, id); err != nil {
		return certibloc.Session{}, err
	}
	if s.Account.DisabledAt != nil {
		return certibloc.Session{}, errNoSession
	}
	return s, nil
}

// CompleteMFA ends a session waiting for its second factor and starts a
// full one with a new secret, which it returns: the cookie changes when
// the rights do. step is the TOTP step of the accepted code; a step at or
// before the last one accepted is a replayed code and is refused. When
// enroll is a new TOTP secret (first sign-in of staff), it is turned on
// in the same transaction.
func (db *DB) CompleteMFA(ctx context.Context, token string, step int64, enroll string) (string, error) {
	next := secret.NewToken()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		s, err := db.findSession(ctx, tx, secret.HashToken(token))
		if err != nil {
			return err
		}
		if s.MFADone {
			return certibloc.Errorf(certibloc.ECONFLICT, "this session is complete already")
		}
		if enroll != "" {
			if err := db.enableTOTP(ctx, tx, s.Account.ID, enroll, step); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE accounts SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1`,
				step, s.Account.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return certibloc.Errorf(certibloc.EINVALID, "this code was used already: wait for the next one")
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, secret.HashToken(token)); err != nil {
			return err
		}
		return db.createSession(ctx, tx, s.Account, next, true, "session.mfa")
	})
	if err != nil {
		return "", fmt.Errorf("complete sign-in: %w", err)
	}
	return next, nil
}

// DeleteSession ends one session: signing out. An unknown secret is no error.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE hash = $1 RETURNING account_id`,
			secret.HashToken(token)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		return db.audit(ctx, tx, "session.delete", "account", fmt.Sprint(id), "", nil)
	})
}

// RevokeSessions ends every session of the account but keep (a secret, or
// "" for none): signing out everywhere. It returns how many ended.
func (db *DB) RevokeSessions(ctx context.Context, accountID int64, keep string) (int, error) {
	var n int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, accountID)
		if err != nil {
			return err
		}
		if n, err = db.revokeSessions(ctx, tx, accountID, keep); err != nil {
			return err
		}
		return db.audit(ctx, tx, "session.revoke_all", "account", fmt.Sprint(accountID), a.School(),
			map[string]any{"sessions_revoked": n, "kept_current": keep != ""})
	})
	return n, err
}

func (db *DB) revokeSessions(ctx context.Context, tx *sql.Tx, accountID int64, keep string) (int, error) {
	keepHash := ""
	if keep != "" {
		keepHash = secret.HashToken(keep)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND hash <> $2`, accountID, keepHash)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// failureMemory is how long attempts are kept: longer than any throttling
// window, short enough that the addresses they name do not linger.
const failureMemory = 24 * time.Hour

// TakeAttempt counts one attempt at a secret against subject
// ("email:ada@example.org", "ip:192.0.2.1", "totp:ada@example.org") before
// the secret is checked, unless limit attempts were counted within the
// window already:
// then ok is false and nothing is counted. Counting first, atomically, is
// what keeps parallel requests from all passing a count read before any of
// them wrote: the attempts of one subject take their turn (a transaction
// lock on PostgreSQL, the single writer on SQLite), on every instance
// sharing the database. The attempt stays counted as a failure unless the
// caller gives it back (DeleteAttempt) or clears the subject once the
// secret proved right. It also forgets attempts older than a day. Not
// audited: these rows are a log of their own, written by anonymous
// visitors, and copying them into the append-only trail would let anyone
// grow it without bound.
func (db *DB) TakeAttempt(ctx context.Context, subject string, window time.Duration, limit int) (ok bool, id int64, err error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	since := now.Add(-window)
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if db.engine == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, "attempt:"+subject); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE subject = $1 AND at < $2`,
			subject, now.Add(-failureMemory)); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sign_in_failures WHERE subject = $1 AND at > $2`,
			subject, since).Scan(&n); err != nil {
			return err
		}
		if n >= limit {
			return nil
		}
		ok = true
		return tx.QueryRowContext(ctx, `INSERT INTO sign_in_failures (subject, at) VALUES ($1, $2) RETURNING id`,
			subject, now).Scan(&id)
	})
	if err != nil {
		return false, 0, fmt.Errorf("count attempt: %w", err)
	}
	return ok, id, nil
}

// DeleteAttempt gives back an attempt that checked nothing, or that
// proved right where only failures should count.
func (db *DB) DeleteAttempt(ctx context.Context, id int64) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE id = $1`, id)
	return err
}

// RecordSignInFailure notes one failed attempt against each subject after
// the fact, and forgets every attempt older than a day.
func (db *DB) RecordSignInFailure(ctx context.Context, subjects ...string) error {
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE at < $1`, now.Add(-failureMemory)); err != nil {
			return err
		}
		for _, s := range subjects {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sign_in_failures (subject, at) VALUES ($1, $2)`, s, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// SignInFailures counts the attempts recorded against subject since t
// and not given back.
func (db *DB) SignInFailures(ctx context.Context, subject string, since time.Time) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM sign_in_failures WHERE subject = $1 AND at > $2`,
		subject, since.UTC()).Scan(&n)
	return n, err
}

// ClearSignInFailures forgets the failures of subject, once its owner has
// proved the secret: their own typing mistakes should not lock them out later.
func (db *DB) ClearSignInFailures(ctx context.Context, subject string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sign_in_failures WHERE subject = $1 OR at < $2`,
		subject, db.now().UTC().Add(-failureMemory))
	return err
}
