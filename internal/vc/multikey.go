package vc

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
)

// Multikey: a key as a multibase (base58btc, prefix z) of a multicodec
// prefix and the key's bytes, as the Data Integrity specifications write
// Ed25519 keys (publicKeyMultibase, secretKeyMultibase, did:key).

var (
	ed25519PubPrefix  = []byte{0xed, 0x01}
	ed25519PrivPrefix = []byte{0x80, 0x26}
)

// EncodePublicKey writes an Ed25519 public key as a multikey (z6Mk…).
func EncodePublicKey(pub ed25519.PublicKey) string {
	return "z" + Base58Encode(append(bytes.Clone(ed25519PubPrefix), pub...))
}

// DecodePublicKey reads an Ed25519 public key from a multikey.
func DecodePublicKey(s string) (ed25519.PublicKey, error) {
	b, err := decodeMultibase(s)
	if err != nil {
		return nil, err
	}
	if len(b) != 2+ed25519.PublicKeySize || !bytes.HasPrefix(b, ed25519PubPrefix) {
		return nil, errors.New("the multikey is not an Ed25519 public key (0xed01 and 32 bytes)")
	}
	return ed25519.PublicKey(b[2:]), nil
}

// EncodePrivateKey writes an Ed25519 private key's seed as a multikey
// (secretKeyMultibase, z3u2…).
func EncodePrivateKey(priv ed25519.PrivateKey) string {
	return "z" + Base58Encode(append(bytes.Clone(ed25519PrivPrefix), priv.Seed()...))
}

// DecodePrivateKey reads an Ed25519 private key from its seed's multikey.
func DecodePrivateKey(s string) (ed25519.PrivateKey, error) {
	b, err := decodeMultibase(s)
	if err != nil {
		return nil, err
	}
	if len(b) != 2+ed25519.SeedSize || !bytes.HasPrefix(b, ed25519PrivPrefix) {
		return nil, errors.New("the multikey is not an Ed25519 private key (0x8026 and 32 bytes)")
	}
	return ed25519.NewKeyFromSeed(b[2:]), nil
}

func decodeMultibase(s string) ([]byte, error) {
	rest, ok := strings.CutPrefix(s, "z")
	if !ok {
		return nil, errors.New("the value is not multibase base58btc (it must start with z)")
	}
	return Base58Decode(rest)
}

// DIDKey returns the did:key of a public key and its verification method
// (did:key:z6Mk…#z6Mk…).
func DIDKey(pub ed25519.PublicKey) (did, vm string) {
	mk := EncodePublicKey(pub)
	return "did:key:" + mk, "did:key:" + mk + "#" + mk
}

// ResolveDIDKey returns the public key a did:key names, given the DID or a
// verification method of it: its fragment, when there is one, must be the
// key itself.
func ResolveDIDKey(vm string) (ed25519.PublicKey, error) {
	rest, ok := strings.CutPrefix(vm, "did:key:")
	if !ok {
		return nil, errors.New("not a did:key")
	}
	key, frag, hasFrag := strings.Cut(rest, "#")
	if hasFrag && frag != key {
		return nil, errors.New("the fragment of a did:key verification method must be its key")
	}
	return DecodePublicKey(key)
}
