// Package secret holds the few cryptographic pieces of signing in:
// argon2id password hashes in the PHC string format, TOTP codes (RFC 6238)
// and random tokens that are stored only as their SHA-256.
package secret

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id costs of a hash. They are written into each hash,
// so that raising them later leaves existing hashes verifiable.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// Default is what new hashes cost: 19 MiB, 2 passes, 1 lane, the OWASP
// recommendation for argon2id. On the 2-core reference machine one hash
// takes about 21 ms (BenchmarkHashPassword; 32 MiB would take about 45 ms,
// BenchmarkCosts), which keeps a sign-in within the 50 ms budget even when
// the machine is busy. One lane on purpose: with two, each sign-in would
// occupy both cores.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1, KeyLen: 32, SaltLen: 16}

// Password length limits: 12 characters at least (ANSSI's recommendation
// for a password alone), and a cap so that nobody makes the server hash a
// megabyte.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// ErrMalformed is returned for a stored hash that is not an argon2id PHC string.
var ErrMalformed = errors.New("secret: not an argon2id hash")

// HashPassword returns the PHC string of password with the Default costs:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
func HashPassword(password string) string {
	return hashWith(Default, password)
}

func hashWith(p Params, password string) string {
	salt := make([]byte, p.SaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether password matches the PHC string hash,
// comparing in constant time. A malformed hash is an error, never a match.
func CheckPassword(hash, password string) (bool, error) {
	p, salt, key, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummyHash is checked against when there is no account, so that an
// unknown address costs the same time as a wrong password.
var dummyHash = HashPassword("certibloc: no such account")

// CheckNothing spends the time of one CheckPassword and always fails:
// sign-in calls it for unknown addresses so that timing reveals nothing.
func CheckNothing(password string) bool {
	CheckPassword(dummyHash, password)
	return false
}

// parsePHC reads $argon2id$v=19$m=M,t=T,p=P$salt$hash.
func parsePHC(s string) (Params, []byte, []byte, error) {
	var p Params
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrMalformed
	}
	// Bounds keep a tampered hash from making the server allocate gigabytes.
	if p.Memory < 8 || p.Memory > 1<<20 || p.Time < 1 || p.Time > 16 || p.Threads < 1 {
		return p, nil, nil, ErrMalformed
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, ErrMalformed
	}
	return p, salt, key, nil
}
