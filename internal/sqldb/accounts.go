package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

var accountEmailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// NormalizeEmail is how addresses are compared: trimmed and lower-cased.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateAccount stores a new account without a password (it is set through
// a password link). Staff roles need at least one existing school, the
// admin none; a candidate needs an existing person and takes their school.
func (db *DB) CreateAccount(ctx context.Context, a certibloc.Account) (certibloc.Account, error) {
	a.Email = NormalizeEmail(a.Email)
	a.Schools = slices.Compact(slices.Sorted(slices.Values(a.Schools)))
	switch {
	case !accountEmailRE.MatchString(a.Email) || len(a.Email) > 254:
		return certibloc.Account{}, certibloc.Errorf(certibloc.EINVALID, "email %q is not an e-mail address", a.Email)
	case !certibloc.ValidRole(a.Role):
		return certibloc.Account{}, certibloc.Errorf(certibloc.EINVALID, "role %q is not one of %v", a.Role, certibloc.Roles)
	case a.Role == certibloc.Admin && len(a.Schools) > 0:
		return certibloc.Account{}, certibloc.Errorf(certibloc.EINVALID, "the admin role sees every school: give it none")
	case a.Role == certibloc.Candidate && len(a.Schools) > 0:
		return certibloc.Account{}, certibloc.Errorf(certibloc.EINVALID, "a candidate belongs to their person's school: give no school")
	case a.Role == certibloc.Candidate && a.PersonID == 0:
		return certibloc.Account{}, certibloc.Errorf(certibloc.EINVALID, "a candidate account needs the person it belongs to")
	case a.Role != certibloc.Admin && a.Role != certibloc.Candidate && len(a.Schools) == 0:
		return certibloc.Account{}, certibloc.Errorf(certibloc.EINVALID, "the %s role needs at least one school", a.Role)
	}
	a.CreatedAt = db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE email = $1`, a.Email).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return certibloc.Errorf(certibloc.ECONFLICT, "an account with the e-mail address %s already exists", a.Email)
		}
		for _, code := range a.Schools {
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schools WHERE code = $1`, code).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return certibloc.Errorf(certibloc.EINVALID, "no school with code %q", code)
			}
		}
		var person sql.NullInt64
		if a.PersonID != 0 {
			err := tx.QueryRowContext(ctx, `SELECT school_code FROM people WHERE id = $1`, a.PersonID).Scan(&a.PersonSchool)
			if errors.Is(err, sql.ErrNoRows) {
				return certibloc.Errorf(certibloc.EINVALID, "no person with id %d", a.PersonID)
			} else if err != nil {
				return err
			}
			person = sql.NullInt64{Int64: a.PersonID, Valid: true}
		}
		// Two requests may both have counted no account above: the unique
		// index decides, and the loser gets the same conflict.
		if err := tx.QueryRowContext(ctx, `INSERT INTO accounts (person_id, email, role, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, person, a.Email, a.Role, a.CreatedAt).Scan(&a.ID); err != nil {
			return conflictOnDuplicate(err, fmt.Sprintf("an account with the e-mail address %s already exists", a.Email))
		}
		for _, code := range a.Schools {
			if _, err := tx.ExecContext(ctx, `INSERT INTO account_schools (account_id, school_code) VALUES ($1, $2)`,
				a.ID, code); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "account.create", "account", fmt.Sprint(a.ID), a.School(),
			map[string]any{"role": a.Role, "schools": a.Schools, "person_id": a.PersonID})
	})
	if err != nil {
		return certibloc.Account{}, fmt.Errorf("create account: %w", err)
	}
	return a, nil
}

const accountColumns = `a.id, a.person_id, coalesce(p.school_code, ''), a.email, a.role, a.password_hash,
	a.totp_secret, a.totp_enabled, a.totp_last_step, a.created_at, a.disabled_at, a.lang`

// findAccounts returns the accounts that where (a condition on "a") selects, by id.
func (db *DB) findAccounts(ctx context.Context, q querier, where string, args ...any) ([]certibloc.Account, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+accountColumns+`
		FROM accounts a LEFT JOIN people p ON p.id = a.person_id WHERE `+where+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list, byID := []certibloc.Account{}, map[int64]int{}
	for rows.Next() {
		var a certibloc.Account
		var person sql.NullInt64
		var disabled sql.NullTime
		if err := rows.Scan(&a.ID, &person, &a.PersonSchool, &a.Email, &a.Role, &a.PasswordHash, &a.TOTPSecret,
			&a.TOTPEnabled, &a.TOTPLastStep, &a.CreatedAt, &disabled, &a.Lang); err != nil {
			return nil, err
		}
		a.PersonID = person.Int64
		a.TOTPSecret = db.openTOTP(a.ID, a.TOTPSecret)
		a.CreatedAt = a.CreatedAt.UTC()
		if disabled.Valid {
			t := disabled.Time.UTC()
			a.DisabledAt = &t
		}
		byID[a.ID] = len(list)
		list = append(list, a)
	}
	if err := rows.Err(); err != nil || len(list) == 0 {
		return list, err
	}
	// One more query for the schools of all of them, not one per account.
	rows, err = q.QueryContext(ctx, `SELECT s.account_id, s.school_code FROM account_schools s
		JOIN accounts a ON a.id = s.account_id WHERE `+where+` ORDER BY s.school_code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok {
			list[i].Schools = append(list[i].Schools, code)
		}
	}
	return list, rows.Err()
}

