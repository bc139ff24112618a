package seed

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/certibloc/certibloc"
)

// unit is one paragraph, bullet or heading of the brochure, with the block
// and the (sub)heading it sits under.
type unit struct {
	kind    string // h, p, li
	text    string // markdown stripped, whitespace collapsed
	block   string // RNCP38478BC01… when under a block heading
	section string // the nearest heading below the block heading
}

var (
	headingRE  = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	bulletRE   = regexp.MustCompile(`^\s*- (.*)$`)
	blockCodRE = regexp.MustCompile(`^(RNCP\d+BC\d+)\s*[-–]`)
	supRE      = regexp.MustCompile(`<sup>(.*?)</sup>`)
	mdLinkRE   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	autoLinkRE = regexp.MustCompile(`<(https?://[^>]*)>`)
)

// parseMarkdown cuts the brochure into units. It knows only what the
// brochure uses: ATX headings, "- " bullets (nested or not), paragraphs,
// and lines that continue the unit above (a "+ …" line continues a bullet,
// as the brochure means it, rather than starting another list).
func parseMarkdown(md string) []unit {
	var units []unit
	var block, section string
	open := false // whether the next text line continues the last unit
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.TrimSpace(line) == "":
			open = false
		case headingRE.MatchString(line):
			m := headingRE.FindStringSubmatch(line)
			text := stripMarkdown(m[2])
			if len(m[1]) <= 2 {
				block, section = "", ""
			}
			if c := blockCodRE.FindStringSubmatch(text); c != nil {
				block, section = c[1], ""
			} else {
				section = strings.TrimRight(text, " :")
			}
			units = append(units, unit{kind: "h", text: text, block: block, section: section})
			open = false
		case bulletRE.MatchString(line):
			text := stripMarkdown(bulletRE.FindStringSubmatch(line)[1])
			units = append(units, unit{kind: "li", text: text, block: block, section: section})
			open = true
		case open:
			u := &units[len(units)-1]
			u.text = stripMarkdown(u.text + " " + line)
		default:
			units = append(units, unit{kind: "p", text: stripMarkdown(line), block: block, section: section})
			open = true
		}
	}
	return units
}

// stripMarkdown keeps the words of inline markdown: bold, superscripts,
// links (their text) and autolinks (their address).
func stripMarkdown(s string) string {
	s = strings.ReplaceAll(s, "**", "")
	s = supRE.ReplaceAllString(s, "$1")
	s = mdLinkRE.ReplaceAllString(s, "$1")
	s = autoLinkRE.ReplaceAllString(s, "$1")
	return strings.Join(strings.Fields(s), " ")
}

// typography folds the brochure's spelling variants of one text: its
// guillemets and single quotes, "oe" and "œ", en dashes and hyphens.
var typography = strings.NewReplacer("« ", "'", " »", "'", "«", "'", "»", "'",
	"’", "'", "‘", "'", "“", "'", "”", "'", "œ", "oe", "Œ", "OE", "–", "-")

// fold collapses white space and typographic variants.
func fold(s string) string {
	return typography.Replace(strings.Join(strings.Fields(s), " "))
}

// normalise folds s and drops its trailing punctuation, so that a list item
// "Niveau 5 validé," matches the rule text "Niveau 5 validé".
func normalise(s string) string {
	return strings.TrimRight(fold(s), " ,;.:")
}

// seedCorpus is every string of both JSON files, plus the lines the
// brochure writes from structured fields ("Tél : …", "35 heures"), each
// folded, separated by NULs so that no match spans two values.
func seedCorpus(c *certibloc.Certification, p *certibloc.Programme, certJSON, progJSON []byte) (string, error) {
	var texts []string
	for _, data := range [][]byte{certJSON, progJSON} {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return "", err
		}
		texts = appendStrings(texts, v)
	}
	if !p.UpdatedOn.IsZero() {
		texts = append(texts, "Mis à jour le : "+p.UpdatedOn.Format("02/01/2006"))
	}
	texts = append(texts, fmt.Sprintf("Volume horaire hebdomadaire : %d heures", p.Duration.WeeklyHours))
	for _, o := range p.Duration.Tracks {
		texts = append(texts, o.Title+" : "+o.Description)
	}
	for _, list := range [][]certibloc.Section{p.Methods, p.Outcomes, p.Validation} {
		for _, s := range list {
			texts = append(texts, s.Title+" : "+s.Text)
		}
	}
	for _, k := range p.Contacts {
		if k.Name != "" {
			texts = append(texts, k.Name+", "+k.Role+" : "+k.Email)
		} else {
			texts = append(texts, k.Role+" : "+k.Email+" - Tél : "+k.Phone)
		}
	}
	for _, l := range p.Social {
		texts = append(texts, l.Label+" : "+l.URL)
	}
	r := p.Access.Referent
	texts = append(texts, r.Role+" : "+r.Name+" ("+r.Email+")")
	for i := range texts {
		texts[i] = fold(texts[i])
	}
	return strings.Join(texts, "\x00"), nil
}

// appendStrings adds every string found in a decoded JSON value.
func appendStrings(texts []string, v any) []string {
	switch v := v.(type) {
	case string:
		texts = append(texts, v)
	case []any:
		for _, e := range v {
			texts = appendStrings(texts, e)
		}
	case map[string]any:
		for _, e := range v {
			texts = appendStrings(texts, e)
		}
	}
	return texts
}
