package openbadge

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/vc"
)

func sample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ob30", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func failed(r Result) []string {
	var out []string
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c.Name)
		}
	}
	return out
}

// The 1EdTech samples: those that verify are accepted, the others refused
// for the reason testdata/SOURCES.md gives.
func TestOneEdTechSamples(t *testing.T) {
	v := &Verifier{}
	for _, c := range []struct {
		file   string
		failed string
	}{
		{"simple.json", ""},
		{"simple-multiple-proofs.json", ""},
		{"simple-did-web-method.json", "schema"},
		{"simple-did-key-method.json", "proof"},
		{"simple-err-proof-value.json", "proof"},
		{"simple-noproof.json", "context jsonld schema proof validity"},
		{"ob3-minimal-valid_unsigned.json", "proof"},
	} {
		r := v.Verify(context.Background(), sample(t, c.file), certibloc.English)
		if got := strings.Join(failed(r), " "); got != c.failed || r.Valid != (c.failed == "") {
			t.Errorf("%s: valid %v, failed %q, want %q\n%+v", c.file, r.Valid, got, c.failed, r.Checks)
		}
	}
}

// testIssuer is an issuer with a new key at https://certibloc.test.
func testIssuer(t testing.TB) *Issuer {
	pub, priv, _ := ed25519.GenerateKey(nil)
	did, err := DIDWeb("https://certibloc.test")
	if err != nil {
		t.Fatal(err)
	}
	return &Issuer{DID: did, Name: "SUP DE VINCI", BaseURL: "https://certibloc.test", KeyID: VerificationMethod(did, pub), Key: priv}
}

func testInput(i int) Input {
	return Input{
		ID: "https://certibloc.test/credentials/abc" + string(rune('a'+i%26)),
		Achievement: Achievement{Certification: "RNCP38478", Title: "Coordinateur de projets informatiques", Level: 6,
			Block: "RNCP38478BC01", BlockTitle: "Piloter un projet informatique",
			Competencies: []string{"Analyser le besoin du client", "Planifier le projet"}},
		Holder:    Holder{Email: "Jeanne.Martin@example.org", Salt: "c2FsdA"},
		ValidFrom: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC),
		Status:    Status{ListURL: "https://certibloc.test/credentials/status/1", Index: i},
	}
}

func ownVerifier(iss *Issuer, revoked map[int]bool) *Verifier {
	pub := iss.Key.Public().(ed25519.PublicKey)
	_, mk, _ := strings.Cut(iss.KeyID, "#")
	return &Verifier{
		OwnDID: iss.DID,
		OwnKeys: func(context.Context) (map[string]ed25519.PublicKey, error) {
			return map[string]ed25519.PublicKey{mk: pub}, nil
		},
		Revoked: func(_ context.Context, list string, index int) (bool, error) {
			if list != "https://certibloc.test/credentials/status/1" {
				return false, ErrNotOwnList
			}
			return revoked[index], nil
		},
		Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
	}
}

func issued(t *testing.T, iss *Issuer, in Input, edit func(map[string]any)) []byte {
	t.Helper()
	doc, err := Issue(iss, in, time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(doc)
	}
	b, _ := json.Marshal(doc)
	return b
}

