package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The secret key encrypts what the database keeps but must not be able
// to give away alone: the TOTP secrets (a stolen database or backup would
// otherwise let anyone make the second factor of every account). It lives
// outside the database: in the environment, or a file of the data
// directory made on first start. It must be backed up apart from the
// database: without it, every second factor has to be set up again
// (certibloc account reset-totp).
const (
	// KeyEnv names the environment variable that holds the key, 32 bytes
	// in base64; it wins over the file.
	KeyEnv = "CERTIBLOC_SECRET_KEY"
	// KeyFile is the name of the key's file in the data directory,
	// created with mode 0600.
	KeyFile = "secret.key"
	keyLen  = 32
)

// LoadKey returns the key from the environment variable KeyEnv (through
// getenv) or else from the file KeyFile in dir, creating the file with a
// new random key, readable by its owner only, when it does not exist. It
// says where the key came from.
func LoadKey(dir string, getenv func(string) string) (key []byte, from string, err error) {
	if v := strings.TrimSpace(getenv(KeyEnv)); v != "" {
		key, err = decodeKey(v)
		return key, "$" + KeyEnv, err
	}
	path := filepath.Join(dir, KeyFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createKey(path)
	} else if err != nil {
		return nil, path, err
	}
	key, err = decodeKey(string(raw))
	return key, path, err
}

// createKey writes a new key to path, failing rather than overwriting a
// key another process wrote meanwhile.
func createKey(path string) ([]byte, string, error) {
	key := make([]byte, keyLen)
	rand.Read(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, path, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, path, err
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, path, err
	}
	return key, path, f.Close()
}

func decodeKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) != keyLen {
		return nil, fmt.Errorf("secret: the key must be %d bytes in base64 (openssl rand -base64 %d)", keyLen, keyLen)
	}
	return key, nil
}

// NewKey returns a random key, for a store that was given none.
func NewKey() []byte {
	key := make([]byte, keyLen)
	rand.Read(key)
	return key
}

// Sealer encrypts small secrets with AES-256-GCM under the secret key.
type Sealer struct{ aead cipher.AEAD }

// sealedPrefix starts every sealed value, so that values stored before
// encryption existed are told apart (and read as they are).
const sealedPrefix = "v1:"

// NewSealer returns the sealer of a 32-byte key.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != keyLen {
		return nil, fmt.Errorf("secret: the key must be %d bytes", keyLen)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

// Seal encrypts plain, bound to context (such as "account 12 totp"), so
// that a sealed value copied to another row does not open there.
func (s *Sealer) Seal(plain, context string) string {
	nonce := make([]byte, s.aead.NonceSize())
	rand.Read(nonce)
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte(context))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts a value of Seal with the same context. A value without the
// sealed prefix was stored plain before encryption and is returned as is.
func (s *Sealer) Open(stored, context string) (string, error) {
	if !IsSealed(stored) {
		return stored, nil
	}
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(stored, sealedPrefix))
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errors.New("secret: a sealed value is damaged")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(context))
	if err != nil {
		return "", errors.New("secret: a sealed value does not open with this key")
	}
	return string(plain), nil
}

// IsSealed reports whether a stored value was sealed.
func IsSealed(stored string) bool { return strings.HasPrefix(stored, sealedPrefix) }
