package rncp

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The export gives lists (competencies, sectors, jobs) as free text typed
// into a web form. Its line breaks come either as newlines or, in the XML
// as published, flattened into runs of two or more spaces; items are marked
// by bullets (- * • ●), by numbers (A1C2., C.1., 1.1.1, C1 :) or by nothing
// but the line break. Items are cut:
//
//   - at a line break (a newline or 2+ spaces) followed by what starts an
//     item — a capital, a digit, a bullet — or preceded by the end of a
//     sentence (. ; : ! ?); a break followed by a small letter is a wrapped
//     line ("une solution   technique") and is joined;
//   - before a round bullet (• ● ▪ ■ ◦ ► ➢ ✓) anywhere, and before a dash or
//     star bullet that follows the end of a sentence ("mosaïques; - cloisons");
//   - before a number written like the first item's ("A1C1. … A1C2.Apprécier",
//     "C1 : … C2 : …") even on the same line.
//
// Bullets are layout and go; numbers are kept, since evaluation texts refer
// to competencies by them ("A3C1 et A3C2. Elaboration d'un budget…").
// Headings and lead-ins ("1.1 Recueillir le besoin du client",
// "En mobilisant … :") stay as items of their own: the text cannot tell them
// from competencies reliably, and dropping them would lose what they say.

// splitCompetencies cuts LISTE_COMPETENCES into one competency each, in
// order. No competency is empty.
func splitCompetencies(s string) []string { return texts(splitItems(s)) }

// splitList cuts SECTEURS_ACTIVITE or TYPE_EMPLOI_ACCESSIBLES into items when
// the text is a list — bulleted, short lines under a lead-in, or names
// separated by dashes — and otherwise returns it whole as one item: those
// fields are as often a paragraph of prose as a list.
func splitList(s string) []string {
	items := splitItems(s)
	if len(items) == 0 {
		return nil // blank, or bullets and punctuation without a word
	}
	bullets := 0
	for _, it := range items {
		if it.bullet {
			bullets++
		}
	}
	if bullets >= 2 || (len(items) >= 3 && allShort(items[1:])) {
		return texts(items)
	}
	whole := cleanLine(s)
	var names []item
	for _, n := range dashRE.Split(whole, -1) {
		names = append(names, item{text: strings.TrimSpace(n)})
	}
	if len(names) >= 3 && allShort(names) {
		return texts(names)
	}
	return []string{whole}
}

// texts returns the texts of items.
func texts(items []item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.text)
	}
	return out
}

// dashRE separates names in "Assistant paie - Technicien paie -Gestionnaire".
var dashRE = regexp.MustCompile(`\s+[-–]\s*|\s*[-–]\s+`)

// allShort reports whether the items read as names rather than sentences:
// each short and none holding a full stop inside.
func allShort(items []item) bool {
	for _, it := range items {
		t := strings.TrimSuffix(it.text, ".")
		if it.text == "" || utf8.RuneCountInString(it.text) > 80 || strings.Contains(t, ". ") {
			return false
		}
	}
	return true
}

// item is one piece of a list, its bullet taken off.
type item struct {
	text   string
	bullet bool
}

// splitItems cuts s into items by the rules above.
func splitItems(s string) []item {
	var pieces []string
	for _, seg := range cutAtBreaks(plainSpaces(s)) {
		pieces = append(pieces, cutInline(seg)...)
	}
	pieces = cutAtNumbers(pieces)
	var items []item
	for _, p := range pieces {
		if it, ok := makeItem(p); ok {
			items = append(items, it)
		}
	}
	return items
}

// cutAtBreaks cuts s at the line breaks that separate items.
func cutAtBreaks(s string) []string {
	var segs []string
	start := 0
	for i := 0; i < len(s); {
		if s[i] != ' ' && s[i] != '\n' {
			i++
			continue
		}
		j, newline := i, false
		for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
			newline = newline || s[j] == '\n'
			j++
		}
		cut := startsItem(s[j:]) || endsSentence(s[start:i])
		if (newline || j-i >= 2) && j < len(s) && cut && !bareMarker(s[start:i]) {
			segs = append(segs, s[start:i])
			start = j
		}
		i = j
	}
	return append(segs, s[start:])
}

// startsItem reports whether text begins the way an item does.
func startsItem(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || isBullet(r)
}

// endsSentence reports whether text ends with sentence-closing punctuation.
func endsSentence(text string) bool {
	text = strings.TrimRight(text, " ")
	r, _ := utf8.DecodeLastRuneInString(text)
	return strings.ContainsRune(".;:!?", r)
}

func isBullet(r rune) bool { return isRoundBullet(r) || strings.ContainsRune("*-–—", r) }

// isRoundBullet reports whether r is a bullet that never means anything else,
// unlike a dash or a star.
func isRoundBullet(r rune) bool { return strings.ContainsRune("•●▪■◦►➢✓", r) }