func TestIssueAndVerify(t *testing.T) {
	iss := testIssuer(t)
	v := ownVerifier(iss, map[int]bool{7: true})
	ctx := context.Background()

	raw := issued(t, iss, testInput(3), nil)
	if r := v.Verify(ctx, raw, certibloc.French); !r.Valid {
		t.Fatalf("certibloc's own credential does not verify: %+v", r.Checks)
	}
	if strings.Contains(string(raw), "birth") || strings.Contains(string(raw), "Jeanne.Martin") || strings.Contains(string(raw), "jeanne.martin") {
		t.Fatalf("the credential shows the holder's e-mail or birth data: %s", raw)
	}
	var doc map[string]any
	json.Unmarshal(raw, &doc)
	if ctxs := doc["@context"].([]any); ctxs[0] != "https://www.w3.org/ns/credentials/v2" ||
		ctxs[1] != "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" {
		t.Errorf("contexts %v", ctxs)
	}
	if _, ok := doc["proof"].([]any); !ok {
		t.Error("the proof is not an array")
	}
	id := doc["credentialSubject"].(map[string]any)["identifier"].([]any)[0].(map[string]any)
	if id["identityHash"] != IdentityHash("jeanne.martin@example.org", "c2FsdA") {
		t.Errorf("identity %v", id)
	}

	for _, c := range []struct {
		name   string
		raw    []byte
		failed string
		msg    string
	}{
		{"tampered", issued(t, iss, testInput(3), func(d map[string]any) { d["name"] = "RNCP38478 — autre" }), "proof", "signature ne correspond pas"},
		{"not yet valid", issued(t, iss, func() Input {
			in := testInput(3)
			in.ValidFrom = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			return in
		}(), nil), "validity", "qu'à partir du 2027-01-01"},
		{"expired", issued(t, iss, testInput(3), func(d map[string]any) {
			d["validUntil"] = "2026-11-01T00:00:00Z"
			d["proof"] = resign(t, iss, d)
		}), "validity", "expiré le 2026-11-01"},
		{"revoked", issued(t, iss, testInput(7), nil), "status", "révoqué"},
		{"wrong issuer", issued(t, iss, testInput(3), func(d map[string]any) {
			d["issuer"].(map[string]any)["id"] = "did:web:other.example"
		}), "proof", "pas à l'émetteur did:web:other.example"},
		{"other did:web", issued(t, iss, testInput(3), func(d map[string]any) {
			d["issuer"].(map[string]any)["id"] = "did:web:other.example"
			d["proof"].([]any)[0].(map[string]any)["verificationMethod"] = "did:web:other.example#z6Mk"
		}), "proof", "n'est pas celui de certibloc ; il n'est pas téléchargé"},
		{"context order", issued(t, iss, testInput(3), func(d map[string]any) {
			d["@context"] = []any{d["@context"].([]any)[1], d["@context"].([]any)[0]}
		}), "context schema", "doit commencer par"},
		{"unknown DID method", issued(t, iss, testInput(3), func(d map[string]any) {
			d["issuer"].(map[string]any)["id"] = "did:ion:abc"
			d["proof"].([]any)[0].(map[string]any)["verificationMethod"] = "did:ion:abc#key-1"
		}), "proof", "« ion » n'est pas prise en charge"},
		{"unknown context", issued(t, iss, testInput(3), func(d map[string]any) {
			d["@context"] = append(d["@context"].([]any), "https://evil.example/context.json")
		}), "jsonld proof", "n'est pas téléchargé"},
		{"deep", []byte(strings.Repeat("[", 100) + strings.Repeat("]", 100)), "json", "niveaux d'imbrication"},
		{"large", append(append([]byte(`{"x":"`), make([]byte, MaxCredentialBytes)...), `"}`...), "json", "plus de 10485760 octets"},
	} {
		r := v.Verify(ctx, c.raw, certibloc.French)
		got := strings.Join(failed(r), " ")
		if r.Valid || got != c.failed {
			t.Errorf("%s: valid %v, failed %q, want %q\n%+v", c.name, r.Valid, got, c.failed, r.Checks)
			continue
		}
		if all, _ := json.Marshal(r); !strings.Contains(string(all), c.msg) {
			t.Errorf("%s: no message says %q: %s", c.name, c.msg, all)
		}
	}
	r := v.Verify(ctx, issued(t, iss, testInput(7), nil), certibloc.English)
	if all, _ := json.Marshal(r); !strings.Contains(string(all), "was revoked by its issuer") {
		t.Errorf("English: %s", all)
	}
}

func resign(t *testing.T, iss *Issuer, d map[string]any) []any {
	t.Helper()
	delete(d, "proof")
	proof, err := vc.Sign(d, iss.Key, iss.KeyID, time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return []any{proof}
}
