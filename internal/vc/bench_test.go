package vc

import (
	"crypto/ed25519"
	"encoding/json"
	"os"
	"testing"
	"time"
)

func BenchmarkSignOpenBadge(b *testing.B) {
	raw, err := os.ReadFile("testdata/ob30/simple.json")
	if err != nil {
		b.Fatal(err)
	}
	var doc map[string]any
	json.Unmarshal(raw, &doc)
	delete(doc, "proof")
	_, priv, _ := ed25519.GenerateKey(nil)
	_, vm := DIDKey(priv.Public().(ed25519.PublicKey))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Sign(doc, priv, vm, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
