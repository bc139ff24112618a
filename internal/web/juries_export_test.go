package web

import "strings"

// EnglishOnly lists the English interface strings that differ from their
// French, long enough (three words or more) not to occur in French by
// chance: none may show on a French page.
func EnglishOnly() []string {
	var out []string
	for k, en := range messages["en"] {
		if en == messages["fr"][k] || len(strings.Fields(en)) < 3 || strings.Contains(en, "%") {
			continue
		}
		out = append(out, en)
	}
	return out
}
