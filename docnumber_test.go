package certibloc

import (
	"crypto/rand"
	"strings"
	"testing"
)

func TestDocumentNumbers(t *testing.T) {
	seen := map[string]bool{}
	for range 300 {
		n, err := NewDocumentNumber(rand.Reader)
		if err != nil || len(n) != 21 || seen[n] {
			t.Fatalf("%q %v (seen: %v)", n, err, seen[n])
		}
		seen[n] = true
		got, err := ParseDocumentNumber(strings.ToLower(strings.ReplaceAll(n, "-", " ")))
		if err != nil || got != n {
			t.Fatalf("%q read back as %q, %v", n, got, err)
		}
		// Any single mistyped symbol is caught by the check.
		for i, c := range n {
			if c == '-' || i == len(n)-1 {
				continue
			}
			for _, other := range crockford {
				if other == c {
					continue
				}
				typo := n[:i] + string(other) + n[i+1:]
				if _, err := ParseDocumentNumber(typo); err == nil {
					t.Fatalf("typo %q of %q accepted", typo, n)
				}
			}
		}
	}
	for _, bad := range []string{"", "7K3M", strings.Repeat("A", 100), "7K3M-Q9XZ-2HRT-8BWD-JJ", "UUUU-UUUU-UUUU-UUUU-0"} {
		if _, err := ParseDocumentNumber(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseDocumentNumber(f *testing.F) {
	f.Add("7K3M-Q9XZ-2HRT-8BWD-J")
	f.Add("oooo-iiii-llll-0000-0")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseDocumentNumber(s)
		if err != nil {
			return
		}
		if again, err := ParseDocumentNumber(n); err != nil || again != n {
			t.Fatalf("%q → %q → %q, %v", s, n, again, err)
		}
	})
}
