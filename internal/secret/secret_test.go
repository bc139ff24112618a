package secret

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h := HashPassword("correct horse battery staple")
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h) {
		t.Fatalf("hash %q is not a PHC argon2id string with the default costs", h)
	}
	if ok, err := CheckPassword(h, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple"} {
		if ok, err := CheckPassword(h, wrong); ok || err != nil {
			t.Errorf("wrong password %q: %v %v", wrong, ok, err)
		}
	}
	if a, b := HashPassword("same"), HashPassword("same"); a == b {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

// TestCheckPasswordKeepsOldCosts: a hash made with other costs still
// verifies, since the costs are read from the hash.
func TestCheckPasswordKeepsOldCosts(t *testing.T) {
	h := hashWith(Params{Memory: 64, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}, "pw")
	if ok, err := CheckPassword(h, "pw"); !ok || err != nil {
		t.Errorf("old costs: %v %v", ok, err)
	}
}

func TestMalformedHashNeverMatches(t *testing.T) {
	good := HashPassword("pw")
	parts := strings.Split(good, "$")
	for _, h := range []string{
		"", "pw", "$2a$10$abcdefghijklmnopqrstuv",
		strings.Replace(good, "argon2id", "argon2i", 1),
		strings.Replace(good, "v=19", "v=16", 1),
		strings.Replace(good, "m=19456", "m=99999999", 1), // a gigabyte-sized trap
		strings.Replace(good, "t=2", "t=0", 1),
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4] + "$!!",
		"$argon2id$v=19$m=19456,t=2,p=1$" + parts[4],
	} {
		if ok, err := CheckPassword(h, "pw"); ok || err == nil {
			t.Errorf("hash %q: %v %v, want an error", h, ok, err)
		}
	}
	if CheckNothing("pw") {
		t.Error("CheckNothing matched")
	}
}

// TestTOTPRFC6238Vectors: the SHA-1 vectors of RFC 6238 appendix B, with
// the 20-byte ASCII key "12345678901234567890", 8 digits.
func TestTOTPRFC6238Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		step := TOTPStep(time.Unix(v.unix, 0))
		if got := hotp(key, uint64(step), 8); got != v.code {
			t.Errorf("T=%d: %s, want %s", v.unix, got, v.code)
		}
		// The 6-digit code is the last six digits of the 8-digit one.
		secret := b32.EncodeToString(key)
		if got, _ := TOTPCode(secret, time.Unix(v.unix, 0)); got != v.code[2:] {
			t.Errorf("T=%d: 6-digit code %s, want %s", v.unix, got, v.code[2:])
		}
	}
}

func TestCheckTOTPWindow(t *testing.T) {
	secret := NewTOTPSecret()
	if len(secret) != 32 {
		t.Fatalf("secret %q: want 32 base32 characters (160 bits)", secret)
	}
	now := time.Unix(1_700_000_000, 0)
	for _, tt := range []struct {
		at   time.Duration
		want bool
	}{{0, true}, {-30 * time.Second, true}, {30 * time.Second, true}, {-60 * time.Second, false}, {90 * time.Second, false}} {
		code, _ := TOTPCode(secret, now.Add(tt.at))
		step, ok := CheckTOTP(secret, code, now)
		if ok != tt.want {
			t.Errorf("code of now%+v: ok=%v, want %v", tt.at, ok, tt.want)
		}
		if ok && step != TOTPStep(now.Add(tt.at)) {
			t.Errorf("code of now%+v matched step %d, want %d", tt.at, step, TOTPStep(now.Add(tt.at)))
		}
	}
	code, _ := TOTPCode(secret, now)
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := CheckTOTP(secret, bad, now); ok {
			t.Errorf("code %q accepted", bad)
		}
	}
	if _, ok := CheckTOTP(strings.ToLower(secret), code[:3]+" "+code[3:], now); !ok {
		t.Error("a code typed with a space, or a lower-case secret, is refused")
	}
	if _, ok := CheckTOTP("not base32!", code, now); ok {
		t.Error("an unreadable secret accepted a code")
	}
}

func TestTOTPURI(t *testing.T) {
	got := TOTPURI("certibloc", "ada@example.org", "JBSWY3DPEHPK3PXP")
	want := "otpauth://totp/certibloc:ada@example.org?algorithm=SHA1&digits=6&issuer=certibloc&period=30&secret=JBSWY3DPEHPK3PXP"
	if got != want {
		t.Errorf("URI\n got %s\nwant %s", got, want)
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) != 43 {
		t.Errorf("tokens %q %q", a, b)
	}
	if h := HashToken(a); len(h) != 64 || h == HashToken(b) || h != HashToken(a) {
		t.Errorf("hash %q", h)
	}
}

// BenchmarkHashPassword measures one argon2id hash with the Default
// costs: the cost of a sign-in (BENCHMARKS.md).
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		HashPassword("correct horse battery staple")
	}
}

// BenchmarkCheckPassword is the cost of a sign-in attempt, right or wrong.
func BenchmarkCheckPassword(b *testing.B) {
	h := HashPassword("correct horse battery staple")
	for b.Loop() {
		CheckPassword(h, "correct horse battery staple")
	}
}

// BenchmarkCosts compares candidate costs on this machine, to choose Default.
func BenchmarkCosts(b *testing.B) {
	for _, p := range []Params{
		{Memory: 19 * 1024, Time: 2, Threads: 1},
		{Memory: 46 * 1024, Time: 1, Threads: 1},
		{Memory: 32 * 1024, Time: 2, Threads: 1},
		{Memory: 64 * 1024, Time: 1, Threads: 2},
	} {
		p.KeyLen, p.SaltLen = 32, 16
		b.Run(fmt.Sprintf("m=%d,t=%d,p=%d", p.Memory, p.Time, p.Threads), func(b *testing.B) {
			for b.Loop() {
				hashWith(p, "correct horse battery staple")
			}
		})
	}
}
