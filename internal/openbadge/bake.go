package openbadge

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"html"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Baking (Open Badges 3.0 §5.3): the credential travels inside its badge
// image. In a PNG, as an iTXt chunk of keyword openbadgecredential; in an
// SVG, as the CDATA of an openbadges:credential element.

const (
	pngKeyword = "openbadgecredential"
	svgNS      = "https://purl.imsglobal.org/ob/v3p0"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// ErrNotBaked is the error of an image that carries no credential.
var ErrNotBaked = errors.New("the image carries no Open Badges credential")

// BakePNG returns img with the credential in an iTXt chunk before IEND
// (any credential chunk it had is left out).
func BakePNG(img, credential []byte) ([]byte, error) {
	chunks, err := pngChunks(img)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Write(pngSignature)
	for _, c := range chunks {
		if c.kind == "iTXt" && bytes.HasPrefix(c.data, []byte(pngKeyword+"\x00")) {
			continue
		}
		if c.kind == "IEND" {
			data := append([]byte(pngKeyword), 0, 0, 0, 0, 0) // keyword, no compression, method, no language, no translation
			writeChunk(&out, "iTXt", append(data, credential...))
		}
		writeChunk(&out, c.kind, c.data)
	}
	return out.Bytes(), nil
}

type pngChunk struct {
	kind string
	data []byte
}

func pngChunks(img []byte) ([]pngChunk, error) {
	if !bytes.HasPrefix(img, pngSignature) {
		return nil, errors.New("the file is not a PNG image")
	}
	var out []pngChunk
	rest := img[len(pngSignature):]
	for len(rest) >= 12 {
		n := binary.BigEndian.Uint32(rest)
		if uint64(n)+12 > uint64(len(rest)) {
			return nil, errors.New("the PNG image is cut short")
		}
		out = append(out, pngChunk{kind: string(rest[4:8]), data: rest[8 : 8+n]})
		if string(rest[4:8]) == "IEND" {
			return out, nil
		}
		rest = rest[12+n:]
	}
	return nil, errors.New("the PNG image has no end (IEND)")
}

func writeChunk(w *bytes.Buffer, kind string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	w.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	w.WriteString(kind)
	w.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	w.Write(n[:])
}

// UnbakePNG returns the credential of a baked PNG.
func UnbakePNG(img []byte) ([]byte, error) {
	chunks, err := pngChunks(img)
	if err != nil {
		return nil, err
	}
	for _, c := range chunks {
		if c.kind != "iTXt" || !bytes.HasPrefix(c.data, []byte(pngKeyword+"\x00")) {
			continue
		}
		rest := c.data[len(pngKeyword)+1:]
		if len(rest) < 2 {
			return nil, errors.New("the PNG credential chunk is cut short")
		}
		compressed := rest[0] == 1
		rest = rest[2:]
		for range 2 { // language tag, translated keyword
			i := bytes.IndexByte(rest, 0)
			if i < 0 {
				return nil, errors.New("the PNG credential chunk is malformed")
			}
			rest = rest[i+1:]
		}
		if !compressed {
			return rest, nil
		}
		zr, err := zlib.NewReader(bytes.NewReader(rest))
		if err != nil {
			return nil, fmt.Errorf("the PNG credential chunk does not inflate: %v", err)
		}
		out, err := io.ReadAll(io.LimitReader(zr, MaxCredentialBytes+1))
		if err != nil {
			return nil, fmt.Errorf("the PNG credential chunk does not inflate: %v", err)
		}
		return out, nil
	}
	return nil, ErrNotBaked
}

// BakeSVG returns an SVG image with the credential inside, before the
// drawing: svg is an image whose root element is <svg …>.
func BakeSVG(svg, credential []byte) ([]byte, error) {
	s := string(svg)
	start := strings.Index(s, "<svg")
	if start < 0 {
		return nil, errors.New("the file is not an SVG image")
	}
	end := strings.Index(s[start:], ">")
	if end < 0 {
		return nil, errors.New("the SVG image is malformed")
	}
	end += start
	open := s[start:end]
	if !strings.Contains(open, `xmlns:openbadges=`) {
		open += ` xmlns:openbadges="` + svgNS + `"`
	}
	if strings.Contains(string(credential), "]]>") {
		return nil, errors.New("the credential holds ]]>, which a CDATA section cannot")
	}
	return []byte(s[:start] + open + ">\n<openbadges:credential><![CDATA[" + string(credential) + "]]></openbadges:credential>" + s[end+1:]), nil
}

// UnbakeSVG returns the credential of a baked SVG.
func UnbakeSVG(svg []byte) ([]byte, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	depth := 0
	for {
		t, err := dec.Token()
		if err == io.EOF {
			return nil, ErrNotBaked
		}
		if err != nil {
			return nil, fmt.Errorf("the SVG image is not well-formed XML: %v", err)
		}
		switch t := t.(type) {
		case xml.StartElement:
			if depth++; depth > MaxDepth {
				return nil, errTooDeep
			}
			if t.Name.Space == svgNS && t.Name.Local == "credential" {
				var text struct {
					Body string `xml:",chardata"`
				}
				if err := dec.DecodeElement(&text, &t); err != nil {
					return nil, fmt.Errorf("the SVG credential is malformed: %v", err)
				}
				return []byte(strings.TrimSpace(text.Body)), nil
			}
		case xml.EndElement:
			depth--
		}
	}
}

// Unbake returns the credential of a baked PNG or SVG, or the content
// itself when it is JSON.
func Unbake(content []byte) ([]byte, error) {
	trimmed := bytes.TrimLeft(content, " \t\r\n\ufeff")
	switch {
	case bytes.HasPrefix(content, pngSignature):
		return UnbakePNG(content)
	case bytes.HasPrefix(trimmed, []byte("<")):
		return UnbakeSVG(content)
	}
	return content, nil
}

// BadgeSVG draws the badge of an achievement: its code and name.
func BadgeSVG(a Achievement) []byte {
	name := []rune(a.Name())
	line1, line2 := string(name), ""
	if len(name) > 28 {
		cut := strings.LastIndex(string(name[:28]), " ")
		if cut <= 0 {
			cut = len(string(name[:28]))
		}
		line1, line2 = string(name)[:cut], strings.TrimSpace(string(name)[cut:])
		if r := []rune(line2); len(r) > 30 {
			line2 = string(r[:29]) + "…"
		}
	}
	return []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320" role="img" aria-label="` +
		html.EscapeString(a.Code()+" — "+a.Name()) + `">
<circle cx="160" cy="160" r="150" fill="#1d3557"/>
<circle cx="160" cy="160" r="132" fill="none" stroke="#f1faee" stroke-width="4"/>
<text x="160" y="120" font-family="sans-serif" font-size="26" font-weight="bold" fill="#f1faee" text-anchor="middle">` + html.EscapeString(a.Code()) + `</text>
<text x="160" y="170" font-family="sans-serif" font-size="15" fill="#f1faee" text-anchor="middle">` + html.EscapeString(line1) + `</text>
<text x="160" y="192" font-family="sans-serif" font-size="15" fill="#f1faee" text-anchor="middle">` + html.EscapeString(line2) + `</text>
<text x="160" y="240" font-family="sans-serif" font-size="13" fill="#a8dadc" text-anchor="middle">Open Badges 3.0</text>
</svg>
`)
}

// BadgePNG draws the badge of an achievement as a PNG: a disc with its
// code.
func BadgePNG(a Achievement) []byte {
	const size = 240
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.Draw(img, img.Bounds(), image.Transparent, image.Point{}, draw.Src)
	navy, light := color.RGBA{0x1d, 0x35, 0x57, 0xff}, color.RGBA{0xf1, 0xfa, 0xee, 0xff}
	for y := range size {
		for x := range size {
			dx, dy := x-size/2, y-size/2
			if d := dx*dx + dy*dy; d <= 112*112 {
				img.Set(x, y, navy)
				if d >= 100*100 && d <= 103*103 {
					img.Set(x, y, light)
				}
			}
		}
	}
	face := basicfont.Face7x13
	for i, line := range []string{a.Code(), "Open Badges 3.0"} {
		w := font.MeasureString(face, line).Ceil()
		d := font.Drawer{Dst: img, Src: image.NewUniform(light), Face: face,
			Dot: fixed.P((size-w)/2, size/2+i*22)}
		d.DrawString(line)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
