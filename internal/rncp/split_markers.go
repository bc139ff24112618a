package rncp

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cutInline cuts a line before the bullets it holds: round bullets anywhere
// after a space, dashes and stars only after the end of a sentence, since
// elsewhere they are punctuation ("l'entreprise - en particulier la trésorerie").
func cutInline(line string) []string {
	var out []string
	start := 0
	for i, r := range line {
		if i <= start || line[i-1] != ' ' {
			continue
		}
		dash := strings.ContainsRune("*-–—", r) && strings.HasPrefix(line[i+utf8.RuneLen(r):], " ")
		if isRoundBullet(r) || (dash && endsSentence(line[start:i])) {
			out = append(out, line[start:i])
			start = i
		}
	}
	return append(out, line[start:])
}

// markerRE matches a competency number made of letters and digits, with the
// punctuation that closes it: "A1C2.", "A5.C1.", "C.10.", "C1 :", "CP3)".
var markerRE = regexp.MustCompile(`^[A-Z]{1,3}\.?[0-9]{1,3}(?:\.?[A-Z]{1,3}\.?[0-9]{1,3})*(?: ?[.:)])`)

// inlineMarkerRE finds such numbers after a space, inside a line.
var inlineMarkerRE = regexp.MustCompile(`\s([A-Z]{1,3}\.?[0-9]{1,3}(?:\.?[A-Z]{1,3}\.?[0-9]{1,3})*(?: ?[.:)]))`)

// cutAtNumbers cuts the pieces again before every number written like the
// one that opens the first item, so "C1 : Analyser. C2 : Concevoir." gives
// two competencies even without a line break. Only that exact shape counts:
// letters, dots and punctuation must match ("A#C#." is not "C.#."), which
// keeps "niveau B2." or "A3C1 et A3C2" in a sentence from cutting it.
func cutAtNumbers(pieces []string) []string {
	skel := ""
	for _, p := range pieces {
		p = trimBullets(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if m := markerRE.FindString(p); m != "" && closesMarker(p[len(m):]) {
			skel = skeleton(m)
		}
		break
	}
	if skel == "" {
		return pieces
	}
	var out []string
	for _, p := range pieces {
		start := 0
		for _, m := range inlineMarkerRE.FindAllStringSubmatchIndex(p, -1) {
			at, end := m[2], m[3]
			if skeleton(p[at:end]) == skel && closesMarker(p[end:]) {
				out = append(out, p[start:at])
				start = at
			}
		}
		out = append(out, p[start:])
	}
	return out
}

// numberRE matches a piece that is nothing but a number: "3.1", "1)", "C1 :".
var numberRE = regexp.MustCompile(`^(?:[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?|[A-Z]{1,3}\.?[0-9]{1,3}(?:\.?[A-Z]{1,3}\.?[0-9]{1,3})* ?[.:)]?)$`)

// bareMarker reports whether a piece holds only a number or bullets, as
// "3.1" in "3.1  Organiser le déploiement": the break after it does not
// start a new item.
func bareMarker(piece string) bool {
	piece = strings.TrimSpace(piece)
	t := trimBullets(piece)
	return (t == "" && piece != "") || numberRE.MatchString(t)
}

// closesMarker reports whether what follows a number lets it be one: the
// end of the text, a space or a letter ("A1C2.Apprécier"), not a digit
// ("C1.5" is a decimal).
func closesMarker(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || r == ' ' || unicode.IsLetter(r)
}

// skeleton is the shape of a number: digits become '#' and spaces go, so
// "A1C2." and "A3C10." are both "A#C#.".
func skeleton(marker string) string {
	var b strings.Builder
	digit := false
	for _, r := range marker {
		switch {
		case r >= '0' && r <= '9':
			if !digit {
				b.WriteByte('#')
			}
			digit = true
			continue
		case r != ' ':
			b.WriteRune(r)
		}
		digit = false
	}
	return b.String()
}

// makeItem cleans one piece: bullets off, white space collapsed, the list
// punctuation that ends it (; ,) trimmed. A piece with no letter or digit
// (a stray bullet, a lone full stop) is not an item.
func makeItem(piece string) (item, bool) {
	t := strings.TrimSpace(piece)
	bare := trimBullets(t)
	it := item{text: strings.TrimRight(cleanLine(bare), " ;,"), bullet: bare != t}
	if strings.IndexFunc(it.text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return item{}, false
	}
	return it, true
}

// trimBullets takes off the bullets that open t: round ones always, dashes
// and stars when a space follows ("-Assistant" keeps its dash).
func trimBullets(t string) string {
	for {
		r, n := utf8.DecodeRuneInString(t)
		rest := t[n:]
		if !isRoundBullet(r) && !(strings.ContainsRune("*-–—", r) && (rest == "" || rest[0] == ' ')) {
			return t
		}
		t = strings.TrimLeft(rest, " ")
	}
}
