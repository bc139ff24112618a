package web

import (
	"strings"
	"testing"
)

// TestPlurals: a count agrees with its noun, by the rule of each
// language: 0 and 1 take the singular in French, 1 only in English.
func TestPlurals(t *testing.T) {
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 compte"}, {"fr", 1, "1 compte"}, {"fr", 2, "2 comptes"}, {"fr", 31, "31 comptes"},
		{"en", 0, "0 accounts"}, {"en", 1, "1 account"}, {"en", 2, "2 accounts"},
	} {
		if got := newPage(c.lang).Nf("accounts_caption", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
	// The rest of the arguments follow the count, which a format may
	// place anywhere.
	if got := newPage("fr").Nf("app_offer", 1, "Cursus en 1 an"); got != "Cursus en 1 an (1 place)" {
		t.Errorf("offer: %q", got)
	}
	if got := newPage("fr").Nf("auth_outbox_dead", 1, "550 refusé"); got != "abandonné après 1 tentative : 550 refusé" {
		t.Errorf("dead: %q", got)
	}
	// Every plural has its two forms in both languages, and no count is
	// written "(s)" any more.
	notPlurals := map[string]bool{"valid_many_f": true, "pipe_e_many_f": true} // "many" in another sense
	for lang, msgs := range messages {
		for key, s := range msgs {
			if notPlurals[key] {
				continue
			}
			if base, ok := strings.CutSuffix(key, "_one_f"); ok {
				if _, ok := msgs[base+"_many_f"]; !ok {
					t.Errorf("%s: %s has no _many_f", lang, key)
				}
			}
			if base, ok := strings.CutSuffix(key, "_many_f"); ok {
				if _, ok := msgs[base+"_one_f"]; !ok {
					t.Errorf("%s: %s has no _one_f", lang, key)
				}
			}
			if strings.Contains(s, "(s)") {
				t.Errorf("%s: %s writes a plural as (s): %q", lang, key, s)
			}
		}
	}
}

// TestParseDecimal: numbers read as people type them, a comma as well as
// a point; what no one types is refused.
func TestParseDecimal(t *testing.T) {
	for in, want := range map[string]float64{"14,5": 14.5, "14.5": 14.5, " 14,25 ": 14.25, "20": 20, "0,5": 0.5, ",5": 0.5,
		"1 250,5": 1250.5, "1\u202f250,5": 1250.5, "-3,5": -3.5} {
		if got, err := parseDecimal(in); err != nil || got != want {
			t.Errorf("parseDecimal(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", " ", "NaN", "Inf", "+Inf", "1e1", "0x10", "14,5,2", "14.5,2", "quatorze", "14,5 pts", "-", ","} {
		if got, err := parseDecimal(in); err == nil {
			t.Errorf("parseDecimal(%q) = %v, want an error", in, got)
		}
	}
}

// TestLinkify: addresses become links, sentence punctuation stays out of
// them, and everything else is escaped.
func TestLinkify(t *testing.T) {
	for in, want := range map[string]string{
		"Voir https://a.example/x?y=1&z=2.":   `Voir <a href="https://a.example/x?y=1&amp;z=2">https://a.example/x?y=1&amp;z=2</a>.`,
		"(http://a.example/p), fin":           `(<a href="http://a.example/p">http://a.example/p</a>), fin`,
		"<b>javascript:alert(1)</b>":          `&lt;b&gt;javascript:alert(1)&lt;/b&gt;`,
		`"https://a.example/"><script>`:       `&#34;<a href="https://a.example/">https://a.example/</a>&#34;&gt;&lt;script&gt;`,
		"« https://a.example/fr » et ftp://x": `« <a href="https://a.example/fr">https://a.example/fr</a> » et ftp://x`,
	} {
		if got := string(linkify(in)); got != want {
			t.Errorf("linkify(%q)\n got %s\nwant %s", in, got, want)
		}
	}
}

// TestQRCode: the TOTP set-up draws its address as an inline SVG QR
// code, labelled, with nothing fetched.
func TestQRCode(t *testing.T) {
	svg, err := qrSVG("otpauth://totp/certibloc:ada@example.org?secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567&issuer=certibloc", `Code "QR"`)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `) || !strings.Contains(s, `role="img" aria-label="Code &#34;QR&#34;"`) ||
		strings.Count(s, "h") < 100 || strings.Contains(s, "href") {
		t.Errorf("QR code SVG:\n%.600s", s)
	}
}
