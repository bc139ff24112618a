package vc

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The W3C eddsa-rdfc-2022 test vectors (testdata/SOURCES.md), reproduced
// byte for byte: canonical N-Quads, hashes, signature.

func vector(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "w3c-eddsa-rdfc-2022-vectors", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func vectorJSON(t *testing.T, name string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(vector(t, name)), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestW3CVectors(t *testing.T) {
	var kp struct{ PublicKeyMultibase, PrivateKeyMultibase string }
	if err := json.Unmarshal([]byte(vector(t, "keyPair.json")), &kp); err != nil {
		t.Fatal(err)
	}
	priv, err := DecodePrivateKey(kp.PrivateKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := DecodePublicKey(kp.PublicKeyMultibase)
	if err != nil {
		t.Fatal(err)
	}
	if !pub.Equal(priv.Public()) {
		t.Fatal("the vectors' public key is not that of their private key")
	}
	if got := EncodePrivateKey(priv); got != kp.PrivateKeyMultibase {
		t.Errorf("private multikey %s, want %s", got, kp.PrivateKeyMultibase)
	}
	if got := EncodePublicKey(pub); got != kp.PublicKeyMultibase {
		t.Errorf("public multikey %s, want %s", got, kp.PublicKeyMultibase)
	}

	doc := vectorJSON(t, "unsigned.json")
	cfg := vectorJSON(t, "proofConfigDataInt.json")
	data, canonDoc, canonProof, err := HashData(doc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The published .txt files have no final newline; the N-Quads end each line with one.
	for _, c := range []struct{ name, got, file string }{
		{"canonical document", canonDoc, "canonDocDataInt.txt"},
		{"canonical proof configuration", canonProof, "proofCanonDataInt.txt"},
	} {
		if want := vector(t, c.file); c.got != want && c.got != want+"\n" {
			t.Errorf("%s:\n%s\nwant\n%s", c.name, c.got, want)
		}
	}
	dh, ph := sha256.Sum256([]byte(canonDoc)), sha256.Sum256([]byte(canonProof))
	for _, c := range []struct{ name, got, file string }{
		{"document hash", hex.EncodeToString(dh[:]), "docHashDataInt.txt"},
		{"proof hash", hex.EncodeToString(ph[:]), "proofHashDataInt.txt"},
		{"combined hash", hex.EncodeToString(data), "combinedHashDataInt.txt"},
		{"signature (hex)", hex.EncodeToString(ed25519.Sign(priv, data)), "sigHexDataInt.txt"},
		{"signature (base58btc)", "z" + Base58Encode(ed25519.Sign(priv, data)), "sigBTC58DataInt.txt"},
	} {
		if want := strings.TrimSpace(vector(t, c.file)); c.got != want {
			t.Errorf("%s %s, want %s", c.name, c.got, want)
		}
	}

	// Sign gives the published signed document's proof.
	created, _ := time.Parse(time.RFC3339, cfg["created"].(string))
	proof, err := Sign(doc, priv, cfg["verificationMethod"].(string), created)
	if err != nil {
		t.Fatal(err)
	}
	signed := vectorJSON(t, "signedDataInt.json")
	want, _ := json.Marshal(signed["proof"])
	if got, _ := json.Marshal(proof); string(got) != string(want) {
		t.Errorf("proof\n%s\nwant\n%s", got, want)
	}
	vmKey, err := ResolveDIDKey(cfg["verificationMethod"].(string))
	if err != nil || !vmKey.Equal(pub) {
		t.Fatalf("did:key resolves to %x (%v)", vmKey, err)
	}
	if err := VerifyProof(signed, signed["proof"].(map[string]any), pub); err != nil {
		t.Errorf("the signed vector does not verify: %v", err)
	}
	signed["name"] = "Alumni Credential!"
	if err := VerifyProof(signed, signed["proof"].(map[string]any), pub); err != ErrBadSignature {
		t.Errorf("a changed vector: %v, want the bad signature", err)
	}
}

func TestBase58(t *testing.T) {
	for _, b := range [][]byte{{}, {0}, {0, 0, 1}, {0xff, 0xee, 0}, []byte("hello world")} {
		s := Base58Encode(b)
		got, err := Base58Decode(s)
		if err != nil || string(got) != string(b) {
			t.Errorf("%x → %s → %x (%v)", b, s, got, err)
		}
	}
	if got := Base58Encode([]byte("hello world")); got != "StV1DL6CwTryKyV" {
		t.Errorf("hello world → %s", got)
	}
	if _, err := Base58Decode("0OIl"); err == nil {
		t.Error("characters outside the alphabet are accepted")
	}
}

func TestContextsOnlyCached(t *testing.T) {
	doc := map[string]any{"@context": []any{CredentialsV2, "https://example.org/evil-context"}, "type": "VerifiableCredential"}
	_, err := Expand(doc)
	nc, ok := err.(*ErrNotCached)
	if !ok || nc.URL != "https://example.org/evil-context" {
		t.Fatalf("an unknown context: %v", err)
	}
	doc = map[string]any{"@context": []any{CredentialsV2}, "type": "VerifiableCredential", "undefinedTermXYZ": 1}
	if _, err := Expand(doc); err == nil {
		t.Fatal("safe mode drops a term that expands to nothing without a word")
	}
	doc = map[string]any{"@context": map[string]any{"@vocab": "https://example.org/v#"}, "@type": "_:x"}
	if _, err := Expand(doc); err != nil {
		t.Fatalf("a blank node type: %v", err)
	}
}

func TestCanonizeWithoutProof(t *testing.T) {
	signed := vectorJSON(t, "signedDataInt.json")
	expanded, err := Expand(signed)
	if err != nil {
		t.Fatal(err)
	}
	got, err := CanonizeWithoutProof(expanded)
	if err != nil {
		t.Fatal(err)
	}
	if want := vector(t, "canonDocDataInt.txt"); got != want && got != want+"\n" {
		t.Errorf("canonical document without its proof:\n%s", got)
	}
}
