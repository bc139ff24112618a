package web

import (
	"io/fs"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestStyleSheetIsLightAndSelfContained(t *testing.T) {
	css, err := fs.ReadFile(Static(), "style.css")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("style.css: %d bytes", len(css))
	if len(css) > 8*1024 {
		t.Errorf("style.css is %d bytes: keep it under 8 KB", len(css))
	}
	for _, banned := range []string{"url(", "@import", "@font-face", "http:", "https:"} {
		if strings.Contains(string(css), banned) {
			t.Errorf("style.css uses %s: no outside resource, system fonts only", banned)
		}
	}
	for _, needed := range []string{"@media print", ":focus-visible", "system-ui", "max-width"} {
		if !strings.Contains(string(css), needed) {
			t.Errorf("style.css has no %s", needed)
		}
	}
}

func TestStaticHandlerServesCSS(t *testing.T) {
	rec := httptest.NewRecorder()
	staticHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/style.css", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET style.css: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// TestColourContrast holds the colours of style.css to WCAG AA: 4.5:1 for
// text, 3:1 for the focus ring.
func TestColourContrast(t *testing.T) {
	css, err := fs.ReadFile(Static(), "style.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"white": "#fff"}
	for _, m := range regexp.MustCompile(`--([a-z]+):\s*(#[0-9a-fA-F]{3,6});`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"text", "white", 4.5}, {"text", "tint", 4.5},
		{"muted", "white", 4.5}, {"muted", "tint", 4.5},
		{"link", "white", 4.5}, {"link", "tint", 4.5},
		{"visited", "white", 4.5}, {"visited", "tint", 4.5},
		{"focus", "white", 3}, {"focus", "tint", 3},
	}
	for _, p := range pairs {
		fg, bg := vars[p.fg], vars[p.bg]
		if fg == "" || bg == "" {
			t.Errorf("style.css has no --%s or --%s", p.fg, p.bg)
			continue
		}
		if r := contrast(fg, bg); r < p.min {
			t.Errorf("--%s %s on --%s %s: contrast %.2f, want %.1f", p.fg, fg, p.bg, bg, r, p.min)
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two #rgb or #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return l
}