func (db *DB) findAccount(ctx context.Context, q querier, where string, args ...any) (certibloc.Account, error) {
	list, err := db.findAccounts(ctx, q, where, args...)
	if err != nil {
		return certibloc.Account{}, err
	}
	if len(list) == 0 {
		return certibloc.Account{}, certibloc.Errorf(certibloc.ENOTFOUND, "no such account")
	}
	return list[0], nil
}

// Account returns the account with id.
func (db *DB) Account(ctx context.Context, id int64) (certibloc.Account, error) {
	return db.findAccount(ctx, db.read, `a.id = $1`, id)
}

// AccountByEmail returns the account of an address, compared normalised.
// Its not-found error does not repeat the address: pages must never tell
// whether an address has an account.
func (db *DB) AccountByEmail(ctx context.Context, email string) (certibloc.Account, error) {
	return db.findAccount(ctx, db.read, `a.email = $1`, NormalizeEmail(email))
}

// Accounts lists every account, oldest first.
func (db *DB) Accounts(ctx context.Context) ([]certibloc.Account, error) {
	return db.findAccounts(ctx, db.read, `1 = 1`)
}

// DisableAccount closes an account for good, as when someone leaves: it
// can no longer sign in, use a password link or keep a session, and every
// session it has ends now. An account disabled already is a conflict.
func (db *DB) DisableAccount(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, id)
		if err != nil {
			return err
		}
		if a.DisabledAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "account %d is disabled already", id)
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		n, err := db.revokeSessions(ctx, tx, id, "")
		if err != nil {
			return err
		}
		return db.audit(ctx, tx, "account.disable", "account", fmt.Sprint(id), a.School(),
			map[string]any{"sessions_revoked": n})
	})
}

// EnableAccount opens again an account closed by DisableAccount, as when
// someone comes back or was closed by mistake: it signs in with its
// password and second factor as before. An account that is not disabled
// is a conflict.
func (db *DB) EnableAccount(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, id)
		if err != nil {
			return err
		}
		if a.DisabledAt == nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "account %d is not disabled", id)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled_at = NULL WHERE id = $1`, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, "account.enable", "account", fmt.Sprint(id), a.School(),
			map[string]any{"disabled_at": a.DisabledAt.Format(time.RFC3339)})
	})
}

// SetAccountLang remembers the language an account chose on the site,
// "fr" or "en". Not audited: it records a preference, not a change to a
// record.
func (db *DB) SetAccountLang(ctx context.Context, id int64, lang string) error {
	if lang != "fr" && lang != "en" {
		return certibloc.Errorf(certibloc.EINVALID, "language %q is not fr or en", lang)
	}
	res, err := db.write.ExecContext(ctx, `UPDATE accounts SET lang = $1 WHERE id = $2`, lang, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no account %d", id)
	}
	return nil
}
