package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
)

// A person corrects their own contact details: the phone and the postal
// address at once; a new e-mail address once a link sent to it is opened,
// since the address is also how they sign in.

// EmailChangeTTL is how long the link that confirms a new address lasts.
const EmailChangeTTL = 24 * time.Hour

// SetContact changes the phone and postal address of person id.
func (db *DB) SetContact(ctx context.Context, id int64, phone, address string) (*certibloc.Person, error) {
	p, err := db.Person(ctx, id)
	if err != nil {
		return nil, err
	}
	p.Phone, p.Address = strings.TrimSpace(phone), strings.TrimSpace(address)
	if err := db.UpdatePerson(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// RequestEmailChange makes the link that moves account accountID to the
// address email, good for EmailChangeTTL, and returns its token: only its
// hash is stored. An address another account has is refused.
func (db *DB) RequestEmailChange(ctx context.Context, accountID int64, email string) (string, error) {
	email = NormalizeEmail(email)
	if err := (&certibloc.Person{School: "-", BirthName: "-", FirstNames: "-", Email: email}).Validate(); err != nil {
		return "", err
	}
	token := secret.NewToken()
	now := db.now().UTC()
	err := db.tx(ctx, func(tx *sql.Tx) error {
		a, err := db.findAccount(ctx, tx, `a.id = $1`, accountID)
		if err != nil {
			return err
		}
		if a.Email == email {
			return certibloc.Errorf(certibloc.EINVALID, "email %s is the address of the account already", email)
		}
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM accounts WHERE email = $1`, email).Scan(&other)
		if err == nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "email %s belongs to another account", email)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO email_changes (hash, account_id, email, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5)`, secret.HashToken(token), accountID, email, now, now.Add(EmailChangeTTL)); err != nil {
			return err
		}
		return db.audit(ctx, tx, "account.email_request", "account", fmt.Sprint(accountID), a.School(), nil)
	})
	if err != nil {
		return "", fmt.Errorf("change of e-mail address: %w", err)
	}
	return token, nil
}

// errBadEmailLink is the one answer for a link unknown, used or expired.
var errBadEmailLink = certibloc.Errorf(certibloc.EINVALID,
	"this link does not confirm an address: it is unknown, was used already, or has expired")

// ConfirmEmailChange uses up the link of token, made for account
// accountID (the one signed in): the account and its person take the new
// address, in one transaction; the other links of the account are used
// up too.
func (db *DB) ConfirmEmailChange(ctx context.Context, accountID int64, token string) (certibloc.Account, error) {
	var a certibloc.Account
	err := db.tx(ctx, func(tx *sql.Tx) error {
		now := db.now().UTC()
		var id int64
		var email string
		err := tx.QueryRowContext(ctx, `UPDATE email_changes SET used_at = $1
			WHERE hash = $2 AND account_id = $3 AND used_at IS NULL AND expires_at > $1 RETURNING account_id, email`,
			now, secret.HashToken(token), accountID).Scan(&id, &email)
		if errors.Is(err, sql.ErrNoRows) {
			return errBadEmailLink
		} else if err != nil {
			return err
		}
		if a, err = db.findAccount(ctx, tx, `a.id = $1`, id); err != nil {
			return err
		}
		if a.DisabledAt != nil {
			return errBadEmailLink
		}
		if _, err := tx.ExecContext(ctx, `UPDATE email_changes SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL`,
			now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET email = $1 WHERE id = $2`, email, id); err != nil {
			return conflictOnDuplicate(err, "this address belongs to another account")
		}
		if a.PersonID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE people SET email = $1, updated_at = $2 WHERE id = $3`,
				email, now.Truncate(time.Microsecond), a.PersonID); err != nil {
				return err
			}
		}
		a.Email = email
		return db.audit(ctx, tx, "account.email", "account", fmt.Sprint(id), a.School(), nil)
	})
	if err != nil {
		return certibloc.Account{}, fmt.Errorf("confirm e-mail address: %w", err)
	}
	return a, nil
}
