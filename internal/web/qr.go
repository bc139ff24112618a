package web

import (
	"fmt"
	"html/template"
	"strings"

	qr "github.com/piglig/go-qr"
)

func init() {
	funcs["qr"] = qrSVG
}

// qrSVG draws text as a QR code in inline SVG (no request to anyone, no
// script): the TOTP set-up pages show the otpauth:// address this way,
// for the phone's camera, beside the secret to type. label says what it
// is to screen readers. Dark runs of a row are one rectangle each, which
// keeps the drawing short; the quiet zone of four modules is inside.
func qrSVG(text, label string) (template.HTML, error) {
	q, err := qr.EncodeText(text, qr.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	n := q.Size()
	var path strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; {
			if !q.Module(x, y) {
				x++
				continue
			}
			start := x
			for x < n && q.Module(x, y) {
				x++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", start+4, y+4, x-start, x-start)
		}
	}
	side := n + 8
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="200" height="200" role="img" aria-label="%s" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		side, side, template.HTMLEscapeString(label), side, side, path.String())), nil //nolint:gosec // numbers, and the label escaped
}
