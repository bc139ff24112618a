package openbadge

import (
	"context"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
)

// TestDIDWebPaths: the did:web of an address with a port or a path, and
// where each resolves (the W3C did:web method: host, %3A for a port,
// path segments as colons, /did.json, or /.well-known/did.json alone).
func TestDIDWebPaths(t *testing.T) {
	for _, c := range []struct{ base, did, url string }{
		{"https://certibloc.example.org", "did:web:certibloc.example.org", "https://certibloc.example.org/.well-known/did.json"},
		{"https://certibloc.example.org/", "did:web:certibloc.example.org", "https://certibloc.example.org/.well-known/did.json"},
		{"http://localhost:8080", "did:web:localhost%3A8080", "https://localhost:8080/.well-known/did.json"},
		{"https://ecole.example/certibloc", "did:web:ecole.example:certibloc", "https://ecole.example/certibloc/did.json"},
		{"https://ecole.example/a/b/", "did:web:ecole.example:a:b", "https://ecole.example/a/b/did.json"},
		{"https://ecole.example:8443/é t", "did:web:ecole.example%3A8443:%C3%A9%20t", "https://ecole.example:8443/%C3%A9%20t/did.json"},
	} {
		did, err := DIDWeb(c.base)
		if err != nil || did != c.did {
			t.Errorf("DIDWeb(%q) = %q, %v; want %q", c.base, did, err, c.did)
			continue
		}
		if u, err := DIDWebURL(did); err != nil || u != c.url {
			t.Errorf("DIDWebURL(%q) = %q, %v; want %q", did, u, err, c.url)
		}
	}
	for _, bad := range []string{"did:key:z6Mk", "did:web:", "did:web:host:a/b", "did:web:host::x", "did:web:%zz"} {
		if u, err := DIDWebURL(bad); err == nil {
			t.Errorf("DIDWebURL(%q) = %q, want an error", bad, u)
		}
	}
}

// TestOwnDIDWebWithPath: a credential of certibloc under a path verifies
// against its own did:web with that path, and one naming the DID without
// the path is not certibloc's.
func TestOwnDIDWebWithPath(t *testing.T) {
	iss := testIssuer(t)
	iss.BaseURL = "https://ecole.example/certibloc"
	iss.DID, _ = DIDWeb(iss.BaseURL)
	_, mk, _ := strings.Cut(iss.KeyID, "#")
	iss.KeyID = iss.DID + "#" + mk
	v := ownVerifier(iss, nil)
	raw := issued(t, iss, testInput(2), nil)
	if r := v.Verify(context.Background(), raw, certibloc.English); !r.Valid {
		t.Fatalf("a credential of did:web:ecole.example:certibloc: %+v", r.Checks)
	}
	v.OwnDID = "did:web:ecole.example"
	if r := v.Verify(context.Background(), raw, certibloc.English); r.Valid {
		t.Fatal("a DID with a path taken for the DID of its host")
	}
}
