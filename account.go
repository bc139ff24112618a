package certibloc

import (
	"fmt"
	"slices"
	"time"
)

// Account is a way to sign in on the web: an e-mail address, a role, the
// schools a staff role is scoped to, and for a candidate the person they are.
// The secrets it carries are never written out as JSON.
type Account struct {
	ID       int64    `json:"id"`
	PersonID int64    `json:"person_id,omitempty"`
	Email    string   `json:"email"`
	Role     Role     `json:"role"`
	Schools  []string `json:"schools,omitempty"`
	// PersonSchool is the school of the account's person, if any: where a
	// candidate belongs.
	PersonSchool string     `json:"person_school,omitempty"`
	TOTPEnabled  bool       `json:"totp_enabled"`
	CreatedAt    time.Time  `json:"created_at"`
	DisabledAt   *time.Time `json:"disabled_at,omitempty"`
	// Lang is the language the person chose on the site, "fr" or "en";
	// "" until they choose.
	Lang string `json:"lang,omitempty"`

	PasswordHash string `json:"-"` // argon2id PHC string; "" until a password is set
	TOTPSecret   string `json:"-"` // base32, as decrypted by the store
	TOTPLastStep int64  `json:"-"` // last TOTP step accepted, never accepted again
}

// Principal is who acts when this account is signed in.
func (a *Account) Principal() *Principal {
	return &Principal{AccountID: a.ID, PersonID: a.PersonID, Role: a.Role,
		Schools: slices.Clone(a.Schools), Label: fmt.Sprintf("account %d", a.ID), Lang: a.Lang}
}

// NeedsTOTP reports whether the account must give a TOTP code to sign in:
// every staff role must, a candidate only when they turned it on.
func (a *Account) NeedsTOTP() bool { return a.TOTPEnabled || a.Role != Candidate }

// School is the school the account's changes and e-mails are filed under,
// in the audit trail and the outbox: its first school, or its person's;
// "" for the admin.
func (a *Account) School() string {
	if len(a.Schools) > 0 {
		return a.Schools[0]
	}
	return a.PersonSchool
}

// Session is a signed-in browser, known to the store by the SHA-256 of
// its cookie.
type Session struct {
	Account    Account
	MFADone    bool // the second factor was given, or the account needs none
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}
