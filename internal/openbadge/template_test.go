package openbadge

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/vc"
)

// oddStrings are values that would trip a careless substitution: quotes,
// escapes, newlines, JSON-LD keywords and terms, IRIs and blank node
// labels, the sentinels' own form, non-Latin scripts, empty strings.
var oddStrings = []string{
	"", " ", `"`, `\`, `\"quoted\"`, "line\nbreak\r\n", "tab\there", "\u00a0insécable\u202f!",
	"@id", "@type", "@value", "@context", "@vocab", "id", "type", "name", "Achievement", "Profile",
	"_:b0", "_:c14n0", "https://example.org/x", "http://a/b?c=d#e", "urn:uuid:1234", "did:web:x",
	"https://slot.certibloc.invalid/0/", "xcertiblocmark", "<https://x>", "\"^^<x>", "a\u0000b",
	"Œuvre — « français » ’ “”", "日本語のテキスト", "عربي", "🙂 emoji", "\x7f\x01",
	"2026-07-01T00:00:00Z", "123", "true", "null", "sha256$abc",
}

func oddString(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return oddStrings[r.IntN(len(oddStrings))] + " " + oddStrings[r.IntN(len(oddStrings))]
	}
	return oddStrings[r.IntN(len(oddStrings))]
}

// variedInput is a credential of one of a few shapes with odd values.
func variedInput(r *rand.Rand, i int) Input {
	in := benchInput(i)
	a := &in.Achievement
	a.Title, a.BlockTitle = oddString(r), oddString(r)
	if r.IntN(4) == 0 {
		a.Block = ""
	}
	a.Level = r.IntN(9)
	a.Competencies = nil
	for range r.IntN(4) {
		a.Competencies = append(a.Competencies, oddString(r))
	}
	if r.IntN(3) == 0 {
		a.TitleEN, a.BlockTitleEN = oddString(r), oddString(r)
		for range a.Competencies {
			a.CompetenciesEN = append(a.CompetenciesEN, oddString(r))
		}
	}
	in.Holder = Holder{Email: oddString(r), Name: oddString(r), Salt: oddString(r)}
	switch r.IntN(4) {
	case 0:
		in.ID = "https://certibloc.test/credentials/" + fmt.Sprint(i)
	case 1:
		in.ID = "urn:uuid:" + fmt.Sprint(i) // an IRI of another form: part of the template
	case 2:
		in.ID = "https://certibloc.test/credentials/%C3%A9t%C3%A9?x=" + fmt.Sprint(i) + "#f"
	default:
		in.ID = "http://other.example:8080/c/" + fmt.Sprint(i)
	}
	in.ValidFrom = time.Date(2000+r.IntN(50), time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), 0, 0, 0, time.UTC)
	in.Status = Status{ListURL: "https://certibloc.test/credentials/status/" + fmt.Sprint(1+r.IntN(3)), Index: r.IntN(ListSize)}
	return in
}

// TestTemplateExpansionEqualsFullExpansion: the canonical form through an
// expansion template is that of the full expansion, for many credentials
// of varied shapes and values; and the template serves most of them.
func TestTemplateExpansionEqualsFullExpansion(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2026))
	iss := testIssuer(t)
	before := vc.TemplateHits()
	const n = 400
	for i := range n {
		in := variedInput(r, i)
		doc := Build(iss, in)
		if r.IntN(5) == 0 {
			doc["description"] = oddString(r) // a property of the credential itself
		}
		full, err := vc.Canonize(doc)
		if err != nil {
			t.Fatalf("credential %d: %v", i, err)
		}
		fast, err := vc.CanonizeTemplated(doc)
		if err != nil {
			t.Fatalf("credential %d through a template: %v", i, err)
		}
		if fast != full {
			t.Fatalf("credential %d: the canonical forms differ\nfull:\n%s\ntemplate:\n%s", i, full, fast)
		}
	}
	if hits := vc.TemplateHits() - before; hits < n/2 {
		t.Errorf("the templates served %d credentials of %d", hits, n)
	}
	// A document whose values hold a sentinel's form is expanded in full.
	doc := Build(iss, testInput(1))
	doc["name"] = "https://slot.certibloc.invalid/3/"
	full, _ := vc.Canonize(doc)
	fast, err := vc.CanonizeTemplated(doc)
	if err != nil || fast != full || !strings.Contains(full, "slot.certibloc.invalid") {
		t.Errorf("a sentinel in a value: %v\n%s\n%s", err, full, fast)
	}
}
