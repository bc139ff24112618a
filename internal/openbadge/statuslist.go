package openbadge

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/certibloc/certibloc/internal/vc"
)

// Bitstring Status List (W3C): a list of bits, one per credential, set
// when it is revoked; gzipped, in multibase base64url (prefix u). Bit 0 is
// the first byte's most significant bit. A list holds ListSize entries,
// the minimum size the specification asks for privacy.

// ListSize is the number of entries of a status list (16 KiB of bits).
const ListSize = 131072

// EncodeList returns the encodedList of a status list whose revoked
// entries are given.
func EncodeList(revoked []int) (string, error) {
	bits := make([]byte, ListSize/8)
	for _, i := range revoked {
		if i < 0 || i >= ListSize {
			return "", fmt.Errorf("status list index %d is outside 0..%d", i, ListSize-1)
		}
		bits[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(bits)
	if err := zw.Close(); err != nil {
		return "", err
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// maxListBytes bounds a decoded status list: 16 MiB of bits.
const maxListBytes = 16 << 20

// ListBit reads entry index of an encodedList.
func ListBit(encoded string, index int) (bool, error) {
	raw, ok := strings.CutPrefix(encoded, "u")
	if !ok {
		return false, errors.New("the encoded list is not multibase base64url (it must start with u)")
	}
	gz, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(raw, "="))
	if err != nil {
		return false, fmt.Errorf("the encoded list is not base64url: %v", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return false, fmt.Errorf("the encoded list is not gzip: %v", err)
	}
	bits, err := io.ReadAll(io.LimitReader(zr, maxListBytes+1))
	if err != nil {
		return false, fmt.Errorf("the encoded list is not gzip: %v", err)
	}
	if len(bits) > maxListBytes {
		return false, errors.New("the encoded list is too large")
	}
	if index < 0 || index/8 >= len(bits) {
		return false, fmt.Errorf("index %d is outside the list of %d entries", index, len(bits)*8)
	}
	return bits[index/8]&(0x80>>(index%8)) != 0, nil
}

// StatusListCredential returns the signed BitstringStatusListCredential at
// url, its revoked entries given, issued at the given time.
func StatusListCredential(iss *Issuer, url string, revoked []int, at time.Time) (map[string]any, error) {
	encoded, err := EncodeList(revoked)
	if err != nil {
		return nil, err
	}
	doc := map[string]any{
		"@context":  []any{vc.CredentialsV2},
		"id":        url,
		"type":      []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer":    iss.DID,
		"validFrom": at.UTC().Truncate(time.Second).Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"id":            url + "#list",
			"type":          "BitstringStatusList",
			"statusPurpose": "revocation",
			"encodedList":   encoded,
		},
	}
	proof, err := vc.Sign(doc, iss.Key, iss.KeyID, at)
	if err != nil {
		return nil, err
	}
	doc["proof"] = []any{proof}
	return doc, nil
}
