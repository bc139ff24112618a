package secret

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// TOTP settings: what every authenticator app assumes when the otpauth URI
// says nothing else (RFC 6238 with SHA-1, 6 digits, 30-second steps).
const (
	TOTPDigits = 6
	TOTPPeriod = 30 * time.Second
	// TOTPSkew is how many steps before and after now are accepted, for
	// phones whose clock drifts and people who type slowly.
	TOTPSkew = 1
)

// b32 is the base32 authenticator apps read: RFC 4648, no padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a random 160-bit secret (the size RFC 4226
// recommends for SHA-1) in base32.
func NewTOTPSecret() string {
	key := make([]byte, 20)
	rand.Read(key)
	return b32.EncodeToString(key)
}

// decodeTOTPSecret reads base32 as people copy it: any case, with spaces.
func decodeTOTPSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	return b32.DecodeString(strings.TrimRight(s, "="))
}

// hotp is RFC 4226's HOTP value of counter with key, in digits digits.
func hotp(key []byte, counter uint64, digits int) string {
	mac := hmac.New(sha1.New, key)
	binary.Write(mac, binary.BigEndian, counter)
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, code%mod)
}

// TOTPStep is the number of the 30-second step that t falls in.
func TOTPStep(t time.Time) int64 { return t.Unix() / int64(TOTPPeriod/time.Second) }

// TOTPCode is the code of secret (base32) at time t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", fmt.Errorf("secret: TOTP secret is not base32: %w", err)
	}
	return hotp(key, uint64(TOTPStep(t)), TOTPDigits), nil
}

// CheckTOTP looks for code among the steps around t and returns the step
// it matched, which the caller stores so that a code is never accepted
// twice; ok is false when no step matches or the secret is unreadable.
// Every step is compared, in constant time, whatever matched first.
func CheckTOTP(secret, code string, t time.Time) (step int64, ok bool) {
	key, err := decodeTOTPSecret(secret)
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if err != nil || len(key) == 0 || len(code) != TOTPDigits {
		return 0, false
	}
	now := TOTPStep(t)
	for s := now - TOTPSkew; s <= now+TOTPSkew; s++ {
		if hmac.Equal([]byte(hotp(key, uint64(s), TOTPDigits)), []byte(code)) && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// TOTPURI is the otpauth:// URI that authenticator apps import, naming the
// issuer and the account as the app will show them.
func TOTPURI(issuer, account, secret string) string {
	label := url.PathEscape(issuer + ":" + account)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", issuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(TOTPDigits))
	q.Set("period", fmt.Sprint(int(TOTPPeriod/time.Second)))
	return "otpauth://totp/" + label + "?" + q.Encode()
}

// NewToken returns a random 256-bit token for a cookie or a link, in
// URL-safe base64.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is what is stored of a token: its SHA-256 in hex. A token has
// 256 random bits, so a fast hash is enough; a stolen table gives nothing
// that can be replayed.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
