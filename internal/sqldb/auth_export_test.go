package sqldb

import "time"

// SetClockForAuthTest makes the store read the time from now, so that the
// tests of sessions and password links can let hours pass.
func (db *DB) SetClockForAuthTest(now func() time.Time) { db.now = now }

// RawTOTPSecretForTest is the totp_secret column of an account as stored.
func (db *DB) RawTOTPSecretForTest(id int64) (string, error) {
	var v string
	err := db.read.QueryRow(`SELECT totp_secret FROM accounts WHERE id = $1`, id).Scan(&v)
	return v, err
}

// SetRawTOTPSecretForTest stores a TOTP secret as it is, as the store did
// before secrets were encrypted.
func (db *DB) SetRawTOTPSecretForTest(id int64, v string) error {
	_, err := db.write.Exec(`UPDATE accounts SET totp_secret = $1, totp_enabled = TRUE WHERE id = $2`, v, id)
	return err
}
