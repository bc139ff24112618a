package certibloc

import (
	"strconv"
	"time"
)

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

// Principal is who acts with this token: its role, scoped to its school.
func (t Token) Principal() *Principal {
	p := &Principal{TokenID: t.ID, Role: Role(t.Role), Label: "token " + strconv.FormatInt(t.ID, 10)}
	if t.School != "" {
		p.Schools = []string{t.School}
	}
	return p
}
