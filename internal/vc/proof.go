package vc

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Data Integrity proofs of the cryptosuite eddsa-rdfc-2022: the SHA-256
// of the canonical proof configuration (the proof without its value, with
// the document's @context), then the SHA-256 of the canonical document
// without its proof, signed with Ed25519; the signature in multibase
// base58btc.

// Proof names.
const (
	ProofType   = "DataIntegrityProof"
	Cryptosuite = "eddsa-rdfc-2022"
)

// HashData returns the 64 bytes an eddsa-rdfc-2022 proof signs: the hash
// of the canonical proof configuration then that of the canonical
// document, each in its canonical N-Quads form also returned.
func HashData(doc, proofConfig map[string]any) (data []byte, canonDoc, canonProof string, err error) {
	if canonProof, err = Canonize(proofConfig); err != nil {
		return nil, "", "", err
	}
	if canonDoc, err = Canonize(doc); err != nil {
		return nil, "", "", err
	}
	ph, dh := sha256.Sum256([]byte(canonProof)), sha256.Sum256([]byte(canonDoc))
	return append(ph[:], dh[:]...), canonDoc, canonProof, nil
}

// withoutProof returns a shallow copy of doc without its proof.
func withoutProof(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			out[k] = v
		}
	}
	return out
}

// Sign makes an eddsa-rdfc-2022 proof of doc (its proof, if any, left
// out) by key, for the verification method vm, created at the given time
// (to the second, UTC). The proof is returned, not added.
func Sign(doc map[string]any, key ed25519.PrivateKey, vm string, created time.Time) (map[string]any, error) {
	proof := map[string]any{
		"type":               ProofType,
		"cryptosuite":        Cryptosuite,
		"created":            created.UTC().Truncate(time.Second).Format(time.RFC3339),
		"verificationMethod": vm,
		"proofPurpose":       "assertionMethod",
	}
	cfg := make(map[string]any, len(proof)+1)
	for k, v := range proof {
		cfg[k] = v
	}
	cfg["@context"] = doc["@context"]
	ph, err := proofHash(cfg)
	if err != nil {
		return nil, err
	}
	canonDoc, err := CanonizeTemplated(withoutProof(doc))
	if err != nil {
		return nil, err
	}
	dh := sha256.Sum256([]byte(canonDoc))
	proof["proofValue"] = "z" + Base58Encode(ed25519.Sign(key, append(ph[:], dh[:]...)))
	return proof, nil
}

// The credentials of a batch share their proof configuration (the same
// key, the same second): its hash is kept, a few hundred at most.
var (
	proofHashMu    sync.Mutex
	proofHashCache = map[string][sha256.Size]byte{}
)

const maxProofHashes = 256

// proofHash is the SHA-256 of the canonical proof configuration.
func proofHash(cfg map[string]any) ([sha256.Size]byte, error) {
	key, err := json.Marshal(cfg) // map keys sorted: the same configuration, the same key
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	proofHashMu.Lock()
	h, ok := proofHashCache[string(key)]
	proofHashMu.Unlock()
	if ok {
		return h, nil
	}
	canon, err := Canonize(cfg)
	if err != nil {
		return h, err
	}
	h = sha256.Sum256([]byte(canon))
	proofHashMu.Lock()
	if len(proofHashCache) >= maxProofHashes {
		clear(proofHashCache)
	}
	proofHashCache[string(key)] = h
	proofHashMu.Unlock()
	return h, nil
}

// ProofConfig checks the form of an eddsa-rdfc-2022 proof of doc and
// returns its configuration (the proof without its value, with the
// document's @context) and the signature it carries.
func ProofConfig(doc, proof map[string]any) (cfg map[string]any, sig []byte, err error) {
	if t, _ := proof["type"].(string); t != ProofType {
		return nil, nil, fmt.Errorf("the proof's type is %v, not %s", proof["type"], ProofType)
	}
	if c, _ := proof["cryptosuite"].(string); c != Cryptosuite {
		return nil, nil, fmt.Errorf("the proof's cryptosuite is %v, not %s", proof["cryptosuite"], Cryptosuite)
	}
	if p, _ := proof["proofPurpose"].(string); p != "assertionMethod" {
		return nil, nil, fmt.Errorf("the proof's purpose is %v, not assertionMethod", proof["proofPurpose"])
	}
	value, _ := proof["proofValue"].(string)
	if sig, err = decodeMultibase(value); err != nil {
		return nil, nil, fmt.Errorf("the proof's value: %v", err)
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, nil, fmt.Errorf("the proof's value is %d bytes, not an Ed25519 signature of %d", len(sig), ed25519.SignatureSize)
	}
	cfg = make(map[string]any, len(proof))
	for k, v := range proof {
		if k != "proofValue" {
			cfg[k] = v
		}
	}
	cfg["@context"] = doc["@context"]
	return cfg, sig, nil
}

// ErrBadSignature is the error of a proof whose signature does not match.
var ErrBadSignature = errors.New("the signature does not match the credential: it was changed, or signed by another key")

// VerifyProof checks one eddsa-rdfc-2022 proof of doc with the public key
// of its verification method.
func VerifyProof(doc, proof map[string]any, pub ed25519.PublicKey) error {
	canonDoc, err := Canonize(withoutProof(doc))
	if err != nil {
		return err
	}
	return VerifyCanonical(canonDoc, doc, proof, pub)
}

// VerifyCanonical is VerifyProof given the canonical form of the document
// without its proofs, which several proofs share.
func VerifyCanonical(canonDoc string, doc, proof map[string]any, pub ed25519.PublicKey) error {
	cfg, sig, err := ProofConfig(doc, proof)
	if err != nil {
		return err
	}
	ph, err := proofHash(cfg)
	if err != nil {
		return err
	}
	dh := sha256.Sum256([]byte(canonDoc))
	if !ed25519.Verify(pub, append(ph[:], dh[:]...), sig) {
		return ErrBadSignature
	}
	return nil
}

// CanonizeWithoutProof returns the canonical form of an expanded document
// without its proofs: the expansion of a document with them, less its
// proof property (a graph container, expanded on its own).
func CanonizeWithoutProof(expanded []any) (string, error) {
	out := make([]any, len(expanded))
	for i, n := range expanded {
		if m, ok := n.(map[string]any); ok {
			c := make(map[string]any, len(m))
			for k, v := range m {
				if k != ProofIRI {
					c[k] = v
				}
			}
			n = c
		}
		out[i] = n
	}
	return CanonizeExpanded(out)
}
